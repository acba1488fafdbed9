// Package command routes `/security` sub-commands. It parses, calls the use cases
// and replies; it decides nothing about who may see what.
package command

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
)

// Trigger is the slash command's name.
const Trigger = "security"

// Request is one invocation, with the user id the server authenticated.
type Request struct {
	UserID    string
	ChannelID string
	TeamID    string
	RootID    string
	TriggerID string
	// Args are the words after the sub-command path.
	Args []string
	// Rest is the raw text after the sub-command path, for free text arguments.
	Rest string
}

// Route is one sub-command. Path may hold several words ("halloffame import").
type Route struct {
	Path string
	Hint string
	Help string
	// TeamOnly routes are listed only for triagers in help and autocomplete.
	TeamOnly bool
	Run      func(req *Request) *model.CommandResponse
}

// Router dispatches to routes by the longest matching path.
type Router struct {
	routes []Route
	// ready says whether the plugin is set up; when it is not, every sub-command
	// answers with the reason instead of running.
	ready func() (bool, string)
	// isTeam says whether a user is on the security team, for help listings.
	isTeam func(userID string) bool
}

// NewRouter builds a router. help is added automatically.
func NewRouter(ready func() (bool, string), isTeam func(userID string) bool, routes ...Route) *Router {
	r := &Router{ready: ready, isTeam: isTeam}
	r.routes = append(r.routes, Route{Path: "help", Help: "Show this help.", Run: r.help})
	r.routes = append(r.routes, routes...)
	return r
}

// Execute runs the command line typed by the user.
func (r *Router) Execute(userID, channelID, teamID, rootID, triggerID, line string) *model.CommandResponse {
	fields := strings.Fields(line)
	if len(fields) > 0 && strings.EqualFold(strings.TrimPrefix(fields[0], "/"), Trigger) {
		fields = fields[1:]
	}
	req := &Request{UserID: userID, ChannelID: channelID, TeamID: teamID, RootID: rootID, TriggerID: triggerID}

	if ok, why := r.ready(); !ok {
		return Ephemeral(why)
	}
	if len(fields) == 0 {
		return r.help(req)
	}

	route, depth := r.match(fields)
	if route == nil {
		return Ephemeral(fmt.Sprintf("Unknown command %s.\n\n%s", inert.Span(fields[0]), r.helpText(userID)))
	}
	req.Args = fields[depth:]
	req.Rest = restAfter(line, fields[:depth])
	return route.Run(req)
}

// match finds the route whose path is the longest prefix of fields.
func (r *Router) match(fields []string) (*Route, int) {
	var best *Route
	bestDepth := 0
	for i := range r.routes {
		words := strings.Fields(r.routes[i].Path)
		if len(words) > len(fields) || len(words) <= bestDepth {
			continue
		}
		matched := true
		for j, w := range words {
			if !strings.EqualFold(w, fields[j]) {
				matched = false
				break
			}
		}
		if matched {
			best, bestDepth = &r.routes[i], len(words)
		}
	}
	return best, bestDepth
}

// restAfter returns the raw text after the trigger and the given path words, with
// the user's own spacing and line breaks kept.
func restAfter(line string, path []string) string {
	rest := strings.TrimSpace(line)
	if strings.HasPrefix(strings.ToLower(rest), "/"+Trigger) {
		rest = strings.TrimSpace(rest[len(Trigger)+1:])
	}
	for _, word := range path {
		rest = strings.TrimSpace(rest[len(word):])
	}
	return rest
}

func (r *Router) help(req *Request) *model.CommandResponse {
	return Ephemeral(r.helpText(req.UserID))
}

func (r *Router) helpText(userID string) string {
	team := r.isTeam(userID)
	var b strings.Builder
	b.WriteString("#### Responsible Disclosure: `/security` commands\n")
	for _, route := range r.visible(team) {
		usage := "/" + Trigger + " " + route.Path
		if route.Hint != "" {
			usage += " " + route.Hint
		}
		fmt.Fprintf(&b, "- `%s` — %s\n", usage, route.Help)
	}
	return b.String()
}

// visible lists the routes a user may see, in a stable order: researcher commands
// first, then the team's.
func (r *Router) visible(team bool) []Route {
	var out []Route
	for _, route := range r.routes {
		if route.TeamOnly && !team {
			continue
		}
		out = append(out, route)
	}
	sort.SliceStable(out, func(i, j int) bool { return !out[i].TeamOnly && out[j].TeamOnly })
	return out
}

// Autocomplete describes every route for the client's autocomplete. The server
// caches it per command, not per user, so team routes are included and marked;
// using them still requires being on the team.
func (r *Router) Autocomplete() *model.AutocompleteData {
	root := model.NewAutocompleteData(Trigger, "[command]", "Report a security vulnerability privately, or follow your reports.")
	nodes := map[string]*model.AutocompleteData{"": root}
	for _, route := range r.visible(true) {
		words := strings.Fields(route.Path)
		parent := root
		for i, w := range words {
			key := strings.Join(words[:i+1], " ")
			node, ok := nodes[key]
			if !ok {
				hint, help := "", ""
				if i == len(words)-1 {
					hint, help = route.Hint, route.Help
					if route.TeamOnly {
						help = "(security team) " + help
					}
				}
				node = model.NewAutocompleteData(w, hint, help)
				parent.AddCommand(node)
				nodes[key] = node
			}
			parent = node
		}
	}
	return root
}

// Ephemeral is a reply only the invoking user sees.
func Ephemeral(text string) *model.CommandResponse {
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: text}
}
