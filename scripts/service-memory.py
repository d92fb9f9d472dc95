#!/usr/bin/env python3
"""Resident memory of a `gpupool serve` process under large request bodies (Docs/Service.md, Memory).

    scripts/service-memory.py [GPUPOOL_BINARY] [--mps] [--json]

Starts `gpupool serve --port 0`, sends 60 bodies of just under 16 MiB (the default --max-body) to
/v1/solve -- 40 one after another, then 20 four at a time; half are a valid JSON model padded with
blanks (answered 200), half malformed (answered 400); with --mps, a real model of ~16 MiB in free
MPS (a knapsack-like LP with one column per line, solved by the heuristic with a 0.2 s limit) and the
same text with its last line broken -- and prints the server's resident set (VmRSS)
at the start, after the sequential part, after the concurrent part and after two idle seconds.
Standard library only, so that it runs wherever Python 3 does.
"""
import http.client
import json
import re
import subprocess
import sys
import threading
import time

TINY = ('{"format": "gpupool-model", "version": 1, "name": "tiny", "sense": "maximize",'
        ' "objective": {"terms": [{"variable": "x", "coefficient": 3}, {"variable": "y", "coefficient": 2}]},'
        ' "variables": [{"name": "x", "lower": 0}, {"name": "y", "lower": 0}],'
        ' "constraints": [{"name": "c1", "terms": [{"variable": "x", "coefficient": 1},'
        ' {"variable": "y", "coefficient": 1}], "upper": 4}]}')
SIZE = (16 << 20) - 4096


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    mps = "--mps" in sys.argv
    binary = args[0] if args else ".build/release/gpupool"
    server = subprocess.Popen([binary, "serve", "--port", "0", "--log-level", "notice"],
                              stderr=subprocess.PIPE, text=True)
    port = None
    for line in server.stderr:
        match = re.search(r"port=(\d+)", line)
        if match and "listening" in line:
            port = int(match.group(1))
            break
    if port is None:
        sys.exit("gpupool serve did not start")
    threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()

    if mps:
        lines = ["NAME big", "ROWS", " N obj", " L cap", " L pairs", "COLUMNS"]
        size, j = 0, 0
        while size < SIZE - 200:
            line = f" x{j} obj -{1 + j % 97} cap {1 + j % 13}\n x{j} pairs 1"
            lines.append(line)
            size += len(line) + 1
            j += 1
        lines += ["RHS", " rhs cap 1000 pairs 500", "BOUNDS"]
        valid = ("\n".join(lines) + "\n UP bnd x0 1\nENDATA\n").encode()
        malformed = ("\n".join(lines) + "\n ZZ bnd x0 1\nENDATA\n").encode()
        path, content_type = "/v1/solve?method=heuristic&time_limit=0.2&format=mps", "text/plain"
    else:
        valid = (TINY + " " * (SIZE - len(TINY))).encode()
        malformed = b"{" + b" " * (SIZE - 2) + b"x"
        path, content_type = "/v1/solve", "application/json"
    figures_size = len(valid)
    statuses = []

    def post(body):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.request("POST", path, body, {"Content-Type": content_type})
        response = connection.getresponse()
        response.read()
        connection.close()
        statuses.append(response.status)

    figures = {"body_bytes": figures_size, "start_mb": rss_mb(server.pid)}
    started = time.monotonic()
    for k in range(40):
        post(valid if k % 2 == 0 else malformed)
    figures["after_40_sequential_mb"] = rss_mb(server.pid)
    for group in range(5):
        threads = [threading.Thread(target=post, args=(valid if k % 2 == 0 else malformed,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    figures["after_20_concurrent_mb"] = rss_mb(server.pid)
    figures["seconds"] = round(time.monotonic() - started, 1)
    time.sleep(2)
    figures["idle_mb"] = rss_mb(server.pid)
    figures["answers"] = {str(s): statuses.count(s) for s in sorted(set(statuses))}
    server.terminate()
    server.wait(timeout=60)
    if "--json" in sys.argv:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
