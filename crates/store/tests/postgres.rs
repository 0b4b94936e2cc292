//! The PostgreSQL backend against a real server (a throwaway cluster; the tests skip with a
//! SKIPPED line where there are no PostgreSQL binaries, and fail in CI): the same writes give
//! the same reads as SQLite, in the same order; writers of two connections are serialized.

use entente_document::{Document, Metadata, Sentence, Span};
use entente_store::{
    EVENT_MENTION, Evidence, FactRecord, MentionRow, MergedEvent, SCHEMA_VERSION, Store, StoreError, Stored,
};
use entente_testdata::postgres::PgServer;
use std::time::Duration;

fn doc(id: &str, text: &str) -> Document {
    let mut d = Document::new(id, text, Metadata { source_path: format!("{id}.txt"), ..Default::default() });
    d.content_hash = format!("hash-of-{text}");
    // Two languages unknown, two English, one French: a tie that SQLite orders NULL first.
    d.meta.language = match id {
        "B" | "a-b" => None,
        "z-2" => Some("fr".into()),
        _ => Some("en".into()),
    };
    d.sentences = vec![Sentence { span: Span::new(0, text.len()), first_token: 0, token_count: 0 }];
    d
}

fn ev(doc: &str, start: usize, rule: &str) -> Evidence {
    Evidence { doc: doc.into(), sentence: 0, start, end: start + 2, rule: rule.into() }
}

fn fact(id: &str, kind: &str, body: &str, confidence: f64) -> FactRecord {
    FactRecord { id: id.into(), kind: kind.into(), body: body.into(), confidence }
}

