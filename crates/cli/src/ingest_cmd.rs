//! `entente ingest`: runs the pipeline with a progress bar and one line per problem.

use anyhow::Result;
use entente_ingest::{IngestOptions, Progress, Summary, ingest};
use entente_sources::Limits;
use entente_store::Store;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Work shorter than this gets no progress bar.
const SHOW_BAR_AFTER: Duration = Duration::from_secs(1);

/// The parts of the summary that only some runs have.
fn extras(summary: &Summary) -> String {
    let mut parts = Vec::new();
    if summary.not_english > 0 {
        parts.push(format!("{} not in English (stored, not analysed)", summary.not_english));
    }
    if summary.files_seen_before > 0 {
        parts.push(format!("{} archive file(s) read before, passed over", summary.files_seen_before));
    }
    if summary.skipped_files > 0 {
        parts.push(format!("{} file(s) of other types skipped", summary.skipped_files));
    }
    parts.iter().map(|p| format!("; {p}")).collect()
}

pub fn options(
    batch_size: usize,
    max_article_bytes: u64,
    dictionaries: Option<&'static entente_events::petrarch::Dictionaries>,
    parser: Option<&'static entente_syntax::Analyzer>,
    jobs: Option<usize>,
) -> IngestOptions {
    IngestOptions {
        limits: Limits { max_article: max_article_bytes },
        batch_size: batch_size.max(1),
        dictionaries,
        parser,
        jobs: jobs.filter(|&n| n > 0).unwrap_or_else(all_cores),
    }
}

/// One thread per core the process may use (1 when that cannot be told).
fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

pub fn run(store: &mut Store, paths: &[PathBuf], options: IngestOptions, quiet: bool) -> Result<Summary> {
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg}")
            .expect("valid template"),
    );
    let mut stored = 0usize;
    let summary = ingest(store, paths, options, |event| {
        if !quiet && bar.is_hidden() && started.elapsed() > SHOW_BAR_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        match event {
            Progress::Discovered { files } => bar.set_length(files as u64),
            Progress::FileDone { .. } => bar.inc(1),
            Progress::Stored { .. } => {
                stored += 1;
                if stored.is_multiple_of(16) {
                    bar.set_message(format!("{stored} documents stored"));
                }
            }
            Progress::Duplicate { id, source_path } => {
                if !quiet {
                    bar.suspend(|| eprintln!("skipped: {source_path}: already stored as {id}"));
                }
            }
            Progress::Failed { error } => bar.suspend(|| eprintln!("error: {error}")),
            Progress::Note { source_path, note } => {
                if !quiet {
                    bar.suspend(|| eprintln!("note: {source_path}: {note}"));
                }
            }
        }
    })?;
    bar.finish_and_clear();
    if !quiet {
        eprintln!(
            "ingested {} file(s) in {:.1}s: {} document(s) stored, {} already stored, {} failed, {} note(s), {} words, {} actor mentions, {} event mentions; {} changed mention(s) merged into {} event(s) in {} group(s){}",
            summary.files,
            started.elapsed().as_secs_f64(),
            summary.stored,
            summary.duplicates,
            summary.failed,
            summary.notes,
            summary.words,
            summary.mentions,
            summary.events,
            summary.merged.mentions,
            summary.merged.events,
            summary.merged.groups,
            extras(&summary)
        );
    }
    Ok(summary)
}
