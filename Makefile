# Responsible Disclosure for Mattermost — build, test and deploy.
# `make help` lists the targets.

GO ?= go
NPM ?= npm
GOLANGCI_LINT_VERSION ?= v2.15.0
STATICCHECK_VERSION ?= v0.8.2
DEADCODE_VERSION ?= v0.52.0

# The Go toolchain is the toolchain line of go.mod. A machine's Go environment
# may say GOTOOLCHAIN=local, which ignores that line, so it is exported here:
# every go command of the build, the tests and the tools it installs then run
# on that toolchain (the go command fetches it from the Go module proxy once).
# Both modules name the same one; a difference would build the e2e server with
# a Go its go.mod does not say.
GO_TOOLCHAIN := $(shell sed -n 's/^toolchain //p' go.mod)
ifneq ($(GO_TOOLCHAIN),$(shell sed -n 's/^toolchain //p' e2e/go.mod))
$(error go.mod and e2e/go.mod name different toolchains)
endif
export GOTOOLCHAIN := $(or $(GO_TOOLCHAIN),local)
# The linters are built by the toolchain they check with.
BIN := bin/$(GOTOOLCHAIN)

# make 4.3 passes exported variables to recipes but not to $(shell).
PLUGIN_ID := $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) run ./build/manifest id)
PLUGIN_VERSION := $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) run ./build/manifest version)
BUNDLE := dist/$(PLUGIN_ID)-$(PLUGIN_VERSION).tar.gz
PLATFORMS := linux-amd64 linux-arm64 darwin-amd64 darwin-arm64 windows-amd64
SERVER_BINARIES := $(foreach p,$(PLATFORMS),server/dist/plugin-$(p)$(if $(findstring windows,$(p)),.exe,))
GO_SOURCES := $(shell find . -path ./e2e -prune -o -path ./webapp -prune -o -name '*.go' -print) go.mod go.sum plugin.json
WEBAPP_SOURCES := $(shell find webapp/src -type f 2>/dev/null) $(wildcard webapp/*.json webapp/*.js webapp/*.mjs)

.DEFAULT_GOAL := dist
.PHONY: help dist server webapp bundle test test-unit test-go test-webapp fuzz fuzz-ci check-style deploy clean

help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

dist: $(BUNDLE) ## build the installable bundle under dist/

server: $(SERVER_BINARIES) ## build the server binaries for every platform

# One pattern rule per platform; CGO off and -trimpath give static, reproducible binaries.
server/dist/plugin-%: $(GO_SOURCES)
	@mkdir -p server/dist
	CGO_ENABLED=0 GOOS=$(word 1,$(subst -, ,$(basename $*))) GOARCH=$(word 2,$(subst -, ,$(basename $*))) \
		$(GO) build -trimpath -ldflags '-s -w' -o $@ ./server

webapp: webapp/dist/main.js ## build the webapp bundle

webapp/node_modules/.package-lock.json: webapp/package-lock.json
	cd webapp && $(NPM) ci --no-audit --no-fund
	@touch $@

webapp/dist/main.js: webapp/node_modules/.package-lock.json $(WEBAPP_SOURCES)
	cd webapp && $(NPM) run build

$(BUNDLE): $(SERVER_BINARIES) webapp/dist/main.js plugin.json $(wildcard assets/*)
	rm -rf dist/stage && mkdir -p dist/stage/$(PLUGIN_ID)/server/dist dist/stage/$(PLUGIN_ID)/webapp/dist
	cp plugin.json dist/stage/$(PLUGIN_ID)/
	cp -r assets dist/stage/$(PLUGIN_ID)/
	cp $(SERVER_BINARIES) dist/stage/$(PLUGIN_ID)/server/dist/
	cp webapp/dist/main.js dist/stage/$(PLUGIN_ID)/webapp/dist/
	tar -C dist/stage -czf $@ $(PLUGIN_ID)
	rm -rf dist/stage
	$(GO) run ./build/manifest check-bundle $@

test: test-unit e2e ## run every test: Go and webapp unit tests, then the e2e suite on a real server

test-unit: test-go test-webapp

test-go: ## Go unit tests with the race detector
	$(GO) test -race -count=1 ./...

# Fuzz targets (func Fuzz* in server/) run one at a time, FUZZTIME each;
# build/fuzz.sh prints the executions of each. A long local run (FUZZTIME=1h)
# is what finds the rare inputs; CI's short one keeps every target running.
FUZZTIME ?= 30s
fuzz: ## run every fuzz target for FUZZTIME each (default 30s), then list their executions
	FUZZTIME='$(FUZZTIME)' GO='$(GO)' build/fuzz.sh

fuzz-ci: ## every fuzz target for 5 seconds, as CI runs them
	$(MAKE) fuzz FUZZTIME=5s

test-webapp: webapp/node_modules/.package-lock.json ## webapp Jest tests
	cd webapp && $(NPM) test -- --ci

$(BIN)/golangci-lint:
	GOBIN=$(CURDIR)/$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

$(BIN)/staticcheck:
	GOBIN=$(CURDIR)/$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(BIN)/deadcode:
	GOBIN=$(CURDIR)/$(BIN) $(GO) install golang.org/x/tools/cmd/deadcode@$(DEADCODE_VERSION)

# deadcode starts from the plugin's main and the seeder's (build/seed, which
# make bench runs on the plugin's store) and never from tests, so it reports
# everything only tests reach. Package servicetest exists only for tests (it
# builds the use cases for them), so what deadcode finds there is expected and
# left out; anything else it reports is dead and fails the check.
check-style: $(BIN)/golangci-lint $(BIN)/staticcheck $(BIN)/deadcode webapp/node_modules/.package-lock.json e2e-check ## gofmt, go vet, golangci-lint, staticcheck, deadcode, ESLint, tsc
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^e2e/')); \
		if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(BIN)/golangci-lint run ./...
	$(BIN)/staticcheck ./...
	@found=$$($(BIN)/deadcode ./server/... ./build/seed) || exit 1; \
		dead=$$(printf '%s\n' "$$found" | grep -v '^server/service/servicetest/'); \
		if [ -n "$$dead" ]; then echo "dead code (deadcode ./server/... ./build/seed):"; echo "$$dead"; exit 1; fi
	cd webapp && $(NPM) run lint && $(NPM) run check-types

deploy: $(BUNDLE) ## install and enable the bundle (MM_SERVICESETTINGS_SITEURL + MM_ADMIN_TOKEN, or MM_LOCALSOCKETPATH)
	$(GO) run ./build/pluginctl deploy $(PLUGIN_ID) $(BUNDLE)

clean: ## remove build outputs
	rm -rf dist server/dist webapp/dist bin

include build/e2e.mk
