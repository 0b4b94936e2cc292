//! Flood test of `entente serve` (issue 16); run through `scripts/loadtest.sh`.
//!
//! `loadtest --db PATH --entente BIN [--docs N] [--requests N] [--port P]
//!  [--client-timeout SECS]`
//!
//! 1. If PATH does not exist, writes a store of N documents (default 200,000) straight through
//!    the store API (the NLP pipeline would add minutes of coding the flood never reads): article-like texts
//!    made of sentences from the bundled examples and the seed corpus with varied names and
//!    dates, each with one or two event facts whose evidence is a sentence of the text.
//! 2. Starts `BIN --db PATH serve` on 127.0.0.1, fires N requests (default 2,000) at once,
//!    each on its own connection (a mix of /api/stats, /api/events?q=, /api/actors...),
//!    then probes /api/stats until it answers in under a second.
//! 3. Prints status counts, the time from the flood's end to the first fast /api/stats, and
//!    the server's peak RSS (VmHWM), threads and open files. Loopback only; every loop is
//!    bounded in count and time.

use entente_document::{Document, Metadata, PartialDate, Sentence, Span};
use entente_store::{Evidence, FactRecord, Store, StoreError};
use serde_json::json;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// By default a client gives up on a request after this (`--client-timeout`); the flood ends
/// when every request has an answer or was given up.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// The probe stops looking for a recovery after this.
const PROBE_FOR: Duration = Duration::from_secs(120);
const FAST: Duration = Duration::from_secs(1);

const STATES: &[(&str, &str, &str)] = &[
    ("JPN", "Japan", "Tokyo"),
    ("KOR", "South Korea", "Seoul"),
    ("AUS", "Australia", "Canberra"),
    ("NZL", "New Zealand", "Wellington"),
    ("USA", "United States", "Washington"),
    ("CHN", "China", "Beijing"),
    ("RUS", "Russia", "Moscow"),
    ("FRA", "France", "Paris"),
    ("DEU", "Germany", "Berlin"),
    ("GBR", "United Kingdom", "London"),
    ("IND", "India", "New Delhi"),
    ("UKR", "Ukraine", "Kyiv"),
    ("FIN", "Finland", "Helsinki"),
    ("SWE", "Sweden", "Stockholm"),
    ("TUR", "Turkey", "Ankara"),
    ("BRA", "Brazil", "Brasilia"),
];
const VERBS: &[(&str, &str, &str, f64)] = &[
    ("met", "CONSULT", "040", 1.0),
    ("signed a defence agreement with", "AGREE", "057", 8.0),
    ("praised", "SUPPORT", "051", 3.4),
    ("criticised", "DISAPPROVE", "111", -2.0),
    ("threatened", "THREATEN", "138", -7.0),
    ("sent humanitarian aid to", "AID", "070", 7.0),
    ("imposed sanctions on", "SANCTION", "163", -8.0),
    ("held talks with", "CONSULT", "040", 1.0),
];
const FIRST: &[&str] = &["Anna", "Kenji", "Maria", "Olaf", "Priya", "Li", "Jacinda", "Pierre", "Sofia", "Ahmed"];
const LAST: &[&str] = &["Berg", "Tanaka", "Rossi", "Kim", "Sharma", "Wang", "Moreau", "Novak", "Haddad", "Silva"];
const TERMS: &[&str] = &[
    "japan",
    "sanctions",
    "humanitarian aid",
    "talks with",
    "defence agreement",
    "minister",
    "NATO",
    "summit",
    "Kyiv",
    "Beijing",
    "praised",
    "Tanaka",
    "ally",
    "Moscow",
    "ukraine",
    "trade",
    "president",
    "Brazil",
];

