#!/usr/bin/env bash
# The CLI's smoke test under the node on the PATH, in this checkout (built): --version, doctor's
# Node.js and native-module checks, and `npm start` (the emulator, a sync, the stdio server asked by
# the SDK client, the integration report), which must not end FAILED. Used by test_node22.sh and
# test_cross_platform.sh.
# Usage: scripts/smoke.sh "<label>"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
label="${1:-Node $(node --version)}"
version=$(node --version)
work=$(mktemp -d "${TMPDIR:-/tmp}/fim-smoke-XXXXXX")
trap 'rm -rf "$work"' EXIT
# An empty home: no saved token or client configuration of the user's changes what it proves.
export HOME="$work/home"
mkdir -p "$HOME"
cli=(node dist/src/cli/main.js)
[ "$("${cli[@]}" --version)" = "$(node -p 'require("./package.json").version')" ]
echo "✅ fast-intercom-mcp --version"
doctor=$("${cli[@]}" doctor || true)
grep -q "✓ Node.js: *${version#v}" <<<"$doctor" || { echo "$doctor" >&2; echo "❌ doctor's Node.js check" >&2; exit 1; }
grep -q "✓ Native module: better-sqlite3 loads for Node.js ${version#v}" <<<"$doctor" || { echo "$doctor" >&2; echo "❌ doctor's native-module check" >&2; exit 1; }
echo "✅ doctor: Node.js and the native module pass under $label"

set +e
npm start >"$work/start.log" 2>&1
code=$?
set -e
verdict=$(grep -Eo 'Integration Test Result: .*' "$work/start.log" | tail -1 || true)
if [ "$code" -ne 0 ] || [ -z "$verdict" ] || grep -q 'FAILED' <<<"$verdict"; then
  tail -40 "$work/start.log" >&2
  echo "❌ npm start under $label: exit $code, ${verdict:-no report}" >&2
  exit 1
fi
echo "✅ npm start under $label: ${verdict}"
