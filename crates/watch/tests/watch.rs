//! `watch` against a real site on loopback whose feeds and pages change between polls: new
//! items, 304s, 500s, Retry-After, slow and oversized answers, robots.txt, a restart. Time is
//! the caller's `now`, so schedules are checked without sleeping.

use entente_store::{PageOutcome, Store};
use entente_testdata::site::{Reply, Site, article_page, rss_feed};
use entente_watch::http::HttpLimits;
use entente_watch::{FeedReport, PollOutcome, WatchOptions, Watcher};
use std::time::Duration;

const EVERY: i64 = 900;

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// An example article as a news page.
fn page_of(name: &str) -> Reply {
    Reply::ok("text/html; charset=utf-8", article_page(&example(name)))
}

/// An RSS feed of (path, date) items on `site`, with its ETag.
fn feed(site: &Site, etag: &str, items: &[(&str, &str)]) -> Reply {
    let items: Vec<(String, &str)> = items.iter().map(|(path, date)| (site.url(path), *date)).collect();
    Reply::ok("application/rss+xml", rss_feed(&items)).header("ETag", etag)
}

fn options() -> WatchOptions {
    WatchOptions {
        every: Duration::from_secs(EVERY as u64),
        http: HttpLimits { timeout: Duration::from_secs(2), max_body: 256 << 10, ..HttpLimits::default() },
        ..WatchOptions::default()
    }
}

fn documents(store: &Store) -> Vec<(String, String)> {
    store.document_summaries().unwrap().into_iter().map(|d| (d.id, d.source_path)).collect()
}

const DATE: &str = "Tue, 04 Apr 2023 10:00:00 GMT";

#[test]
fn new_items_are_fetched_once_politely_and_a_feed_unchanged_answers_304() {
    let site = Site::start();
    site.set("/robots.txt", Reply::ok("text/plain", "User-agent: *\nDisallow: /private/\n"));
    site.set("/news/finland", page_of("finland-joins-nato.txt"));
    site.set("/news/camp-david", Reply::ok("text/html", example("camp-david-trilateral.html")));
    site.set("/private/aukus", page_of("aukus-announcement.txt"));
    let feed_url = site.url("/feed.xml");
    site.set(
        "/feed.xml",
        feed(&site, "\"v1\"", &[("/news/finland", DATE), ("/news/camp-david", DATE), ("/private/aukus", DATE)]),
    );
    let mut store = Store::open_in_memory().unwrap();
    let mut watcher = Watcher::new(options());
    let feeds = [feed_url.clone()];

    let first = watcher.poll_due(&mut store, &feeds, 1_000, false).unwrap();
    assert_eq!(first.len(), 1);
    let r = &first[0];
    assert_eq!(r.outcome, PollOutcome::Read { items: 3 });
    assert_eq!((r.stored, r.duplicates, r.refused, r.failed.len()), (2, 0, 1, 0), "{r}");
    assert_eq!(r.next_poll, 1_000 + EVERY);
    let docs = documents(&store);
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().any(|(_, path)| path == &site.url("/news/finland")), "{docs:?}");
    let finland = store.document(&docs[0].0).unwrap().unwrap();
    assert!(finland.text.contains("Pekka Haavisto"), "the article's text is stored");
    assert!(!store.facts("event").unwrap().is_empty(), "and coded");
    assert!(site.requests("/private/aukus").is_empty(), "robots.txt is obeyed");
    assert_eq!(store.seen_page(&site.url("/private/aukus")).unwrap().unwrap().outcome, PageOutcome::Refused);

    // Not due yet: nothing is asked.
    assert!(watcher.poll_due(&mut store, &feeds, 1_000 + EVERY - 1, false).unwrap().is_empty());
    assert_eq!(site.requests("/feed.xml").len(), 1);

    // Due, unchanged: asked with its ETag, 304.
    let second = watcher.poll_due(&mut store, &feeds, 1_000 + EVERY, false).unwrap();
    assert_eq!(second[0].outcome, PollOutcome::NotModified);
    assert_eq!(site.requests("/feed.xml")[1].header("if-none-match"), Some("\"v1\""));

    // A new item: only its page is fetched.
    site.set("/news/sweden", page_of("sweden-joins-nato.txt"));
    site.set(
        "/feed.xml",
        feed(&site, "\"v2\"", &[("/news/sweden", DATE), ("/news/finland", DATE), ("/private/aukus", DATE)]),
    );
    let third = watcher.poll_due(&mut store, &feeds, 1_000 + 2 * EVERY, false).unwrap();
    assert_eq!((third[0].stored, third[0].refused), (1, 0), "{}", third[0]);
    assert_eq!(documents(&store).len(), 3);
    assert_eq!(site.requests("/news/finland").len(), 1, "a page is fetched once");
    assert_eq!(site.requests("/robots.txt").len(), 1, "robots.txt is kept");
}

