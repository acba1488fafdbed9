package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
)

// CopyFrom runs one `COPY ... FROM STDIN` statement with psql on the Mattermost
// database, streaming data as the rows, and returns psql's answer ("COPY n").
// It is for loading what the server would have stored (the bench's seeded
// history); never build the statement from untrusted input. The statement is
// atomic: on any bad row nothing is loaded.
func (p *Postgres) CopyFrom(ctx context.Context, statement string, data io.Reader) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(p.binDir, "psql"), "-X", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port),
		"-U", pgSuperuser, "-d", pgDatabase, "-v", "ON_ERROR_STOP=1", "-c", statement)
	cmd.Env = minimalEnv()
	cmd.Stdin = data
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("psql %q: %w: %s", statement, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return string(bytes.TrimSpace(stdout.Bytes())), nil
}
