//! Load check (not a test): a synthetic store of 100k events, the real server on loopback,
//! 64 keep-alive connections for a bounded time against the actor and event endpoints.
//! Prints requests/s and p50/p99 latency. Run: `cargo bench -p entente-server --bench load`;
//! with `ENTENTE_BENCH_DB=postgres://user@host:port/db` (an empty database) the store is that
//! PostgreSQL database instead of a temporary SQLite file.

mod synthetic;

use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const EVENTS: usize = 100_000;
const CONNECTIONS: usize = 64;
const RUN_FOR: Duration = Duration::from_secs(10);
const MAX_PER_CONNECTION: usize = 5_000;
const PATHS: &[&str] = &[
    "/api/actors?q=ja",
    "/api/actors/JPN/timeline?limit=50",
    "/api/events?actor=JPN&limit=50",
    "/api/events?actor=CHN&counterpart=USA&limit=50",
    "/api/events?plover=AID&from=2024-03&to=2024-04&limit=50",
];

/// One GET on a keep-alive connection; returns the status.
async fn get(stream: &mut TcpStream, buf: &mut Vec<u8>, path: &str) -> std::io::Result<u16> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n");
    stream.write_all(req.as_bytes()).await?;
    buf.clear();
    let mut chunk = [0u8; 16384];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        if buf.len() >= head_end + 4 + length {
            return Ok(head[9..12].parse().unwrap_or(0));
        }
    }
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("entente-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let location = match std::env::var("ENTENTE_BENCH_DB") {
        Ok(url) => entente_store::Location::parse(&url),
        Err(_) => entente_store::Location::Sqlite(dir.join("load.db")),
    };
    let t = Instant::now();
    let filled = tokio::task::spawn_blocking({
        let location = location.clone();
        move || synthetic::fill_store(&mut entente_store::Store::open_location(&location)?, EVENTS)
    });
    filled.await.unwrap().unwrap();
    println!("store ({location}): {EVENTS} events written in {:.1}s", t.elapsed().as_secs_f64());
    let limits = entente_server::Limits::default();
    let pool =
        tokio::task::spawn_blocking(move || entente_server::pool_for(&location, &limits)).await.unwrap().unwrap();
    let (addr, served) =
        entente_server::bind_with(pool, "127.0.0.1:0".parse().unwrap(), entente_server::Limits::default())
            .await
            .unwrap();
    tokio::spawn(served);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CONNECTIONS {
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let (mut buf, mut times, mut errors) = (Vec::new(), Vec::new(), 0usize);
            for i in 0..MAX_PER_CONNECTION {
                if start.elapsed() > RUN_FOR {
                    break;
                }
                let t = Instant::now();
                match get(&mut stream, &mut buf, PATHS[(c + i) % PATHS.len()]).await {
                    Ok(200) => times.push(t.elapsed()),
                    _ => errors += 1,
                }
            }
            (times, errors)
        }));
    }
    let (mut times, mut errors) = (Vec::new(), 0);
    for task in tasks {
        let (t, e) = task.await.unwrap();
        times.extend(t);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1e3;
    println!(
        "{} requests ({errors} errors) from {CONNECTIONS} connections in {elapsed:.1}s: {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms",
        times.len(),
        times.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
    std::fs::remove_dir_all(&dir).ok();
}
