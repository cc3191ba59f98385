#!/usr/bin/env bash
# Builds the sign-in widget (release, size-tuned cargo profile `widget`, wasm-opt -Oz) into dist/
# with Trunk, offline. Run scripts/install-tools.sh once first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${COGNATE_TOOLS_DIR:-$ROOT/.tools}"
WASM_OPT_MAJOR=132

# binaryen from npm first on PATH: Trunk uses the first wasm-opt it finds, and Debian's
# binaryen 108 produces a wasm that fails at load.
export PATH="$TOOLS_DIR/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if ! wasm-opt --version 2>/dev/null | grep -q "version ${WASM_OPT_MAJOR}\b"; then
  echo "error: wasm-opt ${WASM_OPT_MAJOR} not first on PATH (found: $(command -v wasm-opt || echo none));" \
    "run scripts/install-tools.sh" >&2
  exit 1
fi
for tool in trunk wasm-bindgen terser; do
  command -v "$tool" >/dev/null || { echo "error: $tool missing; run scripts/install-tools.sh" >&2; exit 1; }
done

cd "$ROOT"
# Trunk runs cargo --offline (Trunk.toml): make sure every crate is downloaded.
cargo fetch --quiet
trunk build --release --skip-version-check --dist "$ROOT/dist"
# Minify wasm-bindgen's JS glue (ES module: exports and import.meta stay as they are).
for file in dist/cognate-widget.js dist/cognate.js dist/snippets/*/*.js dist/oauth/*.js dist/mfa/*.js dist/identity/*.js dist/srp/*.js; do
  terser "$file" --module --compress --mangle --output "$file.min"
  mv "$file.min" "$file"
done

if command -v brotli >/dev/null; then
  total=0
  for file in dist/*.wasm dist/*.js dist/snippets/*/*.js dist/*.css; do
    [ -f "$file" ] || continue
    size=$(brotli -c "$file" | wc -c)
    total=$((total + size))
    printf '%8d B  %s (brotli)\n' "$size" "$file"
  done
  printf '%8d B  total wasm + js + css (brotli; default locale: other catalogues load on demand)\n' "$total"
  # design.md's budget: the sign-in form (default locale) in at most 100 KB brotli.
  if [ "$total" -gt 100000 ]; then
    echo "error: the widget is $total B brotli, over its 100,000 B budget" >&2
    exit 1
  fi
  # Loaded on demand: redirect sign-in and the hosted page (oauth/), authenticator setup (mfa/), SRP sign-in and devices (srp/).
  for file in dist/oauth/*.js dist/mfa/*.js dist/srp/*.js; do
    printf '%8d B  %s (brotli; loaded on demand)\n' "$(brotli -c "$file" | wc -c)" "$file"
  done
  for file in dist/identity/*.js; do
    printf '%8d B  %s (brotli; loaded only when the page calls getCredentials)\n' \
      "$(brotli -c "$file" | wc -c)" "$file"
  done
fi
