# Dext for Go — workspace tasks. See README.md and CONTRIBUTING.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export GOTOOLCHAIN := local

GO       ?= go
ROOT     := $(CURDIR)
MODULES  := $(shell $(GO) list -m -f '{{.Dir}}')
FUZZTIME ?= 30s
LINT     := $(ROOT)/.bin/golangci-lint

.PHONY: test fmt-check vet race modules tidy fuzz-replay bench-once lint lint-bin fuzz bench stress vuln

## test: everything CI checks (the README's test command).
test: fmt-check vet race modules tidy fuzz-replay bench-once lint
	@echo "make test: all green"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v /testdata/)); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet work

race:
	$(GO) test -race -count=1 work

## modules: each module alone, outside the workspace (catches missing requires).
modules:
	@for d in $(MODULES); do echo "== GOWORK=off go test $${d#$(ROOT)/}"; \
		(cd $$d && GOWORK=off $(GO) test -count=1 ./...) || exit 1; done

tidy:
	@for d in $(MODULES) $(ROOT)/tools; do echo "== go mod tidy -diff $${d#$(ROOT)/}"; \
		(cd $$d && GOWORK=off $(GO) mod tidy -diff) || exit 1; done

## fuzz-replay: replay every fuzz target's seed corpus (no fuzzing).
fuzz-replay:
	cd fuzz && $(GO) test -count=1 -run '^Fuzz' ./...

## bench-once: every benchmark body runs once, so none can rot.
bench-once:
	$(GO) test -run '^$$' -bench . -benchtime=1x work

lint-bin:
	@test -x $(LINT) || (echo "== building golangci-lint"; GOWORK=off $(GO) -C tools build -o $(LINT) github.com/golangci/golangci-lint/v2/cmd/golangci-lint)

lint: lint-bin
	@for d in $(MODULES); do echo "== golangci-lint $${d#$(ROOT)/}"; \
		(cd $$d && GOWORK=off $(LINT) run --allow-parallel-runners --config $(ROOT)/.golangci.yml ./...) || exit 1; done

## fuzz: each fuzz target in turn for FUZZTIME (default 30s).
fuzz:
	@cd fuzz && for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; done

## bench: the peer comparisons, rewriting bench/RESULTS.md.
bench:
	cd bench && $(GO) run ./cmd/report

## stress: the stress suites under -race; STRESS=1 makes them heavier.
stress:
	cd stress && $(GO) test -race -count=1 -timeout 60m -v ./... 2>&1 | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)' 

## vuln: govulncheck on every module (needs access to vuln.go.dev).
vuln:
	@for d in $(MODULES); do (cd $$d && GOWORK=off $(GO) -C $(ROOT)/tools tool govulncheck -C $$d ./...) || exit 1; done
