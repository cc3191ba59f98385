#!/usr/bin/env bash
# Runs the Playwright end-to-end tests against the real server and widget build.
# Assumes the server binary (COGNATE_BIN, default target/debug/cognate) and dist/ are built:
#   cargo build -p cognate-server && scripts/build-widget.sh && scripts/e2e.sh
# Extra arguments go to `playwright test` (e.g. a spec file or --grep).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/e2e"
if [ ! -d node_modules/@playwright/test ]; then
  echo "error: e2e dependencies missing; run scripts/install-tools.sh" >&2
  exit 1
fi
exec npx --no-install playwright test "$@"
