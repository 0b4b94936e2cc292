#!/usr/bin/env python3
"""Trains Entente's neural tagger, parser and NER: one small BiLSTM over each sentence, read
by three heads (UPOS and XPOS; a biaffine arc scorer and a label scorer, as Dozat & Manning
2017; BIO entity labels), and writes the weights for `crates/syntax/src/neural.rs`, which
runs it in plain Rust.

Each word's input is the concatenation of
- its distilled MiniLM vector from `vectors.bin` (fixed; a word the table lacks gets the
  mean of its WordPiece pieces, as the Rust side computes it),
- a trained embedding of its normalised form (lower case, digits as 0; words seen once are
  unknown, and known words are dropped to unknown at random in training),
- a trained embedding of its last three characters and of its shape flags.
A learnt root input is put before every sentence.

Training data: CoNLL-U files (tags and trees) and IOB2 files (entities; OTH -> O), in turns
of batches. Deterministic for a seed on one machine (one thread, deterministic algorithms).

With `--teacher M` (and `--teacher-encoder DIR` when M reads the encoder) the model also
learns M's output distributions on every training sentence: tags, heads, relations at the
gold head, entity labels (knowledge distillation; the accurate model teaches the fast one,
also on unlabelled text that M itself parsed and that is passed as a tree file). With
`--augment N` it also learns M on N copies of the tree sentences in which open-class words
are exchanged for their neighbours in the vector table (`augmented`).

Usage: train_neural.py --vectors V --train A.conllu [B.conllu ...] --dev D.conllu
                       --ner-train N.iob2 [...] --ner-dev M.iob2 --out neural.bin
                       [--encoder DIR --cache C] [--teacher M [--teacher-encoder DIR] [--augment N]]
"""

import argparse
import hashlib
import math
import random
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from distil_vectors import basic_split, conllu_rows, word_key, word_pieces  # noqa: E402

MAGIC = b"ENTNEU02"
DIM_NAMES = ("vec", "context", "word", "suffix", "shape", "hidden", "layers", "arc", "label")
NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


# ---------------------------------------------------------------- vectors (as vectors.rs reads them)


class Reader:
    """Little-endian fields of the binary files Entente writes, read in order."""

    def __init__(self, path, magic):
        self.raw = Path(path).read_bytes()
        assert self.raw[:8] == magic, f"{path}: not a {magic.decode()} file"
        self.pos = 8

    def array(self, dtype, count):
        a = np.frombuffer(self.raw, dtype, count, self.pos)
        self.pos += a.nbytes
        return a

    def u32(self):
        return int(self.array("<u4", 1)[0])

    def strings(self):
        out = []
        for _ in range(self.u32()):
            n = self.u32()
            out.append(self.raw[self.pos : self.pos + n].decode("utf-8"))
            self.pos += n
        return out


class Table:
    def __init__(self, path):
        r = Reader(path, b"ENTVEC01")
        self.digest = fnv(r.raw)
        u32, strings = r.u32, r.strings

        def rows(count):
            scales = r.array("<f4", count)
            q = r.array(np.int8, count * self.dim).reshape(count, self.dim)
            return q.astype(np.float32) * scales[:, None]

        self.dim = u32()
        levels = u32()
        for _ in range(levels):
            u32()
        pieces = strings()
        self.piece_rows = rows(len(pieces))
        self.pieces = {p: i for i, p in enumerate(pieces)}
        words = strings()
        self.word_rows = rows(len(words))
        self.words = {w: i for i, w in enumerate(words)}
        self.unk = self.pieces.get("[UNK]")
        self.cache = {}

    def vector(self, form):
        key = word_key(form)
        if key in self.words:
            return self.word_rows[self.words[key]]
        if key in self.cache:
            return self.cache[key]
        ids = []
        for token in basic_split(key):
            ids.extend(self.word_pieces(token))
        v = self.piece_rows[ids].mean(0) if ids else np.zeros(self.dim, np.float32)
        self.cache[key] = v
        return v

    def word_pieces(self, token):
        return word_pieces(self.pieces, [self.unk] if self.unk is not None else [], token)


def fnv(raw):
    h = np.uint64(0xCBF29CE484222325)
    prime = np.uint64(0x100000001B3)
    # 8 bytes at a time would change the hash; do it byte by byte in chunks of numpy ops.
    arr = np.frombuffer(raw, np.uint8).astype(np.uint64)
    with np.errstate(over="ignore"):
        for b in arr:
            h = (h ^ b) * prime
    return int(h)


# ---------------------------------------------------------------- word features (as neural.rs computes them)


def normalise(form):
    return "".join("0" if c.isascii() and c.isdigit() else c for c in form).lower()


def suffix(form):
    return normalise(form)[-3:]


