#!/usr/bin/env bash
# A sync under V8's sampling heap profiler: heap and resident memory before, at the peak, after; the allocation sites that held the most; the profile for Chrome DevTools.
# Against your workspace with INTERCOM_ACCESS_TOKEN, else the built-in emulator.
# Usage: ./scripts/analyze_memory_profile.sh [--days 7] [--output sync.heapprofile]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/memory-profile.js "$@"