/// xorshift: repeatable without a crate.
struct Rng(u64);
impl Rng {
    fn pick(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

struct Args {
    db: PathBuf,
    entente: PathBuf,
    docs: usize,
    requests: usize,
    client_timeout: Duration,
    port: u16,
}

fn args() -> Args {
    let mut a = Args {
        db: "".into(),
        entente: "".into(),
        docs: 200_000,
        requests: 2000,
        client_timeout: CLIENT_TIMEOUT,
        port: 18_416,
    };
    let mut it = std::env::args().skip(1);
    while let (Some(flag), Some(value)) = (it.next(), it.next()) {
        let number = || value.parse().unwrap_or_else(|_| fail(&format!("bad number {value:?}")));
        match flag.as_str() {
            "--db" => a.db = value.clone().into(),
            "--entente" => a.entente = value.clone().into(),
            "--docs" => a.docs = number(),
            "--requests" => a.requests = number(),
            "--client-timeout" => a.client_timeout = Duration::from_secs(number() as u64),
            "--port" => a.port = number() as u16,
            _ => fail(&format!("unknown flag {flag}")),
        }
    }
    if a.db.as_os_str().is_empty() || a.entente.as_os_str().is_empty() {
        fail("usage: loadtest --db PATH --entente BIN [--docs N] [--requests N] [--port P]");
    }
    a
}

fn fail(message: &str) -> ! {
    eprintln!("loadtest: {message}");
    std::process::exit(2)
}

/// Sentences of the example articles and seed texts, as filler.
fn filler_sentences() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dirs = [root.join("examples"), root.join("../shared/corpus/seeds")];
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "txt")) {
            let bytes = std::fs::read(entry.path()).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            out.extend(
                text.split(". ").map(str::trim).filter(|s| s.len() > 40 && s.len() < 400).map(|s| s.to_string()),
            );
        }
    }
    if out.is_empty() {
        out.push("Officials said the talks would continue later in the year".into());
    }
    out
}

/// An article: its text, its sentences and its events (sentence index, span, fact body).
type Article = (String, Vec<Span>, Vec<(usize, Span, String)>);

fn article(i: usize, rng: &mut Rng, filler: &[String]) -> Article {
    let day = i % 1461;
    let date = format!("{}-{:02}-{:02}", 2021 + day / 365, (day % 365) / 31 + 1, day % 28 + 1);
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut events = Vec::new();
    let event_at = [0, 1 + rng.pick(4)];
    for k in 0..6 {
        let start = text.len();
        if k == event_at[0] || (k == event_at[1] && i.is_multiple_of(2)) {
            events.push((sentences.len(), event_sentence(&mut text, rng, &date)));
        } else {
            let person = format!("{} {}", FIRST[rng.pick(FIRST.len())], LAST[rng.pick(LAST.len())]);
            let s = &filler[rng.pick(filler.len())];
            text.push_str(&format!("{s}, {person} said in report {i}."));
        }
        sentences.push(Span::new(start, text.len()));
        text.push(' ');
    }
    let text = text.trim_end().to_string();
    let events = events.into_iter().map(|(k, body)| (k, sentences[k], body)).collect();
    (text, sentences, events)
}

/// Writes "{Source} {verb} {target} in {city} on {date}." and returns the event's body.
fn event_sentence(text: &mut String, rng: &mut Rng, date: &str) -> String {
    let (s, t) = (rng.pick(STATES.len()), rng.pick(STATES.len()));
    let t = if s == t { (t + 1) % STATES.len() } else { t };
    let (src, tgt, verb) = (STATES[s], STATES[t], VERBS[rng.pick(VERBS.len())]);
    let minister = format!("{} {}", FIRST[rng.pick(FIRST.len())], LAST[rng.pick(LAST.len())]);
    text.push_str(&format!("{}'s foreign minister {minister} {} {} in {} on {date}.", src.1, verb.0, tgt.1, tgt.2));
    json!({
        "source": {"id": src.0, "name": src.1, "type": "state"}, "target": {"id": tgt.0, "name": tgt.1, "type": "state"},
        "others": [], "plover": verb.1, "mode": null, "cameo": verb.2, "goldstein": verb.3, "date": date,
        "location": tgt.2, "modality": "asserted", "mentions": 1,
    })
    .to_string()
}

