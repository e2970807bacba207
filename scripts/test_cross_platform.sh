#!/usr/bin/env bash
# Cross-platform: the CLI's smoke test (scripts/smoke.sh: --version, doctor's Node.js and native
# module checks, `npm start` not FAILED) under the Node.js on the PATH, then under Node.js 22
# installed from the npm registry into a fresh checkout (scripts/test_node22.sh; a few minutes, it
# compiles better-sqlite3). Other systems: the workflow's cross-platform job runs this script on
# Linux and macOS with Node 20 and 22 (.github/workflows/integration-test.yml).
# Usage: ./scripts/test_cross_platform.sh [--current-only]
source "$(dirname "$0")/lib.sh"
echo "🌐 Cross-platform test on $(uname -s) $(uname -m)"
scripts/smoke.sh "Node $(node --version) (the one on the PATH)"
if [ "${1:-}" != "--current-only" ]; then
  scripts/test_node22.sh
fi
echo ""
echo "Cross-platform test PASSED ✅"
