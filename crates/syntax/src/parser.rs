//! Greedy arc-hybrid transition parser with labelled transitions, rich (Zhang & Nivre
//! style) features, an averaged perceptron and a dynamic oracle for training.

use std::path::Path;

use crate::features::{PAD, clusters, hash_normalised, hash_str, key};
use crate::perceptron::{Model, Reader, Rng, Trainer, argmax, put_strings};
use crate::vectors::LEVELS;
use crate::{SyntaxError, Tag};

const MAGIC: &[u8] = b"ENTPAR03";
const NONE: usize = usize::MAX;
const SHIFT: usize = 0;

/// Trained parser.
pub struct ParserModel {
    labels: Vec<String>,
    root_label: usize,
    model: Model,
}

/// A sentence prepared for parsing: index 0 is the artificial root.
pub(crate) struct Input {
    word: Vec<u64>,
    xpos: Vec<u64>,
    upos: Vec<u64>,
    /// Distilled-vector clusters of each word, per level.
    cluster: Vec<[u64; LEVELS]>,
}

impl Input {
    pub(crate) fn new<'a>(words: impl Iterator<Item = &'a str>, tags: &[Tag]) -> Input {
        let root = hash_str("<ROOT>");
        let mut input = Input { word: vec![root], xpos: vec![root], upos: vec![root], cluster: vec![[root; LEVELS]] };
        for (w, t) in words.zip(tags) {
            input.word.push(hash_normalised(w));
            input.cluster.push(clusters(w));
            input.xpos.push(hash_str(&t.xpos));
            input.upos.push(hash_str(&t.upos));
        }
        input
    }
    fn len(&self) -> usize {
        self.word.len() - 1
    }
}

/// Parser configuration.
struct State {
    stack: Vec<usize>,
    next: usize,
    n: usize,
    heads: Vec<usize>,
    labels: Vec<usize>,
    left: Vec<[usize; 2]>,
    right: Vec<[usize; 2]>,
    left_count: Vec<u64>,
    right_count: Vec<u64>,
}

impl State {
    fn new(n: usize) -> State {
        State {
            stack: vec![0],
            next: 1,
            n,
            heads: vec![NONE; n + 1],
            labels: vec![NONE; n + 1],
            left: vec![[NONE; 2]; n + 1],
            right: vec![[NONE; 2]; n + 1],
            left_count: vec![0; n + 1],
            right_count: vec![0; n + 1],
        }
    }

    fn done(&self) -> bool {
        self.next > self.n && self.stack.len() == 1
    }

    fn s(&self, i: usize) -> usize {
        if self.stack.len() > i { self.stack[self.stack.len() - 1 - i] } else { NONE }
    }

    fn b(&self, i: usize) -> usize {
        if self.next + i <= self.n { self.next + i } else { NONE }
    }

    /// The transitions allowed here; checking them once per state keeps the argmax over
    /// a hundred classes cheap.
    fn moves(&self, root_label: usize) -> Moves {
        let buffer = self.next <= self.n;
        let (s0, s1) = (self.s(0), self.s(1));
        Moves {
            shift: buffer,
            left: s0 != NONE && s0 != 0 && buffer,
            // The root takes exactly one dependent, at the very end.
            right: match s1 {
                NONE => Right::No,
                0 if !buffer && self.stack.len() == 2 => Right::RootOnly,
                0 => Right::No,
                _ => Right::NotRoot,
            },
            root_label,
        }
    }

    fn apply(&mut self, class: usize) {
        if class == SHIFT {
            self.stack.push(self.next);
            self.next += 1;
            return;
        }
        let label = (class - 1) / 2;
        let dep = self.stack.pop().expect("valid transition");
        let head = if is_left(class) { self.next } else { *self.stack.last().expect("valid transition") };
        self.heads[dep] = head;
        self.labels[dep] = label;
        if dep < head {
            self.left_count[head] += 1;
            insert_child(&mut self.left[head], dep, |a, b| a < b);
        } else {
            self.right_count[head] += 1;
            insert_child(&mut self.right[head], dep, |a, b| a > b);
        }
    }

