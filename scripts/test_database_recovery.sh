#!/usr/bin/env bash
# A database truncated, then one with garbage pages: detected with a clear message (exit 5), and
# `reset --yes` + `sync` restore a complete copy.
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/database-recovery.js "$@"
