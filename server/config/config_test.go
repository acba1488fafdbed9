package config

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKeys makes a fresh key pair and returns both armored halves.
func testKeys(t *testing.T) (public, private string) {
	t.Helper()
	entity, err := openpgp.NewEntity("Security Team", "", "security@example.com", nil)
	require.NoError(t, err)

	var pub bytes.Buffer
	w, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	require.NoError(t, err)
	require.NoError(t, entity.Serialize(w))
	require.NoError(t, w.Close())

	var priv bytes.Buffer
	w, err = armor.Encode(&priv, openpgp.PrivateKeyType, nil)
	require.NoError(t, err)
	require.NoError(t, entity.SerializePrivate(w, nil))
	require.NoError(t, w.Close())
	return pub.String(), priv.String()
}

func teams(names ...string) TeamExists {
	return func(name string) (bool, error) {
		for _, n := range names {
			if n == name {
				return true, nil
			}
		}
		return false, nil
	}
}

func valid() *Configuration {
	return &Configuration{TeamName: "security", ChannelName: "security-reports", MaxReportsPerDay: "10", EnableHallOfFame: true}
}

func TestValidateRefusesEachInvalidSetting(t *testing.T) {
	public, private := testKeys(t)

	tests := []struct {
		name    string
		mutate  func(*Configuration)
		setting string
		reason  string
	}{
		{"unknown team", func(c *Configuration) { c.TeamName = "nope" }, "Triage team", `no team named "nope" exists`},
		{"channel with spaces", func(c *Configuration) { c.ChannelName = "security reports" }, "Triage channel name", "is not a valid channel name"},
		{"channel with capitals", func(c *Configuration) { c.ChannelName = "Security" }, "Triage channel name", "is not a valid channel name"},
		{"channel too long", func(c *Configuration) { c.ChannelName = strings.Repeat("a", 65) }, "Triage channel name", "is not a valid channel name"},
		{"channel with a dot", func(c *Configuration) { c.ChannelName = "sec.reports" }, "Triage channel name", "is not a valid channel name"},
		{"pgp garbage", func(c *Configuration) { c.PGPPublicKey = "hello" }, "Team PGP public key", "is not an ASCII-armored OpenPGP key"},
		{"pgp private key", func(c *Configuration) { c.PGPPublicKey = private }, "Team PGP public key", "is a PRIVATE key"},
		{"pgp truncated", func(c *Configuration) { c.PGPPublicKey = public[:len(public)/2] }, "Team PGP public key", ""},
		{"ftp url", func(c *Configuration) { c.TestServerURL = "ftp://example.com" }, "Community test server URL", "is not an http(s) URL"},
		{"url without host", func(c *Configuration) { c.TestServerURL = "https://" }, "Community test server URL", "is not an http(s) URL"},
		{"negative limit", func(c *Configuration) { c.MaxReportsPerDay = "-3" }, "Max reports per researcher per day", "must be at least 1"},
		{"zero limit", func(c *Configuration) { c.MaxReportsPerDay = "0" }, "Max reports per researcher per day", "must be at least 1"},
		{"non-numeric limit", func(c *Configuration) { c.MaxReportsPerDay = "ten" }, "Max reports per researcher per day", "must be a whole number"},
		{"fractional limit", func(c *Configuration) { c.MaxReportsPerDay = "2.5" }, "Max reports per researcher per day", "must be a whole number"},
		{"duplicate product", func(c *Configuration) { c.Products = "Server, server" }, "Products", "listed twice"},
		{"target without unit", func(c *Configuration) { c.FirstResponseTarget = "2" }, "First response target", "followed by d, h, m or s"},
		{"fractional target", func(c *Configuration) { c.ResolutionTargetHigh = "1.5d" }, "Resolution target, high", "whole number"},
		{"zero auto-close", func(c *Configuration) { c.AutoClose = "0d" }, "Auto-close unanswered reports after", "at least 1"},
		{"job interval below the floor", func(c *Configuration) { c.JobInterval = "5s" }, "Check interval", "shorter than the minimum of 10s"},
		{"job interval in days", func(c *Configuration) { c.JobInterval = "1d" }, "Check interval", "h, m or s"},
		{"unknown zone", func(c *Configuration) { c.BusinessTimeZone = "Mars/Olympus" }, "Business time zone", ""},
		{"bad responder", func(c *Configuration) { c.Responders = "alice, not a name!" }, "Responders", "not a valid username"},
		{"staging window too long", func(c *Configuration) { c.StagingMaxDays = "120" }, "Staging window, max days", "more than 90"},
		{"staging window not a number", func(c *Configuration) { c.StagingMaxDays = "two weeks" }, "Staging window, max days", "whole number"},
		{"negative disclosure delay", func(c *Configuration) { c.DisclosureDelayDays = "-1" }, "Disclosure delay (days)", "from 0 to 365"},
		{"osv package without ecosystem", func(c *Configuration) { c.OSVPackageName = "github.com/mattermost/mattermost/server/v8" }, "OSV package name", "together"},
		{"staging open limit zero", func(c *Configuration) { c.StagingMaxOpen = "0" }, "Open staging requests per researcher", "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := valid()
			tt.mutate(next)
			problems := Validate(valid(), next, teams("security"))
			require.Len(t, problems, 1, "%v", problems)
			assert.Equal(t, tt.setting, problems[0].Setting)
			assert.Contains(t, problems[0].Reason, tt.reason)
		})
	}
}

