#!/usr/bin/env bash
# Regenerates the service's OpenAPI types and server stubs from Sources/GPUPoolServiceSpec/openapi.yaml
# into Sources/GPUPoolService/Generated (committed, so no build compiles the generator).
#   scripts/generate-openapi.sh          regenerate in place
#   scripts/generate-openapi.sh --check  fail (exit 1) when the committed files are not current
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
service="$root/Sources/GPUPoolService"
scratch="$root/.build-openapi"
out="$service/Generated"
target="$out"
if [[ "${1:-}" == "--check" ]]; then
    target="$(mktemp -d)"
    trap 'rm -rf "$target"' EXIT
fi
swift build -c release --package-path "$root/scripts/openapi-generator" --scratch-path "$scratch" \
    --product swift-openapi-generator >&2
"$scratch/release/swift-openapi-generator" generate \
    --config "$service/openapi-generator-config.yaml" \
    --output-directory "$target" \
    "$root/Sources/GPUPoolServiceSpec/openapi.yaml" >&2
if [[ "${1:-}" == "--check" ]]; then
    if ! diff -r "$out" "$target"; then
        echo "error: Sources/GPUPoolService/Generated is not current: run scripts/generate-openapi.sh and commit" >&2
        exit 1
    fi
    echo "OpenAPI generated code is current." >&2
fi
