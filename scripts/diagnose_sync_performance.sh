#!/usr/bin/env bash
# Why a sync is slow: a recorded sync of the last --days into a temporary copy, by phase (calls,
# time, bytes), its slowest calls, its waits on the rate limit, and what bounds it. Against your
# workspace with INTERCOM_ACCESS_TOKEN, else the built-in emulator. Exit 1 if the sync fails or is
# below the sync-speed target of tests/config.json.
# Usage: ./scripts/diagnose_sync_performance.sh [--days 7] [--conversations 1500 (emulator only)]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/diagnose-sync.js "$@"
