#!/usr/bin/env bash
# Retrains the neural models shipped in crates/syntax/models from ../shared/data/ud:
#   neural-accurate.bin  the accurate mode's model: the network reading MiniLM's states;
#   neural.bin           the default (fast) model: distilled vectors, no encoder at run time,
#                        taught by the accurate model as well as by the gold (distillation).
# Both train on UD English EWT train + GUM train (trees and tags) and Universal NER EWT train
# + GUM train's names (entities), and pick their epoch on EWT dev + UNER dev. The fast model
# also learns the accurate model's output distributions on those sentences and on the news
# bodies of ../shared/data/extraction (unlabelled text, parsed by `entente parse --accurate`),
# and on two copies of the tree sentences with open-class words exchanged for neighbours in
# the vector table (--augment 2).
#
# Needs PyPI's torch (CPU; the wheel brings CUDA libraries: some 6 GB in target/neural-venv)
# and the MiniLM files (scripts/fetch-minilm.sh). One thread, seeded: a rerun on the same
# machine and versions gives the same files. About an hour for the default model (its
# teacher reads the encoder's states of the training sets and their copies and parses the
# news first; then 30 epochs of some 100 s) and an
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
trees=("$ud/en_ewt-ud-train.conllu" "$ud/gum/files.train")
common=(--vectors "$models/vectors.bin"
  --dev "$ud/en_ewt-ud-dev.conllu"
  --ner-train "$ud/uner/en_ewt-ud-train.early.iob2" "$cache/gum-train.iob2"
  --ner-dev "$ud/uner/en_ewt-ud-dev.iob2" --seed 1 --threads 1)
if [ "$which" = accurate ] || [ "$which" = both ]; then
  "$venv/bin/python" "$here/scripts/train_neural.py" "${common[@]}" --train "${trees[@]}" --hidden 128 --layers 1 --epochs 25 \
    --encoder "$model" --cache "$cache" --out "$models/neural-accurate.bin"
fi
if [ "$which" = fast ] || [ "$which" = both ]; then
  # Unlabelled news, analysed by the accurate model (cargo rebuilds the binary around the
  # model file just written).
  "$venv/bin/python" -c 'import json, sys
bodies = json.load(open(sys.argv[1], encoding="utf-8"))
print("\n\n".join(bodies[k]["articleBody"] for k in sorted(bodies)))' \
    "$shared/data/extraction/ground-truth.json" >"$cache/news.txt"
  cargo run --quiet --release -p entente-cli -- --quiet parse --input text --accurate "$model" \
    <"$cache/news.txt" >"$cache/news-silver.conllu"
  "$venv/bin/python" "$here/scripts/train_neural.py" "${common[@]}" --train "${trees[@]}" "$cache/news-silver.conllu" \
    --hidden 96 --layers 1 --epochs 30 --augment 2 \
    --teacher "$models/neural-accurate.bin" --teacher-encoder "$model" --cache "$cache" --out "$models/neural.bin"
fi
sha256sum "$models"/neural*.bin
