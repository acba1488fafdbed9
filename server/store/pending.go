package store

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Replies the plugin took (they are on the report's timeline) but could not
// post in the card thread, because the channel was unsafe or the post failed,
// wait to be posted once it can: v2/pend/<id> lists their post ids, oldest
// first, and v2/pending lists the reports that have any, so that retrying
// them reads one small record however many reports there are. The list is
// relay bookkeeping, apart from the record, as the follow-ups are: keeping a
// reply for later changes nothing a triager sees, so no card goes stale.
//
// A report is listed in v2/pending before a reply is added to its list (so a
// crash in between leaves it listed) and again after (a retry that emptied
// the list meanwhile may have unlisted it), and unlisted after its list
// emptied (then checked again), so a report with pending replies is always
// listed; a listed report without any only costs its retry a read.

// MaxPendingRelays bounds the replies a report keeps to post later: as many
// as the hourly limit takes. Past it, a reply that cannot be posted is left
// to the reporter to send again, and they are told.
const MaxPendingRelays = report.RepliesPerHour

func pendingKey(id int) string { return prefixPendingRelays + strconv.Itoa(id) }

// KeepPendingRelay keeps postID, a reply to report id, to post later; it
// reports false when the report keeps as many as it may.
func (s *Store) KeepPendingRelay(id int, postID string) (bool, error) {
	if _, err := s.setMember(keyPendingRelays, id, true); err != nil {
		return false, err
	}
	kept := false
	_, err := s.modify(pendingKey(id), func(old []byte) ([]byte, bool, error) {
		ids, err := decodePending(old)
		if err != nil {
			return nil, false, err
		}
		if slices.Contains(ids, postID) {
			kept = true
			return nil, false, nil
		}
		if kept = len(ids) < MaxPendingRelays; !kept {
			return nil, false, nil
		}
		data, err := json.Marshal(append(ids, postID))
		return data, true, err
	})
	if err != nil || !kept {
		return kept, err
	}
	// Listed again: a retry that emptied the list meanwhile may have
	// unlisted the report between the first listing and the reply's.
	_, err = s.setMember(keyPendingRelays, id, true)
	return kept, err
}

// PendingRelays lists the replies report id keeps to post, oldest first.
func (s *Store) PendingRelays(id int) ([]string, error) {
	raw, err := s.getRaw(pendingKey(id))
	if err != nil {
		return nil, err
	}
	return decodePending(raw)
}

// PendingRelayReports lists the reports with pending replies, ascending.
func (s *Store) PendingRelayReports() ([]int, error) { return s.readIDs(keyPendingRelays) }

// DonePendingRelays forgets the replies of report id that were posted, or
// can no longer be (their post was deleted), and unlists the report once it
// keeps none.
func (s *Store) DonePendingRelays(id int, postIDs ...string) error {
	left := 0
	_, err := s.modify(pendingKey(id), func(old []byte) ([]byte, bool, error) {
		ids, err := decodePending(old)
		if err != nil {
			return nil, false, err
		}
		ids = slices.DeleteFunc(ids, func(p string) bool { return slices.Contains(postIDs, p) })
		if left = len(ids); left == 0 {
			return nil, old != nil, nil
		}
		data, err := json.Marshal(ids)
		return data, true, err
	})
	if err != nil || left > 0 {
		return err
	}
	if _, err := s.setMember(keyPendingRelays, id, false); err != nil {
		return err
	}
	// A reply kept meanwhile listed the report before its list: list it
	// again if its list is not empty after all.
	again, err := s.PendingRelays(id)
	if err != nil || len(again) == 0 {
		return err
	}
	_, err = s.setMember(keyPendingRelays, id, true)
	return err
}

func decodePending(raw []byte) ([]string, error) {
	if raw == nil {
		return nil, nil
	}
	var ids []string
	return ids, errors.Wrap(json.Unmarshal(raw, &ids), "decode pending replies")
}
