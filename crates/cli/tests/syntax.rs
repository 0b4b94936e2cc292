//! `entente parse` writes valid CoNLL-U from plain text and from CoNLL-U; `entente eval`
//! meets floors on EWT dev (when ../shared is here); `entente train` is deterministic.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn entente(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("entente runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("entente finishes");
    assert!(out.status.success(), "entente {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Checks CoNLL-U structure and returns the forms of each sentence's syntactic words:
/// ten columns, ids 1..n in order, heads in 0..=n, exactly one root, NER= in MISC.
fn check_conllu(text: &str) -> Vec<Vec<String>> {
    let mut sentences = Vec::new();
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let rows: Vec<Vec<&str>> = block
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|c| !c[0].contains('-') && !c[0].contains('.'))
            .collect();
        let n = rows.len();
        assert!(n > 0, "a sentence without words:\n{block}");
        let mut roots = 0;
        for (i, cols) in rows.iter().enumerate() {
            assert_eq!(cols.len(), 10, "ten columns: {cols:?}");
            assert_eq!(cols[0], (i + 1).to_string(), "ids in order: {cols:?}");
            let head: usize = cols[6].parse().expect("numeric head");
            assert!(head <= n && head != i + 1, "head in range and not itself: {cols:?}");
            roots += usize::from(head == 0);
            assert!(!cols[3].is_empty() && cols[3] != "_" && !cols[7].is_empty() && cols[7] != "_", "{cols:?}");
            assert!(cols[9].split('|').any(|m| m.starts_with("NER=")), "NER in MISC: {cols:?}");
        }
        assert_eq!(roots, 1, "one root:\n{block}");
        sentences.push(rows.iter().map(|c| c[1].to_string()).collect());
    }
    sentences
}

#[test]
fn parse_plain_text_gives_valid_conllu() {
    let text = "NATO foreign ministers met in Brussels on Tuesday. Japan's Prime Minister said his \
                government would deepen cooperation with the alliance.\n\nCritics disagreed.";
    let out = entente(&["parse"], text);
    let conllu = String::from_utf8(out.stdout).expect("utf8");
    let sentences = check_conllu(&conllu);
    assert_eq!(sentences.len(), 3, "{conllu}");
    assert_eq!(sentences[2], ["Critics", "disagreed", "."]);
    assert!(conllu.contains("# text = Critics disagreed."));
    assert!(conllu.contains("\tBrussels\t") && conllu.contains("NER=B-LOC"), "{conllu}");
    assert!(conllu.contains("\tSpaceAfter=No|NER=O"), "{conllu}");
}

#[test]
fn parse_conllu_keeps_its_tokens() {
    let input = "# sent_id = a\n# text = I don't know Paris.\n\
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\t_\n\
5\tParis\tParis\tPROPN\tNNP\t_\t4\tobj\t_\tSpaceAfter=No\n\
6\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n\
# sent_id = b\n\
1\tHello\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tthere\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
    let out = entente(&["parse"], input);
    let conllu = String::from_utf8(out.stdout).expect("utf8");
    let sentences = check_conllu(&conllu);
    assert_eq!(sentences, [vec!["I", "do", "n't", "know", "Paris", "."], vec!["Hello", "there"]]);
    assert!(conllu.contains("# sent_id = a\n# text = I don't know Paris.\n"));
    assert!(conllu.contains("\n2-3\tdon't\t_\t"), "multiword token kept");
    assert!(conllu.contains("\tSpaceAfter=No|NER="), "MISC kept");
}

/// Runs `entente eval KIND --test FILE` and returns the value of each `NAME  VALUE%` line
/// (or of the `all` row's F1 for NER).
fn eval_figures(kind: &str, test: &Path) -> Vec<(String, f64)> {
    let out = entente(&["eval", kind, "--test", test.to_str().expect("utf8 path")], "");
    let report = String::from_utf8(out.stdout).expect("utf8");
    println!("{report}");
    report
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            match cols.as_slice() {
                [name, value] if value.ends_with('%') => {
                    Some((name.to_string(), value.trim_end_matches('%').parse().ok()?))
                }
                ["all", _p, _r, f1, _gold] => Some(("F1".to_string(), f1.parse().ok()?)),
                _ => None,
            }
        })
        .collect()
}