/// Writes `docs` documents with their events into a new store at `path`.
fn build_store(path: &Path, docs: usize) -> Result<usize, StoreError> {
    let filler = filler_sentences();
    let mut store = Store::open(path)?;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut facts = 0;
    for chunk_start in (0..docs).step_by(5000) {
        let mut batch = store.batch()?;
        for i in chunk_start..(chunk_start + 5000).min(docs) {
            let (text, spans, events) = article(i, &mut rng, &filler);
            let id = format!("lt-{i}");
            let meta =
                Metadata { source_path: format!("{id}.txt"), title: Some(format!("Report {i}")), ..Default::default() };
            let mut doc = Document::new(&id, &text, meta);
            doc.content_hash = format!("loadtest-{i}");
            doc.sentences = spans.into_iter().map(|span| Sentence { span, first_token: 0, token_count: 0 }).collect();
            doc.date.date = events.first().and_then(|(_, _, b)| date_of(b));
            batch.insert_document(&doc)?;
            for (k, span, body) in events {
                let fact = FactRecord { id: format!("ev-{i}-{k}"), kind: "event".into(), body, confidence: 0.9 };
                let ev = Evidence {
                    doc: id.clone(),
                    sentence: k,
                    start: span.start,
                    end: span.end,
                    rule: "loadtest".into(),
                };
                batch.upsert_fact(&fact, &[ev])?;
                facts += 1;
            }
        }
        batch.commit()?;
        eprint!("\rstore: {} documents", (chunk_start + 5000).min(docs));
    }
    eprintln!();
    Ok(facts)
}

fn date_of(body: &str) -> Option<PartialDate> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    PartialDate::parse_iso(v["date"].as_str()?)
}

/// The server, killed when dropped (this process started it).
struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(args: &Args) -> Server {
    let mut command = Command::new(&args.entente);
    command.arg("--db").arg(&args.db).args(["serve", "--addr", &format!("127.0.0.1:{}", args.port)]);
    let child = command
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| fail(&format!("cannot start {}: {e}", args.entente.display())));
    Server(child)
}

/// One GET on its own connection over HTTP/1.0: the status, or 0 on a socket error or when
/// the client gave up.
async fn get(addr: SocketAddr, path: &str, timeout: Duration) -> u16 {
    let request = async {
        let mut s = TcpStream::connect(addr).await?;
        s.write_all(format!("GET {path} HTTP/1.0\r\nHost: loadtest\r\n\r\n").as_bytes()).await?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await?;
        let status = out.get(9..12).and_then(|b| std::str::from_utf8(b).ok()).and_then(|s| s.parse().ok());
        Ok::<_, std::io::Error>(status.unwrap_or(0))
    };
    tokio::time::timeout(timeout, request).await.ok().and_then(Result::ok).unwrap_or(0)
}

/// The i-th request of the flood: (endpoint, path).
fn flood_path(i: usize, rng: &mut Rng) -> (&'static str, String) {
    let term = TERMS[rng.pick(TERMS.len())].replace(' ', "%20");
    let actor = STATES[rng.pick(STATES.len())].0;
    match i % 10 {
        0..=2 => ("stats", "/api/stats".into()),
        3..=6 => ("events?q", format!("/api/events?q={term}&limit=50&offset={}", rng.pick(5) * 50)),
        7 => ("timeline", format!("/api/actors/{actor}/timeline?limit=100")),
        8 => ("events?actor&q", format!("/api/events?actor={actor}&q={term}&limit=20")),
        _ => ("actors?q", format!("/api/actors?q={}", &actor[..2].to_ascii_lowercase())),
    }
}

/// What /proc says of the server: (VmHWM kB, VmRSS kB, threads, open files).
fn proc_figures(pid: u32) -> (u64, u64, u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()?.parse().ok())
    };
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).map(|d| d.count() as u64).unwrap_or(0);
    (field("VmHWM:").unwrap_or(0), field("VmRSS:").unwrap_or(0), field("Threads:").unwrap_or(0), fds)
}

/// Samples threads and open files while `running`, returning the peaks.
fn sample_peaks(pid: u32, running: Arc<AtomicBool>) -> std::thread::JoinHandle<(u64, u64)> {
    std::thread::spawn(move || {
        let (mut threads, mut fds) = (0, 0);
        while running.load(Ordering::Relaxed) {
            let (_, _, t, f) = proc_figures(pid);
            (threads, fds) = (threads.max(t), fds.max(f));
            std::thread::sleep(Duration::from_millis(100));
        }
        (threads, fds)
    })
}

