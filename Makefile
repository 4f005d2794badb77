# Kindred: `make run` serves it, `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(HOME)/.cache/kindred/target
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

TEST_PORT ?= 3100

# CI builds once from scratch: incremental caches would only cost disk.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

.PHONY: help setup run build test test-rust test-e2e test-hangups test-crash test-soak crash soak bench bench-smoke lint fmt clean FORCE

# The release build is redone only when a tracked input changed since the last one (or the
# server binary is gone): `make test` builds once, and a second `make build` is instant.
SITE_INPUTS := $(wildcard $(shell git ls-files -- app frontend server migrations style public Cargo.toml Cargo.lock 2>/dev/null))
BUILD_STAMP := target/site/.kindred-build

help: ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## Install the toolchain pieces and packages Kindred needs (idempotent)
	@bash scripts/setup.sh

build: setup $(BUILD_STAMP) ## Build the release server and site (skipped when nothing changed)

$(BUILD_STAMP): $(SITE_INPUTS) $(if $(wildcard $(CARGO_TARGET_DIR)/release/server),,FORCE)
	@echo "==> Building Kindred (release: server + WASM bundle split per page; a cold build takes ~8 minutes; assets precompressed with gzip and brotli)"
	cargo leptos build --release --split --precompress
	@touch $@

FORCE:

run: build ## Build and serve Kindred at http://127.0.0.1:3000 (data in data/kindred.db)
	@echo "==> Serving Kindred on http://127.0.0.1:3000 (Ctrl-C to stop)"
	$(CARGO_TARGET_DIR)/release/server

test: setup ## Run every test: lint, unit, integration (real SQLite files), end-to-end in headless Chromium, hang-ups, bench smoke
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-rust
	@$(MAKE) --no-print-directory test-e2e
	@$(MAKE) --no-print-directory test-hangups
	@$(MAKE) --no-print-directory test-crash
	@$(MAKE) --no-print-directory test-soak
	@$(MAKE) --no-print-directory bench-smoke

# The integration suite's second pass, on PostgreSQL: every test but those about SQLite
# itself (its file backups, its write lock under cancellation, a full disk, its query
# planner, its page cache) and the three that run on PostgreSQL in the first pass already.
POSTGRES_SUITE := -E 'not (binary(backup) | binary(cancellation) | binary(diskfull) | binary(migrate_data) | binary(schema_parity) | binary(fleet) | test(=healthz_reports_the_database) | test(=healthz_reports_writes_stalled_while_something_holds_the_write_lock) | test(=posts::page_queries_read_indexes_not_tables))'

test-rust: ## Unit and integration tests (real SQLite files, then the suite again on a throwaway PostgreSQL cluster)
	@echo "==> Rust unit and integration tests"
	@bash scripts/prune-test-binaries.sh "$(CARGO_TARGET_DIR)/debug/deps"
	bash scripts/with-postgres.sh cargo nextest run -p app -p server --features app/ssr --no-fail-fast
	@echo "==> The integration suite again, on PostgreSQL"
	KINDRED_TEST_ENGINE=postgres bash scripts/with-postgres.sh cargo nextest run -p server --no-fail-fast $(POSTGRES_SUITE)

# The main flows again on PostgreSQL, served by two instances of one fleet.
E2E_POSTGRES_SPECS := accounts communities discussions impact live

test-e2e: build ## End-to-end tests in headless Chromium, hydrated and with JavaScript off (then the main flows on a two-instance PostgreSQL fleet)
	@echo "==> End-to-end tests (Playwright + Debian Chromium) against a fresh database"
	@bash scripts/e2e.sh $(TEST_PORT)
	@echo "==> The main flows again, on two instances sharing a throwaway PostgreSQL database"
	@E2E_DATABASE=postgres bash scripts/with-postgres.sh bash scripts/e2e.sh $(TEST_PORT) $(E2E_POSTGRES_SPECS)

test-hangups: build ## Hang up 300 real HTTP writes at random moments under CPU load; nothing else may suffer
	@echo "==> Cancel safety: abandoned writes against the release server"
	python3 scripts/hangups.py

test-crash: build ## kill -9 the release server 20 times under writes; no acknowledged write may be lost
	@echo "==> Crash consistency: 20 kills under write load"
	python3 scripts/crash.py --kills 20

crash: build ## The long form: 1,000 kills (about 50 minutes on 2 cores)
	python3 scripts/crash.py --kills 1000

test-soak: build ## 50 simulated members for 2 minutes, the server frozen 15 s on the way: no 5xx, no lost write, memory and WAL bounded
	@echo "==> Soak: 50 members, 2 minutes, a 15-second stall"
	python3 scripts/soak.py --minutes 2 --stall 15

soak: build ## The long form: 50 members for 30 minutes
	python3 scripts/soak.py --minutes 30

bench: build ## Benchmark at scale 1 (and 10) against a bare-axum ceiling; writes target/bench/results.json
	@echo "==> Benchmark (generates data on first run: ~1 minute at scale 1, ~10 at scale 10)"
	python3 bench/run.py

bench-smoke: build ## The benchmark harness at a tiny scale, a few seconds per scenario
	@echo "==> Benchmark smoke run"
	python3 bench/run.py --smoke

lint: ## Format check (rustfmt, leptosfmt for view! macros) and clippy (warnings are errors)
	@echo "==> Format check and clippy"
	cargo fmt --all --check
	leptosfmt --check app/src frontend/src
	cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

fmt: ## Format the code: rustfmt, then leptosfmt for view! macros
	cargo fmt --all
	leptosfmt app/src frontend/src

clean: ## Remove build output and the local database
	rm -rf $(CARGO_TARGET_DIR) target data node_modules end2end/test-results
