package harness

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// AuditRecord is one line of the server's audit log file (the fields tests use;
// Raw keeps everything).
type AuditRecord struct {
	EventName string `json:"event_name"`
	Status    string `json:"status"`
	Actor     struct {
		UserID    string `json:"user_id"`
		SessionID string `json:"session_id"`
		Client    string `json:"client"`
		IPAddress string `json:"ip_address"`
	} `json:"actor"`
	Event struct {
		Parameters map[string]any `json:"parameters"`
	} `json:"event"`
	Raw map[string]any `json:"-"`
}

// ReadAuditLog returns the records of the server's audit log file, oldest first.
// A missing file means no records yet.
func (s *Server) ReadAuditLog() ([]AuditRecord, error) {
	f, err := os.Open(s.AuditLogPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var records []AuditRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec AuditRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", s.AuditLogPath, line, err)
		}
		if err := json.Unmarshal(sc.Bytes(), &rec.Raw); err != nil {
			return nil, err
		}
		records = append(records, rec)
	}
	return records, sc.Err()
}
