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

.PHONY: help setup run build test test-rust test-e2e lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## Install the toolchain pieces and packages Kindred needs (idempotent)
	@bash scripts/setup.sh

build: setup ## Build the release server and site
	@echo "==> Building Kindred (release: server + WASM bundle; a cold build takes ~5 minutes)"
	cargo leptos build --release

run: build ## Build and serve Kindred at http://127.0.0.1:3000 (data in data/kindred.db)
	@echo "==> Serving Kindred on http://127.0.0.1:3000 (Ctrl-C to stop)"
	$(CARGO_TARGET_DIR)/release/server

test: setup ## Run every test: lint, unit, integration (real SQLite files) and end-to-end in headless Chromium
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-rust
	@$(MAKE) --no-print-directory test-e2e

test-rust: ## Unit and integration tests
	@echo "==> Rust unit and integration tests"
	cargo nextest run -p app -p server --features app/ssr --no-fail-fast

test-e2e: build ## End-to-end tests in headless Chromium, hydrated and with JavaScript off
	@echo "==> End-to-end tests (Playwright + Debian Chromium) against a fresh database"
	@bash scripts/e2e.sh $(TEST_PORT)

lint: ## Format check and clippy (warnings are errors)
	@echo "==> Format check and clippy"
	cargo fmt --all --check
	cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

clean: ## Remove build output and the local database
	rm -rf $(CARGO_TARGET_DIR) target data node_modules end2end/test-results
