//! Writes a synthetic CC-NEWS-style archive for the scale benchmark (`scripts/bench-scale.sh`):
//! `synthetic-warc DIR PAGES FILES` writes PAGES distinct pages into FILES .warc.gz files in DIR
//! (one Spark task per file; `entente ingest` reads the directory).

#[path = "../benches/common/synthetic.rs"]
mod synthetic;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, pages, files] = &args[..] else {
        eprintln!("usage: synthetic-warc DIR PAGES FILES");
        std::process::exit(2);
    };
    let (pages, files): (usize, usize) = match (pages.parse(), files.parse()) {
        (Ok(p), Ok(f)) if f > 0 => (p, f),
        _ => {
            eprintln!("PAGES and FILES are whole numbers, FILES at least 1");
            std::process::exit(2);
        }
    };
    std::fs::create_dir_all(dir).expect("the output directory");
    let per_file = pages.div_ceil(files);
    let mut bytes = 0;
    for f in 0..files {
        let range = (f * per_file).min(pages)..((f + 1) * per_file).min(pages);
        bytes += synthetic::write_archive(&std::path::Path::new(dir).join(format!("news-{f:03}.warc.gz")), range);
    }
    println!("{pages} pages in {files} files, {:.1} MB", bytes as f64 / 1e6);
}