/// The same writes for either backend. Ids, rules and actors are chosen so that byte order and
/// a linguistic collation (the test cluster's default is ICU en-US) disagree: `a-b` / `a_b`,
/// `B` / `a`, `Z` / `ä`.
fn write(store: &mut Store) {
    let mut batch = store.batch().unwrap();
    for (id, text) in
        [("z", "Zürich: Japan met NATO."), ("a_b", "Aye text here"), ("a-b", "Bee text"), ("B", "Em text")]
    {
        assert_eq!(batch.insert_document(&doc(id, text)).unwrap(), Stored::New(id.into()));
    }
    let mut other = doc("z-2", "Other text");
    other.id = "z".into();
    assert_eq!(batch.insert_document(&other).unwrap(), Stored::New("z-2".into()));
    assert_eq!(batch.insert_document(&doc("q", "Em text")).unwrap(), Stored::Duplicate("B".into()));
    for id in ["f-b", "f_b", "F", "fä", "fz"] {
        let evidence = [ev("a_b", 3, "r_x"), ev("B", 0, "r-x"), ev("z", 2, "R"), ev("z", 2, "r"), ev("a-b", 1, "r")];
        batch.upsert_fact(&fact(id, "event", r#"{"x":"\u00e4"}"#, 0.5), &evidence).unwrap();
    }
    batch.upsert_fact(&fact("F", "event", "{}", 0.9), &[ev("z-2", 0, "r")]).unwrap();
    batch.upsert_fact(&fact("lonely", "role", "{}", 0.1), &[]).unwrap();
    let mention = |start: usize, end: usize, actor: &str| MentionRow {
        sentence: 0,
        start,
        end,
        actor: actor.into(),
        rule: "kb".into(),
    };
    // "Zürich": the mention 0..7 ends inside nothing, 1..3 is "ü" (two bytes).
    batch.insert_mentions("z", &[mention(0, 7, "ZED"), mention(1, 3, "ZED"), mention(9, 14, "a-b")]).unwrap();
    batch.insert_mentions("a_b", &[mention(4, 8, "ZED"), mention(0, 3, "a_b"), mention(0, 3, "a_b")]).unwrap();
    batch.set_file_progress("x.warc.gz", "fp", 7, false).unwrap();
    batch.commit().unwrap();

    // The event merge's bookkeeping, as entente-graph drives it.
    let mut batch = store.batch().unwrap();
    for (id, key) in [("m2", "k1"), ("m1", "k1"), ("m3", "k2")] {
        batch.upsert_fact(&fact(id, EVENT_MENTION, r#"{"k":1}"#, 0.4), &[ev("a-b", 0, "c"), ev("z", 4, "c")]).unwrap();
        batch.set_mention_key(id, key).unwrap();
    }
    let pending: Vec<String> = batch.pending_mentions().unwrap().into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(pending, ["m1", "m2", "m3"]);
    let group = batch.mentions_with_key("k1").unwrap();
    assert_eq!(group.iter().map(|m| m.fact.id.as_str()).collect::<Vec<_>>(), ["m1", "m2"]);
    let merged = MergedEvent {
        fact: fact("event:k1", "event", r#"{"merged":true}"#, 0.6),
        evidence: group[0].evidence.clone(),
        members: vec!["m1".into(), "m2".into()],
    };
    batch.replace_merged("k1", std::slice::from_ref(&merged)).unwrap();
    batch.replace_merged("k1", &[merged]).unwrap();
    batch.commit().unwrap();
}

/// Everything the store answers, as one comparable value.
fn read(store: &Store) -> String {
    let mut out = Vec::new();
    for kind in ["event", "role", EVENT_MENTION, "none"] {
        out.push(format!("{kind}: {:?}", store.facts(kind).unwrap()));
        let mut streamed = Vec::new();
        store
            .for_each_fact(kind, |f| {
                let mut evidence = Vec::new();
                store.for_each_evidence(&f.id, |d, e| {
                    evidence.push((d.id.clone(), e));
                    Ok::<_, StoreError>(())
                })?;
                streamed.push((f, evidence));
                Ok::<_, StoreError>(())
            })
            .unwrap();
        out.push(format!("streamed {kind}: {streamed:?}"));
    }
    out.push(format!("{:?}", store.document_summaries().unwrap()));
    let mut summaries = Vec::new();
    store
        .for_each_document_summary(|d| {
            summaries.push(d);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    out.push(format!("{summaries:?}"));
    for id in ["z", "z-2", "a_b", "nope"] {
        let d = store.document(id).unwrap();
        out.push(format!("{:?}", d.map(|d| (d.text, d.content_hash, d.meta, d.sentences.len()))));
        out.push(format!("{:?}", store.document_text(id).unwrap()));
    }
    out.push(format!("{:?}", store.actor_mentions().unwrap()));
    for actor in ["ZED", "a_b", "a-b", "nobody"] {
        out.push(format!("{:?}", store.actor_mentions_of(actor).unwrap()));
    }
    let mut counts: Vec<_> = store.actor_mention_counts().unwrap().into_iter().collect();
    counts.sort();
    out.push(format!("{counts:?}"));
    out.push(format!("{:?}", store.stats().unwrap()));
    out.push(format!("{:?} {:?}", store.has_content("hash-of-Em text").unwrap(), store.has_content("x").unwrap()));
    out.push(format!("{:?}", store.evidence_documents("event:k1").unwrap()));
    out.join("\n")
}

#[test]
fn postgres_gives_what_sqlite_gives_in_the_same_order() {
    let Some(server) = PgServer::start_or_skip("postgres_gives_what_sqlite_gives_in_the_same_order") else {
        return;
    };
    let mut sqlite = Store::open_in_memory().unwrap();
    let mut pg = Store::connect(&server.database()).unwrap();
    assert!(pg.is_postgres() && !sqlite.is_postgres());
    write(&mut sqlite);
    write(&mut pg);
    let (expected, got) = (read(&sqlite), read(&pg));
    for (e, g) in expected.lines().zip(got.lines()) {
        assert_eq!(g, e);
    }
    assert_eq!(got, expected);
    assert!(expected.contains("\"a-b\""), "the comparison saw the documents");
    assert_eq!(pg.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(pg.revision().unwrap(), sqlite.revision().unwrap());
    assert!(pg.integrity_check().unwrap());
    let mut batch = pg.batch().unwrap();
    assert_eq!(batch.file_progress("x.warc.gz", "fp").unwrap(), Some((7, false)));
    assert_eq!(batch.file_progress("x.warc.gz", "other").unwrap(), None);
    assert_eq!(batch.mark_all_pending().unwrap(), 3);
    drop(batch);
    assert!(matches!(pg.feed_state("https://a/feed"), Err(StoreError::SqliteOnly { .. })));
}

#[test]
fn postgres_batches_are_all_or_nothing_and_refuse_what_sqlite_refuses() {
    let Some(server) = PgServer::start_or_skip("postgres_batches_are_all_or_nothing_and_refuse_what_sqlite_refuses")
    else {
        return;
    };
    let url = server.database();
    let mut store = Store::connect(&url).unwrap();
    {
        let mut batch = store.batch().unwrap();
        batch.insert_document(&doc("a", "one")).unwrap();
    }
    assert_eq!(store.stats().unwrap().documents, 0, "a batch dropped without commit leaves nothing");
    let mut batch = store.batch().unwrap();
    batch.insert_document(&doc("a", "one")).unwrap();
    assert!(batch.upsert_fact(&fact("f", "event", "not json", 0.5), &[]).is_err(), "a body that is not JSON");
    drop(batch);
    let mut batch = store.batch().unwrap();
    assert!(batch.upsert_fact(&fact("f", "event", "{}", 1.5), &[]).is_err(), "a confidence above 1");
    drop(batch);
    assert_eq!(store.stats().unwrap().documents, 0);

    // Reopened, the store is kept; a schema newer than this build's is refused, not altered.
    let mut batch = store.batch().unwrap();
    batch.insert_document(&doc("a", "one")).unwrap();
    batch.commit().unwrap();
    drop(store);
    assert_eq!(Store::connect(&url).unwrap().stats().unwrap().documents, 1);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.execute("UPDATE entente_schema SET version = 99", &[]).unwrap();
    assert!(matches!(Store::connect(&url), Err(StoreError::NewerSchema { found: 99, .. })));
}

/// Two connections writing at once: the second batch waits for the first to end, then sees
/// what it stored, so the same text is a duplicate and an id taken is made unique.
#[test]
fn postgres_writers_take_turns() {
    let Some(server) = PgServer::start_or_skip("postgres_writers_take_turns") else {
        return;
    };
    let url = server.database();
    let mut first = Store::connect(&url).unwrap();
    let mut second = Store::connect(&url).unwrap();
    let (locked, wait) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        let mut batch = first.batch().unwrap();
        batch.insert_document(&doc("a", "one")).unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        batch.commit().unwrap();
    });
    wait.recv().unwrap();
    let started = std::time::Instant::now();
    let mut batch = second.batch().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300), "the second batch waited for the first");
    assert_eq!(batch.insert_document(&doc("b", "one")).unwrap(), Stored::Duplicate("a".into()));
    assert_eq!(batch.insert_document(&doc("a", "two")).unwrap(), Stored::New("a-2".into()));
    batch.commit().unwrap();
    writer.join().unwrap();
    assert_eq!(second.stats().unwrap().documents, 2);
    assert_eq!(second.revision().unwrap(), 2);
}

#[test]
fn a_bad_url_is_an_error_that_hides_the_password() {
    let err = match Store::connect("postgres://ann:s3cret@127.0.0.1:1/none") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("nothing listens on port 1"),
    };
    assert!(err.contains("postgres://ann:***@127.0.0.1:1/none") && !err.contains("s3cret"), "{err}");
}
