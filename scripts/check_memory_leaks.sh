#!/usr/bin/env bash
# Repeated rounds of change, incremental sync and MCP questions; fails when this process's heap or the server's memory keeps growing after two warm-up rounds.
# Against your workspace with INTERCOM_ACCESS_TOKEN, else the built-in emulator.
# Usage: ./scripts/check_memory_leaks.sh [--cycles 6] [--changes 40]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/memory-leaks.js "$@"
