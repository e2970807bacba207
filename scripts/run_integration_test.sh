#!/usr/bin/env bash
# The integration test of the testing procedures: sync, data integrity, every MCP tool, performance, report.
# Without INTERCOM_ACCESS_TOKEN it runs against the built-in emulator. Exit 0 only on PASSED.
# Usage: ./scripts/run_integration_test.sh [--days N] [--max-conversations N] [--performance-report] [--output FILE] [--keep]
source "$(dirname "$0")/lib.sh"
exec node dist/src/cli/main.js integration-test "$@"
