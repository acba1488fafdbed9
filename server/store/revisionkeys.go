package store

// RevisionKeys names the revision keys of the public aggregates, so a cache of their pages can watch this server's writes.
func RevisionKeys() (hallOfFame, securityUpdates string) { return keyHallRevision, keyUpdatesRev }
