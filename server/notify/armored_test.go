package notify

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// armoredText is an armored PGP message of about n characters.
func armoredText(n int) string {
	line := "hQEMA0xyzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcdefghijklmnopq\n"
	return "-----BEGIN PGP MESSAGE-----\n\n" + strings.Repeat(line, n/len(line)+1) + "=AbCd\n-----END PGP MESSAGE-----"
}

// An encrypted report's description is shown as it came, whole: in a code
// block, or as an .asc file when longer than a post; never split or read.
func TestAnEncryptedDescriptionIsShownWhole(t *testing.T) {
	tests := []struct {
		name     string
		armored  string
		attached bool
	}{
		{"fits in a post", armoredText(3000), false},
		{"longer than a post", armoredText(40000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, posts, uploads := uploadingNotifier(t)
			r := &report.Report{ID: 7, Title: "Sealed", TriageChannelID: "triage", Description: tt.armored}
			require.True(t, r.Encrypted())
			require.NoError(t, n.PostFullText(r, "card"))

			var description *model.Post
			for _, p := range *posts {
				assert.LessOrEqual(t, len([]rune(p.Message)), model.PostMessageMaxRunesV2)
				if strings.HasPrefix(p.Message, "**Description**") {
					description = p
				}
			}
			require.NotNil(t, description)
			assert.Contains(t, description.Message, "encrypted with the team key")
			if tt.attached {
				require.Len(t, *uploads, 1)
				assert.Equal(t, "SEC-7-description.asc", (*uploads)[0].name)
				assert.Equal(t, strings.TrimSpace(tt.armored)+"\n", (*uploads)[0].content, "the file holds the message as it came")
				assert.Equal(t, []string{"file1"}, []string(description.FileIds))
				assert.Contains(t, description.Message, "attached as `SEC-7-description.asc`")
			} else {
				assert.Empty(t, *uploads)
				assert.Contains(t, description.Message, "```\n"+tt.armored+"\n```", "one block, not split")
			}
			card := n.cardPost(r, event.CardView{}).Attachments()[0]
			assert.Contains(t, card.Text, "Encrypted with the team key")
		})
	}
}

// An armored reply is relayed the same way, as one block or one file.
func TestAnArmoredReplyIsRelayedWhole(t *testing.T) {
	n, posts, uploads := uploadingNotifier(t)
	r := &report.Report{ID: 7, TriageChannelID: "triage", CardPostID: "card", Status: report.StatusTriaging}
	require.NoError(t, n.RelayToTeam(r, event.Post{ID: "p1", Message: armoredText(40000)}))
	require.Len(t, *posts, 1, "not split into parts")
	assert.Contains(t, (*posts)[0].Message, "encrypted with the team key")
	require.Len(t, *uploads, 1)
	assert.Equal(t, "SEC-7-reply-p1.asc", (*uploads)[0].name)
	assert.Equal(t, true, (*posts)[0].GetProp("from_reporter"))
}

type upload struct{ name, content string }

// uploadingNotifier is postingNotifier that also keeps the files uploaded.
func uploadingNotifier(t *testing.T) (*Notifier, *[]*model.Post, *[]upload) {
	t.Helper()
	api := &plugintest.API{}
	var posts []*model.Post
	api.On("CreatePost", mock.AnythingOfType("*model.Post")).Return(func(p *model.Post) (*model.Post, *model.AppError) {
		posts = append(posts, p)
		created := p.Clone()
		created.Id = fmt.Sprintf("post%d", len(posts))
		return created, nil
	})
	var uploads []upload
	api.On("UploadFile", mock.Anything, "triage", mock.Anything).Return(func(data []byte, _, name string) (*model.FileInfo, *model.AppError) {
		uploads = append(uploads, upload{name, string(data)})
		return &model.FileInfo{Id: fmt.Sprintf("file%d", len(uploads))}, nil
	})
	api.On("GetUser", mock.Anything).Return(&model.User{Username: "someone"}, nil).Maybe()
	return New(pluginapi.NewClient(api, nil), "bot", "plugin", func() string { return "https://chat.example.com" }), &posts, &uploads
}
