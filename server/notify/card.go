package notify

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// ReportIDProp names the report a top-level bot post is about (the card, the
// receipt), for readers that cannot wait for the post index.
const ReportIDProp = "report_id"

// ReportIDOf reads ReportIDProp; props decoded from JSON hold numbers as float64.
func ReportIDOf(post *model.Post) int {
	switch v := post.GetProp(ReportIDProp).(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

var statusColors = map[report.Status]string{
	report.StatusSubmitted:     "#d24b4e",
	report.StatusTriaging:      "#ffbc1f",
	report.StatusNeedsInfo:     "#a85fe0",
	report.StatusConfirmed:     "#e87e2a",
	report.StatusFixed:         "#1c58d9",
	report.StatusDisclosed:     "#06d6a0",
	report.StatusDuplicate:     "#8b8b8b",
	report.StatusNotApplicable: "#8b8b8b",
	report.StatusInformative:   "#8b8b8b",
}

// cardPost renders a report's card, with a button for each action a triager
// may take now. The message line is trusted text only, so what a notification
// or a search preview shows never carries report content.
func (n *Notifier) cardPost(r *report.Report, view event.CardView) *model.Post {
	sev := r.Severity()
	severity := sev.String()
	if sev.Vector != "" {
		severity += " " + inert.Span(sev.Vector)
	}

	credit := "No"
	if r.WantsCredit {
		credit = "Yes"
		if view.Credit != nil && view.Credit.DisplayName != "" {
			credit = "Yes, as " + inert.Span(view.Credit.Credit())
		}
	}

	assignee := "Nobody yet"
	if r.Assignee != "" {
		assignee = inert.Span("@" + n.username(r.Assignee))
	}

	fields := []*model.MessageAttachmentField{
		{Title: "Status", Value: r.Status.Label(), Short: true},
		{Title: "Assignee", Value: assignee, Short: true},
		{Title: "Product", Value: inert.Span(r.Product), Short: true},
		{Title: "Severity", Value: severity, Short: true},
		{Title: "Reporter", Value: inert.Span("@" + n.username(r.ReporterID)), Short: true},
		{Title: "Where tested", Value: r.TestedOn.Label(), Short: true},
		{Title: "Affected versions", Value: inert.Span(r.AffectedVersions), Short: true},
		{Title: "Public credit", Value: credit, Short: true},
	}
	if len(r.FixedIn) > 0 {
		fields = append(fields, &model.MessageAttachmentField{Title: "Fixed in", Value: inert.Span(report.FormatFixedVersions(r.FixedIn)), Short: true})
	}
	if r.DuplicateOf != 0 {
		fields = append(fields, &model.MessageAttachmentField{Title: "Duplicate of", Value: report.FormatID(r.DuplicateOf), Short: true})
	}
	if len(view.Clocks) > 0 {
		fields = append(fields, &model.MessageAttachmentField{Title: "Targets", Value: ClockLines(view.Clocks), Short: false})
	}
	if state := conversationState(r); state != "" {
		fields = append(fields, &model.MessageAttachmentField{Title: "Conversation", Value: state, Short: true})
	}
	fields = append(fields, &model.MessageAttachmentField{Title: "Last update", Value: lastUpdate(r), Short: false})

	attachment := &model.MessageAttachment{
		Fallback: fmt.Sprintf("%s: %s", r.Key(), r.Status.Label()),
		Color:    statusColors[r.Status],
		Title:    fmt.Sprintf("%s · %s", r.Key(), r.Status.Label()),
		Text:     "**Title:** " + inert.Span(r.Title) + "\n" + fullReportLine(r),
		Fields:   fields,
		Actions:  postActions(CardButtons(r), n.routeURL(routes.CardAction)),
	}
	post := &model.Post{
		ChannelId: r.TriageChannelID,
		Message:   fmt.Sprintf("#### Security report %s", r.Key()),
	}
	post.AddProp(model.PostPropsAttachments, []*model.MessageAttachment{attachment})
	post.AddProp(ReportIDProp, r.ID)
	return post
}

// conversationState says whose turn it is: the team asked and waits, or the
// reporter wrote last and waits for the team.
func conversationState(r *report.Report) string {
	if r.Status == report.StatusNeedsInfo {
		return "⏳ Waiting for the reporter"
	}
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		e := r.Timeline[i]
		switch {
		case e.Action == report.ActionReply:
			return "💬 Reporter replied " + utcMinute(e.At)
		case e.ActorKind == report.ActorTriager && (e.Action == report.ActionMessage || e.Action == report.ActionAsk || e.Action == report.ActionClose):
			return ""
		}
	}
	return ""
}

func lastUpdate(r *report.Report) string {
	e, ok := r.LastEvent()
	if !ok {
		return utcMinute(r.Updated)
	}
	return fmt.Sprintf("%s — %s", utcMinute(e.At), TeamSummary(e))
}

// PostCard posts a new card for r in its triage channel and returns the post id.
func (n *Notifier) PostCard(r *report.Report, view event.CardView) (string, error) {
	if r.TriageChannelID == "" {
		return "", errors.New("report has no triage channel")
	}
	id, err := n.create(n.cardPost(r, view))
	return id, errors.Wrapf(err, "post the card of %s", r.Key())
}

// UpdateCard rewrites r's card in place.
func (n *Notifier) UpdateCard(r *report.Report, view event.CardView) error {
	post := n.cardPost(r, view)
	post.Id = r.CardPostID
	if err := n.guard(post.ChannelId); err != nil {
		return errors.Wrapf(err, "update the card of %s", r.Key())
	}
	if err := n.client.Post.UpdatePost(post); err != nil {
		return errors.Wrapf(err, "update the card of %s", r.Key())
	}
	return nil
}

// CardExists says whether r's card is still there (a triager may delete it).
func (n *Notifier) CardExists(r *report.Report) bool {
	if r.CardPostID == "" {
		return false
	}
	post, err := n.client.Post.GetPost(r.CardPostID)
	return err == nil && post.DeleteAt == 0
}

// fullReportLine says on the card where the report's text is.
func fullReportLine(r *report.Report) string {
	if r.Encrypted() {
		return "🔒 Encrypted with the team key: the armored message is in this card's thread, to copy and decrypt."
	}
	return "The full report is in this card's thread."
}

// PostFullText posts the report's full text (FullText) in its card's thread,
// in order, under cardID in r's triage channel.
func (n *Notifier) PostFullText(r *report.Report, cardID string) error {
	for _, p := range FullTextPosts(r) {
		if _, err := n.createWithFile(&model.Post{ChannelId: r.TriageChannelID, RootId: cardID, Message: p.Message}, p.file); err != nil {
			return err
		}
	}
	return nil
}

// FullTextPosts renders every field a researcher wrote as thread posts, each
// body in a fenced block, split over several posts when longer than one post
// holds. An encrypted description is one armored block, never split: it is
// posted whole, or attached as an .asc file when longer than a post holds.
func FullTextPosts(r *report.Report) []TextPost {
	sections := []struct{ heading, body string }{
		{"Title", r.Title},
		{"Affected versions", r.AffectedVersions},
		{"Description", r.Description},
		{"Steps to reproduce", r.Steps},
		{"Impact", r.Impact},
	}
	var posts []TextPost
	var current strings.Builder
	flush := func() {
		if current.Len() > 0 {
			posts = append(posts, TextPost{Message: strings.TrimRight(current.String(), "\n")})
			current.Reset()
		}
	}
	for _, s := range sections {
		if s.heading == "Description" && r.Encrypted() {
			flush()
			posts = append(posts, armoredPost("**Description** · "+encryptedLabel, r.Description, r.Key()+"-description.asc"))
			continue
		}
		chunks := splitRunes(s.body, maxChunkRunes)
		for i, chunk := range chunks {
			heading := "**" + s.heading + "**"
			if len(chunks) > 1 {
				heading += fmt.Sprintf(" (part %d of %d)", i+1, len(chunks))
			}
			block := heading + "\n" + inert.Block(chunk) + "\n\n"
			if runeLen(current.String())+runeLen(block) > maxPostRunes {
				flush()
			}
			current.WriteString(block)
		}
	}
	flush()
	return posts
}

// A post holds 16,383 characters. A chunk is fenced by backtick runs one longer
// than its longest run, which for a chunk of backticks is the chunk's own length:
// a chunk with its two fences can take three times its size. Chunks of a third
// of a post, less room for the heading, always fit.
const (
	maxPostRunes  = model.PostMessageMaxRunesV2
	maxChunkRunes = maxPostRunes/3 - 100
)

func runeLen(s string) int { return len([]rune(s)) }

// splitRunes cuts s into pieces of at most n runes, preferring line breaks.
func splitRunes(s string, n int) []string {
	if s == "" {
		return []string{"(empty)"}
	}
	runes := []rune(s)
	var out []string
	for len(runes) > n {
		cut := n
		for i := n; i > n/2; i-- {
			if runes[i-1] == '\n' {
				cut = i
				break
			}
		}
		out = append(out, string(runes[:cut]))
		runes = runes[cut:]
	}
	return append(out, string(runes))
}
