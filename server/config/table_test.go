package config

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
)

// schemaCopy is a deep copy of plugin.json's settings_schema, for tests that
// edit it.
func schemaCopy() *model.PluginSettingsSchema {
	schema := *root.Manifest.SettingsSchema
	schema.Settings = nil
	for _, s := range root.Manifest.SettingsSchema.Settings {
		c := *s
		schema.Settings = append(schema.Settings, &c)
	}
	schema.Sections = nil
	return &schema
}

// setting finds key in the copy's top-level settings.
func setting(t *testing.T, schema *model.PluginSettingsSchema, key string) *model.PluginSetting {
	t.Helper()
	for _, s := range schema.Settings {
		if s.Key == key {
			return s
		}
	}
	require.Failf(t, "no such setting", "%s", key)
	return nil
}

// without drops key from the copy's top-level settings.
func without(schema *model.PluginSettingsSchema, key string) *model.PluginSettingsSchema {
	kept := schema.Settings[:0]
	for _, s := range schema.Settings {
		if s.Key != key {
			kept = append(kept, s)
		}
	}
	schema.Settings = kept
	return schema
}

func TestTableMatchesTheManifest(t *testing.T) {
	table, err := newTable(rows, crossChecks, root.Manifest.SettingsSchema)
	require.NoError(t, err, "every row has a setting in plugin.json and every setting a row")
	assert.Len(t, table.rows, len(root.Manifest.SettingsSchema.Settings))
	for _, r := range table.rows {
		assert.NotEmpty(t, r.display, r.key)
		assert.NotContains(t, r.display, ":", "the trailing colon is the System Console's, not the setting's name")
	}
}

func TestTableRefusesAMismatchedManifest(t *testing.T) {
	tests := []struct {
		name   string
		schema func() *model.PluginSettingsSchema
		rows   []row
		fault  string
	}{
		{"a row without a setting", func() *model.PluginSettingsSchema { return without(schemaCopy(), "StagingMaxOpen") }, rows,
			"row StagingMaxOpen has no setting in settings_schema"},
		{"a setting without a row", func() *model.PluginSettingsSchema {
			s := schemaCopy()
			s.Settings = append(s.Settings, &model.PluginSetting{Key: "NewThing", DisplayName: "New thing:", Type: "text"})
			return s
		}, rows, "setting NewThing of settings_schema has no row"},
		{"a setting in a section without a row", func() *model.PluginSettingsSchema {
			s := schemaCopy()
			s.Sections = []*model.PluginSettingsSection{{Key: "extra", Settings: []*model.PluginSetting{{Key: "Hidden", Type: "text"}}}}
			return s
		}, rows, "setting Hidden of settings_schema has no row"},
		{"a default that does not parse", func() *model.PluginSettingsSchema {
			s := schemaCopy()
			setting(t, s, "StagingMaxDays").Default = "120"
			return s
		}, rows, "the default of StagingMaxDays does not parse: 120 is more than 90 days"},
		{"a default of the wrong type", func() *model.PluginSettingsSchema {
			s := schemaCopy()
			setting(t, s, "Products").Default = []any{"Server"}
			return s
		}, rows, "the default of Products holds a []interface {}"},
		{"a setting listed twice", func() *model.PluginSettingsSchema {
			s := schemaCopy()
			s.Sections = []*model.PluginSettingsSection{{Key: "again", Settings: []*model.PluginSetting{{Key: "teamname", Type: "text"}}}}
			return s
		}, rows, `setting "teamname" is listed twice`},
		{"a row listed twice", schemaCopy, append(append([]row{}, rows...), rows[0]), "row TeamName is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newTable(tt.rows, crossChecks, tt.schema())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.fault)
		})
	}
}

func TestTableReadsSections(t *testing.T) {
	// Move every clock setting into a section, as issue 20 may: the table
	// finds them there, with their labels and defaults.
	schema := schemaCopy()
	section := &model.PluginSettingsSection{Key: "Clocks", Title: "Service-level targets"}
	for _, key := range []string{"FirstResponseTarget", "TriageTarget", "JobInterval", "BusinessTimeZone"} {
		s := *setting(t, schema, key)
		without(schema, key)
		section.Settings = append(section.Settings, &s)
	}
	setting := section.Settings[0]
	setting.DisplayName, setting.Default = "Time to first reply:", "3d"
	schema.Sections = []*model.PluginSettingsSection{{Key: "empty"}, section}

	table, err := newTable(rows, crossChecks, schema)
	require.NoError(t, err)
	assert.Equal(t, "Time to first reply", table.row("FirstResponseTarget").display)
	s, problems := table.parse(nil)
	require.Empty(t, problems)
	assert.Equal(t, "3d", s.Clocks.FirstResponse.String())
	assert.Equal(t, "5d", s.Clocks.Triage.String())
}

func TestDefaultsComeFromTheManifest(t *testing.T) {
	// The defaults plugin.json ships...
	d := Defaults()
	assert.Equal(t, Triage{Team: "", Channel: "security-reports"}, d.Triage)
	assert.Equal(t, []string{"Server", "Webapp", "Mobile app", "Desktop app", "Plugins", "Community test server", "Commercial offering", "Other"}, d.Intake.Products)
	assert.Equal(t, 10, d.Intake.MaxReportsPerDay)
	assert.False(t, d.Intake.ShowAssignee)
	assert.Equal(t, Staging{MaxDays: 14, MaxOpen: 2}, d.Staging)
	assert.Equal(t, Disclosure{DelayDays: 30, SecurityUpdates: true}, d.Disclosure)
	assert.True(t, d.Public.HallOfFame)
	assert.Nil(t, d.Public.PGPKey)
	assert.Contains(t, d.Public.Policy, "## Responsible Disclosure Policy")
	assert.Equal(t, []string{"en"}, d.Public.SecurityTxt.Languages)
	assert.Equal(t, "UTC", d.Clocks.Zone.String())
	assert.Equal(t, "30d", d.Clocks.AutoClose.String())
	assert.Equal(t, "90d", d.Clocks.Resolution["low"].String())

	// ...and nothing but plugin.json decides them: other defaults there are
	// other defaults here, whatever type they are stored as.
	schema := schemaCopy()
	setting(t, schema, "ChannelName").Default = "triage"
	setting(t, schema, "MaxReportsPerDay").Default = float64(3) // a "number" field's default
	setting(t, schema, "EnableHallOfFame").Default = false
	setting(t, schema, "Products").Default = "Core, Extras"
	setting(t, schema, "ChannelName").DisplayName = "Where cards go:"
	table, err := newTable(rows, crossChecks, schema)
	require.NoError(t, err)
	s, problems := table.parse(map[string]any{"channelname": "", "products": " , "})
	require.Empty(t, problems)
	assert.Equal(t, "triage", s.Triage.Channel)
	assert.Equal(t, 3, s.Intake.MaxReportsPerDay)
	assert.False(t, s.Public.HallOfFame)
	assert.Equal(t, []string{"Core", "Extras"}, s.Intake.Products, "a list of only commas names nothing: the default")
	assert.Equal(t, "Where cards go", table.row("ChannelName").display)
}

func TestConsolePathNamesTheSettingAsTheSystemConsoleShowsIt(t *testing.T) {
	assert.Equal(t, "System Console › Plugins › Responsible Disclosure › Triage team", ConsolePath("TeamName"))
	assert.Equal(t, "System Console › Plugins › Responsible Disclosure › Public Hall of Fame", ConsolePath("EnableHallOfFame"))
	assert.Panics(t, func() { ConsolePath("NoSuchSetting") }, "a key without a row is a programming error")
}
