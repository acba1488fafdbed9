package store

import (
	"strconv"
	"time"
)

// Every key the plugin writes is built here, and only here. Keys are short
// (the server allows 150 characters) and start with a layout version, so a future
// change of format can live next to the old one and migrate it.
//
//	v1/n                  id counter: the highest id known to have a record (JSON number)
//	v1/r/<id>             one report (JSON report.Report)
//	v1/u/<userID>         ids of the reports a researcher filed (JSON array, ascending);
//	                      like v1/open and v1/fixed, kept only until the migration
//	                      to layout 2 is done, then left as it was (listsRetired)
//	v1/open               ids of open reports: submitted, triaging, needs_info, confirmed
//	                      (JSON array, ascending)
//	v1/fixed              ids of reports fixed and waiting for disclosure (JSON array,
//	                      ascending)
//	v1/p/<postID>         id of the report whose card or DM thread root is that post
//	                      (JSON number)
//	v1/c/<userID>         a researcher's credit profile (JSON report.CreditProfile)
//	v1/d/<userID>/<day>   reports a researcher filed on that UTC day, day as YYYYMMDD
//	                      (JSON number; expires after dailyTTL so old days clean up)
//	v1/s/<id>             follow-up bookkeeping of a report: reminders and progress
//	                      messages claimed and sent (JSON sla.Record)
//	v1/digest             when the last weekly digest was claimed (JSON time)
//	v1/hof                the Hall of Fame aggregate: credited disclosures by researcher,
//	                      imported entries, links (JSON halloffame.Aggregate)
//	v1/hofrev             revision of the latest v1/hof, read by every public Hall of
//	                      Fame request (JSON number)
//	v1/g/n                staging request id counter (JSON number)
//	v1/g/r/<id>           one staging request (JSON staging.Request)
//	v1/g/u/<userID>       a researcher's staging requests: all ids and the open ones
//	                      (JSON stagingIndex)
//	v1/g/open             ids of pending and approved staging requests (JSON array)
//	v1/g/d/<id>           a grant's access details, as earlier versions kept them
//	                      (JSON staging.Details, with an expiry at the window's end);
//	                      no longer written, and deleted by the walk below
//	v1/g/dpurge           progress of the one walk over staging ids 1..v1/g/n that
//	                      deletes every v1/g/d/<id> (JSON stagingPurge)
//	v1/mmsa/<year>        advisory number counter of a year (JSON number)
//	v1/mmsa/id/<id>       an advisory id's owner: the report that uses it (JSON number);
//	                      created only if absent, so two reports never share an id
//	v1/upd                every public advisory in one record, as wave 1 kept them
//	                      (JSON report.SecurityUpdates); copied into v2/adv and
//	                      deleted by ConvertSecurityUpdates
//	v1/updrev             revision of the public advisories, raised by every change
//	                      and read by public Security Updates requests (JSON number)
//	v1/triage             the triage channel cards go to (JSON setup.TriageChannel)
//	v1/secret             the per-install secret that signs dialog state (raw bytes)
//
// Layout 2 adds summaries (report.Summary, one JSON object per line of the
// record, ascending by id; see sumrecord.go) and crash recovery without walks:
//
//	v2/sum/<k>            the archive: summaries of every report with id in
//	                      500k+1..500k+500 (k = (id-1)/500); shards up to
//	                      (HighestID-1)/500 all exist, so no directory is needed
//	v2/open/<k>           summaries of the open reports in the same id range
//	v2/open               directory of the open shards that are not empty
//	                      (JSON array of k, ascending)
//	v2/fixed/<k>, v2/fixed  the same for fixed reports awaiting disclosure
//	v2/live/<k>, v2/live    the same for final reports with a DM thread, final
//	                      for less than LiveGrace: with the open and fixed sets
//	                      they are the reports whose thread may get replies to
//	                      relay (LiveThreads)
//	v2/u/<userID>         head of a researcher's summaries: the newest ones and
//	                      the bounds of the sealed shards ({"b":[...],"s":[...]})
//	v2/u/<userID>/<n>     sealed shard n (1, 2, ...) of a researcher's summaries,
//	                      a fixed id range, written when the head passed 500
//	v2/in/<k>             intent slot k (0..15): writes in progress that a crash
//	                      may have cut short (JSON array of intentEntry); a
//	                      change of report id starts at slot id%16, a filing at
//	                      a random one, and each takes the next if that is busy
//	v2/adv                number of the newest advisory shard (JSON number)
//	v2/adv/<k>            the public advisories at positions 100k..100k+99 in
//	                      publication order (JSON array of report.PublicAdvisory)
//	v2/adv/r/<id>         the advisory shard report id's advisory is in (JSON number)
//	v2/adv/mig            v1/upd has been copied into the shards (JSON object);
//	                      see securityupdates.go
//	v2/rehome             the channel cards go to, and the progress of moving the
//	                      open and fixed reports' cards there after the triage
//	                      channel setting changed (rehome.go)
//	v2/pending            ids of the reports with replies taken but not yet posted
//	                      for the team (JSON array, ascending; pending.go)
//	v2/pend/<id>          the post ids of those replies of report id, oldest first
//	                      (JSON array of strings)
//	v2/chk                cursor of the background consistency check
//	v2/mig                state of the migration from layout 1: cursor, done,
//	                      and the lease of the server running a step
//
// Why these shards. A queue page must cost a few reads at 100,000 reports with
// about 5,000 open. Open reports keyed by id alone would be spread over every
// archive shard, so they get their own sets. They are sharded by the same id
// range as the archive, not by count: a report's shard never changes, so moving
// a summary never needs two keys written together, and a directory of the
// non-empty shards (a few hundred numbers at most) lets a page skip the ranges
// where everything is closed. A page of 50 reads the directory and the first
// shards in page order: one or two when open reports cluster among recent ids
// as they do, three when 5,000 are spread evenly over 100,000 ids. A
// researcher's reports are spread over the whole id range, so theirs is sharded
// by count instead: one head record until they pass 500 reports, then sealed
// shards whose ranges never change again (reporterset.go).
//
// No code path lists keys: everything is found from the counter (ids 1..counter
// enumerate every report), from an index or directory record above, or from
// the 16 fixed intent slots.
const (
	keyCounter       = "v1/n"
	keyOpen          = "v1/open"
	keyFixed         = "v1/fixed"
	prefixReport     = "v1/r/"
	prefixReporter   = "v1/u/"
	prefixPost       = "v1/p/"
	prefixCredit     = "v1/c/"
	prefixDailyFiled = "v1/d/"
	keySecret        = "v1/secret"
	keyHallOfFame    = "v1/hof"
	keyHallRevision  = "v1/hofrev"
	prefixFollowup   = "v1/s/"
	keyDigest        = "v1/digest"
	keyStagingN      = "v1/g/n"
	prefixAdvisoryN  = "v1/mmsa/"
	prefixAdvisoryID = "v1/mmsa/id/"
	keyUpdates       = "v1/upd"
	keyUpdatesRev    = "v1/updrev"
	keyStagingOpen   = "v1/g/open"
	prefixStaging    = "v1/g/r/"
	prefixStagingBy  = "v1/g/u/"
	prefixStagingDet = "v1/g/d/"
	keyStagingPurge  = "v1/g/dpurge"

	prefixArchive  = "v2/sum/"
	keyOpenDir     = "v2/open"
	prefixOpenSet  = "v2/open/"
	keyFixedDir    = "v2/fixed"
	prefixFixedSet = "v2/fixed/"
	keyLiveDir     = "v2/live"
	prefixLiveSet  = "v2/live/"
	prefixSummary  = "v2/u/"
	prefixIntent   = "v2/in/"
	keyCheck       = "v2/chk"
	keyRehome      = "v2/rehome"

	keyPendingRelays    = "v2/pending"
	prefixPendingRelays = "v2/pend/"

	keyAdvisoryHead       = "v2/adv"
	prefixAdvisoryShard   = "v2/adv/"
	prefixAdvisoryOf      = "v2/adv/r/"
	keyAdvisoryConversion = "v2/adv/mig"
	keyMigration          = "v2/mig"
)

