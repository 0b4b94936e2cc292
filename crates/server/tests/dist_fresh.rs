//! Fails when web/dist was not rebuilt after web/src changed (`cd web && npm ci && npm run build`).

use std::path::Path;

fn source_hash(dir: &Path) -> String {
    let mut names: Vec<_> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut h: u64 = 0xcbf29ce484222325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
        }
    };
    for name in names {
        feed(name.as_bytes());
        feed(&[0]);
        feed(&std::fs::read(dir.join(&name)).unwrap());
        feed(&[0]);
    }
    format!("{h:016x}")
}

#[test]
fn built_page_matches_its_sources() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let recorded = std::fs::read_to_string(web.join("dist/SOURCE_HASH")).unwrap();
    assert_eq!(
        recorded.trim(),
        source_hash(&web.join("src")),
        "web/dist is stale: run `cd web && npm ci && npm run build` and commit web/dist"
    );
    assert_eq!(recorded, entente_server::assets::SOURCE_HASH, "the binary embeds the current dist");
}

/// The screenshots in web/tests/screenshots are the page as built now: the browser tests
/// write the dist hash they ran against next to them (`SOURCE_HASH`).
#[test]
fn screenshots_are_of_the_current_page() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let shots = web.join("tests/screenshots");
    let built = std::fs::read_to_string(web.join("dist/SOURCE_HASH")).unwrap();
    let taken = std::fs::read_to_string(shots.join("SOURCE_HASH")).unwrap_or_default();
    assert_eq!(
        taken.trim(),
        built.trim(),
        "the screenshots were taken of another build of the page: run `bash web/tests/run.sh` and commit web/tests/screenshots"
    );
    for name in ["graph.png", "timeline.png", "filters.png", "evidence.png"] {
        let size = std::fs::metadata(shots.join(name)).map(|m| m.len()).unwrap_or(0);
        assert!(size > 0 && size < 300_000, "{name}: {size} bytes (want a screenshot under 300 KB)");
    }
}
