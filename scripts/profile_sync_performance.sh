#!/usr/bin/env bash
# The sync diagnosis (diagnose_sync_performance.sh) with a CPU profile of the syncing process: the
# functions that took the most time, and the profile itself for Chrome DevTools (--output).
# Usage: ./scripts/profile_sync_performance.sh [--days 7] [--output sync.cpuprofile]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/diagnose-sync.js --profile "$@"
