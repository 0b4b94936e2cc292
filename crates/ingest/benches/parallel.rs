//! Parallel ingest: one CC-NEWS-style .warc.gz of a few thousand pages, ingested into an
//! SQLite store on disk with 1 job and with 2 (or the counts in `ENTENTE_BENCH_JOBS`, e.g.
//! `1,2,4`), each into a fresh store; prints pages/s and words/s (the words of the documents
//! stored) and checks the stores are the same.
//!
//! The pages are the example HTML pages, the example texts set as pages and, when present,
//! ../shared's extraction pages, repeated to `ENTENTE_BENCH_PAGES` (default 3,000), each made
//! a new document by a counter in its text. Run:
//! `cargo bench -p entente-ingest --bench parallel`.
//!
//! The figures are wall-clock time: on a machine busy with other work, jobs share its cores.
//! The load average is printed beside them.

mod common;

use common::synthetic::write_archive;
use entente_ingest::{IngestOptions, ingest};
use entente_store::Store;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or_else(|_| "unknown".into(), |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// CPU seconds this process has used (user and system, all threads), from /proc; 0 elsewhere.
fn cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/self/stat")
}

/// CPU seconds of this thread, the one that calls `ingest`: the writer, whose share of the
/// work (cutting records from the archive, writing the store, analyses done again) no number
/// of pool threads makes shorter.
fn writer_cpu_seconds() -> f64 {
    cpu_seconds_of(&format!("/proc/self/task/{}/stat", std::process::id()))
}

fn cpu_seconds_of(stat: &str) -> f64 {
    let stat = std::fs::read_to_string(stat).unwrap_or_default();
    // Fields after the command name (which may hold spaces, so split after its ')'):
    // utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let count: usize = std::env::var("ENTENTE_BENCH_PAGES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000);
    let jobs: Vec<usize> = std::env::var("ENTENTE_BENCH_JOBS")
        .ok()
        .map(|j| j.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 2]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let archive = tmp.path().join("news.warc.gz");
    let bytes = write_archive(&archive, 0..count);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{count} pages, {:.1} MB .warc.gz; {cores} cores; load average {}", bytes as f64 / 1e6, load());
    let mut first: Option<(usize, Vec<String>)> = None;
    let mut first_secs: Option<f64> = None;
    for &n in &jobs {
        let db = tmp.path().join(format!("jobs-{n}.db"));
        let mut store = Store::open(&db).expect("store");
        let options = IngestOptions { jobs: n, ..IngestOptions::default() };
        let (started, cpu, writer) = (Instant::now(), cpu_seconds(), writer_cpu_seconds());
        let summary = ingest(&mut store, std::slice::from_ref(&archive), options, |_| {}).expect("ingest");
        let secs = started.elapsed().as_secs_f64();
        let (cpu, writer) = (cpu_seconds() - cpu, writer_cpu_seconds() - writer);
        let speedup = first_secs.map_or(String::new(), |s| format!(" (x{:.2} the first)", s / secs));
        first_secs.get_or_insert(secs);
        println!(
            "jobs {n}: {:.1}s{speedup}, {:.1} pages/s, {:.0} words/s ({} stored, {} duplicates, {} failed, {} words; {} analysed again); {:.1} CPU s ({:.1} s on the writer thread), {:.2} cores busy; load average after {}",
            secs,
            summary.stored as f64 / secs,
            summary.words as f64 / secs,
            summary.stored,
            summary.duplicates,
            summary.failed,
            summary.words,
            summary.analysed_again,
            cpu,
            writer,
            cpu / secs,
            load()
        );
        // The same store whatever the jobs: the documents in order, each with its words.
        let docs: Vec<String> = store
            .document_summaries()
            .expect("documents")
            .into_iter()
            .map(|d| format!("{} {:?}", d.id, d.title))
            .collect();
        match &first {
            None => first = Some((n, docs)),
            Some((m, before)) => assert!(before == &docs, "jobs {n} stored other documents than jobs {m}"),
        }
    }
}
