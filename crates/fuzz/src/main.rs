//! `entente-fuzz`: fuzz the readers and the coder for a while, or replay saved inputs.
//!
//! ```sh
//! entente-fuzz run --target all --seconds 60        # CI's short run: a minute per target
//! entente-fuzz run --target coder --seconds 3600    # the long run
//! entente-fuzz replay --target html fuzz-out/html/crashes/*.bin
//! ```
//! Exit 0: nothing found; 1: findings (listed, and saved under `--out`); 2: usage or I/O.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use entente_fuzz::{Runner, Target, WorkerConfig, record, work};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(name = "entente-fuzz", about = "Hostile inputs through Entente's readers and coder")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fuzz one target, or all of them one after another.
    Run {
        #[arg(long, value_parser = parse_targets, default_value = "all")]
        target: Targets,
        /// Seconds per target.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Count --seconds as the workers' CPU time, not wall time: a long run beside other
        /// work (run it under `nice`) still gets its full share of fuzzing.
        #[arg(long)]
        cpu: bool,
        /// Where findings and each target's working files go.
        #[arg(long, default_value = "fuzz-out")]
        out: PathBuf,
        /// Seed files or directories (each target takes the files of its formats).
        #[arg(long = "seeds", default_values = ["examples", "../shared/corpus/seeds", "../shared/data/extraction"])]
        seeds: Vec<PathBuf>,
        /// Starting point of the random numbers: the same seed, the same inputs.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Seconds one input may take before it counts as a hang.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Resident memory, in MiB, past which a worker counts as blown up.
        #[arg(long, default_value_t = 1024)]
        max_rss_mib: u64,
    },
    /// Run saved inputs through a target once each, saying what each did.
    Replay {
        #[arg(long, value_parser = parse_target)]
        target: Target,
        files: Vec<PathBuf>,
    },
    /// One worker (the supervisor starts these; not for use by hand).
    #[command(hide = true)]
    Worker {
        #[arg(long, value_parser = parse_target)]
        target: Target,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        seeds: Vec<PathBuf>,
        #[arg(long)]
        seed: u64,
        #[arg(long)]
        millis: u64,
        #[arg(long)]
        cpu: bool,
        #[arg(long)]
        timeout: u64,
        #[arg(long)]
        max_rss_mib: u64,
    },
}

#[derive(Clone)]
struct Targets(Vec<Target>);

fn parse_target(s: &str) -> Result<Target, String> {
    Target::ALL
        .into_iter()
        .find(|t| t.name() == s)
        .ok_or_else(|| format!("unknown target {s:?}; one of: {}", Target::ALL.map(Target::name).join(", ")))
}

