package tests

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// TestNotificationsCarryNoReportText points the server's push proxy and SMTP
// server at local sinks, makes the triager and the reporter reachable by both
// (a mobile session, offline, notify on everything), files a report and works
// it, and reads what left the server: only "New activity on SEC-n".
func TestNotificationsCarryNoReportText(t *testing.T) {
	ctx := ctxFor(t)
	researcher, triager := env.User("researcher"), env.User("triager")

	push, err := harness.StartPushSink()
	require.NoError(t, err)
	t.Cleanup(func() { _ = push.Close() })
	smtp, err := harness.StartSMTPSink()
	require.NoError(t, err)
	t.Cleanup(func() { _ = smtp.Close() })
	pointNotificationsAt(t, push, smtp)

	devices := map[string]string{}
	for _, u := range []*harness.User{researcher, triager} {
		devices[u.Username] = reachableEverywhere(t, u)
	}

	tag := uniqueTag("Secret")
	form := reportForm(tag)
	form["title"] = "Unauthenticated RCE " + tag + "Title"
	form["description"] = "Send a crafted request. " + tag + "Description"
	question := "Which build did you test? " + tag + "Question"
	r := fileReport(t, researcher, form)
	// The bot answers the reporter in the report's DM thread at each step.
	press(t, triager, r, "take", "Triaging")
	pressWithDialog(t, triager, r, "ask", map[string]any{"note": question}, "Needs information")

	// The card reaches the triager's phone; the receipt and the updates reach
	// the reporter's phone and mailbox.
	err = harness.Eventually(ctx, wait, 100*time.Millisecond, "a push to each device and an email to the reporter", func(context.Context) (bool, error) {
		got := map[string]bool{}
		for _, p := range push.Pushes() {
			for name, device := range devices {
				if strings.HasSuffix(device, p.Notification.DeviceId) && p.Notification.DeviceId != "" {
					got[name] = true
				}
			}
		}
		mailed := false
		for _, e := range smtp.Emails() {
			mailed = mailed || containsAddress(e.To, researcher.Email)
		}
		return got["researcher"] && got["triager"] && mailed,
			fmt.Errorf("pushes %d, emails %d, devices reached %v", len(push.Pushes()), len(smtp.Emails()), got)
	})
	require.NoError(t, err, "server log: %s", env.MM.LogPath)

	// Whatever was sent, none of it carries what the researcher or the team
	// wrote, and each names the report it is about.
	want := "New activity on " + r.key
	for _, p := range push.Pushes() {
		n := p.Notification
		assert.NotContains(t, string(p.Raw), tag, "a push notification carries report text: %s", p.Raw)
		assert.Equal(t, want, n.Message, "push to device %s about post %s (root %q) in channel %s", n.DeviceId, n.PostId, n.RootId, n.ChannelId)
	}
	for _, e := range smtp.Emails() {
		assert.NotContains(t, e.Text, tag, "an email carries report text: subject %q", e.Subject)
		assert.NotContains(t, e.Raw, tag, "an email carries report text: subject %q", e.Subject)
		assert.Contains(t, e.Subject, want, "email to %v (%s)", e.To, messageID(e.Raw))
	}
	t.Logf("%d push notifications and %d emails captured, none with report text", len(push.Pushes()), len(smtp.Emails()))
}