fn figure(figures: &[(String, f64)], name: &str) -> f64 {
    figures.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} in {figures:?}")).1
}

// Floors a little under what the embedded neural model reaches on the whole of EWT / UNER
// dev (UPOS 96.19, XPOS 95.38, UAS 88.96, LAS 85.72, NER F1 73.38).
const UPOS_FLOOR: f64 = 95.8;
const XPOS_FLOOR: f64 = 95.0;
const UAS_FLOOR: f64 = 88.5;
const LAS_FLOOR: f64 = 85.2;
const NER_F1_FLOOR: f64 = 72.0;

#[test]
fn eval_on_dev_meets_floors() {
    let Some(ud) = entente_testdata::shared_or_skip("cli_syntax_eval", "data/ud") else { return };
    let tagger = eval_figures("tagger", &ud.join("en_ewt-ud-dev.conllu"));
    assert!(figure(&tagger, "UPOS") >= UPOS_FLOOR && figure(&tagger, "XPOS") >= XPOS_FLOOR, "{tagger:?}");
    let parser = eval_figures("parser", &ud.join("en_ewt-ud-dev.conllu"));
    assert!(figure(&parser, "UAS") >= UAS_FLOOR && figure(&parser, "LAS") >= LAS_FLOOR, "{parser:?}");
    let ner = eval_figures("ner", &ud.join("uner/en_ewt-ud-dev.iob2"));
    assert!(figure(&ner, "F1") >= NER_F1_FLOOR, "{ner:?}");
}

/// The first `n` sentences of `src` in a file of `dir`.
fn slice(src: &Path, n: usize, dir: &Path, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(src).expect("read data");
    let blocks: Vec<&str> = text.split("\n\n").filter(|b| !b.trim().is_empty()).take(n).collect();
    let path = dir.join(name);
    std::fs::write(&path, blocks.join("\n\n") + "\n\n").expect("write slice");
    path
}

#[test]
fn train_with_one_seed_gives_identical_models() {
    let Some(ud) = entente_testdata::shared_or_skip("cli_syntax_train", "data/ud") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let train = slice(&ud.join("en_ewt-ud-train.conllu"), 300, dir.path(), "train.conllu");
    let dev = slice(&ud.join("en_ewt-ud-dev.conllu"), 40, dir.path(), "dev.conllu");
    let tagger = dir.path().join("a.bin");
    let run = |kind: &str, name: &str, seed: &str| {
        let out = dir.path().join(name);
        let (t, d, o) = (train.to_str().unwrap(), dev.to_str().unwrap(), out.to_str().unwrap());
        let mut args = vec!["-q", "train", kind, "--train", t, "--dev", d, "--out", o, "--seed", seed, "--epochs", "2"];
        if kind != "tagger" {
            // The perceptron parser reads the tagger trained first.
            args.extend(["--tagger", tagger.to_str().unwrap()]);
        }
        entente(&args, "");
        std::fs::read(out).expect("model written")
    };
    let first = run("tagger", "a.bin", "7");
    assert!(!first.is_empty());
    assert_eq!(first, run("tagger", "b.bin", "7"), "same seed, same tagger bytes");
    assert_ne!(first, run("tagger", "c.bin", "8"), "another seed shuffles differently");
    assert_eq!(run("parser", "p1.bin", "7"), run("parser", "p2.bin", "7"), "same seed, same parser bytes");
    // The tagger just trained is usable by eval.
    let report = entente(
        &["eval", "tagger", "--test", dev.to_str().unwrap(), "--model", dir.path().join("a.bin").to_str().unwrap()],
        "",
    );
    assert!(String::from_utf8_lossy(&report.stdout).contains("UPOS"));
}
