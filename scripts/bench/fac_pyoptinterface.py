#!/usr/bin/env python3
"""The comparison side of `gpupool bench build --model fac`: the same linear facility-location
model ("fac-N", G = F = N) built with PyOptInterface and loaded into HiGHS, without solving.

    pip install pyoptinterface highsbox
    python3 scripts/bench/fac_pyoptinterface.py 50

Prints one JSON object like gpupool's: model, variables, constraints, seconds, peak_rss_mb.
"""
import importlib.metadata
import json
import resource
import sys
import time

import pyoptinterface as poi
from pyoptinterface import highs


def build(n: int):
    g = f = n
    m = highs.Model()
    m.set_model_attribute(poi.ModelAttribute.Silent, True)
    big_m = 2 * 1.414
    y = {(ff, k): m.add_variable(lb=0, ub=1) for ff in range(1, f + 1) for k in (1, 2)}
    s, z, r = {}, {}, {}
    for i in range(g + 1):
        for j in range(g + 1):
            for ff in range(1, f + 1):
                s[i, j, ff] = m.add_variable(lb=0)
                z[i, j, ff] = m.add_variable(domain=poi.VariableDomain.Binary)
                for k in (1, 2):
                    r[i, j, ff, k] = m.add_variable()
    d = m.add_variable()
    m.set_objective(d, poi.ObjectiveSense.Minimize)
    rows = 0
    for i in range(g + 1):
        for j in range(g + 1):
            m.add_linear_constraint(poi.quicksum(z[i, j, ff] for ff in range(1, f + 1)), poi.Eq, 1)
            rows += 1
            for ff in range(1, f + 1):
                m.add_linear_constraint(s[i, j, ff] - d + big_m * z[i, j, ff], poi.Eq, big_m)
                m.add_linear_constraint(r[i, j, ff, 1] + y[ff, 1], poi.Eq, i / g)
                m.add_linear_constraint(r[i, j, ff, 2] + y[ff, 2], poi.Eq, j / g)
                rows += 3
    variables = len(y) + len(s) + len(z) + len(r) + 1
    return m, variables, rows


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    start = time.perf_counter()
    _, variables, rows = build(n)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"model": f"fac-{n}", "tool": "PyOptInterface " + importlib.metadata.version("pyoptinterface") + " + HiGHS " + importlib.metadata.version("highsbox"),
                      "variables": variables, "constraints": rows, "seconds": round(seconds, 3),
                      "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main()
