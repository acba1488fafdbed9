package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// RunInfoFile is where `make run` describes the server it started, for `make demo`.
const RunInfoFile = "run.json"

// RunInfo describes a running `make run` server: how to reach it and as whom.
type RunInfo struct {
	URL             string    `json:"url"`
	SocketPath      string    `json:"socket_path"`
	Mmctl           string    `json:"mmctl"`
	PluginID        string    `json:"plugin_id"`
	Team            string    `json:"team"`
	TeamID          string    `json:"team_id"`
	TownSquareID    string    `json:"town_square_id"`
	TriageChannel   string    `json:"triage_channel"`
	TriageChannelID string    `json:"triage_channel_id"`
	Users           []RunUser `json:"users"`
	ServerLog       string    `json:"server_log"`
	PostgresLog     string    `json:"postgres_log"`
	AuditLog        string    `json:"audit_log"`
	PID             int       `json:"pid"`
}

// RunUser is a demo user with its password.
type RunUser struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

// RunInfo describes the stack for `make demo`.
func (s *Stack) RunInfo() RunInfo {
	info := RunInfo{
		URL:          s.MM.URL,
		SocketPath:   s.MM.SocketPath,
		Mmctl:        s.MM.Build.Mmctl(),
		Team:         s.Team.Name,
		TeamID:       s.Team.Id,
		TownSquareID: s.DefaultChannel.Id,
		ServerLog:    s.MM.LogPath,
		PostgresLog:  s.PG.LogPath,
		AuditLog:     s.MM.AuditLogPath,
		PID:          os.Getpid(),
		Users:        []RunUser{{Username: s.Admin.Username, Password: s.Admin.Password, Role: "system admin"}},
	}
	if s.Bundle != nil {
		info.PluginID = s.Bundle.ID
	}
	if s.TriageChannel != nil {
		info.TriageChannel, info.TriageChannelID = s.TriageChannel.Name, s.TriageChannel.Id
	}
	for _, spec := range s.Opts.Users {
		info.Users = append(info.Users, RunUser{Username: spec.Username, Password: Password(spec.Username), Role: spec.Role})
	}
	return info
}

// WriteRunInfo writes info to dir/run.json, readable only by its owner: it holds passwords.
func WriteRunInfo(dir string, info RunInfo) error {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, RunInfoFile), data, 0o600)
}

// ReadRunInfo reads dir/run.json.
func ReadRunInfo(dir string) (RunInfo, error) {
	var info RunInfo
	data, err := os.ReadFile(filepath.Join(dir, RunInfoFile))
	if err != nil {
		return info, fmt.Errorf("no server description in %s (%w): start the server with `make run` first", dir, err)
	}
	if err := json.Unmarshal(data, &info); err != nil {
		return info, fmt.Errorf("reading %s: %w", filepath.Join(dir, RunInfoFile), err)
	}
	return info, nil
}

// RemoveRunInfo deletes dir/run.json once the server it describes has stopped.
func RemoveRunInfo(dir string) {
	_ = os.Remove(filepath.Join(dir, RunInfoFile))
}