    /// Gold arcs lost by each transition kind (SHIFT, LEFT, RIGHT), per the arc-hybrid
    /// dynamic oracle of Goldberg & Nivre (2013).
    fn costs(&self, gold: &[usize]) -> [usize; 3] {
        let s0 = self.s(0);
        let s1 = self.s(1);
        let buffer = self.next..=self.n;
        let deps_in_buffer = |x: usize| buffer.clone().filter(|&k| gold[k] == x).count();
        let mut costs = [usize::MAX; 3];
        if self.next <= self.n {
            let b = self.next;
            let depth = self.stack.len();
            let mut c = 0;
            for (i, &k) in self.stack.iter().enumerate() {
                c += usize::from(gold[k] == b && k != 0);
                c += usize::from(i + 1 < depth && gold[b] == k);
            }
            costs[0] = c;
        }
        if s0 != NONE && s0 != 0 {
            let own = deps_in_buffer(s0);
            if self.next <= self.n {
                let head_lost = (s1 != NONE && gold[s0] == s1) || gold[s0] > self.next;
                costs[1] = own + usize::from(head_lost);
            }
            if s1 != NONE {
                let head_lost = gold[s0] >= self.next && gold[s0] <= self.n;
                costs[2] = own + usize::from(head_lost);
            }
        }
        costs
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Right {
    No,
    RootOnly,
    NotRoot,
}

/// Which classes a state allows.
#[derive(Clone, Copy)]
struct Moves {
    shift: bool,
    left: bool,
    right: Right,
    root_label: usize,
}

impl Moves {
    fn allows(&self, class: usize) -> bool {
        if class == SHIFT {
            return self.shift;
        }
        let is_root = (class - 1) / 2 == self.root_label;
        if is_left(class) {
            self.left && !is_root
        } else {
            match self.right {
                Right::No => false,
                Right::RootOnly => is_root,
                Right::NotRoot => !is_root,
            }
        }
    }
}

/// Classes: 0 = SHIFT, 1 + 2l = LEFT with label l, 2 + 2l = RIGHT with label l.
fn is_left(class: usize) -> bool {
    !class.is_multiple_of(2)
}

fn insert_child(slots: &mut [usize; 2], dep: usize, outer: impl Fn(usize, usize) -> bool) {
    if slots[0] == NONE || outer(dep, slots[0]) {
        slots[1] = slots[0];
        slots[0] = dep;
    } else if slots[1] == NONE || outer(dep, slots[1]) {
        slots[1] = dep;
    }
}

fn features(input: &Input, st: &State, out: &mut Vec<u64>) {
    out.clear();
    let w = |x: usize| if x == NONE { PAD } else { input.word[x] };
    let p = |x: usize| if x == NONE { PAD } else { input.xpos[x] };
    let u = |x: usize| if x == NONE { PAD } else { input.upos[x] };
    let c = |x: usize, level: usize| if x == NONE { PAD } else { input.cluster[x][level] };
    let l = |x: usize| {
        if x == NONE || st.labels[x] == NONE { PAD } else { st.labels[x] as u64 }
    };
    let child = |x: usize, side: &Vec<[usize; 2]>, i: usize| if x == NONE { NONE } else { side[x][i] };
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let (b0, b1, b2) = (st.b(0), st.b(1), st.b(2));
    let s0l = child(s0, &st.left, 0);
    let s0l2 = child(s0, &st.left, 1);
    let s0r = child(s0, &st.right, 0);
    let s0r2 = child(s0, &st.right, 1);
    let b0l = child(b0, &st.left, 0);
    let b0l2 = child(b0, &st.left, 1);
    let s1l = child(s1, &st.left, 0);
    let s1r = child(s1, &st.right, 0);
    let dist = if s0 == NONE || b0 == NONE || s0 == 0 { PAD } else { (b0 - s0).min(6) as u64 };
    let gap = if s1 == NONE || s1 == 0 || s0 == NONE { PAD } else { (s0 - s1).min(6) as u64 };
    let near = |x: usize, delta: isize| {
        if x == NONE || x == 0 {
            return NONE;
        }
        let y = x as isize + delta;
        if y >= 1 && y as usize <= st.n { y as usize } else { NONE }
    };
    let (s0_next, s0_prev) = (near(s0, 1), near(s0, -1));
    let (b0_prev, s1_next) = (near(b0, -1), near(s1, 1));
    let count = |x: usize, side: &Vec<u64>| if x == NONE { PAD } else { side[x].min(4) };
    let f = [
        // single words
        key(1, &[w(s0)]),
        key(2, &[p(s0)]),
        key(3, &[w(s0), p(s0)]),
        key(4, &[w(b0)]),
        key(5, &[p(b0)]),
        key(6, &[w(b0), p(b0)]),
        key(7, &[w(b1)]),
        key(8, &[p(b1)]),
        key(9, &[w(b1), p(b1)]),
        key(10, &[w(b2)]),
        key(11, &[p(b2)]),
        key(12, &[w(s1)]),
        key(13, &[p(s1)]),
        key(14, &[w(s1), p(s1)]),
        key(15, &[p(s2)]),
        key(16, &[u(s0), u(b0)]),
        // pairs
        key(20, &[w(s0), p(s0), w(b0), p(b0)]),
        key(21, &[w(s0), p(s0), w(b0)]),
        key(22, &[w(s0), w(b0), p(b0)]),
        key(23, &[w(s0), p(s0), p(b0)]),
        key(24, &[p(s0), w(b0), p(b0)]),
        key(25, &[w(s0), w(b0)]),
        key(26, &[p(s0), p(b0)]),
        key(27, &[p(b0), p(b1)]),
        key(28, &[p(s1), p(s0)]),
        key(29, &[w(s1), w(s0)]),
        key(30, &[w(s1), p(s0)]),
        key(31, &[p(s1), w(s0)]),
        key(32, &[w(s0), p(s0), p(s1)]),
        key(33, &[w(s1), p(s1), p(s0)]),
        // triples
        key(40, &[p(b0), p(b1), p(b2)]),
        key(41, &[p(s0), p(b0), p(b1)]),
        key(42, &[p(s1), p(s0), p(b0)]),
        key(43, &[p(s0), p(s0l), p(b0)]),
        key(44, &[p(s0), p(s0r), p(b0)]),
        key(45, &[p(s0), p(b0), p(b0l)]),
        key(46, &[p(s1), p(s0), p(s0r)]),
        key(47, &[p(s1), p(s1r), p(s0)]),
        key(48, &[p(s1), p(s1l), p(s0)]),
        key(49, &[p(s2), p(s1), p(s0)]),
        key(50, &[w(s1), p(s0), p(b0)]),
        key(51, &[p(s1), w(s0), p(b0)]),
        key(52, &[p(s1), p(s0), w(b0)]),
        // distance
        key(60, &[w(s0), dist]),
        key(61, &[p(s0), dist]),
        key(62, &[w(b0), dist]),
        key(63, &[p(b0), dist]),
        key(64, &[w(s0), w(b0), dist]),
        key(65, &[p(s0), p(b0), dist]),
        // valency
        key(70, &[w(s0), count(s0, &st.right_count)]),
        key(71, &[p(s0), count(s0, &st.right_count)]),
        key(72, &[w(s0), count(s0, &st.left_count)]),
        key(73, &[p(s0), count(s0, &st.left_count)]),
        key(74, &[w(b0), count(b0, &st.left_count)]),
        key(75, &[p(b0), count(b0, &st.left_count)]),
        key(76, &[p(s1), count(s1, &st.right_count)]),
        // children
        key(80, &[w(s0l)]),
        key(81, &[p(s0l)]),
        key(82, &[l(s0l)]),
        key(83, &[w(s0r)]),
        key(84, &[p(s0r)]),
        key(85, &[l(s0r)]),
        key(86, &[w(b0l)]),
        key(87, &[p(b0l)]),
        key(88, &[l(b0l)]),
        key(89, &[w(s0l2)]),
        key(90, &[p(s0l2)]),
        key(91, &[l(s0l2)]),
        key(92, &[w(s0r2)]),
        key(93, &[p(s0r2)]),
        key(94, &[l(s0r2)]),
        key(95, &[w(b0l2)]),
        key(96, &[p(b0l2)]),
        key(97, &[l(b0l2)]),
        key(98, &[l(s1r)]),
        key(99, &[l(s1l)]),
        // second-order
        key(100, &[p(s0), p(s0l), p(s0l2)]),
        key(101, &[p(s0), p(s0r), p(s0r2)]),
        key(102, &[p(b0), p(b0l), p(b0l2)]),
        key(103, &[p(s0), l(s0l), l(s0l2)]),
        key(104, &[p(s0), l(s0r), l(s0r2)]),
        key(105, &[p(b0), l(b0l), l(b0l2)]),
        key(106, &[w(s0), l(s0l), l(s0r)]),
        key(107, &[w(b0), l(b0l)]),
        key(108, &[p(s0), w(b0), l(s0l)]),
        key(109, &[p(s1), l(s1l), l(s1r), p(s0)]),
        key(110, &[u64::from(b0 == NONE), p(s0), p(s1)]),
        // s1 against s0 and b0: RIGHT attaches s0 to s1, LEFT to b0
        key(120, &[w(s1), p(s1), w(s0), p(s0)]),
        key(121, &[p(s1), p(s0), gap]),
        key(122, &[w(s1), w(s0), gap]),
        key(123, &[p(s1), p(b0)]),
        key(124, &[w(s1), w(b0)]),
        key(125, &[p(s1), w(b0), p(s0)]),
        key(126, &[p(s1), p(s0), p(b0), p(b1)]),
        key(127, &[u(s1), u(s0), u(b0)]),
        key(128, &[p(s0), p(s0_next), p(s0_prev)]),
        key(129, &[p(s0), p(s0_next), p(b0)]),
        key(130, &[p(b0), p(b0_prev), p(s0)]),
        key(131, &[p(s1), p(s1_next), p(s0)]),
        key(132, &[w(s0), p(s1), gap, dist]),
        // distilled-vector clusters: fine ones alone, middle ones in pairs and with tags
        key(140, &[c(s0, 2)]),
        key(141, &[c(b0, 2)]),
        key(142, &[c(b1, 2)]),
        key(143, &[c(s1, 2)]),
        key(144, &[c(s0, 1), c(b0, 1)]),
        key(145, &[c(s0, 1), p(b0)]),
        key(146, &[p(s0), c(b0, 1)]),
        key(147, &[c(s1, 1), c(s0, 1)]),
        key(148, &[c(s1, 1), p(s0)]),
        key(149, &[p(s1), c(s0, 1)]),
        key(150, &[c(s0, 0), c(b0, 0), dist]),
        key(151, &[c(s0l, 1)]),
        key(152, &[c(s0r, 1)]),
        key(153, &[c(b0l, 1)]),
        key(154, &[c(s1, 0), c(s0, 0), c(b0, 0)]),
        key(155, &[c(s0, 1), l(s0l), l(s0r)]),
        key(156, &[c(s1, 1), c(b0, 1)]),
        key(157, &[c(s0, 2), p(b0)]),
        key(158, &[p(s0), c(b0, 2)]),
    ];
    out.extend_from_slice(&f);
}

impl ParserModel {
    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<Self, SyntaxError> {
        let mut r = Reader::new(bytes, what, MAGIC)?;
        crate::vectors::check_digest(&mut r)?;
        let labels = r.strings()?;
        let model = Model::read(&mut r)?;
        if model.classes() != 1 + 2 * labels.len() {
            return Err(r.error("class count does not match the labels"));
        }
        let root_label = labels.iter().position(|l| l == "root").ok_or_else(|| r.error("no root label"))?;
        Ok(ParserModel { labels, root_label, model })
    }

    /// A parser with no weights (it attaches by its transition order alone): the part of
    /// a perceptron set that is not being scored.
    pub fn untrained() -> ParserModel {
        ParserModel { labels: vec!["root".to_string()], root_label: 0, model: Model::from_table(3, Vec::new()) }
    }

    pub fn load(path: &Path) -> Result<Self, SyntaxError> {
        Self::from_bytes(&crate::read_file(path)?, &path.display().to_string())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        crate::vectors::put_digest(&mut out);
        put_strings(&mut out, &self.labels);
        self.model.write(&mut out);
        out
    }

    /// Heads (0 = root, 1-based) and relations of a tagged sentence.
    pub fn parse(&self, words: &[&str], tags: &[Tag]) -> (Vec<usize>, Vec<String>) {
        let input = Input::new(words.iter().copied(), tags);
        let st = self.run(&input);
        let heads = st.heads[1..].to_vec();
        let labels = st.labels[1..].iter().map(|l| self.labels[*l].clone()).collect();
        (heads, labels)
    }

    fn run(&self, input: &Input) -> State {
        let mut st = State::new(input.len());
        let mut feats = Vec::with_capacity(128);
        let mut scores = Vec::new();
        while !st.done() {
            features(input, &st, &mut feats);
            self.model.scores(&feats, &mut scores);
            let moves = st.moves(self.root_label);
            let best = argmax(&scores, |c| moves.allows(c)).expect("a non-final state has a valid transition");
            st.apply(best);
        }
        st
    }
}

/// One training sentence: input with (predicted) tags, gold heads and label ids.
pub(crate) struct Example {
    pub input: Input,
    pub heads: Vec<usize>,
    pub labels: Vec<usize>,
}

/// Probability of following the model's own (possibly wrong) transition after epoch 1.
const EXPLORE: f64 = 0.9;
/// Averaged weights below this are dropped: on EWT dev this costs under 0.1 UAS and
/// keeps the model file well under 25 MB.
const MIN_WEIGHT: f32 = 1.0;

pub(crate) fn train(
    labels: Vec<String>,
    examples: &[Example],
    seed: u64,
    iterations: usize,
    mut on_epoch: impl FnMut(usize, &ParserModel) -> String,
) -> (ParserModel, String) {
    let root_label = labels.iter().position(|l| l == "root").unwrap_or(0);
    let classes = 1 + 2 * labels.len();
    let mut trainer = Trainer::new(classes);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut log = String::new();
    let mut feats = Vec::with_capacity(128);
    let mut scores = Vec::new();
    for epoch in 0..iterations {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &e in &order {
            let ex = &examples[e];
            let mut st = State::new(ex.input.len());
            while !st.done() {
                features(&ex.input, &st, &mut feats);
                trainer.scores(&feats, &mut scores);
                let moves = st.moves(root_label);
                let valid = |c: usize| moves.allows(c);
                let guess = argmax(&scores, valid).expect("valid transition");
                let costs = st.costs(&ex.heads);
                let gold_label = ex.labels[st.s(0).min(ex.labels.len() - 1)];
                let best_cost = (0..classes)
                    .filter(|&c| valid(c))
                    .map(|c| transition_cost(c, &costs, gold_label))
                    .min()
                    .expect("valid transition");
                let is_gold = |c: usize| valid(c) && transition_cost(c, &costs, gold_label) == best_cost;
                let gold = argmax(&scores, is_gold).expect("some transition is best");
                trainer.update(&feats, gold, guess);
                trainer.tick();
                right += usize::from(is_gold(guess));
                total += 1;
                let follow = if epoch > 0 && rng.chance(EXPLORE) { guess } else { gold };
                st.apply(follow);
            }
        }
        log.push_str(&format!(
            "parser epoch {}: train transition accuracy {:.2}%\n",
            epoch + 1,
            100.0 * right as f64 / total.max(1) as f64
        ));
        if epoch + 1 == iterations || (epoch + 1) % 5 == 0 {
            let snapshot = ParserModel { labels: labels.clone(), root_label, model: trainer.average(MIN_WEIGHT) };
            log.push_str(&on_epoch(epoch + 1, &snapshot));
        }
    }
    let model = ParserModel { labels, root_label, model: trainer.average(MIN_WEIGHT) };
    (model, log)
}

/// Cost of one class: the arc cost of its transition, plus one for a wrong label.
fn transition_cost(class: usize, costs: &[usize; 3], gold_label: usize) -> usize {
    if class == SHIFT {
        return costs[0];
    }
    let label = (class - 1) / 2;
    let base = if is_left(class) { costs[1] } else { costs[2] };
    base.saturating_add(usize::from(label != gold_label))
}
