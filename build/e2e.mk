# build/e2e.mk — the plugin on a real Mattermost server: end-to-end tests, a local
# server for trying the plugin, and a demo. Included by the root Makefile, which
# provides the `dist` target (the bundle). Everything here is prefixed E2E_.
#
#   make e2e    build the bundle and the pinned server (cached), run e2e/tests
#   make run    start PostgreSQL + Mattermost with the plugin and demo users; Ctrl-C stops
#   make demo   act as the demo users of `make run` through the REST API
#   make bench  measure the plugin against floors on the same server (SEED=N
#               seeds N reports first; SEED_LAYOUT=1 seeds them in wave 1's layout,
#               to measure the migration; SEED_REV=rev builds the seeder at rev)
#
# The server is built from the Go module pinned in e2e/go.mod into a folder of
# $(E2E_CACHE_DIR) named after what it is built from (the server version, the Go
# toolchain, e2e/go.mod: harness.ServerBuild.Key), outside the repository, and
# rebuilt only when one of those changes. E2E_SERVER_DIR=dir uses one folder instead.

E2E_REPO        := $(abspath $(dir $(abspath $(lastword $(MAKEFILE_LIST))))..)
E2E_DIR         := $(E2E_REPO)/e2e
E2E_GO          ?= $(or $(GO),go)
E2E_CACHE_DIR   ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rd-e2e
E2E_SERVER_DIR  ?=
E2E_RUN_DIR     ?= $(E2E_REPO)/.run
E2E_RUN_PORT    ?= 8065
E2E_RUN_PG_PORT ?= 5438
# The suite takes a few minutes; the bound is for a machine having a bad day.
E2E_TIMEOUT     ?= 30m
# E2E_RUN=Regexp runs only matching scenarios.
E2E_RUN         ?=
E2E_TESTFLAGS   ?= -v -count=1 -p 1
# -mod=mod: the server module cannot be tidied (enterprise-only imports); the
# checksum database does not know its pseudo-version; go.sum is committed.
E2E_GOENV       := GOWORK=off GOFLAGS='-mod=mod -buildvcs=false' GONOSUMDB=github.com/mattermost/mattermost \
                   E2E_CACHE_DIR='$(E2E_CACHE_DIR)' $(if $(E2E_SERVER_DIR),E2E_SERVER_DIR='$(E2E_SERVER_DIR)')

# make bench: SEED reports are seeded before the plugin is enabled (60 fills a
# page of every list); SEED_REV builds the seeder against another revision's
# store; SEED_LAYOUT=1 seeds wave 1's layout, which the plugin then migrates in
# the background; E2E_BENCH_FLAGS passes more flags (go run ./cmd/bench -h lists them).
E2E_BENCH_SEED  := $(or $(SEED),60)
E2E_BENCH_FLAGS ?=

.PHONY: e2e e2e-server e2e-check run demo bench

e2e-server: ## build the pinned Mattermost server and mmctl into the cache (once per server version, Go and e2e/go.mod)
	cd $(E2E_DIR) && $(E2E_GOENV) $(E2E_GO) run ./cmd/buildserver

e2e: dist e2e-server ## end-to-end tests: the bundle on a real Mattermost server and PostgreSQL
	cd $(E2E_DIR) && $(E2E_GOENV) $(E2E_GO) test $(E2E_TESTFLAGS) -timeout $(E2E_TIMEOUT) \
		$(if $(E2E_RUN),-run '$(E2E_RUN)') ./...

# deadcode runs with -test here: the harness exists for the tests.
e2e-check: $(BIN)/staticcheck $(BIN)/deadcode ## gofmt, go vet, staticcheck and deadcode of the e2e module
	@out=$$(gofmt -l $(E2E_DIR)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	cd $(E2E_DIR) && $(E2E_GOENV) $(E2E_GO) vet ./...
	cd $(E2E_DIR) && $(E2E_GOENV) $(CURDIR)/$(BIN)/staticcheck ./...
	@dead=$$(cd $(E2E_DIR) && $(E2E_GOENV) $(CURDIR)/$(BIN)/deadcode -test ./...) || exit 1; \
		if [ -n "$$dead" ]; then echo "dead code (e2e, deadcode -test ./...):"; echo "$$dead"; exit 1; fi

$(E2E_RUN_DIR)/bin/run $(E2E_RUN_DIR)/bin/demo: FORCE_E2E
	@mkdir -p $(E2E_RUN_DIR)/bin
	cd $(E2E_DIR) && $(E2E_GOENV) $(E2E_GO) build -o $@ ./cmd/$(notdir $@)

.PHONY: FORCE_E2E
FORCE_E2E:

run: dist e2e-server $(E2E_RUN_DIR)/bin/run ## local server with the plugin and demo users (data in .run/, Ctrl-C stops)
	@$(E2E_GOENV) $(E2E_RUN_DIR)/bin/run -dir '$(E2E_RUN_DIR)' -port $(E2E_RUN_PORT) -pg-port $(E2E_RUN_PG_PORT)

bench: dist e2e-server ## measure the plugin against floors on one real server (SEED=N, SEED_LAYOUT=1, SEED_REV=rev); not part of `make test`
	cd $(E2E_DIR) && $(E2E_GOENV) $(E2E_GO) run ./cmd/bench -seed $(E2E_BENCH_SEED) \
		$(if $(SEED_REV),-seed-rev '$(SEED_REV)') $(if $(SEED_LAYOUT),-seed-layout '$(SEED_LAYOUT)') $(E2E_BENCH_FLAGS)

demo: $(E2E_RUN_DIR)/bin/demo ## act as the demo users of `make run` and show what each sees
	@$(E2E_RUN_DIR)/bin/demo -dir '$(E2E_RUN_DIR)'
