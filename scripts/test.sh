#!/usr/bin/env bash
# The test command: installs what is missing, then runs every check and test —
# formatting, clippy, the Rust unit and SDK integration tests (on SQLite, then the SDK tests again
# on PostgreSQL), the widget's component tests in Chromium (wasm-bindgen-test), the widget's
# release build, and the Playwright end-to-end tests in Debian's Chromium against a real server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "installing missing tools"
scripts/install-tools.sh
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (workspace, all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (unit tests and the SDK integration tests)"
cargo test --workspace --locked

step "the SDK integration tests against PostgreSQL (a throwaway local cluster)"
scripts/with-postgres.sh cargo test -p cognate-server --locked --test api

step "widget component tests in Chromium (wasm-bindgen-test)"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test -p cognate-widget --locked --target wasm32-unknown-unknown --test browser

step "building the widget (release) and the server"
scripts/build-widget.sh
cargo build -p cognate-server --locked

step "amazon-cognito-identity-js, Amplify v6 and the widget's SRP module against the real server (node --test)"
(cd e2e && COGNATE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cognate" node --test node/)

step "pycognito against the real server (python3 -m unittest)"
COGNATE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cognate" python3 -m unittest discover -s e2e/python -v

step "Playwright end-to-end tests (real Chromium, real server)"
CI=1 COGNATE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cognate" scripts/e2e.sh

step "all tests passed"
