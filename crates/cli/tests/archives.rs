//! Web sources end to end: a CC-NEWS-style WARC.gz and an RSS feed are ingested by the real
//! binary; a second run passes over the archive it has read; a page in French is stored,
//! marked and not analysed.

mod common;

use common::entente;
use std::io::Write;

fn record(kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
    entente_testdata::warc_record(kind, uri, payload)
}

fn page(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    let html = format!(
        "<html><head><title>{title}</title><meta property=\"article:published_time\" content=\"2023-07-12\"></head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{body}</article><footer>Copyright</footer></body></html>"
    );
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}").into_bytes()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn warc_and_feed_are_ingested_and_an_archive_read_before_is_passed_over() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    let news = tmp.path().join("news");
    std::fs::create_dir(&news).unwrap();
    let records = [
        record("warcinfo", "", b"software: test"),
        record(
            "response",
            "https://x.org/2023/07/12/vilnius.html",
            &page(
                "Leaders meet in Vilnius",
                &[
                    "Japanese Prime Minister Fumio Kishida met NATO Secretary General Jens Stoltenberg in Vilnius on Wednesday.",
                    "The two leaders agreed to deepen cooperation on cyber defence and maritime security.",
                ],
            ),
        ),
        record(
            "response",
            "https://x.org/fr/sommet.html",
            &page(
                "Sommet de l'OTAN à Vilnius",
                &[
                    "Les dirigeants du Japon et de la Corée du Sud ont participé au sommet de l'OTAN à Vilnius mercredi.",
                    "Ils ont convenu de renforcer leur coopération en matière de cyberdéfense et de sécurité maritime.",
                ],
            ),
        ),
    ];
    std::fs::write(news.join("cc-news.warc.gz"), records.iter().flat_map(|r| gz(r)).collect::<Vec<u8>>()).unwrap();
    let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>W</title>
<item><title>Quad leaders meet in Sydney</title><link>https://x.org/quad</link><pubDate>Wed, 24 May 2023 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Australian Prime Minister Anthony Albanese hosted the leaders of India, Japan and the United States in Sydney.</p>]]></content:encoded></item></channel></rss>"#;
    std::fs::write(news.join("world.rss"), rss).unwrap();

    let out = entente(&db, &["ingest", news.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("3 document(s) stored"), "{stderr}");
    assert!(stderr.contains("1 not in English (stored, not analysed)"), "{stderr}");

    let export = String::from_utf8(entente(&db, &["export"]).stdout).unwrap();
    let lines: Vec<serde_json::Value> = export.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let doc = |id: &str| {
        lines.iter().find(|l| l["kind"] == "document" && l["doc"] == id).cloned().unwrap_or_else(|| panic!("{id}"))
    };
    let vilnius = doc("vilnius");
    assert_eq!(
        (vilnius["date"].as_str(), vilnius["published_from"].as_str()),
        (Some("2023-07-12"), Some("meta:article:published_time"))
    );
    assert_eq!(doc("sommet")["language"], "fr");
    assert_eq!(doc("world")["url"], "https://x.org/quad");
    let events: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "event").collect();
    assert!(
        events.iter().any(|e| e["source"]["id"] == "fumio-kishida" && e["target"]["id"] == "jens-stoltenberg"),
        "the WARC page is analysed"
    );
    assert!(events.iter().all(|e| e["evidence"][0]["doc"] != "sommet"), "the French page is not analysed");

    let again = entente(&db, &["ingest", news.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("1 archive file(s) read before, passed over"), "{stderr}");
    assert!(stderr.contains("0 document(s) stored, 1 already stored"), "only the feed is read again: {stderr}");
}
