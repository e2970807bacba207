#!/usr/bin/env bash
# Per-route latency of the Intercom API the sync uses (GET /me, GET /admins, POST
# /conversations/search, GET /conversations/{id}), one call at a time: p50, p95, max, answer size.
# Against your workspace with INTERCOM_ACCESS_TOKEN, else the built-in emulator.
# Usage: ./scripts/measure_api_latency.sh [--samples 10]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/api-latency.js "$@"
