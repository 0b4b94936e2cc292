//! Extraction speed on the benchmark's pages, in memory, one core: the whole `extract`, and our
//! own extractor alone. `cargo run --release -p entente-extract --example extraction_speed -- DIR`
use std::io::Read;
use std::time::Instant;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("the benchmark folder"));
    let rounds: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut pages = Vec::new();
    let mut files: Vec<_> =
        std::fs::read_dir(dir.join("html")).expect("html folder").flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&f).expect("page")).read_to_end(&mut raw).expect("gzip");
        pages.push(String::from_utf8_lossy(&raw).into_owned());
    }
    let bytes: usize = pages.iter().map(String::len).sum::<usize>() * rounds;
    let mb_s = |s: f64| bytes as f64 / 1e6 / s;
    let start = Instant::now();
    for _ in 0..rounds {
        for p in &pages {
            std::hint::black_box(entente_extract::own_body(p));
        }
    }
    println!("own extractor      {:>7.1} MB/s", mb_s(start.elapsed().as_secs_f64()));
    let start = Instant::now();
    for _ in 0..rounds {
        for p in &pages {
            std::hint::black_box(entente_extract::read_meta(p));
        }
    }
    println!("scan + metadata    {:>7.1} MB/s", mb_s(start.elapsed().as_secs_f64()));
    let start = Instant::now();
    for _ in 0..rounds {
        for p in &pages {
            std::hint::black_box(entente_extract::extract(p, None));
        }
    }
    println!("extract (all)      {:>7.1} MB/s", mb_s(start.elapsed().as_secs_f64()));
}
