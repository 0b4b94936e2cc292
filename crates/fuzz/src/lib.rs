//! A mutation fuzzer that runs on the stable compiler: hostile inputs through each reader and
//! the coder, looking for panics, hangs and runaway memory.
//!
//! A campaign is a supervisor process that runs workers (the same binary). A worker mutates
//! inputs from a corpus (seed files, a built-in seed per target, and every input that made a
//! target do something new), writes each to `current.bin` before running it, and records a
//! panic itself; a hang or a memory blow-up is caught by its watchdog thread, and a stack
//! overflow or abort by the supervisor, which finds the input in `current.bin`. Findings go to
//! `OUT/TARGET/crashes/`, one file each with a `.txt` beside it saying what happened.

pub mod mutate;
pub mod rng;
pub mod target;

pub use target::{Runner, Target};

use rng::Rng;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How one worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    pub target: Target,
    /// Where `current.bin`, `crashes/` and the kept corpus of this target go.
    pub dir: PathBuf,
    pub seeds: Vec<PathBuf>,
    pub seed: u64,
    pub duration: Duration,
    /// Whether `duration` counts CPU time (a long run on a shared machine) or wall time.
    pub cpu_clock: bool,
    /// One input using more CPU time than this is a hang (or sitting blocked for
    /// `BLOCKED_FACTOR` times as long in wall time).
    pub timeout: Duration,
    /// Resident memory past this is a blow-up.
    pub max_rss: u64,
}

/// What a worker did.
#[derive(Clone, Debug, Default)]
pub struct WorkerStats {
    pub executions: u64,
    pub corpus: usize,
    pub panics: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum FuzzError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> FuzzError + '_ {
    move |source| FuzzError::Io { path: path.display().to_string(), source }
}

/// The inputs a campaign starts from: the target's built-in seed and every seed file with one
/// of its extensions (gzip-compressed ones are read decompressed).
pub fn load_seeds(target: Target, paths: &[PathBuf]) -> Vec<Vec<u8>> {
    let mut corpus = vec![target.builtin_seed()];
    let mut files = Vec::new();
    for p in paths {
        collect_files(p, &mut files);
    }
    files.sort();
    for f in files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
        let (name, gz) = match name.strip_suffix(".gz") {
            Some(n) => (n.to_string(), true),
            None => (name.clone(), false),
        };
        if !target.seed_extensions().iter().any(|e| name.ends_with(&format!(".{e}"))) {
            continue;
        }
        if let Some(bytes) = read_seed(&f, gz).filter(|b| b.len() <= mutate::MAX_INPUT) {
            corpus.push(target.seed_from_file(bytes));
        }
    }
    corpus
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => entries.flatten().for_each(|e| collect_files(&e.path(), out)),
        Err(_) if path.is_file() => out.push(path.to_path_buf()),
        Err(_) => {}
    }
}

fn read_seed(path: &Path, gz: bool) -> Option<Vec<u8>> {
    let raw = std::fs::read(path).ok()?;
    if !gz {
        return Some(raw);
    }
    let mut out = Vec::new();
    let mut decoder = std::io::Read::take(flate2::read::GzDecoder::new(&raw[..]), mutate::MAX_INPUT as u64);
    std::io::Read::read_to_end(&mut decoder, &mut out).ok()?;
    Some(out)
}

/// Runs one worker until its time is up. Panics are recorded and the work goes on; a hang or
/// a memory blow-up ends the process (exit 3 or 4) after recording the input.
pub fn work(config: &WorkerConfig) -> Result<WorkerStats, FuzzError> {
    let crashes = config.dir.join("crashes");
    std::fs::create_dir_all(&crashes).map_err(io_error(&crashes))?;
    // The file readers' targets write every input to a file: in memory (Linux's /dev/shm)
    // when there is one: faster than a disk, and it spares the disk millions of writes.
    let scratch = tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir_in(&config.dir))
        .map_err(io_error(&config.dir))?;
    let current = config.dir.join("current.bin");
    let started = Arc::new(Started::default());
    watchdog(config.clone(), current.clone(), Arc::clone(&started));
    quiet_panics();

    let mut corpus = load_seeds(config.target, &config.seeds);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut runner = Runner::new();
    let mut rng = Rng::new(config.seed);
    let mut stats = WorkerStats::default();
    let clock = Instant::now();
    let cpu_at_start = cpu_ms();
    let spent = || match config.cpu_clock {
        true => Duration::from_millis(cpu_ms().saturating_sub(cpu_at_start)),
        false => clock.elapsed(),
    };
    let mut seeds_left = corpus.len();
    while spent() < config.duration {
        // The seeds run once as they are, then mutated.
        let input = match seeds_left {
            0 => {
                let mut input = rng.pick(&corpus).clone();
                let other = rng.pick(&corpus).clone();
                mutate::mutate(&mut input, config.target.dictionary(), &other, &mut rng);
                input
            }
            n => {
                seeds_left -= 1;
                corpus[corpus.len() - n].clone()
            }
        };
        std::fs::write(&current, &input).map_err(io_error(&current))?;
        started.begin();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            runner.run(config.target, &input, scratch.path())
        }));
        started.end();
        stats.executions += 1;
        match result {
            Ok(features) => {
                let known = seen.len();
                seen.extend(features);
                let new = seen.len() > known;
                if new && input.len() <= 256 << 10 && corpus.len() < 5000 {
                    corpus.push(input);
                }
            }
            Err(_) => {
                stats.panics += 1;
                let message = LAST_PANIC.with(|m| m.take()).unwrap_or_default();
                record(&crashes, "panic", &input, &message)?;
                runner = Runner::new();
            }
        }
    }
    stats.corpus = corpus.len();
    Ok(stats)
}

