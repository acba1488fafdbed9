package harness

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is a child started in its own process group, with its output in a log
// file. Its own group means a Ctrl-C in the terminal reaches only the harness,
// which then stops the child in order; the parent-death signal (the same as its
// stop signal) means the child stops even when the harness is killed outright.
type process struct {
	name    string
	stopSig syscall.Signal
	cmd     *exec.Cmd
	logPath string
	logFile *os.File
	done    chan struct{}
	waitErr error
	stopped sync.Once
}

// running holds every process started and not yet stopped, in start order, so
// that an interrupt can stop them wherever the harness is.
var running struct {
	sync.Mutex
	procs        []*process
	shuttingDown bool
}

func startProcess(name string, cmd *exec.Cmd, logPath string, cred *syscall.Credential, stopSig syscall.Signal) (*process, error) {
	running.Lock()
	defer running.Unlock()
	if running.shuttingDown {
		return nil, fmt.Errorf("not starting %s: the harness is shutting down", name)
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the %s log: %w", name, err)
	}
	if cred != nil {
		// The child writes its own log when it runs as another user.
		if err := os.Chown(logPath, int(cred.Uid), int(cred.Gid)); err != nil {
			logFile.Close()
			return nil, err
		}
	}
	fmt.Fprintf(logFile, "---- %s: %s\n", time.Now().Format(time.RFC3339), strings.Join(cmd.Args, " "))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: stopSig, Credential: cred}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting %s (%s): %w", name, cmd.Path, err)
	}
	p := &process{name: name, stopSig: stopSig, cmd: cmd, logPath: logPath, logFile: logFile, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	running.procs = append(running.procs, p)
	return p, nil
}

// StopAll stops every process the harness started, newest first, and refuses to
// start new ones. It is for interrupts and timeouts; a Stack stops its own
// processes in Close.
func StopAll() {
	running.Lock()
	running.shuttingDown = true
	procs := append([]*process(nil), running.procs...)
	running.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		_ = procs[i].stop(20 * time.Second)
	}
}

func (p *process) pid() int { return p.cmd.Process.Pid }

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// exitDescription says how the process ended; only meaningful after exited().
func (p *process) exitDescription() string {
	if p.waitErr == nil {
		return "exited with status 0"
	}
	return p.waitErr.Error()
}

// stop sends the stop signal to the process, waits up to grace for it to exit,
// then kills its whole process group (which also catches grandchildren such as
// plugin processes).
func (p *process) stop(grace time.Duration) error {
	var err error
	p.stopped.Do(func() {
		if !p.exited() {
			_ = p.cmd.Process.Signal(p.stopSig)
			select {
			case <-p.done:
			case <-time.After(grace):
				err = fmt.Errorf("%s did not stop within %s after %s; killed it", p.name, grace, p.stopSig)
			}
		}
		// Whatever is left in the group goes now.
		if kerr := syscall.Kill(-p.pid(), syscall.SIGKILL); kerr != nil && !errors.Is(kerr, syscall.ESRCH) && err == nil {
			err = fmt.Errorf("killing the %s process group: %w", p.name, kerr)
		}
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			if err == nil {
				err = fmt.Errorf("%s (pid %d) is still running after SIGKILL", p.name, p.pid())
			}
		}
		running.Lock()
		for i, q := range running.procs {
			if q == p {
				running.procs = append(running.procs[:i], running.procs[i+1:]...)
				break
			}
		}
		running.Unlock()
	})
	return err
}

// tailFile returns the last n lines of a file, for error messages.
func tailFile(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	defer f.Close()
	const maxBytes = 64 << 10
	if info, err := f.Stat(); err == nil && info.Size() > maxBytes {
		_, _ = f.Seek(-maxBytes, io.SeekEnd)
	}
	data, _ := io.ReadAll(f)
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// grepFile returns the last n lines of a file that contain every one of words.
func grepFile(path string, words []string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var hits []string
	for _, line := range strings.Split(string(data), "\n") {
		all := true
		for _, w := range words {
			all = all && strings.Contains(line, w)
		}
		if all {
			hits = append(hits, line)
		}
	}
	if len(hits) > n {
		hits = hits[len(hits)-n:]
	}
	return strings.Join(hits, "\n")
}

// FreePort returns a port on 127.0.0.1 that nothing listens on right now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// checkPortFree fails with a clear message when something already listens on the
// port the harness wants for a server.
func checkPortFree(port int, what, hint string) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		if hint != "" {
			hint = "; stop whatever uses it or choose another port: " + hint
		}
		return fmt.Errorf("port %s, wanted for %s, is already in use (%v)%s", addr, what, err, hint)
	}
	return l.Close()
}
