//! Development view of the extractor on the benchmark's development half (ids ending 8-f; the
//! other half is held out): per page, our own extractor's and trafilatura's precision and
//! recall, whether ours is trusted, and the texts written to OUT for reading.
//!
//! `cargo run --release -p entente-extract --example extraction_dev -- DIR [OUT] [held-out]`; with
//! `held-out`, only the totals of the held-out half, to report, not to tune on.
use entente_extract::score::{page_counts, score};
use std::io::Read;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("the benchmark folder"));
    let out = std::path::PathBuf::from(std::env::args().nth(2).unwrap_or_else(|| "/tmp/fastx-dev".into()));
    std::fs::create_dir_all(&out).expect("output folder");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json")).expect("truth")).expect("json");
    let mut ids: Vec<&String> = truth.as_object().expect("object").keys().collect();
    ids.sort();
    let (mut own_pages, mut traf_pages, mut final_pages) = (vec![], vec![], vec![]);
    let mut fallbacks = 0;
    let held_out = std::env::args().nth(3).is_some_and(|a| a == "held-out");
    let half = if held_out { "01234567" } else { "89abcdef" };
    for id in ids.into_iter().filter(|id| id.chars().last().is_some_and(|c| half.contains(c))) {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let Ok(file) = std::fs::File::open(&path) else { continue };
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(file).read_to_end(&mut raw).expect("gzip");
        let html = String::from_utf8_lossy(&raw);
        let body = truth[id.as_str()]["articleBody"].as_str().unwrap_or_default();
        let own = entente_extract::own_body(&html);
        let traf = entente_extract::fallback_body(&html);
        let o = page_counts(body, &own.text);
        let t = page_counts(body, &traf);
        let f = if own.trusted { o } else { t };
        fallbacks += usize::from(!own.trusted);
        let pr = |(tp, fp, fn_): (f64, f64, f64)| (tp / (tp + fp).max(1e-9), tp / (tp + fn_).max(1e-9));
        let (op, or) = pr(o);
        let (tp, tr) = pr(t);
        own_pages.push(o);
        traf_pages.push(t);
        final_pages.push(f);
        if held_out {
            continue;
        }
        println!(
            "{} own P {op:.2} R {or:.2}{}  traf P {tp:.2} R {tr:.2}  {}",
            &id[..8],
            if own.trusted { "  " } else { " *" },
            if (op + or) < (tp + tr) - 0.1 { "<<" } else { "" }
        );
        std::fs::write(out.join(format!("{}.own", &id[..8])), &own.text).expect("write");
        std::fs::write(out.join(format!("{}.traf", &id[..8])), &traf).expect("write");
        std::fs::write(out.join(format!("{}.truth", &id[..8])), body).expect("write");
    }
    let show = |name: &str, pages: &[(f64, f64, f64)]| {
        let (p, r, f) = score(pages);
        println!("{name:<6} P {p:.3} R {r:.3} F1 {f:.3}");
    };
    show("own", &own_pages);
    show("traf", &traf_pages);
    show("final", &final_pages);
    println!("fallback on {fallbacks} of {} pages", final_pages.len());
}