#[test]
fn failing_feeds_back_off_and_never_stop_the_others() {
    let site = Site::start();
    site.set("/broken.xml", Reply::status(500));
    site.set("/busy.xml", Reply::status(503).header("Retry-After", "120"));
    site.set("/slow.xml", feed(&site, "\"s\"", &[]).delayed(Duration::from_secs(4)));
    site.set("/junk.xml", Reply::ok("application/rss+xml", "<html>not a feed</html>"));
    site.set(
        "/good.xml",
        feed(&site, "\"g\"", &[("/big", DATE), ("/gone", DATE), ("/later", DATE), ("/finland", DATE)]),
    );
    site.set("/big", Reply::ok("text/html", vec![b'a'; 300 << 10]));
    site.set("/gone", Reply::status(500));
    site.set("/later", Reply::status(503));
    site.set("/finland", page_of("finland-joins-nato.txt"));
    let feeds: Vec<String> =
        ["/broken.xml", "/busy.xml", "/slow.xml", "/junk.xml", "/good.xml"].iter().map(|p| site.url(p)).collect();
    let mut store = Store::open_in_memory().unwrap();
    let mut watcher = Watcher::new(options());

    let reports = watcher.poll_due(&mut store, &feeds, 0, false).unwrap();
    let by = |path: &str, reports: &[FeedReport]| reports.iter().find(|r| r.feed == site.url(path)).cloned();
    let broken = by("/broken.xml", &reports).unwrap();
    assert_eq!(broken.outcome, PollOutcome::Failed { problem: "HTTP 500".into(), failures: 1 });
    assert_eq!(broken.next_poll, EVERY);
    assert_eq!(by("/busy.xml", &reports).unwrap().next_poll, 120, "Retry-After is honoured");
    let slow = by("/slow.xml", &reports).unwrap();
    assert!(
        matches!(&slow.outcome, PollOutcome::Failed { problem, .. } if problem.contains("no answer within")),
        "{slow}"
    );
    let junk = by("/junk.xml", &reports).unwrap();
    assert!(
        matches!(&junk.outcome, PollOutcome::Failed { problem, .. } if problem.contains("not an RSS or Atom feed")),
        "{junk}"
    );
    let good = by("/good.xml", &reports).unwrap();
    assert_eq!(good.stored, 1, "{good}");
    let failed: Vec<&str> = good.failed.iter().map(|(_, why)| why.as_str()).collect();
    assert!(failed.iter().any(|w| w.contains("larger than")), "{failed:?}");
    assert!(failed.iter().any(|w| w.contains("HTTP 500")), "{failed:?}");

    // The broken feed fails again: it waits twice as long; the busy one is due again. A
    // failed page is tried again when its feed is read again (up to three times in all), and
    // one that recovers is stored.
    site.set("/later", page_of("sweden-joins-nato.txt"));
    site.set(
        "/good.xml",
        feed(&site, "\"g2\"", &[("/big", DATE), ("/gone", DATE), ("/later", DATE), ("/finland", DATE)]),
    );
    let again = watcher.poll_due(&mut store, &feeds, EVERY, false).unwrap();
    let broken = by("/broken.xml", &again).unwrap();
    assert_eq!(broken.outcome, PollOutcome::Failed { problem: "HTTP 500".into(), failures: 2 });
    assert_eq!(broken.next_poll, EVERY + 2 * EVERY);
    assert_eq!(by("/busy.xml", &again).unwrap().next_poll, EVERY + 120);
    let good = by("/good.xml", &again).unwrap();
    assert_eq!((good.stored, good.failed.len()), (1, 2), "{good}");
    for (i, now) in [2 * EVERY, 3 * EVERY].into_iter().enumerate() {
        site.set("/good.xml", feed(&site, &format!("\"g{}\"", i + 3), &[("/gone", DATE)]));
        watcher.poll_due(&mut store, &feeds, now, false).unwrap();
    }
    assert_eq!(site.requests("/gone").len(), 3, "tried three times, then given up");
    assert_eq!(site.requests("/finland").len(), 1);
    assert_eq!(store.stats().unwrap().documents, 2);
}

