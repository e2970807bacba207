#!/usr/bin/env bash
# Node 22: installs Node.js 22 from the npm registry (the `node` package) into a temporary prefix,
# installs a fresh checkout of this repository under it (better-sqlite3 compiles for Node 22's ABI,
# a few minutes), and runs the CLI's smoke test there: --version, doctor's Node.js and native-module
# checks, and `npm start` (the emulator, a sync, the stdio server asked by the SDK client, the
# integration report), which must not end FAILED. Run by .ci/run after the test suite.
# Usage: ./scripts/test_node22.sh [--keep]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keep=false
[ "${1:-}" = "--keep" ] && keep=true
work=$(mktemp -d "${TMPDIR:-/tmp}/fim-node22-XXXXXX")
$keep || trap 'rm -rf "$work"' EXIT

echo "🟢 Node 22 smoke test in $work"
npm install --no-audit --no-fund --prefix "$work/runtime" node@22 >&2
node22="$work/runtime/node_modules/node/bin/node"
[ -x "$node22" ] || { echo "❌ the node@22 package did not install a node binary" >&2; exit 1; }
version=$("$node22" --version)
case "$version" in
  v22.*) echo "✅ Node.js $version from the npm registry" ;;
  *) echo "❌ expected Node.js 22, got $version" >&2; exit 1 ;;
esac

# Node 22 first on the PATH: npm, node-gyp and the scripts below all run under it. Native modules
# compile against its own headers (the package carries them), not those npm may be set to use.
export PATH="$(dirname "$node22"):$PATH"
headers=$(find "$work/runtime/node_modules" -path '*/include/node/node_version.h' -print -quit)
[ -n "$headers" ] || { echo "❌ the node@22 package brought no headers" >&2; exit 1; }
export npm_config_nodedir="${headers%/include/node/node_version.h}"
checkout="$work/fast-intercom-mcp"
mkdir -p "$checkout"
git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
  if [ -e "$f" ]; then mkdir -p "$checkout/$(dirname "$f")" && cp -p "$f" "$checkout/$f"; fi
done
cd "$checkout"
[ "$(node --version)" = "$version" ] || { echo "❌ node on the PATH is $(node --version)" >&2; exit 1; }
npm ci --no-audit --no-fund >&2
echo "✅ npm ci under Node 22 (better-sqlite3 built for ABI $(node -p process.versions.modules))"

scripts/smoke.sh "Node 22"
echo ""
echo "Node 22 test PASSED ✅"