fn parse_targets(s: &str) -> Result<Targets, String> {
    match s {
        "all" => Ok(Targets(Target::ALL.to_vec())),
        _ => s.split(',').map(parse_target).collect::<Result<_, _>>().map(Targets),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run { target, seconds, cpu, out, seeds, seed, timeout, max_rss_mib } => {
            let mut found = 0;
            for t in target.0 {
                let config = WorkerConfig {
                    target: t,
                    dir: out.join(t.name()),
                    seeds: seeds.iter().filter(|p| p.exists()).cloned().collect(),
                    seed,
                    duration: Duration::from_secs(seconds),
                    cpu_clock: cpu,
                    timeout: Duration::from_secs(timeout),
                    max_rss: max_rss_mib << 20,
                };
                found += supervise(&config)?;
            }
            Ok(if found == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Replay { target, files } => replay(target, &files),
        Command::Worker { target, dir, seeds, seed, millis, cpu, timeout, max_rss_mib } => {
            let config = WorkerConfig {
                target,
                dir,
                seeds,
                seed,
                duration: Duration::from_millis(millis),
                cpu_clock: cpu,
                timeout: Duration::from_secs(timeout),
                max_rss: max_rss_mib << 20,
            };
            let stats = work(&config)?;
            println!("{} {} {}", stats.executions, stats.corpus, stats.panics);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs workers for the configured time, restarting one that dies (a stack overflow or an
/// abort leaves its input in `current.bin`). Returns the number of findings.
fn supervise(config: &WorkerConfig) -> Result<usize> {
    let crashes = config.dir.join("crashes");
    std::fs::create_dir_all(&crashes).with_context(|| format!("cannot create {}", crashes.display()))?;
    let before = count_findings(&crashes);
    let clock = Instant::now();
    let (mut executions, mut corpus, mut restarts) = (0u64, 0usize, 0u64);
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let children_at_start = entente_fuzz::children_cpu_ms();
    let spent = || match config.cpu_clock {
        true => Duration::from_millis(entente_fuzz::children_cpu_ms().saturating_sub(children_at_start)),
        false => clock.elapsed(),
    };
    while let Some(left) = config.duration.checked_sub(spent()).filter(|d| !d.is_zero()) {
        let mut cmd = std::process::Command::new(&exe);
        cmd.arg("worker").args(["--target", config.target.name()]).arg("--dir").arg(&config.dir);
        for s in &config.seeds {
            cmd.arg("--seeds").arg(s);
        }
        cmd.args(["--seed", &(config.seed + restarts).to_string(), "--millis", &left.as_millis().to_string()]);
        if config.cpu_clock {
            cmd.arg("--cpu");
        }
        cmd.args(["--timeout", &config.timeout.as_secs().to_string()]);
        cmd.args(["--max-rss-mib", &(config.max_rss >> 20).to_string()]);
        let output = run_worker(&mut cmd)?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let numbers: Vec<u64> = stdout.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        if let [e, c, _] = numbers[..] {
            executions += e;
            corpus = corpus.max(c as usize);
        }
        if !output.status.success() && output.status.code().is_none_or(|c| c != 3 && c != 4) {
            // Died where nothing could catch it: a stack overflow, an abort, a kill.
            let input = std::fs::read(config.dir.join("current.bin")).unwrap_or_default();
            record(&crashes, "died", &input, &format!("worker ended: {}", output.status))?;
        }
        restarts += 1;
    }
    let found = count_findings(&crashes) - before;
    println!(
        "fuzz {}: {executions} inputs in {:.0} s ({:.0} s of worker CPU; {:.0}/s), corpus {corpus}, {restarts} worker(s), {found} new finding(s) in {}",
        config.target.name(),
        clock.elapsed().as_secs_f64(),
        (entente_fuzz::children_cpu_ms() - children_at_start) as f64 / 1000.0,
        executions as f64 / clock.elapsed().as_secs_f64().max(0.001),
        crashes.display()
    );
    Ok(found)
}

/// Runs one worker to its end. A start that fails is tried again for a few seconds: a long
/// campaign outlives rebuilds of its own binary, which is briefly absent while cargo links it.
fn run_worker(cmd: &mut std::process::Command) -> Result<std::process::Output> {
    cmd.stderr(std::process::Stdio::inherit());
    let mut tries = 0;
    loop {
        match cmd.output() {
            Ok(output) => return Ok(output),
            Err(_) if tries < 30 => {
                tries += 1;
                std::thread::sleep(Duration::from_secs(1));
            }
            Err(e) => return Err(e).context("cannot start a worker"),
        }
    }
}

fn count_findings(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map_or(0, |d| d.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "bin")).count())
}

fn replay(target: Target, files: &[PathBuf]) -> Result<ExitCode> {
    entente_fuzz::quiet_panics();
    let mut runner = Runner::new();
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let mut failed = false;
    for f in files {
        let input = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
        let clock = Instant::now();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner.run(target, &input, scratch.path())));
        match result {
            Ok(features) => {
                println!("{}: ok, {} features, {:.2} s", f.display(), features.len(), clock.elapsed().as_secs_f64())
            }
            Err(_) => {
                failed = true;
                let message = entente_fuzz::LAST_PANIC.with(|m| m.take()).unwrap_or_default();
                println!("{}: PANIC: {message}", f.display());
                runner = Runner::new();
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
