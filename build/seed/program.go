package main

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// A security program's history: who filed each report, when, and how it ended.
// The choices depend only on the options, so one seed gives one history.

// Options describe the history to seed.
type Options struct {
	Reports int
	// Researchers is the number of synthetic researchers; a few file most reports.
	Researchers int
	// Credited researchers (the most active ones) keep a credit profile and ask
	// for credit, so the Hall of Fame lists a few hundred names at scale.
	Credited int
	Seed     uint64
	// Now is when the history ends: the newest report is filed just before.
	Now time.Time
	// RealReporters are users of the server who file a share of the reports, so
	// their own lists ("mine") have something to show; RealTriagers act on
	// reports beside synthetic triagers.
	RealReporters []string
	RealTriagers  []string
	// TriageChannelID is the channel cards were posted in.
	TriageChannelID string
	// PageSize is the list page the webapp asks for; small histories keep that
	// many reports open and give a real reporter that many reports, so their
	// queue and their list fill one page.
	PageSize int
}

// fate is how a report ends up.
type fate int

const (
	fateSubmitted fate = iota
	fateTriaging
	fateNeedsInfo
	fateConfirmed
	fateDuplicate
	fateNotApplicable
	fateInformative       // closed by a triager after the reporter answered
	fateInformativeSystem // closed by the system: the question went unanswered
	fateDisclosed
)

// realShare is how many reports each real reporter files: a page at least, and
// a prolific researcher's share (1 in 1,000) at scale.
func (o Options) realShare() int {
	if len(o.RealReporters) == 0 {
		return 0
	}
	share := max(o.PageSize, o.Reports/1000)
	return min(share, o.Reports/len(o.RealReporters))
}

// counts are how many reports end disclosed and how many stay open: 1 in 50
// and 1 in 20, with a page of open reports at least (when there are enough).
func (o Options) counts() (disclosed, open int) {
	disclosed = o.Reports / 50
	if o.Reports >= 2 {
		disclosed = max(disclosed, 1)
	}
	open = max(o.Reports/20, min(o.PageSize, o.Reports-disclosed))
	return disclosed, open
}

func (o Options) validate() error {
	switch {
	case o.Reports < 0:
		return errors.New("the number of reports cannot be negative")
	case o.Researchers < 1:
		return errors.New("at least one synthetic researcher is needed")
	case o.Credited < 0 || o.Credited > o.Researchers:
		return errors.New("the credited researchers must be among the researchers")
	case o.PageSize < 1:
		return errors.New("the page size must be positive")
	case o.Now.IsZero():
		return errors.New("the end of the history is not set")
	}
	return nil
}

// program draws the history.
type program struct {
	opts        Options
	rng         *rand.Rand
	researchers []researcher
	triagers    []string
	start       time.Time
	step        time.Duration
	disclosed   int
	open        int
	realTotal   int
}

type researcher struct {
	id      string
	profile *report.CreditProfile // nil: never asked for credit
}

func newProgram(o Options) *program {
	p := &program{opts: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))} //nolint:gosec // a reproducible history, not a secret
	for i := 0; i < o.Researchers; i++ {
		r := researcher{id: newID(p.rng)}
		if i < o.Credited {
			r.profile = &report.CreditProfile{UserID: r.id, DisplayName: personName(p.rng), Affiliation: affiliation(p.rng)}
		}
		p.researchers = append(p.researchers, r)
	}
	for _, id := range o.RealReporters {
		p.researchers = append(p.researchers, researcher{id: id,
			profile: &report.CreditProfile{UserID: id, DisplayName: personName(p.rng), Affiliation: affiliation(p.rng)}})
	}
	p.triagers = append([]string(nil), o.RealTriagers...)
	for range 6 {
		p.triagers = append(p.triagers, newID(p.rng))
	}
	// A year of reports per 8,760 at most, ten years at most, a month at least:
	// old enough for every clock to have run, spread so daily limits never bind.
	span := min(max(time.Duration(o.Reports)*time.Hour, 30*24*time.Hour), 10*365*24*time.Hour)
	p.start = o.Now.Add(-span)
	if o.Reports > 0 {
		p.step = span / time.Duration(o.Reports)
	}
	p.disclosed, p.open = o.counts()
	p.realTotal = o.realShare() * len(o.RealReporters)
	return p
}

// createdAt is when report i (0-based) was filed: evenly spread, with jitter.
func (p *program) createdAt(i int) time.Time {
	jitter := time.Duration(p.rng.Int64N(int64(max(p.step, time.Second))))
	return p.start.Add(time.Duration(i)*p.step + jitter).Truncate(time.Millisecond)
}

// reporterOf is who files report i. The real reporters' shares are spread
// evenly over the history; the rest is drawn with a strong skew, as in real
// programs where a few researchers file most reports.
func (p *program) reporterOf(i int) researcher {
	n := p.opts.Reports
	if p.realTotal > 0 && (i*p.realTotal)%n < p.realTotal {
		k := i * p.realTotal / n
		return p.researchers[p.opts.Researchers+k%len(p.opts.RealReporters)]
	}
	u := p.rng.Float64()
	return p.researchers[min(int(float64(p.opts.Researchers)*u*u), p.opts.Researchers-1)]
}

// fateOf is how report i ends: the newest ones are still open, an even share
// of the older ones was disclosed, the rest closed.
func (p *program) fateOf(i int) fate {
	n := p.opts.Reports
	if i >= n-p.open {
		return []fate{fateSubmitted, fateSubmitted, fateTriaging, fateTriaging, fateNeedsInfo, fateConfirmed}[p.rng.IntN(6)]
	}
	older := n - p.open
	if (i*p.disclosed)%older < p.disclosed {
		return fateDisclosed
	}
	switch u := p.rng.IntN(100); {
	case u < 35:
		return fateDuplicate
	case u < 75:
		return fateNotApplicable
	case u < 88:
		return fateInformative
	default:
		return fateInformativeSystem
	}
}

// draft is what the researcher typed into the report form.
func (p *program) draft(who researcher) report.Report {
	rng := p.rng
	d := report.Report{
		ReporterID:       who.id,
		Title:            title(rng),
		Product:          pick(rng, config.Defaults().Intake.Products),
		AffectedVersions: pick(rng, []string{"11.4.0 and earlier", "10.11 to 11.2", "all versions since 9.0", "", "11.3.1"}),
		TestedOn:         pick(rng, report.TestedOnChoices),
		Description:      prose(rng, 300, 3000),
		Steps:            steps(rng, 150, 1500),
		Impact:           prose(rng, 80, 600),
		WantsCredit:      who.profile != nil && rng.IntN(10) < 9,
		TriageChannelID:  p.opts.TriageChannelID,
	}
	if rng.IntN(10) < 4 {
		d.Vector = pick(rng, vectors)
	} else {
		d.Estimate = pick(rng, []report.Rating{report.RatingLow, report.RatingMedium, report.RatingHigh, report.RatingCritical})
	}
	return d
}
