#!/usr/bin/env bash
# The benchmarks (bench/run.ts): sync rate against the rate-limit bound, query latency through MCP,
# memory and disk. Quick mode unless --full; --profile also writes V8 CPU profiles to bench/profiles/.
# Usage: ./scripts/run_performance_test.sh [--full] [--profile] [--output perftest_results.json]
source "$(dirname "$0")/lib.sh"
node_flags=()
args=(--quick)
while [ $# -gt 0 ]; do
  case "$1" in
    --full) args=("${args[@]/--quick}") ;;
    --profile) node_flags+=(--cpu-prof --cpu-prof-dir=bench/profiles) ;;
    --output) args+=(--output "$2"); shift ;;
    *) echo "unknown option: $1 (use --full, --profile, --output FILE)" >&2; exit 2 ;;
  esac
  shift
done
exec node "${node_flags[@]}" dist/bench/run.js ${args[@]+"${args[@]}"}
