#!/usr/bin/env bash
# The Docker clean-install test. With a Docker engine: build the image, check its size, run the CLI,
# the integration test inside a container (it brings its own emulator; with --with-api-test and
# INTERCOM_ACCESS_TOKEN set, the real API), then `serve` as deployed: started on a volume, its
# health, a graceful stop (exit 0 on SIGTERM) and a restart on the same copy. Without an engine it says so and runs the same checks as
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
echo "✅ Starting container: integration test inside it (MCP server start-up, sync, shutdown)..."
docker run "${run_args[@]}" "$image" integration-test --days 7

# The image as it is deployed: `serve` in the background on a volume, its health, a graceful stop
# and a restart that finds the same copy.
name="fim-docker-test-$$"
cleanup() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker volume rm "$name" >/dev/null 2>&1 || true
}
trap cleanup EXIT
docker volume create "$name" >/dev/null
serve_args=(-d --name "$name" -v "$name:/data" -p 127.0.0.1::8765 -e FASTINTERCOM_MCP_TOKEN=docker-test-token)
if $with_api && [ -n "${INTERCOM_ACCESS_TOKEN:-}" ]; then serve_args+=(-e INTERCOM_ACCESS_TOKEN); fi
# --config is the served workspace's configuration.
if [ -n "$config" ]; then serve_args+=(-v "$(realpath "$config"):/data/config.json:ro"); fi
docker run "${serve_args[@]}" "$image" >/dev/null
port=$(docker port "$name" 8765/tcp | head -1 | sed 's/.*://')
ready() {
  for _ in $(seq 1 60); do
    if node -e "fetch('http://127.0.0.1:$port/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
      return 0
    fi
    sleep 1
  done
  docker logs "$name" >&2
  return 1
}
ready || { echo "❌ serve in the container never answered /readyz" >&2; exit 1; }
echo "✅ Container started: serve answers /readyz on port $port"
docker exec "$name" node -e "fetch('http://127.0.0.1:8765/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" \
  || { echo "❌ the image's health check fails inside the container" >&2; exit 1; }
echo "✅ Health check: the image's own command passes inside the container"
# The copy's file, by inode: a restart must find this one, not create another.
copy=$(docker exec "$name" stat -c '%i' /data/data.db)
docker stop -t 20 "$name" >/dev/null
code=$(docker inspect --format '{{.State.ExitCode}}' "$name")
[ "$code" = "0" ] || { docker logs "$name" >&2; echo "❌ serve exited $code on SIGTERM, not 0" >&2; exit 1; }
echo "✅ Stopped gracefully: exit 0 on SIGTERM within 20 s"
docker start "$name" >/dev/null
port=$(docker port "$name" 8765/tcp | head -1 | sed 's/.*://')
ready || { echo "❌ the restarted container never answered /readyz" >&2; exit 1; }
again=$(docker exec "$name" stat -c '%i' /data/data.db)
[ "$again" = "$copy" ] || { echo "❌ the restarted container made another copy (inode $again, was $copy)" >&2; exit 1; }
docker exec "$name" node dist/src/cli/main.js status >/dev/null \
  || { echo "❌ status fails in the restarted container" >&2; exit 1; }
echo "✅ Restarted: serve ready again on the same volume's copy"
echo "✅ Basic functionality verified"
echo ""
echo "Docker test PASSED ✅"