func TestValidateAcceptsValidSettings(t *testing.T) {
	public, _ := testKeys(t)
	tests := []struct {
		name   string
		mutate func(*Configuration)
	}{
		{"defaults", func(*Configuration) {}},
		{"no team yet", func(c *Configuration) { c.TeamName = "" }},
		{"team name with spaces and capitals", func(c *Configuration) { c.TeamName = " Security " }},
		{"empty channel means default", func(c *Configuration) { c.ChannelName = "" }},
		{"public key", func(c *Configuration) { c.PGPPublicKey = public }},
		{"public key with surrounding blank lines", func(c *Configuration) { c.PGPPublicKey = "\n\n" + public + "\n" }},
		{"https url", func(c *Configuration) { c.TestServerURL = "https://community.example.com" }},
		{"empty limit means default", func(c *Configuration) { c.MaxReportsPerDay = "" }},
		{"limit with spaces", func(c *Configuration) { c.MaxReportsPerDay = " 25 " }},
		{"clocks", func(c *Configuration) {
			c.FirstResponseTarget, c.TriageTarget, c.JobInterval = "36h", "90s", "10s"
			c.BusinessTimeZone, c.Responders = "Europe/Berlin", "@alice, bob"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := valid()
			tt.mutate(next)
			assert.Empty(t, Validate(nil, next, teams("security")))
		})
	}
}

func TestValidateJudgesOnlyChangedSettings(t *testing.T) {
	// The team was deleted after it was saved: saving an unrelated setting must still work.
	prev := valid()
	next := valid()
	next.TestServerURL = "https://community.example.com"
	assert.Empty(t, Validate(prev, next, teams()))

	// Changing the team itself is judged.
	next.TeamName = "gone"
	problems := Validate(prev, next, teams())
	require.Len(t, problems, 1)
	assert.Equal(t, "Triage team", problems[0].Setting)
}

func TestValidateReportsTeamLookupFailure(t *testing.T) {
	problems := Validate(nil, valid(), func(string) (bool, error) { return false, errors.New("db down") })
	require.Len(t, problems, 1)
	assert.Contains(t, problems[0].Reason, "db down")
}

func TestParsePublicKey(t *testing.T) {
	public, _ := testKeys(t)
	key, err := ParsePublicKey(public)
	require.NoError(t, err)
	assert.Regexp(t, `^([0-9A-F]{4} ){9}[0-9A-F]{4}$`, key.Fingerprint)
	assert.Equal(t, []string{"Security Team <security@example.com>"}, key.UserIDs)

	_, err = ParsePublicKey(public + "\n" + public)
	assert.Error(t, err, "two concatenated key blocks are refused")
}

func TestFromPluginSettings(t *testing.T) {
	// The server stores keys lowercased.
	cfg, err := FromPluginSettings(map[string]any{
		"teamname": "security", "channelname": "sec", "maxreportsperday": "5", "enablehalloffame": false,
	})
	require.NoError(t, err)
	assert.Equal(t, &Configuration{TeamName: "security", ChannelName: "sec", MaxReportsPerDay: "5"}, cfg)

	_, err = FromPluginSettings(map[string]any{"maxreportsperday": []any{1}})
	assert.Error(t, err)
}

func TestConfigurationDerivedValues(t *testing.T) {
	c := &Configuration{TeamName: " Security ", ChannelName: "", MaxReportsPerDay: ""}
	assert.True(t, c.IsConfigured())
	assert.Equal(t, "security", c.Team())
	assert.Equal(t, DefaultChannelName, c.Channel())
	assert.Equal(t, DefaultMaxReportsPerDay, c.ReportsPerDay())
	c.MaxReportsPerDay = "3"
	assert.Equal(t, 3, c.ReportsPerDay())

	clone := c.Clone()
	clone.TeamName = "other"
	assert.Equal(t, " Security ", c.TeamName, "a clone shares nothing with its original")
	assert.False(t, (&Configuration{TeamName: "  "}).IsConfigured())
}

func TestClocksParseWithDefaults(t *testing.T) {
	c := (&Configuration{FirstResponseTarget: "90s", JobInterval: "10s", BusinessTimeZone: "Asia/Tokyo", Responders: "@Alice, bob"}).Clocks()
	assert.Equal(t, "90s", c.FirstResponse.String())
	assert.Equal(t, "5d", c.Triage.String(), "empty settings take the default")
	assert.Equal(t, "7d", c.Resolution["critical"].String())
	assert.Equal(t, 10*time.Second, c.JobInterval)
	assert.Equal(t, "Asia/Tokyo", c.Zone.String())
	assert.Equal(t, []string{"alice", "bob"}, c.Responders)
}
