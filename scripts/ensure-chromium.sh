#!/usr/bin/env bash
# The browser tests (test/mcp/views.test.ts) drive Debian's Chromium through playwright-core, which
# downloads no browser of its own: installed here from Debian's packages when it is missing (as
# root, or through sudo), so `npm test` works on a fresh machine.
set -euo pipefail
command -v chromium >/dev/null && exit 0
as_root=()
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "The browser tests need Debian's chromium package: install it as root (apt-get install chromium)." >&2
    exit 1
  fi
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing Debian's chromium for the browser tests…" >&2
"${as_root[@]}" apt-get install -y --no-install-recommends chromium >&2 ||
  { "${as_root[@]}" apt-get update >&2 && "${as_root[@]}" apt-get install -y --no-install-recommends chromium >&2; }
