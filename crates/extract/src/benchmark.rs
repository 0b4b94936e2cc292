//! The article-extraction benchmark (`html/<id>.html.gz` pages and `ground-truth.json` bodies):
//! extracts every page and scores it with [`crate::score`].

use crate::score::{page_counts, score};
use std::fmt;
use std::io::Read;
use std::path::Path;

#[derive(Debug)]
pub struct ExtractionReport {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Pages whose id hashes into the held-out half (ids ending in 0-7 hex) and their F1,
    /// to show the figure does not come from tuning to particular pages (rules are developed on
    /// the other half).
    pub held_out: (usize, f64),
    /// Precision and recall on the held-out half.
    pub held_out_pr: (f64, f64),
    /// Pages whose body came from the trafilatura fallback rather than our own extractor.
    pub fallbacks: usize,
    pub bytes: usize,
    pub seconds: f64,
}

impl fmt::Display for ExtractionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "article extraction benchmark: {} pages", self.pages)?;
        writeln!(f, "precision {:.3}  recall {:.3}  F1 {:.3}", self.precision, self.recall, self.f1)?;
        writeln!(
            f,
            "held-out half ({} pages): precision {:.3}  recall {:.3}  F1 {:.3}",
            self.held_out.0, self.held_out_pr.0, self.held_out_pr.1, self.held_out.1
        )?;
        writeln!(f, "trafilatura fallback on {} of {} pages", self.fallbacks, self.pages)?;
        writeln!(
            f,
            "{:.1} MB of HTML in {:.2} s ({:.1} MB/s on one core)",
            self.bytes as f64 / 1e6,
            self.seconds,
            self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BenchmarkError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {problem}")]
    Format { path: String, problem: String },
}

/// Extracts and scores up to `limit` pages (in id order) of the benchmark in `dir`.
pub fn evaluate(dir: &Path, limit: Option<usize>) -> Result<ExtractionReport, BenchmarkError> {
    let truth_path = dir.join("ground-truth.json");
    fn io(path: &Path) -> impl Fn(std::io::Error) -> BenchmarkError + '_ {
        move |source| BenchmarkError::Io { path: path.display().to_string(), source }
    }
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&truth_path).map_err(io(&truth_path))?)
            .map_err(|e| BenchmarkError::Format { path: truth_path.display().to_string(), problem: e.to_string() })?;
    let mut ids: Vec<&String> = truth.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    ids.sort();
    let mut pages = Vec::new();
    let mut held_out = Vec::new();
    let (mut bytes, mut seconds, mut fallbacks) = (0usize, 0.0f64, 0usize);
    for id in ids.into_iter().take(limit.unwrap_or(usize::MAX)) {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        if !path.exists() {
            continue; // the folder holds part of the benchmark's pages
        }
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).map_err(io(&path))?)
            .read_to_end(&mut raw)
            .map_err(io(&path))?;
        let html = String::from_utf8_lossy(&raw);
        let start = std::time::Instant::now();
        let (article, source) = crate::extract_with_source(&html, None);
        seconds += start.elapsed().as_secs_f64();
        fallbacks += usize::from(source == crate::BodySource::Fallback);
        bytes += raw.len();
        let body = truth[id.as_str()]["articleBody"].as_str().unwrap_or_default();
        let counts = page_counts(body, &article.text);
        pages.push(counts);
        if id.chars().last().is_some_and(|c| "01234567".contains(c)) {
            held_out.push(counts);
        }
    }
    let (precision, recall, f1) = score(&pages);
    let (held_p, held_r, held_f1) = score(&held_out);
    Ok(ExtractionReport {
        pages: pages.len(),
        precision,
        recall,
        f1,
        held_out: (held_out.len(), held_f1),
        held_out_pr: (held_p, held_r),
        fallbacks,
        bytes,
        seconds,
    })
}
