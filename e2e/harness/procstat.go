package harness

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// What the kernel says about the server's processes (Linux /proc), for the
// bench: which process is a plugin, how much memory it holds and how much CPU
// it used.

// PID is the server process's id.
func (s *Server) PID() int { return s.proc.pid() }

// PluginPID returns the process of plugin id: a child of the server whose
// executable lies in the plugin's folder (<plugins>/<id>/...). 0 when the
// plugin has no process (not running, or not started yet).
func (s *Server) PluginPID(id string) (int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	parent := s.PID()
	marker := string(filepath.Separator) + "plugins" + string(filepath.Separator) + id + string(filepath.Separator)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := ReadProcStat(pid)
		if err != nil || st.PPID != parent {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err == nil && strings.Contains(exe, marker) {
			return pid, nil
		}
	}
	return 0, nil
}

// ProcStat is the part of /proc/<pid>/stat the bench reads.
type ProcStat struct {
	PPID int
	// CPUTicks is user plus system time, in clock ticks (USER_HZ, 100 a second
	// on Linux).
	CPUTicks int64
}

// ClockTicksPerSecond is USER_HZ, the unit of ProcStat.CPUTicks; Linux fixes
// it at 100 for user space on every architecture the server runs on.
const ClockTicksPerSecond = 100

// ReadProcStat reads /proc/<pid>/stat.
func ReadProcStat(pid int) (ProcStat, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return ProcStat{}, err
	}
	return parseProcStat(data)
}

// parseProcStat reads fields 4 (ppid), 14 (utime) and 15 (stime). The second
// field, the command name in parentheses, may itself hold spaces and
// parentheses, so fields are counted from the last ')'.
func parseProcStat(data []byte) (ProcStat, error) {
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return ProcStat{}, fmt.Errorf("unexpected /proc stat line %q", data)
	}
	fields := strings.Fields(string(data[end+1:]))
	// fields[0] is field 3 (state).
	if len(fields) < 13 {
		return ProcStat{}, fmt.Errorf("unexpected /proc stat line %q", data)
	}
	ppid, err1 := strconv.Atoi(fields[1])
	utime, err2 := strconv.ParseInt(fields[11], 10, 64)
	stime, err3 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return ProcStat{}, fmt.Errorf("unexpected /proc stat line %q", data)
	}
	return ProcStat{PPID: ppid, CPUTicks: utime + stime}, nil
}

// ReadVmRSS returns the resident memory of a process (VmRSS of
// /proc/<pid>/status), in bytes.
func ReadVmRSS(pid int) (int64, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, err
	}
	return parseVmRSS(data)
}

func parseVmRSS(status []byte) (int64, error) {
	for _, line := range strings.Split(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("unexpected VmRSS line %q", line)
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected VmRSS line %q", line)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("no VmRSS line (a kernel thread, or a process that ended)")
}
