package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientPicksTheConnection(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "mm.sock")
	require.NoError(t, os.WriteFile(socket, nil, 0o600))

	tests := []struct {
		name    string
		env     map[string]string
		where   string
		wantErr string
	}{
		{"token", map[string]string{"MM_SERVICESETTINGS_SITEURL": "http://localhost:8065", "MM_ADMIN_TOKEN": "t"}, "http://localhost:8065", ""},
		{"socket", map[string]string{"MM_LOCALSOCKETPATH": socket}, "local socket " + socket, ""},
		{"site without token", map[string]string{"MM_SERVICESETTINGS_SITEURL": "http://localhost:8065"}, "", "MM_ADMIN_TOKEN is not"},
		{"missing socket", map[string]string{"MM_LOCALSOCKETPATH": socket + ".gone"}, "", "not found"},
		{"nothing", map[string]string{}, "", "no server to deploy to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, where, err := newClient(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, client)
			assert.Equal(t, tt.where, where)
		})
	}
}
