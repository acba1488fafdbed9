package service

import "github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"

// ReportKeyForPost names the report a post belongs to (its card, its DM thread or
// a reply in either), or "" when none does. It checks nothing about who asks: it
// serves the notification hooks, which only use it to hide content.
func (s *Service) ReportKeyForPost(postIDs ...string) string {
	for _, id := range postIDs {
		if id == "" {
			continue
		}
		if r, err := s.store.FindByPost(id); err == nil && r != nil {
			return report.FormatID(r.ID)
		}
	}
	return ""
}
