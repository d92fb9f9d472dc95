#!/usr/bin/env python3
"""How long a `gpupool serve` process takes to shut down while long solves run (Docs/Service.md,
Graceful shutdown).

    scripts/service-drain.py [GPUPOOL_BINARY] [--grace S] [--rounds N] [--json]

Each round starts `gpupool serve --port 0 --workers 2 --shutdown-grace S --max-time-limit 600`, runs
two branch-and-cut solves that would take 10 minutes (a market-split MIP, time limit 600 s): one as
a direct /v1/solve request and one as a job followed through its event stream, waits until both run,
sends SIGTERM and measures, from the signal: when /readyz turns 503, when the direct solve is answered
(status interrupted expected), when the job's stream carries its ended state, and when the process
exits (exit status 0 expected). Prints the median and the worst over the rounds. Standard library
only.
"""
import http.client
import json
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time


def market_split(seed=7, rows=4, columns=30):
    rng = random.Random(seed)
    variables = [{"name": f"x{j}", "kind": "binary"} for j in range(columns)]
    objective, constraints = [], []
    for i in range(rows):
        variables += [{"name": f"sp{i}", "lower": 0}, {"name": f"sm{i}", "lower": 0}]
        objective += [{"variable": f"sp{i}", "coefficient": 1}, {"variable": f"sm{i}", "coefficient": 1}]
        a = [rng.randrange(100) for _ in range(columns)]
        terms = [{"variable": f"x{j}", "coefficient": a[j]} for j in range(columns)]
        terms += [{"variable": f"sp{i}", "coefficient": 1}, {"variable": f"sm{i}", "coefficient": -1}]
        constraints.append({"name": f"c{i}", "terms": terms, "lower": sum(a) // 2, "upper": sum(a) // 2})
    return json.dumps({"format": "gpupool-model", "version": 1, "name": "market-split",
                       "objective": {"terms": objective}, "variables": variables, "constraints": constraints})


def request(port, method, path, body=None, timeout=700):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode()


def busy_workers(port):
    _, text = request(port, "GET", "/metrics")
    match = re.search(r"^gpupool_workers_busy (\d+)", text, re.M)
    return int(match.group(1)) if match else 0


def one_round(binary, grace):
    server = subprocess.Popen([binary, "serve", "--port", "0", "--workers", "2", "--shutdown-grace", str(grace),
                               "--max-time-limit", "600", "--log-level", "notice"], stderr=subprocess.PIPE, text=True)
    port = None
    for line in server.stderr:
        match = re.search(r"port=(\d+)", line)
        if match and "listening" in line:
            port = int(match.group(1))
            break
    if port is None:
        sys.exit("gpupool serve did not start")
    threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
    model = market_split()
    times, answers = {}, {}

    def direct():
        answers["direct"] = request(port, "POST", "/v1/solve?method=mip&time_limit=600", model)
        times["direct answered"] = time.monotonic()

    status, text = request(port, "POST", "/v1/jobs?method=mip&time_limit=600", model)
    assert status == 202, text
    job = json.loads(text)["id"]
    solver = threading.Thread(target=direct)
    solver.start()
    while busy_workers(port) < 2:
        time.sleep(0.02)
    stream = http.client.HTTPConnection("127.0.0.1", port, timeout=700)
    stream.request("GET", f"/v1/jobs/{job}/events")
    events = stream.getresponse()
    events.readline()  # the first event has arrived: the stream is open

    def follow():
        last = None
        for raw in events:
            line = raw.decode().strip()
            if line.startswith("data: "):
                last = json.loads(line[6:])
        answers["job"] = last
        times["job stream ended"] = time.monotonic()

    follower = threading.Thread(target=follow)
    follower.start()
    signalled = time.monotonic()
    server.send_signal(signal.SIGTERM)
    while True:
        try:
            if request(port, "GET", "/readyz", timeout=5)[0] == 503:
                times["readyz 503"] = time.monotonic()
                break
        except OSError:
            break
        time.sleep(0.005)
    code = server.wait(timeout=700)
    times["exited"] = time.monotonic()
    solver.join()
    follower.join()
    direct_status = json.loads(answers["direct"][1]).get("status")
    job_result = ((answers.get("job") or {}).get("result") or {}).get("status")
    return {k: v - signalled for k, v in times.items()}, code, direct_status, job_result


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    binary = args[0] if args else ".build/release/gpupool"
    grace = float(sys.argv[sys.argv.index("--grace") + 1]) if "--grace" in sys.argv else 5
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    results = [one_round(binary, grace) for _ in range(rounds)]
    keys = ["readyz 503", "direct answered", "job stream ended", "exited"]
    summary = {k: {"median_s": statistics.median(r[0].get(k, float("nan")) for r in results),
                   "max_s": max(r[0].get(k, float("nan")) for r in results)} for k in keys}
    outcome = {"grace_s": grace, "rounds": rounds, "exit_codes": [r[1] for r in results],
               "direct_status": [r[2] for r in results], "job_result_status": [r[3] for r in results], "after_sigterm": summary}
    if "--json" in sys.argv:
        print(json.dumps(outcome))
        return
    print(f"grace {grace} s, {rounds} rounds: exit codes {outcome['exit_codes']}, direct solve {outcome['direct_status']}, "
          f"job result {outcome['job_result_status']}")
    for k in keys:
        print(f"  {k:17s} median {summary[k]['median_s']:.3f} s, worst {summary[k]['max_s']:.3f} s after SIGTERM")
    ok = all(r[1] == 0 and r[2] == "interrupted" and r[3] == "interrupted" for r in results)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
