#!/usr/bin/env bash
# Samples the resident memory of the fast-intercom-mcp processes started after it (the run it
# watches: a sync, a server, the integration test and its children; never other users' or earlier
# ones), or of --pid PID, until stopped (Ctrl-C, pkill -f monitor_memory_usage) or, with --pid,
# until that process exits. Then prints each process's peak and the peak of them together.
# Usage: ./scripts/monitor_memory_usage.sh [--pid PID] [--interval SECONDS]
set -euo pipefail
pid=""
interval=0.5
while [ $# -gt 0 ]; do
  case "$1" in
    --pid) pid="$2"; shift ;;
    --interval) interval="$2"; shift ;;
    *) echo "unknown option: $1 (use --pid PID, --interval SECONDS)" >&2; exit 2 ;;
  esac
  shift
done
[ -r /proc/self/stat ] || { echo "monitor_memory_usage needs /proc (Linux)" >&2; exit 2; }

# Start times in clock ticks since boot (field 22 of /proc/PID/stat, after the command in parentheses).
started() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }
me_started=$(started $$)

declare -A peak_of role_of
peak=0
samples=0
report() {
  echo "Peak memory: $((peak / 1024)) MB RSS${pid:+ of PID $pid}${pid:- for the processes of the run together}, over ${samples} samples"
  for p in "${!peak_of[@]}"; do
    echo "  PID $p (${role_of[$p]}): peak $((peak_of[$p] / 1024)) MB"
  done
  exit 0
}
trap report INT TERM

role() {
  case "$1" in
    *integration-test*) echo "integration test" ;;
    *" sync"*) echo "sync" ;;
    *" start"* | *" serve"*) echo "server" ;;
    *emulator*) echo "emulator" ;;
    *) echo "fast-intercom-mcp" ;;
  esac
}

while :; do
  total=0
  if [ -n "$pid" ]; then
    kill -0 "$pid" 2>/dev/null || report
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=${rss:-0}
    peak_of[$pid]=$(( ${peak_of[$pid]:-0} > total ? ${peak_of[$pid]:-0} : total ))
    role_of[$pid]="watched"
  else
    for dir in /proc/[0-9]*; do
      p=${dir#/proc/}
      [ "$p" = "$$" ] && continue
      args=$(tr '\0' ' ' <"$dir/cmdline" 2>/dev/null) || continue
      case "$args" in
        *fast-intercom-mcp* | *dist/src/cli/main.js*) ;;
        *) continue ;;
      esac
      case "$args" in *monitor_memory_usage*) continue ;; esac
      s=$(started "$p") || continue
      [ -n "$s" ] && [ "$s" -ge "$me_started" ] || continue
      rss=$(awk '/^VmRSS:/ {print $2}' "$dir/status" 2>/dev/null || echo 0)
      rss=${rss:-0}
      total=$((total + rss))
      peak_of[$p]=$(( ${peak_of[$p]:-0} > rss ? ${peak_of[$p]:-0} : rss ))
      role_of[$p]=$(role "$args")
    done
  fi
  samples=$((samples + 1))
  if [ "$total" -gt "$peak" ]; then peak=$total; fi
  echo "$(date -u +%H:%M:%S) rss=$((total / 1024))MB peak=$((peak / 1024))MB"
  sleep "$interval" &
  wait $! || true
done
