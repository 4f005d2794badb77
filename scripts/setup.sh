#!/usr/bin/env bash
# Installs what building and testing Kindred needs, skipping whatever is already right.
# Only package registries are used: crates.io, npm, Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$LEPTOS_VERSION"; then
  say "Installing cargo-leptos $LEPTOS_VERSION (no_downloads; about 10 minutes, once)"
  cargo install cargo-leptos --version "$LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

LEPTOSFMT_VERSION=0.1.33
if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
  say "Installing leptosfmt $LEPTOSFMT_VERSION (formats view! macros; about 2 minutes, once)"
  cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
fi

if ! cargo nextest --version >/dev/null 2>&1; then
  say "Installing cargo-nextest"
  cargo install cargo-nextest --locked
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages (binaryen's wasm-opt, Playwright without its browser download)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

missing_debs=()
[ -x /usr/bin/chromium ] || missing_debs+=(chromium)
command -v wrk >/dev/null 2>&1 || missing_debs+=(wrk)
command -v brotli >/dev/null 2>&1 || missing_debs+=(brotli)
/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || missing_debs+=(python3-icalendar)
# A real SMTP server on loopback for the e-mail tests.
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing_debs+=(python3-aiosmtpd)
# PostgreSQL for the second backend's tests (a throwaway cluster per run: scripts/postgres.sh).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing_debs+=(postgresql)
if [ ${#missing_debs[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing_debs[*]} (browser tests, benchmark, SMTP sink, PostgreSQL)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing_debs[@]}" >/dev/null
fi

