#!/usr/bin/env bash
# The weekly health check: the integration test (7 days), its JSON report kept in reports/ of the
# test workspace (or --reports DIR) and compared with the last kept one. Exit code: the test's
# (0 PASSED, 2 PARTIAL, 1 FAILED). Against your workspace with INTERCOM_ACCESS_TOKEN, else the emulator.
# Usage: ./scripts/weekly_integration_check.sh [--days 7] [--reports DIR]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/weekly-check.js "$@"
