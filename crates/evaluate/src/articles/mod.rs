//! Article-level evaluation (`entente eval articles`): the articles of `../shared/eval/articles`
//! go through the real pipeline into a store in memory, the store is exported as
//! `entente.fact/1` exactly as `entente export --format jsonl` writes it, and the export is
//! scored against the gold facts a reader found, each half (`tune`, `check`) on its own.

mod keys;
mod score;

pub use score::{Miss, Score, expand, score};

use crate::EvalError;
use entente_ingest::{IngestOptions, Progress, ingest};
use entente_store::Store;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The halves in the order they are printed; any other `half` a user's gold names follows.
const HALVES: &[&str] = &["tune", "check"];
/// The half of a gold fact that names none.
const NO_HALF: &str = "all";

/// One half's figures.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Half {
    pub half: String,
    pub score: Score,
}

/// The export and what each half of the gold scored on it.
#[derive(Clone, Debug)]
pub struct ArticlesReport {
    pub halves: Vec<Half>,
    /// Documents the pipeline could not read (each also in `problems`).
    pub failed: usize,
    pub problems: Vec<String>,
    /// The export that was scored (JSON Lines).
    pub facts: String,
}

impl ArticlesReport {
    pub fn half(&self, name: &str) -> Option<&Score> {
        self.halves.iter().find(|h| h.half == name).map(|h| &h.score)
    }
}

/// Ingests `dir` into a fresh store, exports it and scores it against the gold at `gold`.
pub fn evaluate(dir: &Path, gold: &Path, options: IngestOptions) -> Result<ArticlesReport, EvalError> {
    let gold = read_gold(gold)?;
    if !dir.is_dir() {
        return Err(EvalError::Format { path: shown(dir), problem: "not a folder of articles".into() });
    }
    let (facts, problems) = export_facts(dir, options)?;
    let halves = score_halves(&facts, &gold);
    Ok(ArticlesReport { halves, failed: problems.len(), problems, facts })
}

/// The gold file: one JSON object per non-empty line.
pub fn read_gold(path: &Path) -> Result<Vec<Map<String, Value>>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io { path: shown(path), source })?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(Value::Object(row)) => rows.push(row),
            Ok(_) => return Err(format_error(path, n, "not a JSON object".into())),
            Err(e) => return Err(format_error(path, n, e.to_string())),
        }
    }
    Ok(rows)
}

fn format_error(path: &Path, line: usize, problem: String) -> EvalError {
    EvalError::Format { path: shown(path), problem: format!("line {}: {problem}", line + 1) }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Runs the pipeline over `dir` into a store in memory and exports it as `entente.fact/1`
/// JSON Lines; also returns one line per document that failed.
pub fn export_facts(dir: &Path, options: IngestOptions) -> Result<(String, Vec<String>), EvalError> {
    let mut store = Store::open_in_memory()?;
    let mut problems = Vec::new();
    ingest(&mut store, &[PathBuf::from(dir)], options, |event| {
        if let Progress::Failed { error } = event {
            problems.push(error.to_string());
        }
    })?;
    let mut out = Vec::new();
    entente_export::export_jsonl(&store, &mut out)?;
    // The export writes serde_json strings, which are UTF-8.
    let facts =
        String::from_utf8(out).map_err(|e| EvalError::Format { path: "export".into(), problem: e.to_string() })?;
    Ok((facts, problems))
}

/// Scores the export against each half of the gold, on its own.
pub fn score_halves(facts: &str, gold: &[Map<String, Value>]) -> Vec<Half> {
    half_names(gold)
        .into_iter()
        .map(|half| {
            let rows: Vec<_> = gold.iter().filter(|g| half_of(g) == half).cloned().collect();
            Half { score: score(facts, &rows), half }
        })
        .collect()
}

fn half_of(g: &Map<String, Value>) -> &str {
    g.get("half").and_then(Value::as_str).unwrap_or(NO_HALF)
}

fn half_names(gold: &[Map<String, Value>]) -> Vec<String> {
    let mut names: Vec<String> =
        HALVES.iter().filter(|h| gold.iter().any(|g| half_of(g) == **h)).map(|h| h.to_string()).collect();
    for g in gold {
        let h = half_of(g);
        if !names.iter().any(|n| n == h) {
            names.push(h.to_string());
        }
    }
    names
}

impl std::fmt::Display for Half {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.score;
        writeln!(
            f,
            "{}: recall {:.3} ({}/{})  unsupported {:.3} ({}/{} events)  precision {:.3}  F1 {:.3}",
            self.half,
            s.recall(),
            s.found(),
            s.total(),
            s.unsupported_share(),
            s.unsupported,
            s.events,
            s.precision(),
            s.f1()
        )?;
        for (kind, (found, total)) in &s.per_kind {
            writeln!(f, "  {kind:20} {found:3}/{total:<3} {:.3}", *found as f64 / (*total).max(1) as f64)?;
        }
        Ok(())
    }
}

impl std::fmt::Display for ArticlesReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for half in &self.halves {
            writeln!(f, "{half}")?;
        }
        if self.failed > 0 {
            writeln!(f, "{} document(s) failed to read", self.failed)?;
        }
        Ok(())
    }
}

impl Half {
    /// The figures as JSON, with the misses when asked for.
    pub fn to_json(&self, misses: bool) -> Value {
        let s = &self.score;
        let per_kind: Map<String, Value> = s
            .per_kind
            .iter()
            .map(|(k, (found, total))| (k.clone(), serde_json::json!({"found": found, "total": total})))
            .collect();
        let mut v = serde_json::json!({
            "half": self.half,
            "recall": s.recall(),
            "found": s.found(),
            "total": s.total(),
            "unsupported": s.unsupported_share(),
            "unsupported_events": s.unsupported,
            "events": s.events,
            "precision": s.precision(),
            "f1": s.f1(),
            "per_kind": per_kind,
        });
        if misses {
            v["misses"] = serde_json::to_value(&s.misses).unwrap_or_default();
        }
        v
    }
}