def shape_id(form):
    first_upper = bool(form) and form[0].isupper()
    has_lower = any(c.islower() for c in form)
    all_upper = any(c.isupper() for c in form) and not has_lower
    digit = any(c.isascii() and c.isdigit() for c in form)
    hyphen = "-" in form
    alpha = any(c.isalpha() for c in form)
    return int(first_upper) | int(all_upper) << 1 | int(digit) << 2 | int(hyphen) << 3 | int(alpha) << 4


# ---------------------------------------------------------------- data


def sources(path):
    """A CoNLL-U or IOB2 file, or a document list (one name per line, read from
    `sources/NAME.conllu` beside it; names without a file are skipped), as the Rust readers
    take them."""
    path = Path(path)
    if path.suffix in (".conllu", ".iob2"):
        return [path]
    names = path.read_text(encoding="utf-8").split()
    found = [path.parent / "sources" / f"{n}.conllu" for n in names]
    return [p for p in found if p.exists()]


def read_conllu(path):
    return [s for p in sources(path) for s in read_conllu_file(p)]


def read_conllu_file(path):
    return [
        [(c[1], c[3], c[4], int(c[6]) if c[6].isdigit() else 0, c[7]) for c in rows] for rows in conllu_rows(path)
    ]


# The label of a word whose type the training file leaves open (see read_iob2): no loss.
UNKNOWN = "?"


def read_iob2(path, open_types=()):
    """Sentences as (forms, labels); types other than PER, ORG, LOC become O, except those in
    `open_types`, whose words get UNKNOWN: the early UNER train file's OTH (products, works,
    groups, nationalities) fell in the final scheme partly to O and partly to ORG, so its
    words teach nothing certain."""
    sents, forms, labels = [], [], []
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if forms:
                sents.append((forms, labels))
                forms, labels = [], []
            continue
        if line.startswith("#"):
            continue
        c = line.split("\t")
        forms.append(c[1])
        bio, _, kind = c[2].partition("-")
        if bio in ("B", "I") and kind in ("PER", "ORG", "LOC"):
            labels.append(c[2])
        else:
            labels.append(UNKNOWN if bio in ("B", "I") and kind in open_types else "O")
    if forms:
        sents.append((forms, labels))
    return sents


# Parts of speech whose words a copy may exchange: open classes, where a neighbour with the
# same fine tag almost never changes the tree (function words carry the structure).
OPEN_UPOS = ("NOUN", "PROPN", "ADJ", "VERB", "ADV")


def augmented(trees, table, copies, rate, seed, neighbours=8):
    """`copies` copies of each tree with each alphabetic open-class word exchanged, at `rate`,
    for one of its `neighbours` nearest words in the vector table among the training words
    whose commonest tags (UPOS and XPOS) are the word's own here, seen twice or more. Tags
    and tree are kept. The copies put known structures around other words, for the teacher
    to label (augmentation for distillation, as TinyBERT does with word vectors)."""
    counts = {}
    for s in trees:
        for form, up, xp, _, _ in s:
            tags = counts.setdefault(form, {})
            tags[(up, xp)] = tags.get((up, xp), 0) + 1
    pools = {}
    for form, tags in sorted(counts.items()):
        tag, _ = max(tags.items(), key=lambda kv: (kv[1], kv[0]))
        if tag[0] in OPEN_UPOS and form.isalpha() and sum(tags.values()) >= 2:
            pools.setdefault(tag, []).append(form)
    unit = lambda m: m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-6)
    matrices = {tag: unit(np.stack([table.vector(f) for f in forms])) for tag, forms in pools.items()}
    near = {}

    def candidates(form, tag):
        if (form, tag) not in near:
            forms = pools.get(tag, [])
            order = np.argsort(-(matrices[tag] @ unit(table.vector(form)))) if len(forms) > 1 else []
            near[(form, tag)] = [forms[i] for i in order[: neighbours + 1] if forms[i].lower() != form.lower()][:neighbours]
        return near[(form, tag)]

    rng = random.Random(seed)
    out = []
    for _ in range(copies):
        for s in trees:
            new = []
            for i, (form, up, xp, head, label) in enumerate(s):
                swap = up in OPEN_UPOS and form.isalpha() and rng.random() < rate
                pick = candidates(form, (up, xp)) if swap else []
                if pick:
                    form = cased(rng.choice(pick), form, up, i == 0)
                new.append((form, up, xp, head, label))
            out.append(new)
    return out


def cased(new, old, upos, first):
    """`new` in the case `old` shows: capitalised at the start of a sentence, lower case where
    `old` is (names keep their own case)."""
    if first and old[:1].isupper():
        return new[:1].upper() + new[1:]
    if upos != "PROPN" and old.islower():
        return new.lower()
    return new