#[test]
fn a_restarted_watch_goes_on_where_it_stopped() {
    let site = Site::start();
    site.set("/news/finland", page_of("finland-joins-nato.txt"));
    site.set("/feed.xml", feed(&site, "\"v1\"", &[("/news/finland", DATE)]));
    let feeds = [site.url("/feed.xml")];
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("watch.db");
    {
        let mut store = Store::open(&db).unwrap();
        let r = Watcher::new(options()).poll_due(&mut store, &feeds, 0, false).unwrap();
        assert_eq!(r[0].stored, 1);
    }
    // Same feed, its ETag changed but not its items; a new process.
    site.set("/feed.xml", feed(&site, "\"v2\"", &[("/news/finland", DATE)]));
    let mut store = Store::open(&db).unwrap();
    let mut watcher = Watcher::new(options());
    assert!(watcher.poll_due(&mut store, &feeds, 10, false).unwrap().is_empty(), "the schedule survives");
    let once = watcher.poll_due(&mut store, &feeds, 10, true).unwrap();
    assert_eq!(once[0].outcome, PollOutcome::Read { items: 1 }, "--once polls a feed that is well");
    assert_eq!(site.requests("/feed.xml")[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(once[0].stored, 0);
    assert_eq!(site.requests("/news/finland").len(), 1, "what was seen is not fetched again");
    assert_eq!(store.stats().unwrap().documents, 1);

    // A feed that is well is due this run's interval after its last poll, whatever the
    // interval was when it was polled.
    let mut quick = Watcher::new(WatchOptions { every: Duration::from_secs(5), ..options() });
    assert!(quick.poll_due(&mut store, &feeds, 14, false).unwrap().is_empty());
    assert_eq!(quick.poll_due(&mut store, &feeds, 15, false).unwrap()[0].outcome, PollOutcome::NotModified);
}

#[test]
fn pages_left_for_later_are_fetched_even_when_the_feed_has_not_changed() {
    let site = Site::start();
    site.set("/a", page_of("finland-joins-nato.txt"));
    site.set("/b", Reply::status(503));
    site.set("/c", page_of("aukus-announcement.txt"));
    site.set("/feed.xml", feed(&site, "\"v1\"", &[("/a", DATE), ("/b", DATE), ("/c", DATE)]));
    let feeds = [site.url("/feed.xml")];
    let mut store = Store::open_in_memory().unwrap();
    let mut watcher = Watcher::new(WatchOptions { max_pages: 2, ..options() });

    let first = watcher.poll_due(&mut store, &feeds, 0, false).unwrap();
    assert_eq!((first[0].stored, first[0].failed.len(), first[0].deferred), (1, 1, 1), "{}", first[0]);
    // The feed is the same, but /c waits and /b has tries left: it is read again whole.
    let second = watcher.poll_due(&mut store, &feeds, EVERY, false).unwrap();
    assert_eq!(second[0].outcome, PollOutcome::Read { items: 3 }, "{}", second[0]);
    assert_eq!((second[0].stored, second[0].failed.len(), second[0].deferred), (1, 1, 0), "{}", second[0]);
    assert_eq!(site.requests("/feed.xml")[1].header("if-none-match"), None);
    // The third try of /b is its last: after it, nothing is left, and the ETag is used again.
    let third = watcher.poll_due(&mut store, &feeds, 2 * EVERY, false).unwrap();
    assert_eq!(third[0].failed.len(), 1);
    let fourth = watcher.poll_due(&mut store, &feeds, 3 * EVERY, false).unwrap();
    assert_eq!(fourth[0].outcome, PollOutcome::NotModified);
    assert_eq!(site.requests("/b").len(), 3);
    assert_eq!(site.requests("/a").len(), 1);
}
