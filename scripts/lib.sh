# Sourced by the scripts here: run from the repository root, with the TypeScript built.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f dist/src/cli/main.js ] || [ ! -d dist/scripts/checks ]; then
  npm run build >&2
fi