class Vocab:
    """Entries seen at least `min_count` times, most frequent first (the Rust side premaps
    the first few thousand words)."""

    def __init__(self, items, min_count, reserved=("<pad>", "<unk>")):
        counts = {}
        for x in items:
            counts[x] = counts.get(x, 0) + 1
        kept = sorted((k for k, n in counts.items() if n >= min_count), key=lambda k: (-counts[k], k))
        self.names = list(reserved) + kept
        self.index = {k: i for i, k in enumerate(self.names)}

    def __call__(self, x):
        return self.index.get(x, 1)

    def __len__(self):
        return len(self.names)


class Encoded:
    """One sentence as index arrays (position 0 is the root)."""

    def __init__(self, forms, table, words, suffixes, vec_dim, context=None):
        self.n = len(forms)
        self.vec = np.stack([table.vector(f)[:vec_dim] for f in forms])
        if context is not None:
            self.vec = np.concatenate([self.vec, context], 1)
        self.word = np.array([words(normalise(f)) for f in forms])
        self.suffix = np.array([suffixes(suffix(f)) for f in forms])
        self.shape = np.array([shape_id(f) for f in forms])


# ---------------------------------------------------------------- model


class Net(nn.Module):
    def __init__(self, dims, n_words, n_suffix, n_upos, n_xpos, n_labels):
        super().__init__()
        self.dims = dims
        self.word = nn.Embedding(n_words, dims["word"], padding_idx=0)
        self.suffix = nn.Embedding(n_suffix, dims["suffix"], padding_idx=0)
        self.shape = nn.Embedding(32, dims["shape"])
        width = dims["vec"] + dims["context"] + dims["word"] + dims["suffix"] + dims["shape"]
        self.root = nn.Parameter(torch.randn(width) * 0.1)
        h = dims["hidden"]
        self.lstm = nn.LSTM(width, h, num_layers=dims["layers"], bidirectional=True, batch_first=True,
                            dropout=0.33 if dims["layers"] > 1 else 0.0)
        self.upos = nn.Linear(2 * h, n_upos)
        self.xpos = nn.Linear(2 * h, n_xpos)
        self.ner = nn.Linear(2 * h, len(NER_LABELS))
        a, l = dims["arc"], dims["label"]
        self.arc_dep = nn.Linear(2 * h, a)
        self.arc_head = nn.Linear(2 * h, a)
        self.arc_u = nn.Parameter(torch.zeros(a, a))
        self.arc_b = nn.Parameter(torch.zeros(a))
        self.lab_dep = nn.Linear(2 * h, l)
        self.lab_head = nn.Linear(2 * h, l)
        self.lab_out = nn.Linear(3 * l, n_labels)
        self.drop = nn.Dropout(0.33)

    def encode(self, batch, vec, word, suffix, shape, lengths):
        """Inputs (B, T) with the root at 0; returns (B, T, 2h)."""
        x = torch.cat([vec, self.word(word), self.suffix(suffix), self.shape(shape)], -1)
        x[:, 0] = self.root
        x = self.drop(x)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        return self.drop(out)

    def arcs(self, h):
        dep = F.relu(self.arc_dep(h))
        head = F.relu(self.arc_head(h))
        # s[b, i, j]: score of j heading i
        return (dep @ self.arc_u) @ head.transpose(1, 2) + (head @ self.arc_b)[:, None, :]

    def labels(self, h, heads):
        dep = F.relu(self.lab_dep(h))
        head = F.relu(self.lab_head(h))
        hd = torch.gather(head, 1, heads[..., None].expand(-1, -1, head.shape[-1]))
        return self.lab_out(torch.cat([dep, hd, dep * hd], -1))


def tensors(batch, dims, word_drop, rng):
    T = max(e.n for e in batch) + 1
    B = len(batch)
    vec = np.zeros((B, T, dims["vec"] + dims["context"]), np.float32)
    word = np.zeros((B, T), np.int64)
    suf = np.zeros((B, T), np.int64)
    shape = np.zeros((B, T), np.int64)
    for b, e in enumerate(batch):
        vec[b, 1 : e.n + 1] = e.vec
        w = e.word.copy()
        if word_drop > 0:
            w[rng.random(e.n) < word_drop] = 1
        word[b, 1 : e.n + 1] = w
        suf[b, 1 : e.n + 1] = e.suffix
        shape[b, 1 : e.n + 1] = e.shape
    lengths = torch.tensor([e.n + 1 for e in batch])
    return torch.from_numpy(vec), torch.from_numpy(word), torch.from_numpy(suf), torch.from_numpy(shape), lengths


