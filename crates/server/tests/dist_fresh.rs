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
