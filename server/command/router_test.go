package command

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const teamUser = "team-user"

func testRouter(ready bool, seen *Request) *Router {
	record := func(name string) func(*Request) *model.CommandResponse {
		return func(req *Request) *model.CommandResponse {
			*seen = *req
			return Ephemeral("ran " + name)
		}
	}
	return NewRouter(
		func() (bool, string) {
			if ready {
				return true, ""
			}
			return false, "not set up yet"
		},
		func(userID string) bool { return userID == teamUser },
		Route{Path: "status", Hint: "SEC-n", Help: "Show a report.", Run: record("status")},
		Route{Path: "halloffame", Help: "Print the Hall of Fame.", Run: record("halloffame")},
		Route{Path: "halloffame import", Help: "Import the list.", TeamOnly: true, Run: record("halloffame import")},
		Route{Path: "reply", Hint: "SEC-n text", Help: "Reply.", Run: record("reply")},
	)
}

func TestExecuteRoutes(t *testing.T) {
	tests := []struct {
		line     string
		wantText string
		wantArgs []string
		wantRest string
	}{
		{"/security status SEC-1", "ran status", []string{"SEC-1"}, "SEC-1"},
		{"/security STATUS sec-2", "ran status", []string{"sec-2"}, "sec-2"},
		{"/security halloffame", "ran halloffame", []string{}, ""},
		{"/security halloffame import now", "ran halloffame import", []string{"now"}, "now"},
		{"/security reply SEC-3 first line\n  second  line", "ran reply", []string{"SEC-3", "first", "line", "second", "line"}, "SEC-3 first line\n  second  line"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			var seen Request
			resp := testRouter(true, &seen).Execute("u1", "c1", "t1", "", "trig", tt.line)
			assert.Equal(t, tt.wantText, resp.Text)
			assert.Equal(t, tt.wantArgs, seen.Args)
			assert.Equal(t, tt.wantRest, seen.Rest)
			assert.Equal(t, "u1", seen.UserID)
			assert.Equal(t, "trig", seen.TriggerID)
		})
	}
}

func TestHelp(t *testing.T) {
	var seen Request
	r := testRouter(true, &seen)

	for _, line := range []string{"/security", "/security help", "/security HELP"} {
		resp := r.Execute("researcher", "c", "t", "", "", line)
		require.Equal(t, model.CommandResponseTypeEphemeral, resp.ResponseType)
		assert.Contains(t, resp.Text, "`/security help`", line)
		assert.Contains(t, resp.Text, "`/security status SEC-n` — Show a report.", line)
		assert.NotContains(t, resp.Text, "halloffame import", "team commands are hidden from researchers")
	}

	resp := r.Execute(teamUser, "c", "t", "", "", "/security help")
	assert.Contains(t, resp.Text, "`/security halloffame import` — Import the list.")
	lines := strings.Split(resp.Text, "\n")
	assert.True(t, strings.Contains(lines[len(lines)-2], "halloffame import"), "team commands come last")
}

func TestUnknownSubcommandGetsHelp(t *testing.T) {
	var seen Request
	resp := testRouter(true, &seen).Execute("researcher", "c", "t", "", "", "/security frobnicate @channel")
	assert.Contains(t, resp.Text, "Unknown command ` frobnicate `.")
	assert.Contains(t, resp.Text, "`/security status SEC-n`")

	resp = testRouter(true, &seen).Execute("researcher", "c", "t", "", "", "/security `@all`")
	assert.Contains(t, resp.Text, "Unknown command `` `@all` ``.", "the echo stays a code span")
}

func TestNotReadyAnswersEverySubcommand(t *testing.T) {
	var seen Request
	r := testRouter(false, &seen)
	for _, line := range []string{"/security", "/security help", "/security status SEC-1", "/security nope"} {
		resp := r.Execute("u", "c", "t", "", "", line)
		assert.Equal(t, "not set up yet", resp.Text, line)
	}
	assert.Empty(t, seen.UserID, "no route ran")
}

func TestAutocomplete(t *testing.T) {
	var seen Request
	data := testRouter(true, &seen).Autocomplete()
	require.NoError(t, data.IsValid())
	assert.Equal(t, "security", data.Trigger)

	names := map[string]*model.AutocompleteData{}
	for _, sub := range data.SubCommands {
		names[sub.Trigger] = sub
	}
	require.Contains(t, names, "help")
	require.Contains(t, names, "status")
	assert.Equal(t, "SEC-n", names["status"].Hint)
	require.Contains(t, names, "halloffame")
	require.Len(t, names["halloffame"].SubCommands, 1)
	assert.Equal(t, "import", names["halloffame"].SubCommands[0].Trigger)
	assert.Contains(t, names["halloffame"].SubCommands[0].HelpText, "(security team)")
}
