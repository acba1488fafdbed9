package service_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// Each decision that is not a report's state change writes one audit record
// naming who decided what on which object, and a refused attempt writes none.
func TestDecisionsAreAudited(t *testing.T) {
	grantEnd := t0.Add(5 * time.Minute)
	imported := []halloffame.ImportedEntry{{Name: "Bastian Ike", Contributions: 2}, {Name: "Ada L.", Contributions: 1}}

	tests := []struct {
		name string
		// act does the decision (and what it needs first) and returns the
		// decisions it expects, after those of the setup are cleared.
		act func(t *testing.T, h *harness) []servicetest.Decision
	}{
		{"staging approved", func(t *testing.T, h *harness) []servicetest.Decision {
			r := pendingStaging(t, h)
			h.audit.Decisions = nil
			errs, err := h.svc.Staging.Approve("triager", r.ID, r.Version, "https://s", "password hunter2", "2026-03-02", grantEnd.Format(staging.GrantLayout))
			require.NoError(t, err)
			require.Empty(t, errs)
			return []servicetest.Decision{{Actor: "triager", Audited: event.Audited{
				Action: "staging.approve", Object: "staging_request",
				Params: map[string]any{"request": "STG-1", "requester": "alice"},
				Prior:  map[string]any{"status": "pending"},
				Result: map[string]any{"status": "approved", "version": r.Version + 1,
					"grant_start": "2026-03-02T00:00:00Z", "grant_end": "2026-03-02T10:05:00Z"},
			}}}
		}},
		{"staging denied", func(t *testing.T, h *harness) []servicetest.Decision {
			r := pendingStaging(t, h)
			h.audit.Decisions = nil
			_, err := h.svc.Staging.Deny("triager", r.ID, r.Version, "Not disruptive: use the community server.")
			require.NoError(t, err)
			return []servicetest.Decision{{Actor: "triager", Audited: event.Audited{
				Action: "staging.deny", Object: "staging_request",
				Params: map[string]any{"request": "STG-1", "requester": "alice"},
				Prior:  map[string]any{"status": "pending"},
				Result: map[string]any{"status": "denied", "version": r.Version + 1},
			}}}
		}},
		{"staging window ended, by the plugin", func(t *testing.T, h *harness) []servicetest.Decision {
			r := pendingStaging(t, h)
			_, err := h.svc.Staging.Approve("triager", r.ID, r.Version, "https://s", "c", "2026-03-02", grantEnd.Format(staging.GrantLayout))
			require.NoError(t, err)
			h.audit.Decisions = nil
			h.now = grantEnd
			h.svc.Clocks.RunJob()
			h.svc.Clocks.RunJob()
			expired, err := h.store.GetStaging(r.ID)
			require.NoError(t, err)
			return []servicetest.Decision{{Actor: "", Audited: event.Audited{
				Action: "staging.expire", Object: "staging_request",
				Params: map[string]any{"request": "STG-1", "requester": "alice"},
				Prior:  map[string]any{"status": "approved"},
				Result: map[string]any{"status": "expired", "version": expired.Version},
			}}}
		}},
		{"a refused decision", func(t *testing.T, h *harness) []servicetest.Decision {
			r := pendingStaging(t, h)
			h.audit.Decisions = nil
			_, err := h.svc.Staging.Deny("alice", r.ID, r.Version, "I deny myself")
			require.Error(t, err)
			_, err = h.svc.HallOfFame.Import("triager", imported)
			require.Error(t, err)
			_, err = h.svc.HallOfFame.Link("alice", "Ada L.", "alice")
			require.Error(t, err)
			return nil
		}},
		{"hall of fame import", func(t *testing.T, h *harness) []servicetest.Decision {
			_, err := h.svc.HallOfFame.Import("admin", imported)
			require.NoError(t, err)
			return []servicetest.Decision{{Actor: "admin", Audited: event.Audited{
				Action: "halloffame.import", Object: "hall_of_fame",
				Params: map[string]any{"entries": 2},
				Result: map[string]any{"dropped_links": []string(nil)},
			}}}
		}},
		{"hall of fame link and unlink", func(t *testing.T, h *harness) []servicetest.Decision {
			_, err := h.svc.HallOfFame.Import("admin", imported)
			require.NoError(t, err)
			h.audit.Decisions = nil
			_, err = h.svc.HallOfFame.Link("admin", "bastian ike", "bastian")
			require.NoError(t, err)
			_, err = h.svc.HallOfFame.Unlink("admin", "Bastian Ike", "")
			require.NoError(t, err)
			_, err = h.svc.HallOfFame.Link("admin", "Ada L.", "ada")
			require.NoError(t, err)
			_, err = h.svc.HallOfFame.Unlink("admin", "", "ada")
			require.NoError(t, err)
			link := func(action, name, user string) servicetest.Decision {
				return servicetest.Decision{Actor: "admin", Audited: event.Audited{
					Action: "halloffame." + action, Object: "hall_of_fame",
					Params: map[string]any{"imported_name": name, "user": user},
				}}
			}
			return []servicetest.Decision{
				link("link", "Bastian Ike", "bastian"), link("unlink", "Bastian Ike", "bastian"),
				link("link", "Ada L.", "ada"), link("unlink", "Ada L.", "ada"),
			}
		}},
		{"credit profile set, then emptied", func(t *testing.T, h *harness) []servicetest.Decision {
			_, err := h.svc.HallOfFame.SaveCreditProfile("alice", report.CreditProfile{DisplayName: "Alice A.", Affiliation: "from Example"})
			require.NoError(t, err)
			_, err = h.svc.HallOfFame.SaveCreditProfile("alice", report.CreditProfile{})
			require.NoError(t, err)
			profile := func(prior, result map[string]any) servicetest.Decision {
				return servicetest.Decision{Actor: "alice", Audited: event.Audited{
					Action: "credit.profile", Object: "credit_profile", Params: map[string]any{"user": "alice"},
					Prior: prior, Result: result,
				}}
			}
			none := map[string]any{"credit_name_set": false, "affiliation_set": false}
			both := map[string]any{"credit_name_set": true, "affiliation_set": true}
			return []servicetest.Decision{profile(none, both), profile(both, none)}
		}},
		{"credit for one report", func(t *testing.T, h *harness) []servicetest.Decision {
			r := fileAs(t, h, "alice", "Alice A.", false)
			h.audit.Decisions = nil
			_, err := h.svc.HallOfFame.SetReportCredit("alice", r.ID, true)
			require.NoError(t, err)
			return []servicetest.Decision{{Actor: "alice", Audited: event.Audited{
				Action: "credit.report", Object: "security_report",
				Params: map[string]any{"report": r.Key()},
				Prior:  map[string]any{"wants_credit": false},
				Result: map[string]any{"wants_credit": true, "status": "submitted"},
			}}}
		}},
		{"nudge", func(t *testing.T, h *harness) []servicetest.Decision {
			h.clocks = minuteClocks()
			r := h.file(t, "alice")
			h.audit.Decisions = nil
			h.now = t0.Add(2 * time.Minute)
			_, err := h.svc.Clocks.Nudge("alice", r.ID)
			require.NoError(t, err)
			_, err = h.svc.Clocks.Nudge("alice", r.ID)
			require.Error(t, err, "too soon: refused, and not audited")
			return []servicetest.Decision{{Actor: "alice", Audited: event.Audited{
				Action: "nudge", Object: "security_report",
				Params: map[string]any{"report": r.Key(), "missed": "first_response", "assignee": ""},
				Result: map[string]any{"next_nudge": h.now.Add(7 * 24 * time.Hour).Format(time.RFC3339), "status": "submitted"},
			}}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			want := tt.act(t, h)
			assert.Equal(t, want, h.audit.Decisions)
			// What people wrote never reaches the audit log.
			for _, d := range h.audit.Decisions {
				text := fmt.Sprint(d.Params, d.Prior, d.Result)
				for _, secret := range []string{"hunter2", "Alice A.", "from Example", "I deny myself", "community server"} {
					assert.NotContains(t, text, secret)
				}
			}
		})
	}
}

func pendingStaging(t *testing.T, h *harness) *staging.Request {
	t.Helper()
	r, errs, err := h.svc.Staging.Request("alice", stagingDraft())
	require.NoError(t, err)
	require.Empty(t, errs)
	cur, err := h.store.GetStaging(r.ID)
	require.NoError(t, err)
	return cur
}