def batches(items, size, rng):
    order = sorted(range(len(items)), key=lambda i: (items[i][0].n, i))
    out, cur, words = [], [], 0
    for i in order:
        cur.append(i)
        words += items[i][0].n
        if words >= size:
            out.append(cur)
            cur, words = [], 0
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------- training


def contexts(encoder_dir, sentences, cache):
    """The encoder's state of every word of every sentence (the mean of its pieces, of the
    mean of the six layers), as `encoder.rs` computes it; cached in `cache` (.npy)."""
    if cache and Path(cache).exists():
        flat = np.load(cache)
    else:
        from distil_vectors import Encoder, WordPiece

        encoder = TorchEncoder(Encoder(encoder_dir))
        wp = WordPiece(Path(encoder_dir) / "vocab.txt")
        items = []
        for k, words in enumerate(sentences):
            pieces, spans = [], []
            for w in words:
                ids = wp.word(w) or [wp.unk]
                spans.append((len(pieces), len(pieces) + len(ids)))
                pieces.extend(ids)
            items.append((k, pieces, spans))
        out = [None] * len(sentences)
        order = sorted(items, key=lambda it: len(it[1]))
        i = 0
        while i < len(order):
            j = i + 1
            while j < len(order) and (j - i + 1) * (min(len(order[j][1]), WINDOW) + 2) <= 4096:
                j += 1
            for k, states in encode_batch(encoder, wp, order[i:j]):
                out[k] = states
            i = j
            print(f"  context {i}/{len(order)}", file=sys.stderr, end="\r")
        print(file=sys.stderr)
        flat = np.concatenate(out).astype(np.float32)
        if cache:
            np.save(cache, flat)
    result, at = [], 0
    for words in sentences:
        result.append(flat[at : at + len(words)])
        at += len(words)
    return result


