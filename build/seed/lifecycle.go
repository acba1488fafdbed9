package main

import (
	"fmt"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// The life of one report, written with the store calls the plugin's use cases
// make (server/service): filing (File), announcing it (linking the card and the
// receipt), triage actions (Act, relayed replies, automatic closing and
// scheduled disclosure) and the public lists a disclosure updates. Only the
// store's public API is used, so the records are whatever layout the store
// writes. Posts are not created: the card, receipt and reply ids are synthetic.

// seeder writes a history into a store.
type seeder struct {
	*program
	store *store.Store
	tally tally
}

// tally counts what was written, for the summary.
type tally struct {
	byFate     map[fate]int
	advisories int
	byReal     map[string]int
}

func newSeeder(o Options, s *store.Store) *seeder {
	return &seeder{program: newProgram(o), store: s, tally: tally{byFate: map[fate]int{}, byReal: map[string]int{}}}
}

// run files every report and takes it to its fate.
func (s *seeder) run() error {
	for i := 0; i < s.opts.Reports; i++ {
		if err := s.one(i); err != nil {
			return errors.Wrapf(err, "report %d of %d", i+1, s.opts.Reports)
		}
	}
	return nil
}

// clock hands out the times of one report's events: each a little after the
// previous one, never after the end of the history.
type clock struct {
	at, end time.Time
}

func (c *clock) after(d time.Duration) time.Time {
	c.at = c.at.Add(d)
	if c.at.After(c.end) {
		c.at = c.end
	}
	return c.at
}

func (s *seeder) hours(lo, hi int) time.Duration {
	return time.Duration(between(s.rng, lo*60, hi*60)) * time.Minute
}

func (s *seeder) one(i int) error {
	who := s.reporterOf(i)
	filed := s.createdAt(i)
	end := s.opts.Now.Add(-time.Minute)
	r, err := s.file(who, filed)
	if err != nil {
		return err
	}
	if s.realTotal > 0 {
		for _, id := range s.opts.RealReporters {
			if id == who.id {
				s.tally.byReal[id]++
			}
		}
	}
	f := s.fateOf(i)
	s.tally.byFate[f]++
	if end.Before(filed) {
		end = filed
	}
	c := &clock{at: filed, end: end}
	triager := pick(s.rng, s.triagers)
	if f == fateSubmitted {
		return nil
	}
	if err := s.act(r.ID, triager, report.ActionTake, report.Input{At: c.after(s.hours(1, 72))}); err != nil {
		return err
	}
	switch f {
	case fateTriaging:
		return nil
	case fateNeedsInfo:
		return s.ask(r.ID, triager, c)
	case fateConfirmed:
		return s.act(r.ID, triager, report.ActionConfirm, report.Input{At: c.after(s.hours(2, 120)), Note: sentence(s.rng)})
	case fateDuplicate:
		in := report.Input{At: c.after(s.hours(1, 48)), Resolution: report.StatusDuplicate, DuplicateOf: 1 + s.rng.IntN(max(r.ID-1, 1))}
		if r.ID == 1 {
			in.Resolution, in.DuplicateOf = report.StatusNotApplicable, 0
		}
		return s.act(r.ID, triager, report.ActionClose, in)
	case fateNotApplicable:
		return s.act(r.ID, triager, report.ActionClose, report.Input{At: c.after(s.hours(1, 96)), Resolution: report.StatusNotApplicable, Note: sentence(s.rng)})
	case fateInformative:
		if err := s.ask(r.ID, triager, c); err != nil {
			return err
		}
		if err := s.reply(r.ID, who.id, c); err != nil {
			return err
		}
		return s.act(r.ID, triager, report.ActionClose, report.Input{At: c.after(s.hours(2, 72)), Resolution: report.StatusInformative, Note: sentence(s.rng)})
	case fateInformativeSystem:
		if err := s.ask(r.ID, triager, c); err != nil {
			return err
		}
		// As the job does when the question goes unanswered for AutoClose (30d).
		return s.system(r.ID, report.ActionAutoClose, report.Input{At: c.after(30 * 24 * time.Hour), Note: "No answer to the team's question within 30 days."})
	case fateDisclosed:
		return s.disclose(r.ID, who.id, triager, c)
	}
	return fmt.Errorf("unknown fate %d", f)
}

// file is Service.File: the draft as the dialog submits it, normalised and
// validated, stored without a daily limit (the history spans years), the
// credit profile saved, then the card and the receipt linked.
func (s *seeder) file(who researcher, at time.Time) (*report.Report, error) {
	draft := s.draft(who)
	draft.Normalize()
	if errs := draft.Validate(config.Defaults().Intake.Products); len(errs) > 0 {
		return nil, fmt.Errorf("the generated draft is not valid: %v", errs)
	}
	r, err := s.store.File(draft, 0, at)
	if err != nil {
		return nil, errors.Wrap(err, "file")
	}
	if who.profile != nil {
		profile := *who.profile
		profile.Updated = at.UTC()
		if err := s.store.SaveCreditProfile(profile); err != nil {
			return nil, errors.Wrap(err, "save the credit profile")
		}
		if _, _, err := s.store.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
			return h.SetProfile(who.id, &profile), nil
		}); err != nil {
			return nil, errors.Wrap(err, "copy the profile into the Hall of Fame")
		}
	}
	card, receipt := newID(s.rng), newID(s.rng)
	r, err = s.store.Update(r.ID, func(cur *report.Report) error {
		cur.CardPostID, cur.ThreadRootID = card, receipt
		return nil
	})
	return r, errors.Wrap(err, "link the card and the receipt")
}

