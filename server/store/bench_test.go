package store

import (
	"testing"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// storeSize is how many reports a benchmark store holds before it starts over.
// The open index is one record, so filing cost grows with the number of open
// reports; 1,000 open reports is far more than a security team has at once.
const storeSize = 1000

// BenchmarkFile measures one filing: daily slot, intent, id claim, counter,
// researcher index and open index, and the summaries in the archive, the open
// set and the researcher's set, on the in-memory KV. Wave 1 took about 40 µs;
// the summaries bring it to about 100 µs, most of it copying the shard the
// summary joins.
func BenchmarkFile(b *testing.B) {
	s, _ := newStore(b)
	d := draft("", "Stored XSS in channel header")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%storeSize == 0 && i > 0 {
			b.StopTimer()
			s, _ = newStore(b)
			b.StartTimer()
		}
		d.ReporterID = userID(i % 100)
		if _, err := s.File(d, storeSize, day0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGet measures reading one report by id.
func BenchmarkGet(b *testing.B) {
	s, _ := newStore(b)
	for i := range storeSize {
		mustFile(b, s, userID(i%100), "Stored XSS in channel header")
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := s.Get(1 + i%storeSize); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdate measures one triage action (a message) with its
// compare-and-set, on a report whose timeline stays short.
func BenchmarkUpdate(b *testing.B) {
	s, _ := newStore(b)
	for i := range storeSize {
		mustFile(b, s, userID(i%100), "Stored XSS in channel header")
	}
	msg := func(r *report.Report) error {
		_, err := report.Apply(r, report.ActionMessage, report.Triager("t"), report.Input{Note: "We are on it.", At: day0})
		r.Timeline = r.Timeline[:1] // keep the record the same size across iterations
		return err
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := s.Update(1+i%storeSize, msg); err != nil {
			b.Fatal(err)
		}
	}
}
