#!/usr/bin/env bash
# The network a sync of the last --days uses: calls and bytes by phase and second by second, bytes and calls per conversation (target of tests/config.json).
# Against your workspace with INTERCOM_ACCESS_TOKEN, else the built-in emulator.
# Usage: ./scripts/monitor_network_during_sync.sh [--days 7]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/network-during-sync.js "$@"
