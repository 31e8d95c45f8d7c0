#!/usr/bin/env bash
# The main job: set up a fresh machine, then execute every tutorial notebook headlessly and write the executed
# notebooks plus one self-contained HTML page each into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/gradlab.js run notebooks/*.ipynb --out out --html --jobs 2 "$@"
