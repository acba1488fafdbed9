// Package harness runs the plugin inside a real Mattermost server for end-to-end
// tests and for `make run`.
//
// A Stack is one throwaway world: a PostgreSQL cluster of its own, a Mattermost
// server built from the pinned server module (see ServerBuild), an admin, a team,
// one user per role, and the plugin bundle installed the way an admin installs it
// (mmctl in local mode) and configured through the REST API. Every process the
// harness starts runs in its own process group and receives a signal when the
// harness process dies, so nothing is left behind by a failed or interrupted run.
//
// Helpers act as real clients: a model.Client4 and a model.WebSocketClient per
// user, slash commands through POST /api/v4/commands/execute, and bounded "wait
// until" loops. Every error that involves the server names the server log.
package harness
