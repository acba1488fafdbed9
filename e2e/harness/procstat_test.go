package harness

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    ProcStat
		wantErr bool
	}{
		{"plain name", "4242 (plugin-linux-am) S 17 4242 17 0 -1 4194560 2000 0 0 0 350 120 0 0 20 0 12 0 9000 1000 500",
			ProcStat{PPID: 17, CPUTicks: 470}, false},
		{"name with spaces and parentheses", "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 1 1",
			ProcStat{PPID: 1, CPUTicks: 11}, false},
		{"truncated", "7 (x) R 1 7", ProcStat{}, true},
		{"no name", "garbage", ProcStat{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseProcStat([]byte(tt.line))
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseVmRSS(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    int64
		wantErr bool
	}{
		{"process", "Name:\tplugin\nVmPeak:\t  900 kB\nVmRSS:\t   65536 kB\nThreads:\t9\n", 64 << 20, false},
		{"kernel thread", "Name:\tkthreadd\nThreads:\t1\n", 0, true},
		{"odd unit", "VmRSS:\t12 MB\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseVmRSS([]byte(tt.status))
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestReadOwnProcess(t *testing.T) {
	rss, err := ReadVmRSS(os.Getpid())
	require.NoError(t, err)
	assert.Greater(t, rss, int64(1<<20), "a Go test binary holds more than a megabyte")
	st, err := ReadProcStat(os.Getpid())
	require.NoError(t, err)
	assert.Equal(t, os.Getppid(), st.PPID)
}
