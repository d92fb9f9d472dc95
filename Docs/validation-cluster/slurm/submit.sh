#!/bin/bash
# Submits the shards as a job array and the merge to run when all of them succeeded.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p logs results
array=$(sbatch --parsable validate-array.sbatch)
sbatch --dependency=afterok:"$array" validate-merge.sbatch
echo "shards: job $array; merge runs after them; the report will be results/report.html"
