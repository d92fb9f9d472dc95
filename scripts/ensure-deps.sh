#!/usr/bin/env bash
# Installs what GPUPool needs beyond the Swift toolchain: GLPK (library, headers, glpsol).
# Does nothing when they are already there. Set GPUPOOL_NO_GLPK=1 to skip (the package then
# builds without exact solving: swift build --disable-default-traits).
set -euo pipefail
if [ "${GPUPOOL_NO_GLPK:-0}" = "1" ]; then exit 0; fi
if [ -f /usr/include/glpk.h ] && command -v glpsol >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "GPUPool needs GLPK: install libglpk-dev and glpk-utils (or GPUPOOL_NO_GLPK=1 to build without)." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "Installing GLPK (libglpk-dev, glpk-utils)…" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libglpk-dev glpk-utils >/dev/null
