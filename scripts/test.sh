#!/usr/bin/env bash
# The test command: set up everything on a fresh machine, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx vitest run "$@"
