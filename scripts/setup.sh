#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: system packages (Jupyter, Chromium, OpenBLAS), npm packages from the lock file, build.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  # Jupyter clients and servers used by the conformance, server and nbconvert tests
  python3-jupyter-client python3-jupyter-kernel-test jupyter-nbconvert python3-nbclient python3-nbformat
  jupyter-server python3-jupyter-server jupyter-notebook
  # kernel real-client tests: `jupyter kernelspec`/`jupyter run` CLIs and `jupyter console`
  jupyter-client jupyter-console python3-jupyter-console
  # browser tests of plots: headless Chromium and the server that hosts the builder-built JupyterLab test app
  chromium python3-jupyterlab-server
  # WebAssembly SIMD kernels (npm run build:wasm): clang and wasm-ld compile lib/backend/wasm/*.c
  clang-19 lld-19
  # the differential tests (test/fuzz, npm run fuzz) compare every op with numpy
  python3-numpy
  # native matmul: lib/backend/blas.ts finds OpenBLAS at run time (through the optional koffi package)
  libopenblas0-pthread
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
