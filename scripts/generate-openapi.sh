#!/usr/bin/env bash
# The service's OpenAPI types and server stubs, generated from Sources/GPUPoolServiceSpec/openapi.yaml
# into Sources/GPUPoolService/Generated and committed, so that no build compiles the generator.
#
#   scripts/generate-openapi.sh               regenerate in place (builds the generator, ~3 min the first time)
#   scripts/generate-openapi.sh --check       fast (CI): the committed code was generated from the current
#                                             spec and config and has not been edited since (checksums)
#   scripts/generate-openapi.sh --check-full  regenerate into a temporary folder and compare file by file
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
spec="$root/Sources/GPUPoolServiceSpec/openapi.yaml"
config="$root/Sources/GPUPoolService/openapi-generator-config.yaml"
out="$root/Sources/GPUPoolService/Generated"
stamp="$out/.checksums"
scratch="$root/.build-openapi"

checksums() {  # spec and config (the inputs), then every generated file (the outputs)
    (cd "$root" && sha256sum Sources/GPUPoolServiceSpec/openapi.yaml Sources/GPUPoolService/openapi-generator-config.yaml \
        && cd "$out" && sha256sum ./*.swift)
}

generate() {  # into $1
    swift build -c release --package-path "$root/scripts/openapi-generator" --scratch-path "$scratch" \
        --product swift-openapi-generator >&2
    "$scratch/release/swift-openapi-generator" generate --config "$config" --output-directory "$1" "$spec" >&2
}

case "${1:-}" in
--check)
    if [[ ! -f "$stamp" ]] || ! diff <(checksums) "$stamp" >/dev/null; then
        echo "error: Sources/GPUPoolService/Generated does not match openapi.yaml (spec or config changed, or a generated file was edited): run scripts/generate-openapi.sh and commit" >&2
        diff <(checksums) "$stamp" >&2 || true
        exit 1
    fi
    echo "OpenAPI generated code matches the spec (checksums)." >&2
    ;;
--check-full)
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
    generate "$tmp"
    if ! diff -r --exclude=.checksums "$out" "$tmp"; then
        echo "error: Sources/GPUPoolService/Generated is not what the generator makes from openapi.yaml: run scripts/generate-openapi.sh and commit" >&2
        exit 1
    fi
    echo "OpenAPI generated code is current (regenerated and compared)." >&2
    ;;
"")
    generate "$out"
    checksums > "$stamp"
    echo "Generated $(ls "$out"/*.swift | wc -l) files into Sources/GPUPoolService/Generated." >&2
    ;;
*)
    echo "usage: scripts/generate-openapi.sh [--check | --check-full]" >&2; exit 2 ;;
esac
