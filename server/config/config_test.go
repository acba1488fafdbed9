package config

import (
	"bytes"
	"errors"
	"io"
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

// valid is a stored configuration as the server holds it: keys lowercased,
// settings the admin never touched missing.
func valid() map[string]any {
	return map[string]any{"teamname": "security", "channelname": "security-reports", "maxreportsperday": "10", "enablehalloffame": true}
}

func TestValidateRefusesEachInvalidSetting(t *testing.T) {
	public, private := testKeys(t)
	e := newEntity(t)
	secretSubkey := packets(t, openpgp.PublicKeyType, nil, func(w io.Writer) error { return e.PrimaryKey.Serialize(w) }, identities(e),
		func(w io.Writer) error { return e.Subkeys[0].PrivateKey.Serialize(w) }, func(w io.Writer) error { return e.Subkeys[0].Sig.Serialize(w) })

	tests := []struct {
		name    string
		mutate  func(map[string]any)
		setting string
		reason  string
	}{
		{"unknown team", func(c map[string]any) { c["teamname"] = "nope" }, "Triage team", `no team named "nope" exists`},
		{"channel with spaces", func(c map[string]any) { c["channelname"] = "security reports" }, "Triage channel name", "is not a valid channel name"},
		{"channel with capitals", func(c map[string]any) { c["channelname"] = "Security" }, "Triage channel name", "is not a valid channel name"},
		{"channel too long", func(c map[string]any) { c["channelname"] = strings.Repeat("a", 65) }, "Triage channel name", "is not a valid channel name"},
		{"channel with a dot", func(c map[string]any) { c["channelname"] = "sec.reports" }, "Triage channel name", "is not a valid channel name"},
		{"pgp garbage", func(c map[string]any) { c["pgppublickey"] = "hello" }, "Team PGP public key", "is not an ASCII-armored OpenPGP key"},
		{"pgp private key", func(c map[string]any) { c["pgppublickey"] = private }, "Team PGP public key", "is a PRIVATE key"},
		{"pgp secret subkey in a public block", func(c map[string]any) { c["pgppublickey"] = secretSubkey }, "Team PGP public key", "contains a secret subkey"},
		{"pgp truncated", func(c map[string]any) { c["pgppublickey"] = public[:len(public)/2] }, "Team PGP public key", ""},
		{"ftp url", func(c map[string]any) { c["testserverurl"] = "ftp://example.com" }, "Community test server URL", "is not an http(s) URL"},
		{"url without host", func(c map[string]any) { c["testserverurl"] = "https://" }, "Community test server URL", "is not an http(s) URL"},
		{"negative limit", func(c map[string]any) { c["maxreportsperday"] = "-3" }, "Max reports per researcher per day", "must be at least 1"},
		{"zero limit", func(c map[string]any) { c["maxreportsperday"] = "0" }, "Max reports per researcher per day", "must be at least 1"},
		{"non-numeric limit", func(c map[string]any) { c["maxreportsperday"] = "ten" }, "Max reports per researcher per day", "must be a whole number"},
		{"fractional limit", func(c map[string]any) { c["maxreportsperday"] = "2.5" }, "Max reports per researcher per day", "must be a whole number"},
		{"duplicate product", func(c map[string]any) { c["products"] = "Server, server" }, "Products", "listed twice"},
		{"target without unit", func(c map[string]any) { c["firstresponsetarget"] = "2" }, "First response target", "followed by d, h, m or s"},
		{"fractional target", func(c map[string]any) { c["resolutiontargethigh"] = "1.5d" }, "Resolution target, high", "whole number"},
		{"zero auto-close", func(c map[string]any) { c["autoclose"] = "0d" }, "Auto-close unanswered reports after", "at least 1"},
		{"job interval below the floor", func(c map[string]any) { c["jobinterval"] = "5s" }, "Check interval", "shorter than the minimum of 10s"},
		{"job interval in days", func(c map[string]any) { c["jobinterval"] = "1d" }, "Check interval", "h, m or s"},
		{"unknown zone", func(c map[string]any) { c["businesstimezone"] = "Mars/Olympus" }, "Business time zone", ""},
		{"bad responder", func(c map[string]any) { c["responders"] = "alice, not a name!" }, "Responders", "not a valid username"},
		{"staging window too long", func(c map[string]any) { c["stagingmaxdays"] = "120" }, "Staging window, max days", "more than 90"},
		{"staging window not a number", func(c map[string]any) { c["stagingmaxdays"] = "two weeks" }, "Staging window, max days", "whole number"},
		{"negative disclosure delay", func(c map[string]any) { c["disclosuredelaydays"] = "-1" }, "Disclosure delay (days)", "from 0 to 365"},
		{"osv package without ecosystem", func(c map[string]any) { c["osvpackage"] = "github.com/mattermost/mattermost/server/v8" }, "OSV package name", "together"},
		{"staging open limit zero", func(c map[string]any) { c["stagingmaxopen"] = "0" }, "Open staging requests per researcher", "at least 1"},
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
		mutate func(map[string]any)
	}{
		{"defaults", func(map[string]any) {}},
		{"no team yet", func(c map[string]any) { c["teamname"] = "" }},
		{"team name with spaces and capitals", func(c map[string]any) { c["teamname"] = " Security " }},
		{"empty channel means default", func(c map[string]any) { c["channelname"] = "" }},
		{"public key", func(c map[string]any) { c["pgppublickey"] = public }},
		{"public key with surrounding blank lines", func(c map[string]any) { c["pgppublickey"] = "\n\n" + public + "\n" }},
		{"https url", func(c map[string]any) { c["testserverurl"] = "https://community.example.com" }},
		{"empty limit means default", func(c map[string]any) { c["maxreportsperday"] = "" }},
		{"limit with spaces", func(c map[string]any) { c["maxreportsperday"] = " 25 " }},
		{"clocks", func(c map[string]any) {
			c["firstresponsetarget"], c["triagetarget"], c["jobinterval"] = "36h", "90s", "10s"
			c["businesstimezone"], c["responders"] = "Europe/Berlin", "@alice, bob"
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
	next["testserverurl"] = "https://community.example.com"
	assert.Empty(t, Validate(prev, next, teams()))

	// Changing the team itself is judged.
	next["teamname"] = "gone"
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

func TestParseReadsTheStoredMap(t *testing.T) {
	// The server stores keys lowercased.
	settings, problems := Parse(map[string]any{
		"teamname": "security", "channelname": "sec", "maxreportsperday": "5", "enablehalloffame": false,
	})
	require.Empty(t, problems)
	assert.Equal(t, Triage{Team: "security", Channel: "sec"}, settings.Triage)
	assert.Equal(t, 5, settings.Intake.MaxReportsPerDay)
	assert.False(t, settings.Public.HallOfFame)

	// A hand-edited config may spell keys otherwise; they still match.
	settings, problems = Parse(map[string]any{"TeamName": "security", "MAXREPORTSPERDAY": "7"})
	require.Empty(t, problems)
	assert.Equal(t, "security", settings.Triage.Team)
	assert.Equal(t, 7, settings.Intake.MaxReportsPerDay)

	_, problems = Parse(map[string]any{"maxreportsperday": []any{1}})
	require.Len(t, problems, 1)
	assert.Equal(t, "Max reports per researcher per day", problems[0].Setting)
	assert.Contains(t, problems[0].Reason, "expected text, a number or true/false")
}

func TestParseDerivedValues(t *testing.T) {
	s, problems := Parse(map[string]any{"teamname": " Security ", "channelname": "", "maxreportsperday": ""})
	require.Empty(t, problems)
	assert.True(t, s.Triage.IsConfigured())
	assert.Equal(t, "security", s.Triage.Team)
	assert.Equal(t, "security-reports", s.Triage.Channel, "empty means plugin.json's default")
	assert.Equal(t, 10, s.Intake.MaxReportsPerDay, "empty means plugin.json's default")
	s, _ = Parse(map[string]any{"maxreportsperday": "3"})
	assert.Equal(t, 3, s.Intake.MaxReportsPerDay)

	other, _ := Parse(nil)
	other.Intake.Products[0] = "changed"
	assert.NotEqual(t, "changed", s.Intake.Products[0], "two parses share nothing")
	assert.NotEqual(t, "changed", Defaults().Intake.Products[0], "the defaults share nothing with a parse")
	blank, _ := Parse(map[string]any{"teamname": "  "})
	assert.False(t, blank.Triage.IsConfigured())
}

func TestClocksParseWithDefaults(t *testing.T) {
	s, problems := Parse(map[string]any{"firstresponsetarget": "90s", "jobinterval": "10s", "businesstimezone": "Asia/Tokyo", "responders": "@Alice, bob", "triagetarget": ""})
	require.Empty(t, problems)
	c := s.Clocks
	assert.Equal(t, "90s", c.FirstResponse.String())
	assert.Equal(t, "5d", c.Triage.String(), "empty settings take the default")
	assert.Equal(t, "7d", c.Resolution["critical"].String())
	assert.Equal(t, 10*time.Second, c.JobInterval)
	assert.Equal(t, "Asia/Tokyo", c.Zone.String())
	assert.Equal(t, []string{"alice", "bob"}, c.Responders)
}
