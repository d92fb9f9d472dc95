#!/usr/bin/env bash
# The README's main job: installs what is missing, builds gpupool and runs it on a shipped demo
# pool (gpupool demo).
#
# A quick first build: debug, with the GLPK trait but without the Service trait, so SwiftNIO,
# Hummingbird and the OpenAPI runtime are not compiled (the demo does not serve; planning the demo
# pool takes about 3 s in a debug build). `swift build -c release` builds the full gpupool.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --product gpupool --traits GLPK >&2
exec .build/debug/gpupool demo "$@"
