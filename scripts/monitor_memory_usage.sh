#!/usr/bin/env bash
# Samples the resident memory of running fast-intercom-mcp processes (or --pid PID) until stopped
# (Ctrl-C, pkill -f monitor_memory_usage) or, with --pid, until that process exits; then prints the peak.
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
peak=0
samples=0
report() {
  echo "Peak memory: $((peak / 1024)) MB RSS over ${samples} samples${pid:+ of PID $pid}"
  exit 0
}
trap report INT TERM
while :; do
  if [ -n "$pid" ]; then
    kill -0 "$pid" 2>/dev/null || report
    rss=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)
  else
    # Every process running the CLI, summed: a sync, a server and the integration test's children.
    rss=$(ps -eo rss=,args= | awk '/fast-intercom-mcp|dist\/src\/cli\/main\.js/ && !/awk|monitor_memory_usage/ {s += $1} END {print s + 0}')
  fi
  rss=${rss:-0}
  samples=$((samples + 1))
  if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  echo "$(date -u +%H:%M:%S) rss=$((rss / 1024))MB peak=$((peak / 1024))MB"
  sleep "$interval" &
  wait $! || true
done
