//! `entente watch` as a user runs it, against a site on loopback: `--once` from cron, and a
//! watch left running while `entente serve` serves the same store, whose new items appear in
//! the API without a restart of either.

mod common;

use common::entente;
use entente_testdata::site::{Reply, Site, article_page, rss_feed};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DATE: &str = "Tue, 04 Apr 2023 10:00:00 GMT";

fn example_page(name: &str) -> Reply {
    let text = std::fs::read_to_string(format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    Reply::ok("text/html; charset=utf-8", article_page(&text))
}

fn feed(site: &Site, etag: &str, paths: &[&str]) -> Reply {
    let items: Vec<(String, &str)> = paths.iter().map(|p| (site.url(p), DATE)).collect();
    Reply::ok("application/rss+xml", rss_feed(&items)).header("ETag", etag)
}

/// A child process killed when the test ends, whatever its outcome.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(db: &std::path::Path, args: &[&str]) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("entente starts");
    Running(child)
}

fn documents_served(addr: SocketAddr) -> u64 {
    let body = ureq::get(&format!("http://{addr}/api/documents")).call().unwrap().body_mut().read_to_string().unwrap();
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    page["total"].as_u64().unwrap()
}

#[test]
fn new_items_reach_the_served_store_without_a_restart() {
    let site = Site::start();
    site.set("/news/finland", example_page("finland-joins-nato.txt"));
    site.set("/feed.xml", feed(&site, "\"v1\"", &["/news/finland"]));
    let feed_url = site.url("/feed.xml");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");

    let once = entente(&db, &["watch", "--once", &feed_url]);
    assert!(once.status.success(), "{}", String::from_utf8_lossy(&once.stderr));
    let said = String::from_utf8_lossy(&once.stdout);
    assert!(said.contains(&format!("{feed_url}: 1 items; 1 new pages stored")), "{said}");

    let mut server = spawn(&db, &["serve", "--addr", "127.0.0.1:0"]);
    let mut first = String::new();
    BufReader::new(server.0.stdout.as_mut().unwrap()).read_line(&mut first).unwrap();
    let addr: SocketAddr = first.split("http://").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();
    assert_eq!(documents_served(addr), 1);

    let _watch = spawn(&db, &["watch", "--every", "1s", &feed_url]);
    site.set("/news/sweden", example_page("sweden-joins-nato.txt"));
    site.set("/feed.xml", feed(&site, "\"v2\"", &["/news/sweden", "/news/finland"]));
    let started = Instant::now();
    while documents_served(addr) < 2 {
        assert!(started.elapsed() < Duration::from_secs(60), "the new item never reached the API");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(site.requests("/news/finland").len(), 1, "the page seen before is not fetched again");
    assert!(site.requests("/feed.xml").iter().skip(1).all(|r| r.header("if-none-match").is_some()));
}

#[test]
fn a_failing_feed_is_named_and_the_others_go_on() {
    let site = Site::start();
    site.set("/down.xml", Reply::status(500));
    site.set("/news/finland", example_page("finland-joins-nato.txt"));
    site.set("/feed.xml", feed(&site, "\"v1\"", &["/news/finland", "/news/missing"]));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let list = dir.path().join("feeds.txt");
    std::fs::write(&list, format!("# world news\n{}\n\n{}\n", site.url("/down.xml"), site.url("/feed.xml"))).unwrap();

    let out = entente(&db, &["watch", "--once", "--feeds", list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "some pages or feeds failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}: error: HTTP 500 (1 in a row)", site.url("/down.xml"))), "{stderr}");
    assert!(stderr.contains(&format!("{}: HTTP 404", site.url("/news/missing"))), "{stderr}");
    let stats = entente(&db, &["stats"]);
    assert!(String::from_utf8_lossy(&stats.stdout).contains("documents"), "the good page is stored");

    std::fs::write(&list, "https://ok.example/feed\nftp://not.http/feed\n").unwrap();
    let out = entente(&db, &["watch", "--once", "--feeds", list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("feeds.txt:2: \"ftp://not.http/feed\" is not an http:// or https:// URL"), "{stderr}");
}
