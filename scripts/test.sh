#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every test.
# Tests that need ../shared/data skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if [ "${GPUPOOL_NO_GLPK:-0}" = "1" ]; then
  exec swift test --disable-default-traits "$@"
fi
exec swift test "$@"