// act is Service.Act for actions that need no advisory id.
func (s *seeder) act(id int, triager string, a report.Action, in report.Input) error {
	_, err := s.apply(id, report.Triager(triager), a, in)
	return err
}

func (s *seeder) system(id int, a report.Action, in report.Input) error {
	_, err := s.apply(id, report.System(), a, in)
	return err
}

func (s *seeder) apply(id int, actor report.Actor, a report.Action, in report.Input) (*report.Report, error) {
	r, err := s.store.Update(id, func(cur *report.Report) error {
		_, err := report.Apply(cur, a, actor, in)
		return err
	})
	return r, errors.Wrapf(err, "%s", a)
}

func (s *seeder) ask(id int, triager string, c *clock) error {
	return s.act(id, triager, report.ActionAsk, report.Input{At: c.after(s.hours(1, 72)), Note: prose(s.rng, 60, 400)})
}

// reply is a relayed reply of the reporter in the receipt thread.
func (s *seeder) reply(id int, reporterID string, c *clock) error {
	at := c.after(s.hours(2, 96))
	postID := newID(s.rng)
	_, err := s.store.Update(id, func(cur *report.Report) error {
		if _, err := report.Apply(cur, report.ActionReply, report.Reporter(reporterID), report.Input{At: at, Note: prose(s.rng, 40, 800)}); err != nil {
			return err
		}
		cur.MarkRelayed(postID, at.UnixMilli())
		return nil
	})
	return errors.Wrap(err, "reply")
}

