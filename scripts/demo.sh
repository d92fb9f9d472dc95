#!/usr/bin/env bash
# The README's main job: installs what is missing, builds gpupool (release) and runs it on a
# shipped demo pool (gpupool demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product gpupool >&2
exec .build/release/gpupool demo "$@"
