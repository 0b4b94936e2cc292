//! Static word vectors and word clusters distilled from the MiniLM-L6 sentence encoder
//! (`scripts/distil_vectors.py`; `models/README.md` gives the source and licence).
//!
//! A word seen in the distillation corpora has its own vector (its encoder states averaged
//! over its occurrences) and its cluster at each size; any other word gets the mean of its
//! WordPiece pieces' vectors, cut as BERT's uncased tokenizer cuts it, and the nearest
//! centroid at each size. The models read the clusters as features.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::SyntaxError;
use crate::perceptron::Reader;

const MAGIC: &[u8] = b"ENTVEC01";
/// Cluster sizes the models read (coarse to fine); the file must have this many.
pub const LEVELS: usize = 3;
/// Words not in the table are remembered per thread up to this many, then forgotten.
const CACHE_LIMIT: usize = 1 << 16;

static EMBEDDED: &[u8] = include_bytes!("../models/vectors.bin");

/// The vector table.
pub struct Vectors {
    dim: usize,
    sizes: [usize; LEVELS],
    pieces: HashMap<String, u32>,
    piece_rows: Rows,
    unknown_piece: Option<u32>,
    words: HashMap<String, u32>,
    word_rows: Rows,
    /// Per level: `sizes[level] * dim` unit-length centroids.
    centroids: [Vec<f32>; LEVELS],
    /// Per word: its cluster at each level.
    word_clusters: Vec<[u16; LEVELS]>,
    /// FNV-1a of the file: models record the table they were trained with.
    digest: u64,
}

/// int8 rows with one scale each.
struct Rows {
    dim: usize,
    values: Vec<i8>,
    scales: Vec<f32>,
}

impl Rows {
    fn read(r: &mut Reader, count: usize, dim: usize) -> Result<Rows, SyntaxError> {
        let scales = (0..count).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let values = r.bytes(count * dim)?.iter().map(|b| *b as i8).collect();
        Ok(Rows { dim, values, scales })
    }

    fn add_to(&self, row: u32, out: &mut [f32]) {
        let row = row as usize;
        let scale = self.scales[row];
        let values = &self.values[row * self.dim..(row + 1) * self.dim];
        for (o, v) in out.iter_mut().zip(values) {
            *o += f32::from(*v) * scale;
        }
    }
}

