#!/usr/bin/env bash
# The store's queries timed on the copy in use (the workspace's SQLite file, or
# FASTINTERCOM_DATABASE_URL): status, newest page, text searches, a conversation, statistics,
# contacts, the directory; judged against the targets of tests/config.json.
# Usage: ./scripts/profile_database_performance.sh [--workspace DIR] [--runs 20]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/database-performance.js "$@"
