//! Why our extractor chose what it did on one page: `explain FILE.html[.gz] [TEXT]`.
use std::io::Read;

fn main() {
    let path = std::env::args().nth(1).expect("a page");
    let mut raw = Vec::new();
    let file = std::fs::File::open(&path).expect("page");
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(file).read_to_end(&mut raw).expect("gzip");
    } else {
        std::io::BufReader::new(file).read_to_end(&mut raw).expect("read");
    }
    print!("{}", entente_extract::explain_own(&String::from_utf8_lossy(&raw), std::env::args().nth(2).as_deref()));
}
