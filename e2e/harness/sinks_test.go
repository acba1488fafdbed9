package harness

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestSMTPSinkDecodesWhatTheServerSends(t *testing.T) {
	sink, err := StartSMTPSink()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	// A long word split by quoted-printable soft line breaks, an HTML entity,
	// a base64 part and a line that needs dot-stuffing.
	token := strings.Repeat("Zebra", 20)
	msg := strings.Join([]string{
		"From: Mattermost <test@example.com>",
		"To: researcher@example.com",
		"Subject: =?UTF-8?q?New_activity_on_SEC-7?=",
		"MIME-Version: 1.0",
		`Content-Type: multipart/alternative; boundary="b1"`,
		"",
		"--b1",
		"Content-Type: text/plain; charset=UTF-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		token[:60] + "=",
		token[60:],
		".leading dot", // the client sends it dot-stuffed
		"--b1",
		"Content-Type: text/html; charset=UTF-8",
		"Content-Transfer-Encoding: base64",
		"",
		"PHA+QCZhbXA7IGNvbXBhbnk8L3A+",
		"--b1--",
		"",
	}, "\r\n")
	if err := smtp.SendMail(sink.Host+":"+sink.PortString(), nil, "test@example.com", []string{"researcher@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}

	emails := sink.Emails()
	if len(emails) != 1 {
		t.Fatalf("got %d emails, want 1", len(emails))
	}
	e := emails[0]
	if e.Subject != "New activity on SEC-7" {
		t.Errorf("subject %q", e.Subject)
	}
	if len(e.To) != 1 || e.To[0] != "researcher@example.com" || e.From != "test@example.com" {
		t.Errorf("envelope from %q to %v", e.From, e.To)
	}
	for _, want := range []string{token, ".leading dot", "<p>@& company</p>"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("decoded text lacks %q:\n%s", want, e.Text)
		}
	}
	if strings.Contains(e.Text, "..leading") {
		t.Errorf("the dot-stuffing was kept:\n%s", e.Text)
	}
}

func TestPushSinkAnswersAsAProxy(t *testing.T) {
	sink, err := StartPushSink()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	body, _ := json.Marshal(model.PushNotification{Message: "New activity on SEC-3", DeviceId: "abc", Platform: "android_rn"})
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(sink.URL+model.APIURLSuffixV1+"/send_push", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer model.PushResponse
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || answer[model.PushStatus] != model.PushStatusOk {
		t.Fatalf("the sink answered %v (%v), want status OK", answer, err)
	}
	pushes := sink.Pushes()
	if len(pushes) != 1 || pushes[0].Notification.Message != "New activity on SEC-3" || pushes[0].Notification.DeviceId != "abc" {
		t.Fatalf("captured %+v", pushes)
	}
	if !bytes.Equal(pushes[0].Raw, body) {
		t.Errorf("raw body %s, sent %s", pushes[0].Raw, body)
	}
}
