#!/usr/bin/env bash
# Database write speed and query times on a fresh SQLite copy: --conversations realistic
# conversations written one at a time as the sync writes them (target: 100+ conversations/second,
# tests/config.json), then the queries of profile_database_performance.sh.
# Usage: ./scripts/test_database_performance.sh [--conversations 1000] [--runs 20]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/database-performance.js --fresh "$@"
