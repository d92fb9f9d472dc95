#!/usr/bin/env bash
# The cluster examples in Docs/validation-cluster, checked by the real tools that can run here:
#   - the Kubernetes manifests against Kubernetes' own schemas (kubernetes-validate from PyPI,
#     offline, strict: unknown fields are errors), for the newest Kubernetes it bundles;
#   - the Slurm batch scripts parsed by bash (sbatch itself needs a controller).
# The sharded run and its merge are tested as local processes by the CLI tests.
#
#   scripts/check-manifests.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/gpupool/manifest-check-venv"
tool="kubernetes-validate==1.37.0"

source "$root/scripts/python-tools.sh"
python_tools "$venv" "$tool"

"$venv/bin/kubernetes-validate" --strict "$root"/Docs/validation-cluster/kubernetes/*.yaml
for script in "$root"/Docs/validation-cluster/slurm/*; do
    bash -n "$script"
    # Every #SBATCH line names an option sbatch has (a typo would be a comment to bash).
    { grep -E '^#SBATCH ' "$script" || true; } | while read -r _ option _; do
        case "${option%%=*}" in
            --job-name|--array|--cpus-per-task|--mem|--time|--output|--dependency|--partition|--nodes|--ntasks) ;;
            *) echo "error: $script: unexpected #SBATCH option $option" >&2; exit 1 ;;
        esac
    done
done
echo "manifests and batch scripts: ok"
