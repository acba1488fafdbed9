package service

// PostMissingCards posts the card, with the full text, of every open report
// that has none, and returns how many it posted. A filing made while the triage
// channel was unsafe (public, shared or archived) is stored and answered, but
// the bot refused to post its card there; once the channel is safe again the
// plugin calls this, in the background. It reads the open reports only: a
// report filed cardless is submitted until someone acts on it, which needs
// its card or a safe channel.
func (t *Triage) PostMissingCards() (int, error) {
	open, err := t.store.OpenSummaries()
	if err != nil {
		return 0, storeError(err)
	}
	posted := 0
	for _, s := range open {
		r, err := t.store.Get(s.ID)
		if err != nil {
			t.log.Warn("Could not read an open report to post its missing card", "report", s.ID, "error", err.Error())
			continue
		}
		if r.CardPostID != "" {
			continue
		}
		if linked := t.cards.repost(r); linked.CardPostID != "" {
			posted++
		}
	}
	return posted, nil
}