/// Saves a finding as `KIND-HASH.bin` with `KIND-HASH.txt` saying what happened; returns the
/// path. The same input found twice is one file.
pub fn record(dir: &Path, kind: &str, input: &[u8], message: &str) -> Result<PathBuf, FuzzError> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    input.hash(&mut h);
    let path = dir.join(format!("{kind}-{:016x}.bin", h.finish()));
    std::fs::write(&path, input).map_err(io_error(&path))?;
    let note = path.with_extension("txt");
    std::fs::write(&note, format!("{kind}: {message}\n")).map_err(io_error(&note))?;
    eprintln!("fuzz: {kind} ({} bytes) saved as {}: {message}", input.len(), path.display());
    Ok(path)
}

thread_local! {
    pub static LAST_PANIC: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
}

/// Keeps each panic's message and place for the record, without printing a backtrace per
/// panic (a campaign may find thousands of inputs for one bug).
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        LAST_PANIC.with(|m| m.set(Some(format!("{message}{place}"))));
    }));
}

/// When the input now running began, in wall and CPU milliseconds (0: nothing running).
#[derive(Default)]
struct Started {
    wall_ms: AtomicU64,
    cpu_ms: AtomicU64,
}

impl Started {
    fn begin(&self) {
        self.cpu_ms.store(cpu_ms().max(1), Ordering::SeqCst);
        self.wall_ms.store(now_ms(), Ordering::SeqCst);
    }

    fn end(&self) {
        self.wall_ms.store(0, Ordering::SeqCst);
        self.cpu_ms.store(0, Ordering::SeqCst);
    }

    /// The CPU and wall time the running input has taken, if one is running.
    fn taken(&self) -> Option<(Duration, Duration)> {
        let (wall, cpu) = (self.wall_ms.load(Ordering::SeqCst), self.cpu_ms.load(Ordering::SeqCst));
        (wall != 0 && cpu != 0).then(|| {
            let ms = |now: u64, then: u64| Duration::from_millis(now.saturating_sub(then));
            (ms(cpu_ms(), cpu), ms(now_ms(), wall))
        })
    }
}

/// How many times the CPU timeout an input may sit in wall time before it counts as blocked.
/// Wall time alone is not the test: on a busy machine (a build beside a niced campaign) a
/// fast input can wait long for the CPU, and counting that as a hang gave false findings.
pub const BLOCKED_FACTOR: u32 = 20;

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_millis() as u64).max(1)
}

/// The CPU time this process has used (all its threads), in milliseconds, from /proc.
pub fn cpu_ms() -> u64 {
    proc_stat_ms(14, 15)
}

/// The CPU time of this process's children that have ended, in milliseconds, from /proc.
pub fn children_cpu_ms() -> u64 {
    proc_stat_ms(16, 17)
}

/// The sum of two clock-tick fields of /proc/self/stat, numbered as in proc(5), in
/// milliseconds. Linux reports them in USER_HZ, 100 a second. The command name (field 2) may
/// hold spaces, so fields are counted from the ')' that closes it; field 3 comes next.
fn proc_stat_ms(first: usize, second: usize) -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |n: usize| fields.get(n - 3).and_then(|t| t.parse::<u64>().ok()).unwrap_or(0);
    (ticks(first) + ticks(second)) * 10
}

/// A thread that ends the worker when one input runs too long (exit 3) or memory passes the
/// limit (exit 4), after saving the input: neither can be caught where it happens.
fn watchdog(config: WorkerConfig, current: PathBuf, started: Arc<Started>) {
    std::thread::spawn(move || {
        let crashes = config.dir.join("crashes");
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let rss = resident_bytes();
            let finding = match started.taken() {
                Some((cpu, _)) if cpu > config.timeout => {
                    Some(("hang", format!("{cpu:?} of CPU time, over {:?}", config.timeout), 3))
                }
                Some((_, wall)) if wall > config.timeout * BLOCKED_FACTOR => {
                    Some(("hang", format!("blocked for {wall:?} of wall time"), 3))
                }
                _ if rss > config.max_rss => {
                    Some(("memory", format!("{} MiB resident, over {} MiB", rss >> 20, config.max_rss >> 20), 4))
                }
                _ => None,
            };
            if let Some((kind, message, code)) = finding {
                if let Ok(input) = std::fs::read(&current) {
                    let _ = record(&crashes, kind, &input, &message);
                }
                std::process::exit(code);
            }
        }
    });
}

/// This process's resident memory, from /proc (0 where there is none).
pub fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}
