// Command floorplugin is the bench's floor: the least a plugin can do on this
// server, installed beside the plugin under test so that every figure of
// `make bench` has a floor measured on the same server in the same run. Never
// shipped.
//
// Its route answers a constant, so it costs exactly one trip through the
// plugin RPC; its slash command (/floor) writes one KV record and answers, the
// cheapest command that touches the store.
package main

import (
	"net/http"
	"strconv"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// Trigger and Answer are also in cmd/bench, which cannot import a main
// package; the bench writes the plugin's manifest, id included.
const (
	Trigger = "floor"
	Answer  = "floor"
)

type floor struct {
	plugin.MattermostPlugin
}

func (p *floor) OnActivate() error {
	return p.API.RegisterCommand(&model.Command{Trigger: Trigger, DisplayName: "Floor", Description: "Bench floor: one KV write."})
}

func (p *floor) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(Answer))
}

func (p *floor) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	if appErr := p.API.KVSet("floor/"+args.UserId, []byte(strconv.FormatInt(model.GetMillis(), 10))); appErr != nil {
		return nil, appErr
	}
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: Answer}, nil
}

func main() {
	plugin.ClientMain(&floor{})
}