class TorchEncoder:
    """distil_vectors.Encoder's forward pass in torch (several times faster than numpy's)."""

    def __init__(self, numpy_encoder):
        self.np = numpy_encoder
        self.w = {k: torch.from_numpy(v.copy()) for k, v in numpy_encoder.w.items()}

    @torch.no_grad()
    def __call__(self, ids, mask):
        w, e = self.w, self.np
        ids, mask = torch.from_numpy(ids), torch.from_numpy(mask)
        batch, length = ids.shape
        norm = lambda x, n: F.layer_norm(x, (x.shape[-1],), w[n + ".weight"], w[n + ".bias"], e.eps)
        dense = lambda x, n: F.linear(x, w[n + ".weight"], w[n + ".bias"])
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
        x = norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        bias = torch.where(mask[:, None, None, :] > 0, 0.0, -1e9)
        total = torch.zeros_like(x)
        dh = x.shape[-1] // e.heads
        for layer in range(e.layers):
            p = f"encoder.layer.{layer}."
            split = lambda t: t.reshape(batch, length, e.heads, dh).transpose(1, 2)
            q, k, v = (split(dense(x, p + "attention.self." + n)) for n in ("query", "key", "value"))
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + bias, -1)
            context = (a @ v).transpose(1, 2).reshape(batch, length, -1)
            x = norm(x + dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = F.gelu(dense(x, p + "intermediate.dense"))
            x = norm(x + dense(h, p + "output.dense"), p + "output.LayerNorm")
            total += x
        return (total / e.layers).numpy()


# Pieces per encoder window: longer sentences are encoded in windows of whole words.
WINDOW = 254


def windows(spans):
    """Word ranges whose pieces fit in one window."""
    out, start = [], 0
    while start < len(spans):
        end = start
        while end < len(spans) and spans[end][1] - spans[start][0] <= WINDOW:
            end += 1
        end = max(end, start + 1)
        out.append((start, end))
        start = end
    return out


def encode_batch(encoder, wp, items):
    rows = []
    for k, pieces, spans in items:
        for a, b in windows(spans):
            lo, hi = spans[a][0], spans[b - 1][1]
            ids = [wp.cls] + pieces[lo:hi][:WINDOW] + [wp.sep]
            rows.append((k, a, b, lo, ids))
    length = max(len(r[4]) for r in rows)
    ids = np.zeros((len(rows), length), np.int64)
    mask = np.zeros((len(rows), length), np.int64)
    for n, r in enumerate(rows):
        ids[n, : len(r[4])] = r[4]
        mask[n, : len(r[4])] = 1
    states = encoder(ids, mask)
    per_sentence = {}
    for n, (k, a, b, lo, _) in enumerate(rows):
        spans = dict((x[0], x[2]) for x in items)[k]
        words = []
        for w in range(a, b):
            s, e = spans[w][0] - lo + 1, min(spans[w][1] - lo, WINDOW) + 1
            words.append(states[n, s:max(e, s + 1)].mean(0))
        per_sentence.setdefault(k, []).extend(words)
    return [(k, np.stack(v)) for k, v in per_sentence.items()]


def context_of_with(encoder, cache_dir, sentences, name):
    """The encoder's states of `sentences`, cached in `cache_dir` under their digest."""
    digest = hashlib.sha1("\n".join(" ".join(s) for s in sentences).encode()).hexdigest()[:12]
    cache = str(Path(cache_dir) / f"{name}-{digest}.npy") if cache_dir else ""
    return contexts(encoder, sentences, cache)


class Teacher:
    """A trained model (the accurate one) whose output distributions on the training
    sentences become soft targets: tags, arcs, labels at the gold heads, entity labels."""

    def __init__(self, path, table, student_vocabs):
        self.net, self.dims, (self.words, self.suffixes, upos, xpos, labels) = load_net(path)
        # The columns of the teacher's tag, XPOS and relation distributions in the student's
        # order (both sort by frequency, which extra training text can change).
        self.order = []
        for mine, theirs in zip(student_vocabs, (upos, xpos, labels)):
            missing = [n for n in mine.names if n not in theirs.index]
            assert not missing, f"the teacher does not know {missing[:5]}"
            self.order.append([theirs.index[n] for n in mine.names])
        self.table = table

    @torch.no_grad()
    def targets(self, sentences, ctx, gold):
        enc = [Encoded(s, self.table, self.words, self.suffixes, self.dims["vec"], c) for s, c in zip(sentences, ctx)]
        out = []
        for i in range(0, len(enc), 64):
            batch = enc[i : i + 64]
            vec, word, suf, shape, lengths = tensors(batch, self.dims, 0.0, None)
            h = self.net.encode(None, vec, word, suf, shape, lengths)
            T = h.shape[1]
            mask = torch.arange(T)[None, :] < lengths[:, None]
            ner = torch.softmax(self.net.ner(h), -1)
            if gold is None:
                out.extend({"ner": ner[b, 1 : e.n + 1].numpy()} for b, e in enumerate(batch))
                continue
            heads = torch.zeros(len(batch), T, dtype=torch.long)
            for b, e in enumerate(batch):
                heads[b, 1 : e.n + 1] = torch.from_numpy(gold[i + b][2])
            arc = torch.softmax(self.net.arcs(h).masked_fill(~mask[:, None, :], -1e9), -1)
            upos_order, xpos_order, label_order = self.order
            lab = torch.softmax(self.net.labels(h, heads), -1)[..., label_order]
            upos = torch.softmax(self.net.upos(h), -1)[..., upos_order]
            xpos = torch.softmax(self.net.xpos(h), -1)[..., xpos_order]
            for b, e in enumerate(batch):
                k = slice(1, e.n + 1)
                out.append({"upos": upos[b, k].numpy(), "xpos": xpos[b, k].numpy(), "ner": ner[b, k].numpy(),
                            "lab": lab[b, k].numpy(), "arc": arc[b, k, : e.n + 1].numpy().astype(np.float16)})
        return out


def padded(rows, T, width=None):
    """Per-sentence target rows (n, C) as a (B, T, C) tensor with the root row 0 empty."""
    C = width or rows[0].shape[1]
    out = np.zeros((len(rows), T, C), np.float32)
    for b, r in enumerate(rows):
        out[b, 1 : r.shape[0] + 1, : r.shape[1]] = r
    return torch.from_numpy(out)


def soft_loss(logits, probs):
    """Cross-entropy against a teacher's distribution."""
    return -(probs * F.log_softmax(logits, -1)).sum(-1).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--train", nargs="+", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--ner-train", nargs="+", required=True)
    ap.add_argument("--ner-dev", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--hidden", type=int, default=96)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--decay", type=float, default=0.93)
    ap.add_argument("--vec-dim", type=int, default=0, help="read only the first N vector components (0: all)")
    ap.add_argument("--encoder", help="the MiniLM files: add its states in context to each word's input (accurate mode)")
    ap.add_argument("--cache", default="", help="a folder for the encoder's states of the training files")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--teacher", help="a written model whose output distributions the model also learns "
                    "(knowledge distillation: the accurate model teaching the fast one)")
    ap.add_argument("--teacher-encoder", help="the MiniLM files, when the teacher reads the encoder's states")
    ap.add_argument("--distil", type=float, default=1.0, help="the weight of the teacher's targets beside gold")
    ap.add_argument("--augment", type=int, default=0, help="with a teacher: this many copies of the tree "
                    "sentences with open-class words exchanged for vector neighbours, learnt from the teacher")
    ap.add_argument("--open-types", nargs="*", default=[], help="entity types of --ner-train whose "
                    "words are left unlabelled (no loss) rather than O, e.g. the early UNER file's OTH")
    ap.add_argument("--augment-rate", type=float, default=0.3, help="the share of open-class words exchanged")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(args.seed)
    pyrng = random.Random(args.seed)

    table = Table(args.vectors)
    train = [s for p in args.train for s in read_conllu(p)]
    dev = read_conllu(args.dev)
    ner_train = [s for p in args.ner_train for s in read_iob2(p, args.open_types)]
    ner_dev = read_iob2(args.ner_dev)
    forms = [t[0] for s in train for t in s] + [f for fs, _ in ner_train for f in fs]
    words = Vocab((normalise(f) for f in forms), 2)
    suffixes = Vocab((suffix(f) for f in forms), 3)
    upos = Vocab((t[1] for s in train for t in s), 1, reserved=())
    xpos = Vocab((t[2] for s in train for t in s), 1, reserved=())
    labels = Vocab((t[4] for s in train for t in s), 1, reserved=())
    if args.augment:
        assert args.teacher, "--augment needs --teacher (the copies are labelled by it)"
        t0 = time.time()
        train = train + augmented(train, table, args.augment, args.augment_rate, args.seed)
        print(f"augmented copies in {time.time() - t0:.0f}s", file=sys.stderr)
    print(f"{len(train)} tree sentences, {len(ner_train)} NER sentences; {len(words)} words, "
          f"{len(suffixes)} suffixes, {len(upos)} UPOS, {len(xpos)} XPOS, {len(labels)} relations", file=sys.stderr)

    vec_dim = args.vec_dim or table.dim

    def context_of(sentences, name):
        if not args.encoder:
            return [None] * len(sentences)
        return context_of_with(args.encoder, args.cache, sentences, name)

    def enc_tree(s, ctx):
        e = Encoded([t[0] for t in s], table, words, suffixes, vec_dim, ctx)
        gold = (np.array([upos(t[1]) for t in s]), np.array([xpos(t[2]) for t in s]),
                np.array([t[3] for t in s]), np.array([labels(t[4]) for t in s]))
        return e, gold

    def enc_ner(s, ctx):
        return Encoded(s[0], table, words, suffixes, vec_dim, ctx), np.array([ner_label(l) for l in s[1]])

    def tree_set(sentences, name):
        ctx = context_of([[t[0] for t in s] for s in sentences], name)
        return [enc_tree(s, c) for s, c in zip(sentences, ctx)]

    def ner_set(sentences, name):
        ctx = context_of([s[0] for s in sentences], name)
        return [enc_ner(s, c) for s, c in zip(sentences, ctx)]

    t0 = time.time()
    train_e = tree_set(train, "train")
    dev_e = tree_set(dev, "dev")
    ner_e = ner_set(ner_train, "ner-train")
    ner_dev_e = ner_set(ner_dev, "ner-dev")
    print(f"encoded inputs in {time.time() - t0:.0f}s", file=sys.stderr)
    soft_trees = soft_ner = None
    if args.teacher:
        t0 = time.time()
        teacher = Teacher(args.teacher, table, (upos, xpos, labels))
        ctx_of = lambda sentences, name: (
            context_of_with(args.teacher_encoder, args.cache, sentences, name) if args.teacher_encoder else
            [None] * len(sentences))
        tree_forms = [[t[0] for t in s] for s in train]
        soft_trees = teacher.targets(tree_forms, ctx_of(tree_forms, "train"), [g for _, g in train_e])
        ner_forms = [s[0] for s in ner_train]
        soft_ner = teacher.targets(ner_forms, ctx_of(ner_forms, "ner-train"), None)
        print(f"teacher's targets in {time.time() - t0:.0f}s", file=sys.stderr)

    context = train_e[0][0].vec.shape[1] - vec_dim
    dims = dict(vec=vec_dim, context=context, word=64, suffix=24, shape=12, hidden=args.hidden, layers=args.layers, arc=128, label=64)
    net = Net(dims, len(words), len(suffixes), len(upos), len(xpos), len(labels))
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, betas=(0.9, 0.9))
    # The rate shrinks by `decay` each epoch: fast early, settling late.
    schedule = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=args.decay)
    best, best_state = -1.0, None
    for epoch in range(args.epochs):
        net.train()
        t0 = time.time()
        tree_batches = [("tree", b) for b in batches(train_e, 1500, pyrng)]
        ner_batches = [("ner", b) for b in batches(ner_e, 1500, pyrng)]
        # Interleave: NER batches spread among the tree batches.
        plan = tree_batches + ner_batches
        pyrng.shuffle(plan)
        total = 0.0
        for kind, idx in plan:
            items = train_e if kind == "tree" else ner_e
            batch = [items[i] for i in idx]
            vec, word, suf, shape, lengths = tensors([e for e, _ in batch], dims, 0.25, rng)
            h = net.encode(None, vec, word, suf, shape, lengths)
            T = h.shape[1]
            mask = torch.arange(T)[None, :] < lengths[:, None]
            tok = mask.clone()
            tok[:, 0] = False
            if kind == "tree":
                gu = torch.zeros(len(batch), T, dtype=torch.long)
                gx, gh, gl = gu.clone(), gu.clone(), gu.clone()
                for b, (e, g) in enumerate(batch):
                    gu[b, 1 : e.n + 1] = torch.from_numpy(g[0])
                    gx[b, 1 : e.n + 1] = torch.from_numpy(g[1])
                    gh[b, 1 : e.n + 1] = torch.from_numpy(g[2])
                    gl[b, 1 : e.n + 1] = torch.from_numpy(g[3])
                # Each head's logits once, scored against the gold and the teacher's targets.
                arc = net.arcs(h).masked_fill(~mask[:, None, :], -1e9)[tok]
                lab, up, xp = net.labels(h, gh)[tok], net.upos(h)[tok], net.xpos(h)[tok]
                loss = F.cross_entropy(arc, gh[tok]) + F.cross_entropy(lab, gl[tok])
                loss = loss + F.cross_entropy(up, gu[tok]) + F.cross_entropy(xp, gx[tok])
                if soft_trees is not None:
                    soft = [soft_trees[i] for i in idx]
                    kd = soft_loss(arc, padded([t["arc"] for t in soft], T, T)[tok])
                    kd = kd + soft_loss(lab, padded([t["lab"] for t in soft], T)[tok])
                    kd = kd + soft_loss(up, padded([t["upos"] for t in soft], T)[tok])
                    kd = kd + soft_loss(xp, padded([t["xpos"] for t in soft], T)[tok])
                    kd = kd + soft_loss(net.ner(h)[tok], padded([t["ner"] for t in soft], T)[tok])
                    loss = loss + args.distil * kd
            else:
                gn = torch.zeros(len(batch), T, dtype=torch.long)
                for b, (e, g) in enumerate(batch):
                    gn[b, 1 : e.n + 1] = torch.from_numpy(g)
                ner = net.ner(h)[tok]
                loss = F.cross_entropy(ner, gn[tok])
                if soft_ner is not None:
                    soft = padded([soft_ner[i]["ner"] for i in idx], T)
                    loss = loss + args.distil * soft_loss(ner, soft[tok])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += loss.item()
        schedule.step()
        scores = evaluate(net, dims, dev_e, ner_dev_e)
        print(f"epoch {epoch + 1}: loss {total / len(plan):.3f}  dev UPOS {scores[0]:.2f} XPOS {scores[1]:.2f} "
              f"UAS {scores[2]:.2f} LAS {scores[3]:.2f} NER F1 {scores[4]:.2f}  ({time.time() - t0:.0f}s)",
              file=sys.stderr, flush=True)
        score = scores[3] + scores[4] + scores[0]
        if score > best:
            best = score
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    write(args.out, net, dims, table, words, suffixes, upos, xpos, labels)
    print(f"wrote {args.out}", file=sys.stderr)


