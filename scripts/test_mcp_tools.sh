#!/usr/bin/env bash
# One MCP tool through a real server process on the test workspace (or --workspace DIR).
# Usage: ./scripts/test_mcp_tools.sh --tool search_conversations [--args '{"query":"refund"}'] [--workspace DIR]
source "$(dirname "$0")/lib.sh"
exec node dist/scripts/checks/mcp-tools.js "$@"
