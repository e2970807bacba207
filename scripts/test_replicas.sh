#!/usr/bin/env bash
# Three `serve` replicas on one PostgreSQL database, 30 MCP clients for 60 s, the sync leader killed
# with SIGKILL mid-sync: another must lead within 30 s, and the copy end equal to the workspace.
# Usage: FASTINTERCOM_DATABASE_URL=postgres://… ./scripts/test_replicas.sh [--replicas 3] [--clients 30]
# (without the URL it starts a PostgreSQL of its own from the embedded-postgres package)
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/replicas.js "$@"