@torch.no_grad()
def evaluate(net, dims, dev_e, ner_dev_e):
    net.eval()
    n = u = x = ua = la = 0
    for i in range(0, len(dev_e), 64):
        batch = dev_e[i : i + 64]
        vec, word, suf, shape, lengths = tensors([e for e, _ in batch], dims, 0.0, None)
        h = net.encode(None, vec, word, suf, shape, lengths)
        T = h.shape[1]
        mask = torch.arange(T)[None, :] < lengths[:, None]
        arc = net.arcs(h).masked_fill(~mask[:, None, :], -1e9)
        heads = arc.argmax(-1)
        lab = net.labels(h, heads).argmax(-1)
        pu, px = net.upos(h).argmax(-1), net.xpos(h).argmax(-1)
        for b, (e, g) in enumerate(batch):
            k = e.n
            n += k
            u += int((pu[b, 1 : k + 1].numpy() == g[0]).sum())
            x += int((px[b, 1 : k + 1].numpy() == g[1]).sum())
            hit = heads[b, 1 : k + 1].numpy() == g[2]
            ua += int(hit.sum())
            la += int((hit & (lab[b, 1 : k + 1].numpy() == g[3])).sum())
    f1 = ner_f1(*ner_dev_scores(net, dims, ner_dev_e))
    return 100 * u / n, 100 * x / n, 100 * ua / n, 100 * la / n, f1


