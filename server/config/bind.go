package config

import (
	"sort"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// table is the settings table bound to a manifest: each row with the display
// name and the default plugin.json gives it.
type table struct {
	rows   []boundRow
	checks []crossCheck
	byKey  map[string]int // lowercased key → index in rows
}

type boundRow struct {
	row
	display string
	def     string // the manifest default, as text
}

// settingsTable is the table of the embedded plugin.json. A mismatch between
// the rows and the manifest is a programming error, caught by the tests before
// it can ship; at run time it stops the plugin at load, as an invalid manifest
// does.
var settingsTable = mustTable(rows, crossChecks, root.Manifest.SettingsSchema)

func mustTable(rows []row, checks []crossCheck, schema *model.PluginSettingsSchema) *table {
	t, err := newTable(rows, checks, schema)
	if err != nil {
		panic("the settings table does not match plugin.json: " + err.Error())
	}
	return t
}

// newTable binds rows to schema. It fails unless every row has a manifest
// setting, every manifest setting has a row, and every default parses.
func newTable(rows []row, checks []crossCheck, schema *model.PluginSettingsSchema) (*table, error) {
	manifest, err := manifestSettings(schema)
	if err != nil {
		return nil, err
	}
	t := &table{checks: checks, byKey: map[string]int{}}
	var faults []string
	seen := map[string]bool{}
	for _, r := range rows {
		key := strings.ToLower(r.key)
		if seen[key] {
			faults = append(faults, "row "+r.key+" is listed twice")
			continue
		}
		seen[key] = true
		m, ok := manifest[key]
		if !ok {
			faults = append(faults, "row "+r.key+" has no setting in settings_schema")
			continue
		}
		b, err := bind(r, m)
		if err != nil {
			faults = append(faults, err.Error())
			continue
		}
		t.byKey[key] = len(t.rows)
		t.rows = append(t.rows, b)
	}
	var unmatched []string
	for key, m := range manifest {
		if !seen[key] {
			unmatched = append(unmatched, "setting "+m.key+" of settings_schema has no row")
		}
	}
	sort.Strings(unmatched)
	faults = append(faults, unmatched...)
	for _, c := range checks {
		for _, key := range append([]string{c.report}, c.keys...) {
			if _, ok := t.byKey[strings.ToLower(key)]; !ok {
				faults = append(faults, "a cross check names "+key+", which has no row")
			}
		}
	}
	if len(faults) > 0 {
		return nil, errors.New(strings.Join(faults, "; "))
	}
	return t, nil
}

// bind gives a row its manifest setting's display name and default, which
// must parse: a default the parser refuses could never be saved back.
func bind(r row, m manifestSetting) (boundRow, error) {
	def, err := textOf(m.def)
	if err != nil {
		return boundRow{}, errors.Errorf("the default of %s %v", r.key, err)
	}
	if err := r.parse(def, newSettings()); err != nil {
		return boundRow{}, errors.Errorf("the default of %s does not parse: %v", r.key, err)
	}
	return boundRow{row: r, display: m.display, def: def}, nil
}

// row returns the bound row of key. Callers name keys as constants, which the
// tests exercise, so an unknown key is a programming error.
func (t *table) row(key string) boundRow {
	i, ok := t.byKey[strings.ToLower(key)]
	if !ok {
		panic("the settings table has no row " + key)
	}
	return t.rows[i]
}

// ConsolePath is where an admin finds the setting key, for sentences that send
// them there: "System Console › Plugins › <plugin name> › <display name>", both
// names read from plugin.json.
func ConsolePath(key string) string {
	return "System Console › Plugins › " + root.Manifest.Name + " › " + settingsTable.row(key).display
}

// newSettings is the zero Settings with its maps made, ready for rows to fill.
func newSettings() *Settings {
	return &Settings{Clocks: Clocks{Resolution: map[string]sla.Target{}}}
}
