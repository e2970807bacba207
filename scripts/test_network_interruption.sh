#!/usr/bin/env bash
# A sync through dropped connections, 5xx and 429 bursts and a full outage mid-sync: it must recover
# and the final database must equal the emulator's workspace.
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/network-interruption.js "$@"
