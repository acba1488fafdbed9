package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func TestReads(t *testing.T) {
	s, _ := newStore(t)
	a1 := mustFile(t, s, "alice", "a1")
	b1 := mustFile(t, s, "bob", "b1")
	a2 := mustFile(t, s, "alice", "a2")
	mustApply(t, s, a1.ID, report.ActionClose, report.Triager("t"), report.Input{Resolution: report.StatusInformative})

	tests := []struct {
		name string
		list func() ([]*report.Report, error)
		want []int
	}{
		{"alice's reports", func() ([]*report.Report, error) { return s.ListByReporter("alice") }, []int{a1.ID, a2.ID}},
		{"bob's reports", func() ([]*report.Report, error) { return s.ListByReporter("bob") }, []int{b1.ID}},
		{"nobody's reports", func() ([]*report.Report, error) { return s.ListByReporter("carol") }, []int{}},
		{"open reports", s.ListOpen, []int{b1.ID, a2.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.list()
			if err != nil || !slices.Equal(ids(got), tt.want) {
				t.Fatalf("= %v, %v; want %v", ids(got), err, tt.want)
			}
		})
	}

	got, err := s.Get(a2.ID)
	if err != nil || !reflect.DeepEqual(got, a2) {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if _, err := s.Get(42); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(42) = %v", err)
	}
}

func TestCreditProfiles(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.GetCreditProfile("alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing profile: %v", err)
	}
	p := report.CreditProfile{UserID: "alice", DisplayName: "Alice Doe", Affiliation: "from Tesla security team", Updated: day0}
	if err := s.SaveCreditProfile(p); err != nil {
		t.Fatal(err)
	}
	p.DisplayName = "Alice D."
	if err := s.SaveCreditProfile(p); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetCreditProfile("alice")
	if err != nil || *got != p {
		t.Fatalf("GetCreditProfile = %+v, %v; want %+v", got, err, p)
	}
	if err := s.SaveCreditProfile(report.CreditProfile{DisplayName: "x"}); err == nil {
		t.Fatal("profile without user id saved")
	}
}

func TestIDListEncoding(t *testing.T) {
	tests := []struct {
		raw  string
		want []int
		ok   bool
	}{
		{"[]", []int{}, true},
		{"[1]", []int{1}, true},
		{"[1,2,30]", []int{1, 2, 30}, true},
		{" [ 3 , 1 ,2 ] ", []int{1, 2, 3}, true},
		{"[1,]", nil, false},
		{"[1,x]", nil, false},
		{"{1}", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, err := decodeIDs([]byte(tt.raw))
		if tt.ok != (err == nil) || (tt.ok && !slices.Equal(got, tt.want)) {
			t.Errorf("decodeIDs(%q) = %v, %v", tt.raw, got, err)
		}
		if tt.ok {
			var viaJSON []int
			if err := json.Unmarshal(encodeIDs(got), &viaJSON); err != nil || !slices.Equal(viaJSON, got) {
				t.Errorf("encodeIDs(%v) = %s is not the JSON array", got, encodeIDs(got))
			}
		}
	}
	if got, err := decodeIDs(nil); err != nil || got != nil {
		t.Errorf("decodeIDs(nil) = %v, %v", got, err)
	}
}
