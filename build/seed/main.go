// Command seed writes a security program's history, N reports, as rows of the
// server's PluginKeyValueStore table, for `make bench SEED=N`.
//
//	seed -reports 100000 [-reporters id,...] [-triagers id,...] [-triage-channel id] > rows.copy
//	psql -c "COPY pluginkeyvaluestore (pluginid, pkey, pvalue, expireat) FROM STDIN" < rows.copy
//
// It runs the plugin's own store (server/store) on an in-memory KV, with the
// calls the use cases make when reports are filed, triaged, closed, fixed,
// disclosed and credited, then dumps every key. So the rows are exactly what
// the plugin would have written, in whatever layout the store has at this
// revision: reports, the id counter, every index and aggregate. The e2e module
// must not import the plugin, which is why this lives here.
//
// The history is deterministic: the same flags give the same rows. The mix
// follows a real program: 1 in 20 reports open (the newest), 1 in 50 fixed and
// disclosed with a public advisory, the rest closed as duplicate, not
// applicable or informative; 2,000 researchers, a few of whom file most
// reports; the most active 400 ask for credit. Real users given with
// -reporters file a share of the reports (a page at least), so their own lists
// show something; small histories keep a page of open reports for the queue.
// The summary goes to standard error.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := Options{}
	fs.IntVar(&o.Reports, "reports", 0, "number of reports to seed")
	fs.IntVar(&o.Researchers, "researchers", 2000, "number of synthetic researchers")
	fs.IntVar(&o.Credited, "credited", 400, "how many of the most active researchers ask for credit")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the generator: the same seed gives the same rows")
	fs.IntVar(&o.PageSize, "page-size", 50, "list page size of the webapp: real reporters get at least this many reports, and that many stay open")
	fs.StringVar(&o.TriageChannelID, "triage-channel", "", "id of the triage channel the cards are in")
	now := fs.String("now", "", "end of the history, RFC 3339 (default: today, 00:00 UTC)")
	reporters := fs.String("reporters", "", "comma-separated ids of real users who file a share of the reports")
	triagers := fs.String("triagers", "", "comma-separated ids of real users who triage beside synthetic triagers")
	pluginID := fs.String("plugin-id", root.Manifest.Id, "plugin id of the rows")
	output := fs.String("o", "-", "output file (- for standard output)")
	layout := fs.Int("layout", 2, "store layout of the rows: 2 (today's, migrated) or 1 (wave 1's, which the plugin migrates when it starts)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	o.RealReporters, o.RealTriagers = splitIDs(*reporters), splitIDs(*triagers)
	o.Now = time.Now().UTC().Truncate(24 * time.Hour)
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fmt.Errorf("-now: %w", err)
		}
		o.Now = t.UTC()
	}
	if err := o.validate(); err != nil {
		return err
	}

	started := time.Now()
	kv := &pluginapi.MemoryStore{}
	var kvStore *store.Store
	switch *layout {
	case 1:
		kvStore = store.New(kv, store.WithLayout1())
	case 2:
		var err error
		if kvStore, err = newInstallation(kv); err != nil {
			return err
		}
	default:
		return fmt.Errorf("-layout %d: the layouts are 1 and 2", *layout)
	}
	s := newSeeder(o, kvStore)
	if err := s.run(); err != nil {
		return err
	}
	generated := time.Since(started)

	w := stdout
	if *output != "-" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	st, err := writeRows(w, *pluginID, kv)
	if err != nil {
		return err
	}
	hall, err := s.store.HallOfFame()
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "seed: %d reports (%s), %d public advisories, %d credited names; %d keys, %.1f MB of values; generated in %s\n",
		o.Reports, s.tally.fates(), s.tally.advisories, len(hall.Entries()), st.keys, float64(st.bytes)/1e6, generated.Round(time.Millisecond))
	for _, id := range o.RealReporters {
		fmt.Fprintf(stderr, "seed: real reporter %s files %d reports\n", id, s.tally.byReal[id])
	}
	return nil
}

func splitIDs(list string) []string {
	var ids []string
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// fates reads "250 open, 20 disclosed, 730 closed".
func (t tally) fates() string {
	open := t.byFate[fateSubmitted] + t.byFate[fateTriaging] + t.byFate[fateNeedsInfo] + t.byFate[fateConfirmed]
	closed := t.byFate[fateDuplicate] + t.byFate[fateNotApplicable] + t.byFate[fateInformative] + t.byFate[fateInformativeSystem]
	return fmt.Sprintf("%d open, %d disclosed, %d closed", open, t.byFate[fateDisclosed], closed)
}

// newInstallation is a store the plugin started empty: its migration and the
// conversion of the Security Updates are done before the first report, and
// every write keeps the summaries and the advisory shards.
func newInstallation(kv store.KV) (*store.Store, error) {
	s := store.New(kv)
	if _, err := s.MigrateStep(1); err != nil {
		return nil, fmt.Errorf("mark the empty store migrated: %w", err)
	}
	if _, err := s.ConvertSecurityUpdates(); err != nil {
		return nil, fmt.Errorf("mark the empty store's advisories converted: %w", err)
	}
	return s, nil
}