// KeyTriageChannel is read and written by setup, which owns that record's shape.
const KeyTriageChannel = "v1/triage"

// KeyTriageUnsafe holds the triage channel's last unsafe verdict that the
// system admins were told of, so that of all servers noticing it only one
// tells them; it is removed once the channel is safe again.
const KeyTriageUnsafe = "v2/unsafe"

// dailyTTL keeps a day's filing counter a little longer than the day itself, so
// the key is certainly alive while it counts, then the store drops it.
const dailyTTL = 48 * time.Hour

func reportKey(id int) string           { return prefixReport + strconv.Itoa(id) }
func reporterKey(userID string) string  { return prefixReporter + userID }
func postKey(postID string) string      { return prefixPost + postID }
func creditKey(userID string) string    { return prefixCredit + userID }
func followupKey(id int) string         { return prefixFollowup + strconv.Itoa(id) }
func stagingKey(id int) string          { return prefixStaging + strconv.Itoa(id) }
func stagingByKey(userID string) string { return prefixStagingBy + userID }
func stagingDetailsKey(id int) string   { return prefixStagingDet + strconv.Itoa(id) }
func intentKey(slot int) string         { return prefixIntent + strconv.Itoa(slot) }
func advisoryShardKey(k int) string     { return prefixAdvisoryShard + strconv.Itoa(k) }
func advisoryOfKey(reportID int) string { return prefixAdvisoryOf + strconv.Itoa(reportID) }

// summaryHeadKey and sealedKey name a researcher's summary records.
func summaryHeadKey(userID string) string   { return prefixSummary + userID }
func sealedKey(userID string, n int) string { return prefixSummary + userID + "/" + strconv.Itoa(n) }

// dailyKey names the filing counter of userID for the UTC day containing now.
func dailyKey(userID string, now time.Time) string {
	return prefixDailyFiled + userID + "/" + now.UTC().Format("20060102")
}
