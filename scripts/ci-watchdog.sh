#!/usr/bin/env bash
# ci-watchdog.sh LIMIT_SECONDS LOG -- COMMAND [ARGS...]
#
# Runs COMMAND (its output goes to the terminal and to LOG). When it is still running after
# LIMIT_SECONDS, it is a hang, not a slow run: prints what is needed to find it, stops the whole
# process group and exits 124.
#
# Why: a test that blocks its thread for ever (a child that never exits, a wait on something that
# never comes) stops a Swift Testing run without a word, and the tests' own time limits cannot fire
# once both cooperative threads are blocked. CI then ends at its own limit with a log that shows
# only the last passing tests. This turns that into a failure that names the culprit.
#
# The report, in this order (CI keeps the tail of its log, so the most useful part comes last):
#   1. the process tree under COMMAND (a stuck child: gpupool serve, chromium, sbatch, …);
#   2. the threads of each test process (gdb, when installed), only the frames of this package;
#   3. the tests that started and did not end, from Swift Testing's "◇ Test … started." lines.
set -uo pipefail

if [ $# -lt 4 ] || [ "$3" != "--" ]; then
  echo "usage: $0 LIMIT_SECONDS LOG -- COMMAND [ARGS...]" >&2
  exit 2
fi
limit=$1 log=$2
shift 3

# Line-buffered output (coreutils' stdbuf, inherited by the test process): into a pipe, C stdio
# buffers 4 KiB, and the last lines before a hang would never reach the log.
buffering=()
if command -v stdbuf >/dev/null 2>&1; then buffering=(stdbuf -oL -eL); fi
# A session of its own, so that one kill reaches the command, tee and every child they started.
setsid bash -o pipefail -c '"$@" 2>&1 | tee "$0"' "$log" "${buffering[@]}" "$@" &
leader=$!

report() {
  echo
  echo "ci-watchdog: still running after ${limit} s; treating it as a hang. What was running:"
  ps -o pid,ppid,etime,time,stat,args --forest -g "$leader" 2>/dev/null | cut -c1-220 | head -60
  local pid
  for pid in $(pgrep -s "$leader" -f 'PackageTests\.xctest' 2>/dev/null); do
    echo
    echo "ci-watchdog: threads of test process $pid (frames of this package; full dump in $log.threads):"
    if command -v gdb >/dev/null 2>&1; then
      timeout 180 gdb -p "$pid" -batch -ex "set pagination off" -ex "thread apply all bt 40" >"$log.threads" 2>/dev/null || true
      local demangle=(cat)
      if command -v swift-demangle >/dev/null 2>&1; then demangle=(swift-demangle --simplified); fi
      "${demangle[@]}" <"$log.threads" \
        | grep -E '^Thread |GPUPool|Test[A-Z]|Tests\.|semaphore|pthread_cond|futex|waitpid|read \(|poll \(' \
        | cut -c1-200 | head -150
    else
      echo "(gdb is not installed: no thread dump)"
    fi
  done
  echo
  echo "ci-watchdog: tests that started and did not end:"
  # "◇ Test NAME started." … "✔ Test NAME passed after", "✘ Test NAME failed after", "➜ Test NAME skipped".
  awk '
    /^◇ Test .* started\.$/ { name = $0; sub(/^◇ Test /, "", name); sub(/ started\.$/, "", name); open[name] = NR; next }
    /^(✔|✘|➜) Test / {
      name = $0; sub(/^[^ ]+ Test /, "", name)
      sub(/ (passed|failed) after [0-9.]+ seconds.*$/, "", name); sub(/ skipped.*$/, "", name)
      delete open[name]
    }
    END { for (n in open) { print "  " n; count++ } if (!count) print "  (none: the hang is outside a test)" }
  ' "$log"
}

deadline=$((SECONDS + limit))
while kill -0 "$leader" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    report >&2
    kill -TERM -- "-$leader" 2>/dev/null
    sleep 10
    kill -KILL -- "-$leader" 2>/dev/null
    echo "ci-watchdog: stopped after ${limit} s (exit 124)" >&2
    exit 124
  fi
  sleep 5
done
wait "$leader"
