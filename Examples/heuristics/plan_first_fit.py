#!/usr/bin/env python3
"""A planner-instance heuristic for `gpupool validate` (Docs/Validation.md, "Planner instances").

    python3 plan_first_fit.py INSTANCE.json --time-limit S --seed K

INSTANCE.json holds {"policy", "pool", "workload"} in GPUPool's documented formats. The script places
single-worker jobs, highest priority first, on the first node that can take them (first fit), and
prints one line {"placements": [{"job", "shape", "workers": [{"node", "gpus"}]}]} on stdout. It keeps
the hard rules the harness checks: health, free GPUs (indices from gpusInUse up), accelerator lists,
throughput 0, memory, providers, budgets and tenant quotas. Gangs of several workers are left unplaced,
so it is a weak but honest baseline.
"""
import json
import sys

DEFAULT_MEMORY = 0.0


def main() -> None:
    instance = json.load(open(sys.argv[1]))
    pool, workload = instance["pool"], instance["workload"]
    nodes = [n for n in pool["nodes"] if n.get("health", "healthy") in ("healthy", "suspect")]
    next_free = {n["id"]: n.get("gpusInUse", 0) for n in nodes}
    quota_left = dict(workload.get("tenantQuotas", {}))
    placements = []
    jobs = sorted(workload["jobs"], key=lambda j: -j.get("priority", 0))
    for job in jobs:
        for s, shape in enumerate([job["shape"]] + job.get("alternatives", [])):
            if shape["workers"] != 1:
                continue
            gpus = shape.get("gpusPerWorker", 1)
            tenant = job["tenant"]
            if tenant in quota_left and quota_left[tenant] < gpus:
                continue
            chosen = None
            for node in nodes:
                if node["gpuCount"] - next_free[node["id"]] < gpus:
                    continue
                allowed = shape.get("accelerators")
                if allowed is not None and node["accelerator"] not in allowed:
                    continue
                if job.get("throughput", {}).get(node["accelerator"]) == 0:
                    continue
                if node["gpuMemoryGiB"] < job.get("minGPUMemoryGiB", DEFAULT_MEMORY):
                    continue
                if job.get("allowedProviders") is not None and node["provider"] not in job["allowedProviders"]:
                    continue
                if node["provider"] in job.get("deniedProviders", []):
                    continue
                budget = job.get("budgetPerHour")
                if budget is not None and node["pricePerGPUHour"] * gpus > budget + 1e-9:
                    continue
                chosen = node
                break
            if chosen is None:
                continue
            first = next_free[chosen["id"]]
            next_free[chosen["id"]] = first + gpus
            if tenant in quota_left:
                quota_left[tenant] -= gpus
            placements.append({"job": job["id"], "shape": s,
                               "workers": [{"node": chosen["id"], "gpus": list(range(first, first + gpus))}]})
            break
    print(json.dumps({"placements": placements}))


if __name__ == "__main__":
    main()
