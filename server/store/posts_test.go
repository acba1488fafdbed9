package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func setCard(channelID, postID string) func(*report.Report) error {
	return func(r *report.Report) error {
		r.TriageChannelID, r.CardPostID = channelID, postID
		return nil
	}
}

func TestPostIndexFollowsCardAndThread(t *testing.T) {
	s, mem := newStore(t)
	r := mustFile(t, s, "researcher", "x")
	other := mustFile(t, s, "researcher", "y")

	steps := []struct {
		name    string
		update  func(*report.Report) error
		found   []string // posts that lead to r
		missing []string // posts that must not, and whose key is gone
	}{
		{"card posted", setCard("ch", "card1"), []string{"card1"}, nil},
		{"DM thread started", func(r *report.Report) error { r.ThreadRootID = "dm1"; return nil }, []string{"card1", "dm1"}, nil},
		{"card deleted and posted again", setCard("ch", "card2"), []string{"card2", "dm1"}, []string{"card1"}},
		{"card moved to another channel", setCard("ch2", "card3"), []string{"card3", "dm1"}, []string{"card1", "card2"}},
	}
	for _, st := range steps {
		if _, err := s.Update(r.ID, st.update); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		for _, p := range st.found {
			got, err := s.FindByPost(p)
			if err != nil || got.ID != r.ID {
				t.Fatalf("%s: FindByPost(%s) = %v, %v", st.name, p, got, err)
			}
		}
		for _, p := range st.missing {
			if _, err := s.FindByPost(p); !errors.Is(err, ErrNotFound) {
				t.Fatalf("%s: FindByPost(%s) = %v, want ErrNotFound", st.name, p, err)
			}
			if raw := rawKey(t, mem, postKey(p)); raw != nil {
				t.Fatalf("%s: %s still links to %s", st.name, postKey(p), raw)
			}
		}
	}
	if _, err := s.FindByPost("never-posted"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown post: %v", err)
	}
	if _, err := s.FindByPost(""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty post id: %v", err)
	}

	// A link that survived somehow (written by hand here) is not trusted: the
	// record does not name the post, so it is not found and the link goes.
	if _, err := mem.Set(postKey("stale"), encodeInt(other.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindByPost("stale"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("stale link: %v", err)
	}
	if raw := rawKey(t, mem, postKey("stale")); raw != nil {
		t.Fatalf("stale link kept: %s", raw)
	}
}

// 50 goroutines replace the card of one report at once: afterwards only the card
// the record names has a link; every replaced card's link is gone.
func TestConcurrentCardChangesLeaveOneLink(t *testing.T) {
	s, mem := newStore(t)
	r := mustFile(t, s, "researcher", "x")
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := s.Update(r.ID, setCard("ch", fmt.Sprintf("card%d", i))); err != nil {
				t.Errorf("card %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	final, err := s.Get(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		p := fmt.Sprintf("card%d", i)
		raw := rawKey(t, mem, postKey(p))
		if (p == final.CardPostID) != (raw != nil) {
			t.Fatalf("card %s (final card %s) has link %q", p, final.CardPostID, raw)
		}
	}
}