// disclose (after a question answered, sometimes) confirms, fixes (with an advisory id claimed as Service.Act claims
// it) and, on its disclosure date, discloses the report as the job does, then
// publishes it in the Hall of Fame and Security Updates.
func (s *seeder) disclose(id int, reporterID, triager string, c *clock) error {
	if s.rng.IntN(3) == 0 {
		if err := s.ask(id, triager, c); err != nil {
			return err
		}
		if err := s.reply(id, reporterID, c); err != nil {
			return err
		}
	}
	if err := s.act(id, triager, report.ActionConfirm, report.Input{At: c.after(s.hours(2, 120))}); err != nil {
		return err
	}
	fixAt := c.after(s.hours(24, 24*60))
	advisoryID, err := s.claimAdvisoryID(id, fixAt.UTC().Year())
	if err != nil {
		return err
	}
	fix := report.Input{
		At:             fixAt,
		FixedIn:        fixedVersions(s, fixAt),
		AdvisoryID:     advisoryID,
		PublicTitle:    title(s.rng),
		PublicSummary:  prose(s.rng, 120, 700),
		PublicAffected: pick(s.rng, []string{"11.4.0 and earlier", "10.11.x, 11.0.x to 11.2.x", "9.0 to 11.3.1"}),
	}
	if s.rng.IntN(2) == 0 {
		fix.CVEID = fmt.Sprintf("CVE-%d-%d", fixAt.UTC().Year(), between(s.rng, 10000, 59999))
	}
	if err := s.act(id, triager, report.ActionFix, fix); err != nil {
		return err
	}
	// The default delay (DisclosureDelayDays, 30) after the release; a date
	// past the end of the history is a triager publishing early instead.
	due := fixAt.UTC().Truncate(24*time.Hour).AddDate(0, 0, 30)
	var disclosed *report.Report
	if due.Before(c.end) {
		disclosed, err = s.apply(id, report.System(), report.ActionDisclose, report.Input{At: c.after(due.Sub(c.at) + time.Minute),
			Note: "Disclosed on its disclosure date, " + due.Format(report.DateLayout) + "."})
	} else {
		disclosed, err = s.apply(id, report.Triager(triager), report.ActionDisclose, report.Input{At: c.after(s.hours(1, 48))})
	}
	if err != nil {
		return err
	}
	return s.publish(disclosed)
}

// claimAdvisoryID is Service.claimAdvisoryID for a first fix: the year's next
// number, skipping ids someone reserved by hand.
func (s *seeder) claimAdvisoryID(reportID, year int) (string, error) {
	for range 100 {
		n, err := s.store.NextAdvisoryNumber(year)
		if err != nil {
			return "", errors.Wrap(err, "advisory number")
		}
		id := report.NextAdvisoryID(service.AdvisoryPrefix, year, n)
		held, err := s.store.ReserveAdvisoryID(id, reportID)
		if err != nil {
			return "", errors.Wrap(err, "reserve the advisory id")
		}
		if held {
			return id, nil
		}
	}
	return "", errors.New("no free advisory id")
}

func fixedVersions(s *seeder, at time.Time) []report.FixedVersion {
	major, minor := at.UTC().Year()-2015, int(at.UTC().Month())/2
	released := at.UTC().Format(report.DateLayout)
	return []report.FixedVersion{
		{Version: fmt.Sprintf("%d.%d.%d", major, minor, between(s.rng, 1, 9)), Released: released},
		{Version: fmt.Sprintf("%d.%d.%d", major, max(minor-1, 0), between(s.rng, 10, 19)), Released: released},
	}
}

// publish is Service.publicChanged for a disclosed report: its contribution
// in the Hall of Fame and its advisory in Security Updates.
func (s *seeder) publish(r *report.Report) error {
	profile, err := s.store.GetCreditProfile(r.ReporterID)
	if errors.Is(err, store.ErrNotFound) {
		profile, err = nil, nil
	}
	if err != nil {
		return errors.Wrap(err, "read the credit profile")
	}
	disclosedAt := disclosureEvent(r)
	if _, _, err := s.store.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
		return h.SetContribution(r.ReporterID, r.ID, disclosedAt, r.WantsCredit, profile), nil
	}); err != nil {
		return errors.Wrap(err, "update the Hall of Fame")
	}
	credit := ""
	if r.WantsCredit && profile != nil {
		credit = profile.Credit()
	}
	adv := r.PublicAdvisory(credit, disclosedAt, disclosedAt)
	if _, err := s.store.PutAdvisory(adv); err != nil {
		return errors.Wrap(err, "publish the advisory")
	}
	s.tally.advisories++
	return nil
}

// disclosureEvent is when the report became disclosed.
func disclosureEvent(r *report.Report) time.Time {
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		if e := r.Timeline[i]; e.To == report.StatusDisclosed && e.From != report.StatusDisclosed {
			return e.At
		}
	}
	return r.Updated
}
