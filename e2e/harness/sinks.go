package harness

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The sinks stand in for the services a server sends notifications through, so a
// test can read exactly what would have left the server: a push proxy and an
// SMTP server, both on 127.0.0.1 and both recording everything they receive.

// CapturedPush is one notification the server sent to the push proxy.
type CapturedPush struct {
	// Raw is the request body as received: everything that left the server.
	Raw          []byte
	Notification model.PushNotification
}

// PushSink answers as a push proxy (POST /api/v1/send_push, /api/v1/ack) and
// records every notification. Point EmailSettings.PushNotificationServer at URL.
type PushSink struct {
	URL    string
	server *http.Server
	mu     sync.Mutex
	pushes []CapturedPush
}

// StartPushSink listens on a free port of 127.0.0.1.
func StartPushSink() (*PushSink, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("push sink: %w", err)
	}
	p := &PushSink{URL: "http://" + l.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+model.APIURLSuffixV1+"/send_push", p.sendPush)
	mux.HandleFunc("POST "+model.APIURLSuffixV1+"/ack", func(w http.ResponseWriter, _ *http.Request) {
		writePushOK(w)
	})
	p.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.server.Serve(l) }()
	return p, nil
}

func (p *PushSink) sendPush(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	captured := CapturedPush{Raw: raw}
	// A body that is not a notification is still recorded: the test judges it.
	_ = json.Unmarshal(raw, &captured.Notification)
	p.mu.Lock()
	p.pushes = append(p.pushes, captured)
	p.mu.Unlock()
	writePushOK(w)
}

func writePushOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"` + model.PushStatusOk + `"}`))
}

// Pushes returns every notification received so far, oldest first.
func (p *PushSink) Pushes() []CapturedPush {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]CapturedPush(nil), p.pushes...)
}

// Close stops listening.
func (p *PushSink) Close() error {
	if p == nil || p.server == nil {
		return nil
	}
	return p.server.Close()
}

// Email is one message the server handed to the SMTP sink.
type Email struct {
	From string
	To   []string
	// Raw is the DATA as received (dot-unstuffed): everything that left the server.
	Raw string
	// Subject is the decoded Subject header.
	Subject string
	// Text is the decoded subject and every decoded text part (plain and HTML,
	// with HTML entities resolved), so a search cannot miss a word that the
	// transfer encoding split or escaped.
	Text string
}

// SMTPSink is a minimal SMTP server without TLS or authentication that records
// every message. Point EmailSettings.SMTPServer and SMTPPort at Host and Port.
type SMTPSink struct {
	Host string
	Port int

	listener net.Listener
	wg       sync.WaitGroup
	mu       sync.Mutex
	emails   []Email
	conns    map[net.Conn]struct{}
	closed   bool
}

// StartSMTPSink listens on a free port of 127.0.0.1.
func StartSMTPSink() (*SMTPSink, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("SMTP sink: %w", err)
	}
	s := &SMTPSink{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, listener: l, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// PortString is Port as the server's SMTPPort setting spells it.
func (s *SMTPSink) PortString() string { return strconv.Itoa(s.Port) }

func (s *SMTPSink) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.listener.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			conn.Close()
			return
		}
		s.conns[conn] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(conn)
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
		}()
	}
}

// serve speaks just enough SMTP for the server's mail client: EHLO/HELO, MAIL,
// RCPT, DATA, RSET, NOOP, QUIT. Everything else (STARTTLS, AUTH) is refused.
func (s *SMTPSink) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	reply := func(lines ...string) bool {
		_ = conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
		_, err := io.WriteString(conn, strings.Join(lines, "\r\n")+"\r\n")
		return err == nil
	}
	readLine := func() (string, error) {
		_ = conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
		line, err := r.ReadString('\n')
		return strings.TrimRight(line, "\r\n"), err
	}
	if !reply("220 e2e-smtp-sink ESMTP") {
		return
	}
	var from string
	var to []string
	for {
		line, err := readLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO":
			if !reply("250-e2e-smtp-sink", "250 8BITMIME") {
				return
			}
		case "HELO", "NOOP":
			if !reply("250 OK") {
				return
			}
		case "RSET":
			from, to = "", nil
			if !reply("250 OK") {
				return
			}
		case "MAIL":
			from, to = smtpAddress(line), nil
			if !reply("250 OK") {
				return
			}
		case "RCPT":
			to = append(to, smtpAddress(line))
			if !reply("250 OK") {
				return
			}
		case "DATA":
			if !reply("354 End data with <CR><LF>.<CR><LF>") {
				return
			}
			var b strings.Builder
			for {
				l, err := readLine()
				if err != nil {
					return
				}
				if l == "." {
					break
				}
				b.WriteString(strings.TrimPrefix(l, ".") + "\r\n")
			}
			s.record(from, to, b.String())
			from, to = "", nil
			if !reply("250 OK: queued") {
				return
			}
		case "QUIT":
			reply("221 Bye")
			return
		default:
			// RFC 5321 4.2.4: the reply a server gives to a command it does
			// not implement; the sink needs only the commands above.
			if !reply("502 Command not implemented") {
				return
			}
		}
	}
}

// smtpAddress reads the address of "MAIL FROM:<a@b> BODY=8BITMIME".
func smtpAddress(line string) string {
	if i := strings.IndexByte(line, '<'); i >= 0 {
		if j := strings.IndexByte(line[i:], '>'); j >= 0 {
			return line[i+1 : i+j]
		}
	}
	return line
}

func (s *SMTPSink) record(from string, to []string, raw string) {
	e := Email{From: from, To: to, Raw: raw}
	subject, text, err := decodeEmail(raw)
	e.Subject = subject
	e.Text = text
	if err != nil {
		// Undecodable: search the raw message instead, so nothing is hidden.
		e.Text = raw
	}
	s.mu.Lock()
	s.emails = append(s.emails, e)
	s.mu.Unlock()
}

// Emails returns every message received so far, oldest first.
func (s *SMTPSink) Emails() []Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Email(nil), s.emails...)
}

// Close stops listening and ends open sessions.
func (s *SMTPSink) Close() error {
	if s == nil || s.listener == nil {
		return nil
	}
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	err := s.listener.Close()
	s.wg.Wait()
	return err
}

// decodeEmail returns a message's decoded subject, and the subject followed by
// every decoded text part.
func decodeEmail(raw string) (subject, text string, err error) {
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return "", "", err
	}
	dec := new(mime.WordDecoder)
	subject, err = dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	var b strings.Builder
	b.WriteString(subject + "\n")
	err = decodePart(&b, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return subject, b.String(), err
}

func decodePart(b *strings.Builder, contentType, encoding string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = "text/plain"
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			// NextPart decodes quoted-printable itself and hides the header.
			if err := decodePart(b, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part); err != nil {
				return err
			}
		}
	}
	if !strings.HasPrefix(mediaType, "text/") {
		return nil
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	text := string(data)
	if mediaType == "text/html" {
		text = html.UnescapeString(text)
	}
	b.WriteString(text + "\n")
	return nil
}