impl Vectors {
    /// The table embedded in the library.
    pub fn embedded() -> &'static Vectors {
        static TABLE: OnceLock<Vectors> = OnceLock::new();
        TABLE.get_or_init(|| {
            Vectors::from_bytes(EMBEDDED, "embedded vectors").expect("the embedded vector table is valid (tested)")
        })
    }

    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<Vectors, SyntaxError> {
        let mut r = Reader::new(bytes, what, MAGIC)?;
        let dim = r.u32()? as usize;
        let levels = r.u32()? as usize;
        if levels != LEVELS || dim == 0 || dim > 4096 {
            return Err(r.error(&format!("{levels} cluster sizes of dimension {dim}; expected {LEVELS}")));
        }
        let mut sizes = [0; LEVELS];
        for size in &mut sizes {
            *size = r.u32()? as usize;
            if *size == 0 || *size > usize::from(u16::MAX) {
                return Err(r.error("bad cluster size"));
            }
        }
        let piece_names = r.strings()?;
        let piece_rows = Rows::read(&mut r, piece_names.len(), dim)?;
        let word_names = r.strings()?;
        let word_rows = Rows::read(&mut r, word_names.len(), dim)?;
        let mut centroids: [Vec<f32>; LEVELS] = Default::default();
        for (level, c) in centroids.iter_mut().enumerate() {
            *c = (0..sizes[level] * dim).map(|_| r.f32()).collect::<Result<_, _>>()?;
        }
        let mut word_clusters = vec![[0u16; LEVELS]; word_names.len()];
        for level in 0..LEVELS {
            for clusters in &mut word_clusters {
                clusters[level] = r.u16()?;
                if usize::from(clusters[level]) >= sizes[level] {
                    return Err(r.error("cluster id out of range"));
                }
            }
        }
        if !r.at_end() {
            return Err(r.error("trailing bytes"));
        }
        let index = |names: Vec<String>| names.into_iter().enumerate().map(|(i, n)| (n, i as u32)).collect();
        let pieces: HashMap<String, u32> = index(piece_names);
        Ok(Vectors {
            dim,
            sizes,
            unknown_piece: pieces.get("[UNK]").copied(),
            pieces,
            piece_rows,
            words: index(word_names),
            word_rows,
            centroids,
            word_clusters,
            digest: fnv(bytes),
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of clusters at each level, coarse to fine.
    pub fn sizes(&self) -> [usize; LEVELS] {
        self.sizes
    }

    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// Whether the word has a vector of its own (else it is built from its pieces).
    pub fn knows(&self, form: &str) -> bool {
        self.words.contains_key(key(form).as_str())
    }

    /// The word's cluster at each level.
    pub fn clusters(&self, form: &str) -> [u16; LEVELS] {
        let key = key(form);
        if let Some(&row) = self.words.get(key.as_str()) {
            return self.word_clusters[row as usize];
        }
        thread_local! {
            static CACHE: RefCell<HashMap<String, [u16; LEVELS]>> = RefCell::new(HashMap::new());
        }
        CACHE.with(|cache| {
            if let Some(c) = cache.borrow().get(&key) {
                return *c;
            }
            let clusters = self.nearest(&self.pieces_vector(&key));
            let mut cache = cache.borrow_mut();
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, clusters);
            clusters
        })
    }

    /// The word's vector: its own, or the mean of its pieces'.
    pub fn vector(&self, form: &str) -> Vec<f32> {
        let key = key(form);
        match self.words.get(key.as_str()) {
            Some(&row) => {
                let mut out = vec![0.0; self.dim];
                self.word_rows.add_to(row, &mut out);
                out
            }
            None => self.pieces_vector(&key),
        }
    }

    /// The first `out.len()` components of the word's vector.
    pub fn vector_into(&self, form: &str, out: &mut [f32]) {
        let key = key(form);
        match self.words.get(key.as_str()) {
            Some(&row) => {
                out.fill(0.0);
                self.word_rows.add_to(row, out);
            }
            None => self.pieces_into(&key, out),
        }
    }

    fn pieces_vector(&self, key: &str) -> Vec<f32> {
        let mut out = vec![0.0; self.dim];
        self.pieces_into(key, &mut out);
        out
    }

    fn pieces_into(&self, key: &str, out: &mut [f32]) {
        out.fill(0.0);
        let mut n = 0usize;
        for token in basic_split(key) {
            for piece in self.word_pieces(token) {
                self.piece_rows.add_to(piece, out);
                n += 1;
            }
        }
        if n > 1 {
            out.iter_mut().for_each(|v| *v /= n as f32);
        }
    }

    fn word_pieces(&self, token: &str) -> Vec<u32> {
        word_pieces(&self.pieces, self.unknown_piece, token)
    }

    /// Index of the closest centroid (cosine) at each level.
    fn nearest(&self, vector: &[f32]) -> [u16; LEVELS] {
        let mut out = [0u16; LEVELS];
        for (level, slot) in out.iter_mut().enumerate() {
            let mut best = (f32::NEG_INFINITY, 0usize);
            for (i, c) in self.centroids[level].chunks_exact(self.dim).enumerate() {
                let s: f32 = c.iter().zip(vector).map(|(a, b)| a * b).sum();
                if s > best.0 {
                    best = (s, i);
                }
            }
            *slot = best.1 as u16;
        }
        out
    }
}

/// Writes the digest of the embedded table, which a model's features depend on.
pub(crate) fn put_digest(out: &mut Vec<u8>) {
    out.extend_from_slice(&Vectors::embedded().digest().to_le_bytes());
}

/// Reads a model's vector digest: a model trained with another table would read wrong
/// clusters, so it is refused.
pub(crate) fn check_digest(r: &mut Reader) -> Result<(), SyntaxError> {
    if r.u64()? != Vectors::embedded().digest() {
        return Err(r.error("trained with other word vectors than models/vectors.bin; retrain it"));
    }
    Ok(())
}

/// The form a word is looked up by: lower case without accents or control characters, as
/// BERT's uncased tokenizer (and the distillation script's `word_key`) normalise it.
pub fn key(form: &str) -> String {
    if form.is_ascii() {
        return form.trim().chars().filter(|c| !c.is_ascii_control()).map(|c| c.to_ascii_lowercase()).collect();
    }
    let lower = form.to_lowercase();
    let out: String = lower.nfd().filter(|c| !is_combining_mark(*c) && !c.is_control()).collect();
    out.trim().to_string()
}

/// Greedy longest-match WordPiece, as BERT cuts one token (a token it cannot cut is
/// `[UNK]`).
pub(crate) fn word_pieces(pieces: &HashMap<String, u32>, unknown: Option<u32>, token: &str) -> Vec<u32> {
    let unknown = || unknown.into_iter().collect();
    if token.chars().count() > 100 {
        return unknown();
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut piece = String::new();
    while start < token.len() {
        let mut end = token.len();
        let found = loop {
            if end <= start {
                break None;
            }
            piece.clear();
            if start > 0 {
                piece.push_str("##");
            }
            piece.push_str(&token[start..end]);
            if let Some(&id) = pieces.get(&piece) {
                break Some(id);
            }
            end = token[..end].char_indices().next_back().map_or(start, |(i, _)| i);
        };
        match found {
            Some(id) => out.push(id),
            None => return unknown(),
        }
        start = end;
    }
    out
}

/// Splits a normalised word at spaces and around punctuation and CJK characters.
pub(crate) fn basic_split(key: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in key.char_indices() {
        let alone = is_punctuation(c) || is_cjk(c);
        if c.is_whitespace() || alone {
            if let Some(s) = start.take() {
                out.push(&key[s..i]);
            }
            if alone {
                out.push(&key[i..i + c.len_utf8()]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&key[s..]);
    }
    out
}

/// BERT's punctuation: ASCII symbols and Unicode punctuation. Rust has no general-category
/// query; ASCII and the common punctuation blocks cover what news text holds.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}'..='\u{3003}' | '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}')
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}' | '\u{2A700}'..='\u{2CEAF}' | '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}')
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lower_case_without_accents() {
        for (form, expected) in
            [("Paris", "paris"), ("NAÏVE", "naive"), ("Zürich", "zurich"), ("U.S.", "u.s."), ("", "")]
        {
            assert_eq!(key(form), expected, "{form}");
        }
    }

    #[test]
    fn words_split_at_punctuation_as_bert_does() {
        for (key, expected) in [
            ("u.s.", vec!["u", ".", "s", "."]),
            ("don't", vec!["don", "'", "t"]),
            ("e-mail", vec!["e", "-", "mail"]),
            ("abc", vec!["abc"]),
        ] {
            assert_eq!(basic_split(key), expected, "{key}");
        }
    }

    #[test]
    fn the_embedded_table_loads_and_builds_unknown_words_from_pieces() {
        let v = Vectors::embedded();
        assert!(v.dim() > 0);
        assert!(v.knows("the") && v.knows("The"));
        let made_up = "Blorfington";
        assert!(!v.knows(made_up));
        let vector = v.vector(made_up);
        assert!(vector.iter().any(|x| *x != 0.0), "a word unseen gets its pieces' mean");
        let clusters = v.clusters(made_up);
        for (level, c) in clusters.iter().enumerate() {
            assert!(usize::from(*c) < v.sizes()[level]);
        }
        assert_eq!(clusters, v.clusters(made_up), "cached and fresh agree");
    }

    /// Words of one kind share clusters more than words of different kinds: the table
    /// carries what the encoder knows about them.
    #[test]
    fn similar_words_share_fine_clusters_more_than_unlike_ones() {
        let v = Vectors::embedded();
        let cos = |a: &str, b: &str| {
            let (x, y) = (v.vector(a), v.vector(b));
            let dot: f32 = x.iter().zip(&y).map(|(p, q)| p * q).sum();
            let norm = |z: &[f32]| z.iter().map(|p| p * p).sum::<f32>().sqrt();
            dot / (norm(&x) * norm(&y))
        };
        for (a, b, c) in
            [("monday", "tuesday", "bank"), ("france", "germany", "eat"), ("minister", "president", "blue")]
        {
            assert!(cos(a, b) > cos(a, c), "{a} {b} {c}");
        }
    }

    #[test]
    fn bad_files_are_errors_not_panics() {
        assert!(Vectors::from_bytes(b"", "empty").is_err());
        assert!(Vectors::from_bytes(&EMBEDDED[..EMBEDDED.len() / 2], "half").is_err());
        let mut extra = EMBEDDED.to_vec();
        extra.push(0);
        assert!(Vectors::from_bytes(&extra, "long").is_err());
    }
}
