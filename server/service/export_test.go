package service

// Timing constants of the job, for the tests of package service_test.
const (
	StaleClaim  = staleClaim
	DigestEvery = digestEvery
)
