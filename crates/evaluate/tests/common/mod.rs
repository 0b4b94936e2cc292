//! What the article-scorer tests share: score_facts.py run on files, and a Rust score printed
//! in that script's format, so the two can be compared line for line.

use entente_evaluate::articles::Score;
use std::path::{Path, PathBuf};

/// The script, if the reference data and a python3 are here (else a SKIPPED line).
pub fn python_scorer(test: &str) -> Option<PathBuf> {
    let script = entente_testdata::shared_or_skip(test, "eval/score_facts.py")?;
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        println!("SKIPPED {test}: no python3 here");
        return None;
    }
    Some(script)
}

/// score_facts.py's output without its `facts:` line (counts by kind, not figures).
pub fn run_python(script: &Path, facts: &Path, gold: &Path) -> String {
    let out = std::process::Command::new("python3").arg(script).arg(facts).arg(gold).arg("--verbose").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().filter(|l| !l.starts_with("facts: ")).map(|l| format!("{l}\n")).collect()
}

/// The figures in score_facts.py's own format.
pub fn as_python_prints(s: &Score) -> String {
    let mut out = String::new();
    for (kind, (found, total)) in &s.per_kind {
        out += &format!("{kind:20} {found:3}/{total:<3}\n");
    }
    let misses: Vec<&str> = s.misses.iter().map(|m| m.id.as_str()).collect();
    out += &format!("missed: {}\n", misses.join(" "));
    out += &format!(
        "recall={:.3} ({}/{}) unsupported={:.3} events={}\n",
        s.recall(),
        s.found(),
        s.total(),
        s.unsupported_share(),
        s.events
    );
    out
}

/// Writes JSON values one a line.
pub fn write_jsonl<T: serde::Serialize>(path: &Path, rows: &[T]) {
    let lines: Vec<String> = rows.iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}
