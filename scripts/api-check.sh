#!/usr/bin/env bash
# The served API against its spec, from outside, as other services see it (Docs/Service.md, "The spec"):
#
#   1. schemathesis generates requests from the /openapi.yaml a real `gpupool serve` serves (valid and
#      invalid bodies, parameters and headers, wrong methods and media types, missing token) and checks
#      every answer: no 5xx, every status and header declared, answers match their schemas, invalid data
#      refused, valid data not refused for a reason the schema could have stated. Expected: 0 failures.
#   2. openapi-python-client generates a Python client from the same document, and
#      scripts/api-check-client.py makes one call of each operation with it and checks the answers
#      (a solve of MPS text and one of a JSON model, plan, validate, telemetry, jobs — submit, poll,
#      events, cancel, replay, a plan job —, the probes, the spec).
#
#   scripts/api-check.sh [GPUPOOL_BINARY]     default .build/debug/gpupool (`swift build` first)
#
# The tools are pinned and installed with pip into a virtual environment (~/.cache/gpupool, kept
# between runs). A failed install is an error, not a skip: CI must not pass without the check.
# Environment: API_CHECK_MAX_EXAMPLES (100) cases per operation and phase, API_CHECK_MAX_TIME (240): a
# bound in seconds on schemathesis, which normally ends well before it; API_CHECK_SEED for
# another run (default 19, fixed so that CI is reproducible); API_CHECK_VENV for another place for the tools.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/.build/debug/gpupool}"
# Outside the clone, so that later runs on the same machine (CI's too) skip the install.
venv="${API_CHECK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gpupool/api-check-venv}"
# Versions that work with Python 3.11 (the machine's) and were used to make the spec pass.
tools=("schemathesis==4.32.5" "openapi-python-client==0.29.1")
max_examples="${API_CHECK_MAX_EXAMPLES:-100}"
max_time="${API_CHECK_MAX_TIME:-240}"
seed="${API_CHECK_SEED:-19}"  # fixed, so that CI is reproducible; set another to explore

[[ -x "$binary" ]] || { echo "error: $binary not found; build it first (swift build)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "error: python3 is needed for the API check" >&2; exit 1; }

# --- tools --------------------------------------------------------------------------------------
source "$root/scripts/python-tools.sh"
python_tools "$venv" "${tools[@]}"

# --- server -------------------------------------------------------------------------------------
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
token="$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(24))')"
(umask 077 && printf '%s\n' "$token" > "$work/token")
# Short time limits keep generated solves, plans and validations quick; port 0 picks a free port.
"$binary" serve --port 0 --token-file "$work/token" --max-time-limit 2 --workers 2 --queue 64 \
    --log-level notice 2> "$work/serve.log" &
server_pid=$!
port=""
for _ in $(seq 1 200); do
    port="$(sed -n 's/.* listening.*port=\([0-9][0-9]*\).*/\1/p; s/.*port=\([0-9][0-9]*\).* listening.*/\1/p' "$work/serve.log" | head -n 1)"
    [[ -n "$port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "error: gpupool serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1
fi
base="http://127.0.0.1:$port"
echo "gpupool serve on $base (pid $server_pid)" >&2

# The document as the server serves it. schemathesis reads it from a file (with --url for the server):
# given the URL, it would leave GET /openapi.yaml itself untested.
"$venv/bin/python" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
    "$base/openapi.yaml" > "$work/openapi.yaml"

# --- schemathesis -------------------------------------------------------------------------------
echo "== schemathesis ${tools[0]#*==}: all checks, $max_examples examples per operation and phase, seed $seed" >&2
status=0
# One worker: with several, hypothesis parses lambdas' source on many threads at once, which trips a
# CPython 3.11 bug ("AST constructor recursion depth mismatch") and ends the run with an error.
(cd "$work" && timeout "$max_time" "$venv/bin/schemathesis" --config-file "$root/scripts/api-check/schemathesis.toml" \
    run "$work/openapi.yaml" --url "$base" -H "Authorization: Bearer $token" \
    --checks all --exclude-checks use_after_free --max-examples "$max_examples" --seed "$seed" \
    --workers 1 --request-timeout 30 --no-color) || status=$?
if [[ $status -ne 0 ]]; then
    [[ $status -eq 124 ]] && echo "error: schemathesis did not finish within $max_time s" >&2
    echo "error: schemathesis found failures (exit $status); rerun with API_CHECK_SEED=$seed" >&2
    echo "--- server log (last 40 lines)" >&2; tail -n 40 "$work/serve.log" >&2
    exit 1
fi

# --- generated Python client --------------------------------------------------------------------
echo "== openapi-python-client ${tools[1]#*==}: generate, then one call of each operation" >&2
(cd "$work" && "$venv/bin/openapi-python-client" generate --path "$work/openapi.yaml" \
    --config "$root/scripts/api-check/openapi-python-client.yaml" --meta none --output-path "$work/gpupool_client" \
    > "$work/generate.log" 2>&1) || { cat "$work/generate.log" >&2; echo "error: openapi-python-client failed" >&2; exit 1; }
# Every operation and schema must come through: a warning means part of the spec was dropped. The one
# expected warning: the generator has no text/plain request bodies (it sends the same text through
# the application/octet-stream body, which the spec offers beside text/plain for that reason).
unexpected="$(awk '/^WARNING/ { w = $0; do { if ((getline detail) <= 0) break } while (detail == "")
                                 if (detail != "Unsupported content type text/plain") print w ": " detail }' "$work/generate.log")"
if [[ -n "$unexpected" ]]; then
    cat "$work/generate.log" >&2
    echo "error: openapi-python-client left parts of the spec out: $unexpected" >&2
    exit 1
fi
PYTHONPATH="$work" "$venv/bin/python" "$root/scripts/api-check-client.py" "$base" "$token"
echo "API check passed: schemathesis 0 failures; the generated Python client called every operation." >&2
