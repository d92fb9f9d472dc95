# Sourced by the scripts that run Python tools from PyPI (api-check.sh, check-manifests.sh).
#
#   python_tools VENV TOOL==VERSION...
#
# Makes VENV a virtual environment holding exactly those pinned tools: kept outside the clone, so
# that later runs on the same machine (CI's too) skip the install, and made again when the list
# changes. A failed install is an error (exit 1).
python_tools() {
    local venv="$1"; shift
    local stamp="$venv/.tools"
    if [[ -x "$venv/bin/python" && "$(cat "$stamp" 2>/dev/null)" == "$*" ]]; then return 0; fi
    command -v python3 >/dev/null || { echo "error: python3 is needed for $*" >&2; exit 1; }
    rm -rf "$venv"
    python3 -m venv "$venv" || { echo "error: cannot create a virtual environment (python3-venv missing?)" >&2; exit 1; }
    if ! "$venv/bin/pip" install --disable-pip-version-check -q "$@"; then
        echo "error: pip could not install $*" >&2
        rm -rf "$venv"
        exit 1
    fi
    echo "$*" > "$stamp"
}
