package command

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// textAfterID returns the free text that follows the SEC-n argument, with the
// user's line breaks kept.
func textAfterID(req *Request) string {
	if len(req.Args) == 0 {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(req.Rest, req.Args[0]))
}

func (h *handlers) reply(req *Request) *model.CommandResponse {
	id, ok := parseIDArg(req)
	if !ok {
		return Ephemeral("Usage: `/security reply SEC-n <text>`.")
	}
	now := h.Now()
	// A command leaves no post behind; its id only has to be unique.
	postID := fmt.Sprintf("command:%s:%d", req.UserID, now.UnixNano())
	r, err := h.Conversation.Reply(req.UserID, id, textAfterID(req), postID, now.UnixMilli())
	if err != nil {
		return Ephemeral(errorText(err))
	}
	return Ephemeral(fmt.Sprintf("Your reply was added to **%s** (%s). The security team sees it on the report.", r.Key(), r.Status.Label()))
}

func (h *handlers) tell(req *Request) *model.CommandResponse {
	id, ok := parseIDArg(req)
	if !ok {
		return Ephemeral("Usage: `/security tell SEC-n <text>`.")
	}
	r, err := h.Conversation.Tell(req.UserID, id, textAfterID(req))
	if err != nil {
		return Ephemeral(errorText(err))
	}
	return Ephemeral(fmt.Sprintf("Sent to the reporter of **%s**.", r.Key()))
}
