#!/usr/bin/env bash
# The Docker clean-install test. With a Docker engine: build the image, check its size, run the CLI,
# then the integration test inside a container (it brings its own emulator; with --with-api-test and
# INTERCOM_ACCESS_TOKEN set, the real API). Without an engine it says so and runs the same checks as
# a clean install: npm pack, install into an empty prefix and HOME, help, init --test-mode, MCP
# start-up, sync, restart, clean shutdown.
# Usage: ./scripts/test_docker_install.sh [--with-api-test] [--config FILE]
source "$(dirname "$0")/lib.sh"
with_api=false
config=""
while [ $# -gt 0 ]; do
  case "$1" in
    --with-api-test) with_api=true ;;
    --config) config="$2"; shift ;;
    *) echo "unknown option: $1 (use --with-api-test, --config FILE)" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "🐳 No Docker engine is running here ('docker info' failed): running the clean-install checks without Docker."
  args=()
  if $with_api; then args+=(--with-api-test); fi
  if [ -n "$config" ]; then args+=(--config "$config"); fi
  exec node dist/scripts/checks/clean-install.js ${args[@]+"${args[@]}"}
fi

image=fast-intercom-mcp:test
echo "🐳 Testing Docker Clean Install"
docker build -t "$image" . >&2
echo "✅ Building Docker image... $(docker image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
docker run --rm "$image" --help | grep -q integration-test
echo "✅ Testing CLI functionality..."
run_args=(--rm)
if $with_api && [ -n "${INTERCOM_ACCESS_TOKEN:-}" ]; then run_args+=(-e INTERCOM_ACCESS_TOKEN); fi
if [ -n "$config" ]; then run_args+=(-v "$(realpath "$config"):/data/config.json:ro"); fi
echo "✅ Starting container: integration test inside it (MCP server start-up, sync, shutdown)..."
docker run "${run_args[@]}" "$image" integration-test --days 7
echo "✅ Basic functionality verified"
echo ""
echo "Docker test PASSED ✅"
