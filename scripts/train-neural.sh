#!/usr/bin/env bash
# Retrains the neural models shipped in crates/syntax/models from ../shared/data/ud:
#   neural.bin           the default (fast) model: distilled vectors, no encoder at run time;
#   neural-accurate.bin  the accurate mode's model: the same network reading MiniLM's states.
# Both train on UD English EWT train + GUM train (trees and tags) and Universal NER EWT train
# + GUM train's names (entities), and pick their epoch on EWT dev + UNER dev.
#
# Needs PyPI's torch (CPU; the wheel brings CUDA libraries: some 6 GB in target/neural-venv)
# and the MiniLM files (scripts/fetch-minilm.sh). One thread, seeded: a rerun on the same
# machine and versions gives the same files. About 20 minutes for the default model and an
# hour for the accurate one on one core (the encoder's states of the training sets are
# computed once and cached in target/neural-cache).
#
# Usage: scripts/train-neural.sh [fast|accurate|both]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${ENTENTE_SHARED:-$here/../shared}
ud=$shared/data/ud
which=${1:-both}
venv=$here/target/neural-venv
cache=$here/target/neural-cache
models=$here/crates/syntax/models
mkdir -p "$cache"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'torch==2.15.0' 'numpy>=1.26,<3'
fi
model=$("$here/scripts/fetch-minilm.sh")
# GUM's names as IOB2 (the Rust reader of GUM's entity layer, crates/syntax/src/gum.rs).
cargo run --quiet --release -p entente-syntax --example train -- iob2 "$ud/gum/files.train" "$cache/gum-train.iob2"
common=(--vectors "$models/vectors.bin"
  --train "$ud/en_ewt-ud-train.conllu" "$ud/gum/files.train"
  --dev "$ud/en_ewt-ud-dev.conllu"
  --ner-train "$ud/uner/en_ewt-ud-train.early.iob2" "$cache/gum-train.iob2"
  --ner-dev "$ud/uner/en_ewt-ud-dev.iob2" --seed 1 --threads 1)
if [ "$which" = fast ] || [ "$which" = both ]; then
  "$venv/bin/python" "$here/scripts/train_neural.py" "${common[@]}" --hidden 96 --layers 1 --epochs 30 \
    --out "$models/neural.bin"
fi
if [ "$which" = accurate ] || [ "$which" = both ]; then
  "$venv/bin/python" "$here/scripts/train_neural.py" "${common[@]}" --hidden 128 --layers 1 --epochs 25 \
    --encoder "$model" --cache "$cache" --out "$models/neural-accurate.bin"
fi
sha256sum "$models"/neural*.bin
