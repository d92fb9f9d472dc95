#!/usr/bin/env python3
"""A GAP heuristic for `gpupool validate --heuristic 'cmd:python3 Examples/heuristics/gap_greedy.py'`.

Protocol: called as `gap_greedy.py INSTANCE.json --time-limit S --seed K`; INSTANCE is an
AssignmentProblem in JSON (flat item-major: costs[i*m+b], demands[(i*m+b)*d+k], capacities[b*d+k]).
Prints `{"incumbent": value, "seconds": t}` lines as it improves, then `{"assignment": [bin per item]}`
(0-based bins, -1 unassigned). Randomised greedy restarts until the time limit.
"""
import json, random, sys, time

start = time.monotonic()
path = sys.argv[1]
limit = float(sys.argv[sys.argv.index("--time-limit") + 1])
seed = int(sys.argv[sys.argv.index("--seed") + 1])
p = json.load(open(path))
n, m, d = p["itemCount"], p["binCount"], p["dimensionCount"]
sign = 1 if p["sense"] == "minimize" else -1
eligible = p.get("eligible") or [True] * (n * m)
rng = random.Random(seed)

def demand(i, b, k): return p["demands"][(i * m + b) * d + k]

def construct(noise):
    left = [[p["capacities"][b * d + k] for k in range(d)] for b in range(m)]
    order = sorted(range(n), key=lambda i: -max(demand(i, b, 0) for b in range(m)) * (1 + noise * rng.random()))
    out, total = [-1] * n, 0.0
    for i in order:
        fits = [b for b in range(m) if eligible[i * m + b] and all(demand(i, b, k) <= left[b][k] + 1e-9 for k in range(d))]
        if not fits:
            return None, None
        b = min(fits, key=lambda b: sign * p["costs"][i * m + b] * (1 + noise * rng.random()))
        out[i] = b
        for k in range(d): left[b][k] -= demand(i, b, k)
        total += p["costs"][i * m + b]
    return out, total

best, best_value, noise = None, None, 0.0
while time.monotonic() - start < 0.9 * limit:
    a, v = construct(noise)
    if a is not None and (best is None or sign * v < sign * best_value):
        best, best_value = a, v
        print(json.dumps({"incumbent": v, "seconds": round(time.monotonic() - start, 4)}), flush=True)
    noise = 0.3
print(json.dumps({"assignment": best}))
