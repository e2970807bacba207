#!/usr/bin/env bash
# N MCP clients (one server process each, one workspace) query while a forced sync rewrites the data:
# every answer must equal the local copy and none may be "database is locked".
# Usage: ./scripts/test_concurrent_clients.sh [--clients 5]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/concurrent-clients.js "$@"
