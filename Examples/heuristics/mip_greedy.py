#!/usr/bin/env python3
"""A MIP heuristic for `gpupool validate --heuristic 'cmd:python3 Examples/heuristics/mip_greedy.py'`.

Protocol: called as `mip_greedy.py INSTANCE.mps --time-limit S --seed K` (free MPS written by the
harness). Prints `{"incumbent": value, "seconds": t}` lines, then `{"values": {column: value}}`, or
`{"values": null}` when it finds nothing. Method: start from every column at the bound nearest 0,
then raise integer columns one unit at a time while every row stays satisfied and the objective
improves (a greedy for covering/packing-type models; RANGES are not read).
"""
import json, math, random, sys, time

start = time.monotonic()
path = sys.argv[1]
limit = float(sys.argv[sys.argv.index("--time-limit") + 1])
seed = int(sys.argv[sys.argv.index("--seed") + 1])
rng = random.Random(seed)

rows, kinds, obj_row, sense = {}, {}, None, 1
cols, order, integer, lo, up, rhs = {}, [], set(), {}, {}, {}
section, in_int = None, False
for line in open(path):
    if not line.strip() or line.startswith("*"): continue
    f = line.split()
    if not line[0].isspace():
        section = f[0]
        if section == "OBJSENSE" and len(f) > 1 and f[1].upper().startswith("MAX"): sense = -1
        continue
    if section == "OBJSENSE":
        if f[0].upper().startswith("MAX"): sense = -1
    elif section == "ROWS":
        if f[0] == "N" and obj_row is None: obj_row = f[1]
        elif f[0] != "N": kinds[f[1]] = f[0]
    elif section == "COLUMNS":
        if len(f) >= 3 and f[1] == "'MARKER'": in_int = f[2] == "'INTORG'"; continue
        c = f[0]
        if c not in cols:
            cols[c] = {}; order.append(c); lo[c] = 0.0; up[c] = math.inf
            if in_int: integer.add(c)
        for r, v in zip(f[1::2], f[2::2]): cols[c][r] = float(v)
    elif section == "RHS":
        g = f[1:] if len(f) % 2 == 1 else f  # an optional set name comes first
        for r, v in zip(g[0::2], g[1::2]): rhs[r] = float(v)
    elif section == "BOUNDS":
        t, c = f[0], f[2]
        v = float(f[3]) if len(f) > 3 else 0.0
        if t == "UP": up[c] = v
        elif t == "LO": lo[c] = v
        elif t == "FX": lo[c] = up[c] = v
        elif t == "MI": lo[c] = -math.inf
        elif t == "PL": up[c] = math.inf
        elif t == "BV": lo[c], up[c] = 0.0, 1.0; integer.add(c)
        elif t == "LI": lo[c] = v; integer.add(c)
        elif t == "UI": up[c] = v; integer.add(c)

x = {c: (0.0 if lo[c] <= 0 <= up[c] else (lo[c] if lo[c] > 0 else up[c])) for c in order}
act = {r: 0.0 for r in kinds}
for c in order:
    for r, v in cols[c].items():
        if r in act: act[r] += v * x[c]

def viol(r, a):
    b, k = rhs.get(r, 0.0), kinds[r]
    return max(0.0, a - b) if k == "L" else max(0.0, b - a) if k == "G" else abs(a - b)

def cost(c): return sense * cols[c].get(obj_row, 0.0)
def objective(): return sum(cols[c].get(obj_row, 0.0) * x[c] for c in order)
def report(): print(json.dumps({"incumbent": objective(), "seconds": round(time.monotonic() - start, 4)}), flush=True)

def move(c, step):
    x[c] += step
    for r, v in cols[c].items():
        if r in act: act[r] += v * step

# Repair: one unit at a time, the move that removes the most violation per unit of objective lost.
total = sum(viol(r, a) for r, a in act.items())
while total > 1e-9 and time.monotonic() - start < 0.9 * limit:
    best = None
    for c in order:
        for step in (1.0, -1.0):
            if not lo[c] <= x[c] + step <= up[c]: continue
            delta = sum(viol(r, act[r] + v * step) - viol(r, act[r]) for r, v in cols[c].items() if r in act)
            if delta >= -1e-12: continue
            score = (cost(c) * step + 1e-6 * (1 + rng.random())) / -delta
            if best is None or score < best[0]: best = (score, c, step, delta)
    if best is None: break
    move(best[1], best[2]); total += best[3]
    total = max(total, 0.0)
feasible = all(viol(r, a) <= 1e-9 for r, a in act.items())
if feasible: report()
# Improvement: single-unit moves that keep every row satisfied and lower the objective.
changed = feasible
while changed and time.monotonic() - start < 0.9 * limit:
    changed = False
    for c in order:
        step = -1.0 if cost(c) > 0 else 1.0
        if cost(c) == 0 or not lo[c] <= x[c] + step <= up[c]: continue
        if all(viol(r, act[r] + v * step) <= 1e-9 for r, v in cols[c].items() if r in act):
            move(c, step); changed = True
    if changed: report()
print(json.dumps({"values": {c: x[c] for c in order} if feasible else None}))
