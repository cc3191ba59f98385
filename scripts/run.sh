#!/usr/bin/env bash
# The run command: installs what is missing, builds the widget and the server (release), and
# starts Cognate in development mode with its embedded defaults — SQLite in ./.cognate, a demo
# user pool and app client, the dev mailbox — at http://localhost:8765/.
# Extra arguments go to `cognate serve` (e.g. --listen 127.0.0.1:9000).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/install-tools.sh
scripts/build-widget.sh
cargo build --release -p cognate-server --locked
COGNATE_WIDGET_DIR="${COGNATE_WIDGET_DIR:-$ROOT/dist}" exec "${CARGO_TARGET_DIR:-$ROOT/target}/release/cognate" serve --dev "$@"