# ALLOWED[p, c]: 0 where label c may follow label p (I-X only continues B-X or I-X), else -inf.
ALLOWED = np.array([[0.0 if c == 0 or c % 2 == 1 or (p != 0 and (p + 1) // 2 == c // 2) else -np.inf
                     for c in range(len(NER_LABELS))] for p in range(len(NER_LABELS))])


def viterbi(scores):
    """The best BIO labels under each word's log-softmax scores, as neural.rs decodes them."""
    top = scores.max(1, keepdims=True)
    logs = scores - top - np.log(np.exp(scores - top).sum(1, keepdims=True))
    best = logs[0] + ALLOWED[0]
    back = []
    for row in logs[1:]:
        totals = best[:, None] + ALLOWED
        back.append(totals.argmax(0))
        best = totals.max(0) + row
    c = int(best.argmax())
    out = [c]
    for b in reversed(back):
        c = int(b[c])
        out.append(c)
    return out[::-1]


def ner_f1(score_rows, gold_rows):
    """Entity F1 of Viterbi decoding (exact span and type)."""
    tp = pred = gold = 0
    for scores, g in zip(score_rows, gold_rows):
        ps, gs = spans(viterbi(scores)), spans(list(g))
        tp += len(ps & gs)
        pred += len(ps)
        gold += len(gs)
    return 200.0 * tp / max(pred + gold, 1)


@torch.no_grad()
def ner_dev_scores(net, dims, ner_dev_e):
    net.eval()
    rows, golds = [], []
    for i in range(0, len(ner_dev_e), 64):
        batch = ner_dev_e[i : i + 64]
        vec, word, suf, shape, lengths = tensors([e for e, _ in batch], dims, 0.0, None)
        scores = net.ner(net.encode(None, vec, word, suf, shape, lengths))
        for b, (e, g) in enumerate(batch):
            rows.append(scores[b, 1 : e.n + 1].numpy())
            golds.append(g)
    return rows, golds


def ner_label(label):
    """The class of a label; UNKNOWN is cross_entropy's ignored index."""
    return -100 if label == UNKNOWN else NER_LABELS.index(label)


def spans(classes):
    out, start, kind = set(), None, None
    for i, c in enumerate(list(classes) + [0]):
        if c == 0 or c % 2 == 1:
            if start is not None:
                out.add((start, i, kind))
                start = None
            if c != 0:
                start, kind = i, (c + 1) // 2
    return out


# ---------------------------------------------------------------- export (and reading back, for a teacher)


def read_model(path):
    """The dims, vocabularies and weights of a file `write` made."""
    r = Reader(path, MAGIC)
    r.array("<u8", 1)  # the vector table's digest
    dims = {k: r.u32() for k in DIM_NAMES}
    vocabs = [r.strings() for _ in range(5)]
    arrays = {name: r.array("<f4", r.u32()).copy() for name in r.strings()}
    return dims, vocabs, arrays


def load_net(path):
    """A `Net` with the weights of a written model, and its vocabularies."""
    dims, (words, suffixes, upos, xpos, labels), arrays = read_model(path)
    net = Net(dims, len(words), len(suffixes), len(upos), len(xpos), len(labels))
    state = net.state_dict()
    for name, a in arrays.items():
        state[name] = torch.from_numpy(a).reshape(state[name].shape)
    net.load_state_dict(state)
    net.eval()
    vocab = lambda names: Vocab([], 1, reserved=tuple(names))
    return net, dims, [vocab(v) for v in (words, suffixes, upos, xpos, labels)]


def write(path, net, dims, table, words, suffixes, upos, xpos, labels):
    sd = {k: v.detach().numpy().astype("<f4") for k, v in net.state_dict().items()}
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<Q", table.digest))
        for k in DIM_NAMES:
            f.write(struct.pack("<I", dims[k]))

        def strings(items):
            f.write(struct.pack("<I", len(items)))
            for s in items:
                b = s.encode("utf-8")
                f.write(struct.pack("<I", len(b)))
                f.write(b)

        for v in (words.names, suffixes.names, upos.names, xpos.names, labels.names):
            strings(v)
        names = ["word.weight", "suffix.weight", "shape.weight", "root"]
        for layer in range(dims["layers"]):
            for d in ("", "_reverse"):
                names += [f"lstm.weight_ih_l{layer}{d}", f"lstm.weight_hh_l{layer}{d}",
                          f"lstm.bias_ih_l{layer}{d}", f"lstm.bias_hh_l{layer}{d}"]
        for head in ("upos", "xpos", "ner", "arc_dep", "arc_head", "lab_dep", "lab_head", "lab_out"):
            names += [f"{head}.weight", f"{head}.bias"]
        names += ["arc_u", "arc_b"]
        strings(names)
        for name in names:
            a = sd[name]
            f.write(struct.pack("<I", a.size))
            f.write(a.tobytes())


if __name__ == "__main__":
    main()
