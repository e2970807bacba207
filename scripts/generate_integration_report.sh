#!/usr/bin/env bash
# The kept integration reports of a period merged into one trend report (text; JSON with --output).
# Usage: ./scripts/generate_integration_report.sh --last-30-days [--reports DIR] [--output trend.json]
#        ./scripts/generate_integration_report.sh --days 90
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/integration-trend.js "$@"
