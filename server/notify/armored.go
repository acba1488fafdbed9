package notify

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
)

// encryptedLabel marks an armored PGP message wherever the bot shows one.
const encryptedLabel = "🔒 encrypted with the team key"

// TextPost is one post of researcher text in a card's thread: its message,
// and the armored message it carries as a file when too long for the post.
type TextPost struct {
	Message string
	file    *ascFile
}

// ascFile is an armored PGP message attached as a file, for copying whole.
type ascFile struct {
	name    string
	content string
}

// maxArmorInPost is the longest armored message posted as a code block: an
// armor holds no backticks, so its fence is three, and the heading is short.
const maxArmorInPost = maxPostRunes - 500

// armoredPost shows an armored PGP message under heading, as it came: in a
// code block to copy, or, when longer than a post holds, attached as name.
// The plugin never reads inside it.
func armoredPost(heading, armored, name string) TextPost {
	armored = strings.TrimSpace(armored)
	if runeLen(armored) <= maxArmorInPost {
		return TextPost{Message: heading + "\n" + inert.Block(armored)}
	}
	return TextPost{
		Message: heading + "\nThe armored message is too long for a post: it is attached as `" + name + "`.",
		file:    &ascFile{name: name, content: armored + "\n"},
	}
}

// createWithFile posts post, with file attached when there is one.
func (n *Notifier) createWithFile(post *model.Post, file *ascFile) (string, error) {
	if file != nil {
		// The upload goes to the post's channel: checked as the post is.
		if err := n.guard(post.ChannelId); err != nil {
			return "", err
		}
		info, err := n.client.File.Upload(strings.NewReader(file.content), file.name, post.ChannelId)
		if err != nil {
			return "", errors.Wrapf(err, "attach %s", file.name)
		}
		post.FileIds = append(post.FileIds, info.Id)
	}
	return n.create(post)
}