// pointNotificationsAt turns push and email notifications on, sent to the sinks
// in full (so only the plugin stands between report text and the outside), and
// restores the previous settings afterwards.
func pointNotificationsAt(t *testing.T, push *harness.PushSink, smtp *harness.SMTPSink) {
	t.Helper()
	ctx := ctxFor(t)
	admin := env.Admin.Client
	before, _, err := admin.GetConfig(ctx)
	require.NoError(t, err)
	t.Cleanup(func() {
		old := before.EmailSettings
		_, _, err := admin.PatchConfig(context.Background(), &model.Config{EmailSettings: model.EmailSettings{
			SendEmailNotifications:        old.SendEmailNotifications,
			SMTPServer:                    old.SMTPServer,
			SMTPPort:                      old.SMTPPort,
			ConnectionSecurity:            old.ConnectionSecurity,
			EnableSMTPAuth:                old.EnableSMTPAuth,
			EnableEmailBatching:           old.EnableEmailBatching,
			SendPushNotifications:         old.SendPushNotifications,
			PushNotificationServer:        old.PushNotificationServer,
			PushNotificationContents:      old.PushNotificationContents,
			EmailNotificationContentsType: old.EmailNotificationContentsType,
		}})
		assert.NoError(t, err, "restoring the email settings")
	})
	_, _, err = admin.PatchConfig(ctx, &model.Config{EmailSettings: model.EmailSettings{
		SendEmailNotifications:        model.NewPointer(true),
		SMTPServer:                    model.NewPointer(smtp.Host),
		SMTPPort:                      model.NewPointer(smtp.PortString()),
		ConnectionSecurity:            model.NewPointer(model.ConnSecurityNone),
		EnableSMTPAuth:                model.NewPointer(false),
		EnableEmailBatching:           model.NewPointer(false),
		SendPushNotifications:         model.NewPointer(true),
		PushNotificationServer:        model.NewPointer(push.URL),
		PushNotificationContents:      model.NewPointer(model.FullNotification),
		EmailNotificationContentsType: model.NewPointer(model.EmailNotificationContentsFull),
	}})
	require.NoError(t, err, "turning on push and email notifications")
	cfg, _, err := admin.GetConfig(ctx)
	require.NoError(t, err)
	require.True(t, *cfg.EmailSettings.SendEmailNotifications, "email notifications stay off: is MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS set?")
}

// reachableEverywhere gives u a mobile session (its device id is where pushes
// go), sets them offline with push and email on for all activity, and returns
// the device id. Everything is undone afterwards.
func reachableEverywhere(t *testing.T, u *harness.User) string {
	t.Helper()
	ctx := ctxFor(t)
	device := "android_rn:e2e-" + model.NewId()
	phone := model.NewAPIv4Client(env.MM.URL)
	_, _, err := phone.LoginWithDevice(ctx, u.Username, u.Password, device)
	require.NoError(t, err, "%s logging in from a phone", u.Username)
	t.Cleanup(func() { _, _ = phone.Logout(context.Background()) })

	original, _, err := env.Admin.Client.GetUser(ctx, u.Id, "")
	require.NoError(t, err)
	props := model.StringMap{}
	for k, v := range original.NotifyProps {
		props[k] = v
	}
	props[model.PushNotifyProp] = model.UserNotifyAll
	props[model.PushStatusNotifyProp] = model.StatusOnline
	props[model.PushThreadsNotifyProp] = model.UserNotifyAll
	props[model.EmailNotifyProp] = "true"
	props[model.EmailThreadsNotifyProp] = model.UserNotifyAll
	_, _, err = env.Admin.Client.PatchUser(ctx, u.Id, &model.UserPatch{NotifyProps: props})
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _, _ = env.Admin.Client.PatchUser(context.Background(), u.Id, &model.UserPatch{NotifyProps: original.NotifyProps})
	})
	// Email goes only to people who are not online.
	require.NoError(t, u.SetStatus(ctx, model.StatusOffline))
	t.Cleanup(func() { _ = u.SetStatus(context.Background(), model.StatusOnline) })
	return device
}

// messageID is the Message-ID header of a raw email; the server makes it from
// the id of the post the email is about.
func messageID(raw string) string {
	for _, line := range strings.Split(raw, "\r\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Message-ID") {
			return "Message-ID " + strings.TrimSpace(value)
		}
		if line == "" {
			break
		}
	}
	return "no Message-ID"
}

func containsAddress(list []string, address string) bool {
	for _, a := range list {
		if strings.EqualFold(a, address) {
			return true
		}
	}
	return false
}
