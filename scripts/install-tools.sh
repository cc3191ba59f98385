#!/usr/bin/env bash
# Installs what building the widget and running the e2e tests need, on Debian 12 (as root, or
# with sudo for the apt step). Idempotent: every step is skipped when the right version is present.
#
#   - rustup target wasm32-unknown-unknown
#   - trunk 0.21.14 and wasm-bindgen-cli 0.2.129 (cargo install --locked, into ~/.cargo/bin)
#   - binaryen 132 from npm into .tools/ (its wasm-opt; Debian's binaryen 108 breaks the wasm)
#     and terser (minifies wasm-bindgen's JS, which Trunk 0.21's minifier cannot parse)
#   - Debian's chromium, chromium-driver and brotli
#   - pycognito (PyPI) for e2e/python/
#   - Debian's postgresql (initdb and pg_ctl for scripts/with-postgres.sh: the SDK suite against
#     the PostgreSQL backend)
#   - the e2e/ npm dependencies (Playwright; never `npx playwright install`)
#
# Only crates.io, npm and Debian are reachable from CI: nothing here downloads prebuilt binaries
# from elsewhere. See /work/shared/toolchain.md for why these exact versions.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${COGNATE_TOOLS_DIR:-$ROOT/.tools}"
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.129
BINARYEN_VERSION=132.0.0
BINARYEN_MAJOR=${BINARYEN_VERSION%%.*}
TERSER_VERSION=5.51.4

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "error: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  # The package lists of a fresh image may be stale or empty: refresh only when needed.
  as_root apt-get install -y --no-install-recommends "$@" \
    || { as_root apt-get update && as_root apt-get install -y --no-install-recommends "$@"; }
}

# --- prerequisites ---------------------------------------------------------------------------
if ! command -v rustup >/dev/null || ! command -v cargo >/dev/null; then
  echo "error: rustup and cargo are required (https://rustup.rs); install them first" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log "installing nodejs and npm (Debian)"
  apt_install nodejs npm
fi
# Playwright 1.65 needs Node 20 or later; Debian 12's own nodejs is 18.
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" -lt 20 ]; then
  echo "error: Node $(node --version) is too old for Playwright 1.65; install Node 20 or later" >&2
  exit 1
fi

# --- Rust: wasm target, trunk, wasm-bindgen --------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown target present"
else
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo_install <binary> <crate> <version>: skipped when `<binary> --version` reports <version>.
cargo_install() {
  local bin=$1 crate=$2 version=$3 current=""
  if command -v "$bin" >/dev/null; then
    current="$("$bin" --version 2>/dev/null | awk '{print $2}')" || current=""
  fi
  if [ "$current" = "$version" ]; then
    log "$bin $version present"
  else
    log "installing $crate $version (was: ${current:-none})"
    cargo install --locked "$crate@$version"
  fi
}
cargo_install trunk trunk "$TRUNK_VERSION"
cargo_install wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"

# --- binaryen (wasm-opt) and terser from npm, project-local ------------------------------------
# Installed together: an `npm install --no-save` of one would prune the other.
WASM_OPT="$TOOLS_DIR/node_modules/.bin/wasm-opt"
TERSER="$TOOLS_DIR/node_modules/.bin/terser"
if [ -x "$WASM_OPT" ] && "$WASM_OPT" --version 2>/dev/null | grep -q "version ${BINARYEN_MAJOR}\b" \
  && [ -x "$TERSER" ] && [ "$("$TERSER" --version 2>/dev/null)" = "terser $TERSER_VERSION" ]; then
  log "binaryen $BINARYEN_VERSION and terser $TERSER_VERSION present in $TOOLS_DIR"
else
  log "installing binaryen@$BINARYEN_VERSION and terser@$TERSER_VERSION into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-save --no-package-lock --no-audit --no-fund \
    "binaryen@$BINARYEN_VERSION" "terser@$TERSER_VERSION"
  "$WASM_OPT" --version
  "$TERSER" --version
fi

# --- Chromium, chromedriver, brotli (Debian) ---------------------------------------------------
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && command -v brotli >/dev/null; then
  log "chromium, chromedriver and brotli present"
else
  log "installing chromium, chromium-driver and brotli (Debian)"
  apt_install chromium chromium-driver brotli
fi

# --- PostgreSQL server binaries (Debian), for scripts/with-postgres.sh ---------------------------
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  log "postgresql present"
else
  log "installing postgresql (Debian)"
  apt_install postgresql
fi

# --- aiosmtpd: the real SMTP server the delivery tests send to ---------------------------------
if python3 -c "import aiosmtpd" 2>/dev/null; then
  log "aiosmtpd present"
else
  log "installing aiosmtpd (PyPI)"
  python3 -m pip install --quiet "aiosmtpd==1.4.6"
fi

# --- pycognito: a Python client nobody here wrote, run against the server by e2e/python/ -----
PYCOGNITO_VERSION=2024.5.1
if [ "$(python3 -c 'import importlib.metadata as m; print(m.version("pycognito"))' 2>/dev/null)" = "$PYCOGNITO_VERSION" ]; then
  log "pycognito $PYCOGNITO_VERSION present"
else
  log "installing pycognito $PYCOGNITO_VERSION (PyPI, with boto3)"
  python3 -m pip install --quiet "pycognito==$PYCOGNITO_VERSION"
fi

# --- e2e npm dependencies --------------------------------------------------------------------
E2E="$ROOT/e2e"
# npm writes node_modules/.package-lock.json on every install: newer than the manifests means
# the tree is current.
if [ -f "$E2E/node_modules/.package-lock.json" ] \
  && [ "$E2E/node_modules/.package-lock.json" -nt "$E2E/package.json" ] \
  && { [ ! -f "$E2E/package-lock.json" ] \
    || [ "$E2E/node_modules/.package-lock.json" -nt "$E2E/package-lock.json" ]; }; then
  log "e2e npm dependencies present"
elif [ -f "$E2E/package-lock.json" ]; then
  log "installing e2e npm dependencies (npm ci)"
  (cd "$E2E" && npm ci --no-audit --no-fund)
else
  log "installing e2e npm dependencies (npm install)"
  (cd "$E2E" && npm install --no-audit --no-fund)
fi

log "tools ready; build the widget with scripts/build-widget.sh"