async fn wait_until_up(addr: SocketAddr, server: &mut Server) {
    let t = Instant::now();
    while get(addr, "/api/stats", Duration::from_secs(120)).await != 200 {
        if t.elapsed() > Duration::from_secs(900) || server.0.try_wait().ok().flatten().is_some() {
            fail("the server did not come up");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Warm the in-memory catalog, as a running server would have it.
    get(addr, "/api/actors/JPN/timeline?limit=1", Duration::from_secs(300)).await;
}

/// Status counts per endpoint.
type Counts = BTreeMap<&'static str, BTreeMap<u16, usize>>;

/// Fires every request at once; returns the status counts and the 200s' latencies (ms).
async fn flood(addr: SocketAddr, requests: usize, client_timeout: Duration) -> (Counts, Vec<u128>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..requests)
        .map(|i| {
            let (kind, path) = flood_path(i, &mut rng);
            let started = started.clone();
            tokio::spawn(async move {
                started.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                (kind, get(addr, &path, client_timeout).await, t.elapsed().as_millis())
            })
        })
        .collect();
    let mut counts = Counts::new();
    let mut latencies = Vec::new();
    for task in tasks {
        let (kind, status, ms) = task.await.unwrap_or(("lost", 0, 0));
        *counts.entry(kind).or_default().entry(status).or_insert(0) += 1;
        if status == 200 {
            latencies.push(ms);
        }
    }
    latencies.sort_unstable();
    (counts, latencies)
}

/// Seconds from now to the first /api/stats answered 200 in under a second.
async fn recovery(addr: SocketAddr) -> Option<f64> {
    let t = Instant::now();
    while t.elapsed() < PROBE_FOR {
        let asked = Instant::now();
        if get(addr, "/api/stats", FAST).await == 200 && asked.elapsed() < FAST {
            return Some(t.elapsed().as_secs_f64());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

fn percentile(sorted: &[u128], p: usize) -> u128 {
    if sorted.is_empty() { 0 } else { sorted[(sorted.len() - 1) * p / 100] }
}

#[tokio::main]
async fn main() {
    let args = args();
    if !args.db.exists() {
        let t = Instant::now();
        let facts = build_store(&args.db, args.docs).unwrap_or_else(|e| fail(&e.to_string()));
        println!("store: {} documents, {facts} events written in {:.0} s", args.docs, t.elapsed().as_secs_f64());
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let mut server = start_server(&args);
    let t = Instant::now();
    wait_until_up(addr, &mut server).await;
    let pid = server.0.id();
    println!("server up in {:.1} s; before the flood: VmHWM {} kB", t.elapsed().as_secs_f64(), proc_figures(pid).0);
    let running = Arc::new(AtomicBool::new(true));
    let peaks = sample_peaks(pid, running.clone());
    let t = Instant::now();
    let (counts, latencies) = flood(addr, args.requests, args.client_timeout).await;
    let flood_secs = t.elapsed().as_secs_f64();
    let recovered = recovery(addr).await;
    running.store(false, Ordering::Relaxed);
    let (threads, fds) = peaks.join().unwrap_or((0, 0));
    let (hwm, rss, _, _) = proc_figures(pid);
    println!("flood: {} requests at once, ended after {flood_secs:.1} s", args.requests);
    println!("statuses (0 = socket error or gave up after {:?}):", args.client_timeout);
    for (kind, statuses) in &counts {
        println!("  {kind:<15} {statuses:?}");
    }
    println!(
        "200 latency ms: p50 {} p90 {} p99 {}",
        percentile(&latencies, 50),
        percentile(&latencies, 90),
        percentile(&latencies, 99)
    );
    match recovered {
        Some(s) => println!("/api/stats under 1 s: {s:.2} s after the flood's end"),
        None => println!("/api/stats under 1 s: not within {PROBE_FOR:?} of the flood's end"),
    }
    println!(
        "server: VmHWM {} MB, VmRSS now {} MB, peak threads {threads}, peak open files {fds}",
        hwm / 1024,
        rss / 1024
    );
}
