#!/usr/bin/env bash
# Compiles the WebAssembly SIMD kernels (lib/backend/wasm/*.c) into dist/lib/backend/wasm/kernels.wasm with clang + lld.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=dist/lib/backend/wasm/kernels.wasm

find_tool() {
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 && { command -v "$t"; return 0; }; done
  return 1
}
clang=$(find_tool clang-19 clang-18 clang-17 clang-16 clang) || {
  echo "build:wasm: no clang found. Install it: apt-get install -y --no-install-recommends clang-19 lld-19 (scripts/setup.sh does this)" >&2
  exit 1
}
wasmld=$(find_tool wasm-ld-19 wasm-ld-18 wasm-ld-17 wasm-ld-16 wasm-ld) || {
  echo "build:wasm: no wasm-ld found. Install it: apt-get install -y --no-install-recommends lld-19 (scripts/setup.sh does this)" >&2
  exit 1
}

mkdir -p "$(dirname "$out")"
# Tables the kernels read, computed exactly (BigInt) at build time.
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
node lib/backend/wasm/exp2_table.mjs >"$generated/exp2_table.h"
# Shared imported memory so worker threads run the same kernels over the same buffers; the kernels' only static data is
# read-only tables (initialized once, by the first instance) and they use no shadow stack, so instances in different
# threads cannot step on each other.
"$clang" --target=wasm32 -msimd128 -matomics -mbulk-memory -O3 -nostdlib -ffreestanding -Wall -Wextra -Werror \
  -I "$generated" \
  -fuse-ld="$wasmld" \
  -Wl,--no-entry -Wl,--import-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
  -Wl,--export=__heap_base -Wl,-z,stack-size=65536 \
  -o "$out.tmp" lib/backend/wasm/gemm.c lib/backend/wasm/elementwise.c lib/backend/wasm/binary.c lib/backend/wasm/reduce.c lib/backend/wasm/optim.c
mv "$out.tmp" "$out"
echo "build:wasm: wrote $out ($(wc -c <"$out") bytes)"
