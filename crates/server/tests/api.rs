//! The real server on an ephemeral port over a store built with entente-store's own API.

use entente_document::{Document, Metadata, Sentence, Span};
use entente_store::{Evidence, FactRecord, Store};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;

const TEXT_A: &str = "Japan met NATO in Brussels. China criticised the meeting.";
const TEXT_B: &str = "Australia joined the talks. NATO welcomed Australia.";

fn doc(id: &str, text: &str, date: &str) -> Document {
    let mut d = Document::new(
        id,
        text,
        Metadata { source_path: format!("{id}.txt"), title: Some(format!("Title {id}")), ..Default::default() },
    );
    d.content_hash = format!("hash-{id}");
    d.date.date = entente_document::PartialDate::parse_iso(date);
    let mut start = 0;
    for part in text.split_inclusive(". ") {
        let end = start + part.trim_end().len();
        d.sentences.push(Sentence { span: Span::new(start, end), first_token: 0, token_count: 0 });
        start += part.len();
    }
    d
}

fn actor(id: &str, name: &str, ty: &str) -> Value {
    json!({"id": id, "name": name, "type": ty})
}

/// An event fact: (source, target), (PLOVER, CAMEO, Goldstein), date, evidence.
fn event(
    id: &str,
    (s, t): (Value, Value),
    (plover, cameo, g): (&str, &str, f64),
    date: &str,
    ev: Evidence,
) -> (FactRecord, Vec<Evidence>) {
    let body = json!({"source": s, "target": t, "others": [], "plover": plover, "mode": null, "cameo": cameo,
        "goldstein": g, "date": date, "date_rule": "date:explicit", "location": null, "modality": "asserted",
        "actors": [s, t], "mentions": 1, "documents": 1, "merged_from": []});
    (FactRecord { id: id.into(), kind: "event".into(), body: body.to_string(), confidence: 0.9 }, vec![ev])
}

fn ev(doc: &str, text: &str, sentence: usize, needle: &str) -> Evidence {
    let start = text.find(needle).unwrap();
    Evidence { doc: doc.into(), sentence, start, end: start + needle.len(), rule: "test".into() }
}

fn build_store(path: &Path) {
    let mut store = Store::open(path).unwrap();
    let mut b = store.batch().unwrap();
    b.insert_document(&doc("a", TEXT_A, "2024-07-10")).unwrap();
    b.insert_document(&doc("b", TEXT_B, "2024-08-01")).unwrap();
    for i in 0..7 {
        b.insert_document(&doc(&format!("z{i}"), &format!("Filler text {i}."), "2024-01-01")).unwrap();
    }
    let (jpn, nato, chn, aus) = (
        actor("JPN", "Japan", "state"),
        actor("NATO", "NATO", "organization"),
        actor("CHN", "China", "state"),
        actor("AUS", "Australia", "state"),
    );
    let facts = [
        event(
            "e1",
            (jpn.clone(), nato.clone()),
            ("CONSULT", "040", 1.0),
            "2024-07-10",
            ev("a", TEXT_A, 0, "Japan met NATO"),
        ),
        event(
            "e2",
            (chn, jpn.clone()),
            ("DISAPPROVE", "111", -2.0),
            "2024-07-10",
            ev("a", TEXT_A, 1, "China criticised the meeting"),
        ),
        event(
            "e3",
            (nato.clone(), aus.clone()),
            ("SUPPORT", "051", 3.4),
            "2024-08-01",
            ev("b", TEXT_B, 1, "NATO welcomed Australia"),
        ),
    ];
    for (f, e) in &facts {
        b.upsert_fact(f, e).unwrap();
    }
    let membership = json!({"member": aus, "group": nato, "status": "member", "start": "2024-08-01", "end": null});
    b.upsert_fact(
        &FactRecord { id: "m1".into(), kind: "membership".into(), body: membership.to_string(), confidence: 0.8 },
        &[ev("b", TEXT_B, 0, "Australia joined the talks")],
    )
    .unwrap();
    b.commit().unwrap();
}

fn start_server(db: &Path) -> SocketAddr {
    let db = db.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let (addr, served) = entente_server::bind(&db, "127.0.0.1:0".parse().unwrap()).await.unwrap();
            tx.send(addr).unwrap();
            served.await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// A plain HTTP/1.1 request; returns the status and the body.
fn request(addr: SocketAddr, raw_path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {raw_path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&out[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = out[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = unchunk(&body);
    }
    (status, body)
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 4 + size..];
    }
}

/// The status of a response that may never end (the change stream), read from its head.
fn stream_status(addr: SocketAddr, path: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") && s.read(&mut byte).unwrap() == 1 {
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).split(' ').nth(1).unwrap().parse().unwrap()
}

fn get(addr: SocketAddr, path: &str) -> (u16, Value) {
    let (status, body) = request(addr, path);
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[test]
fn the_api_over_a_real_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    build_store(&db);
    let addr = start_server(&db);

    // Pagination: stable order, pages do not overlap, total counts all.
    let (s, p1) = get(addr, "/api/documents?limit=4&offset=0");
    assert_eq!(s, 200);
    assert_eq!(p1["total"], 9);
    let (_, p2) = get(addr, "/api/documents?limit=4&offset=4");
    let ids = |p: &Value| {
        p["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&p1), ["a", "b", "z0", "z1"]);
    assert_eq!(ids(&p2), ["z2", "z3", "z4", "z5"]);
    assert_eq!(get(addr, "/api/documents?limit=501").0, 400);
    assert_eq!(get(addr, "/api/documents?offset=-1").0, 400);
    let (s, err) = get(addr, "/api/documents?limit=abc");
    assert_eq!(s, 400);
    assert_eq!(err["error"]["code"], "bad_parameter");

    // One document with sentences and highlights.
    let (s, d) = get(addr, "/api/documents/a");
    assert_eq!(s, 200);
    assert_eq!(d["text"], TEXT_A);
    assert_eq!(d["sentences"].as_array().unwrap().len(), 2);
    assert_eq!(d["highlights"].as_array().unwrap().len(), 2);
    let (s, err) = get(addr, "/api/documents/nope");
    assert_eq!((s, err["error"]["code"].as_str()), (404, Some("not_found")));

    // Events and their filters.
    let (_, all) = get(addr, "/api/events");
    assert_eq!(all["total"], 3);
    let ids = |p: &Value| {
        p["events"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&get(addr, "/api/events?actor=JPN").1), ["e1", "e2"]);
    assert_eq!(ids(&get(addr, "/api/events?actor=JPN&counterpart=CHN").1), ["e2"]);
    assert_eq!(ids(&get(addr, "/api/events?plover=support").1), ["e3"]);
    assert_eq!(ids(&get(addr, "/api/events?cameo=11").1), ["e2"]);
    assert_eq!(ids(&get(addr, "/api/events?from=2024-08").1), ["e3"]);
    assert_eq!(ids(&get(addr, "/api/events?to=2024-07").1), ["e1", "e2"]);
    assert_eq!(ids(&get(addr, "/api/events?q=criticised").1), ["e2"]);
    assert_eq!(get(addr, "/api/events?from=2024-13-01").0, 400);
    assert_eq!(get(addr, "/api/events?plover=HUG").0, 400);
    assert_eq!(get(addr, "/api/events?modality=maybe").0, 400);

    // Evidence carries the sentence and the span's own text.
    let (s, e) = get(addr, "/api/facts/e2/evidence");
    assert_eq!(s, 200);
    let first = &e["evidence"][0];
    assert_eq!(first["text"], "China criticised the meeting");
    assert_eq!(first["sentence_text"], "China criticised the meeting.");
    assert_eq!(first["doc"], "a");
    assert_eq!(get(addr, "/api/facts/none/evidence").0, 404);

    // Actors fall back to mentions (none here), ties and timeline by facts.
    let (s, ties) = get(addr, "/api/actors/AUS/ties");
    assert_eq!(s, 200);
    let kinds: Vec<_> = ties["ties"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["event", "membership"]);
    assert_eq!(get(addr, "/api/actors/JPN/timeline").1["total"], 2);
    assert_eq!(get(addr, "/api/actors/XXX/ties").0, 404);

    // The graph on a date: the membership holds from August, the events are windowed.
    let (_, g) = get(addr, "/api/graph?date=2024-07-31");
    assert_eq!(g["edges"].as_array().unwrap().len(), 2);
    let conflict = g["edges"].as_array().unwrap().iter().find(|e| e["source"] == "CHN").unwrap();
    assert_eq!(conflict["tone"], "conflict");
    let (_, g) = get(addr, "/api/graph?date=2024-08-02");
    assert_eq!(g["edges"].as_array().unwrap().len(), 4);
    assert_eq!(get(addr, "/api/graph?date=yesterday").0, 400);
    let (_, rel) = get(addr, "/api/relations?date=2024-07-01");
    assert_eq!(rel["relations"].as_array().unwrap().len(), 0);

    // OpenAPI, the page, unknown paths and traversal.
    let (s, o) = get(addr, "/openapi.json");
    assert_eq!(s, 200);
    assert!(o["paths"]["/api/events"]["get"]["parameters"].as_array().unwrap().len() >= 8);
    let (s, page) = request(addr, "/");
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&page).contains("<title>Entente</title>"));
    assert_eq!(request(addr, "/app.js").0, 200);
    assert_eq!(get(addr, "/api/nothing").0, 404);
    for path in ["/../Cargo.toml", "/%2e%2e/%2e%2e/Cargo.toml", "/..%2f..%2fCargo.toml", "/dist/../../Cargo.toml"] {
        let (s, body) = request(addr, path);
        assert!(s == 404 || s == 400, "{path} answered {s}");
        assert!(!String::from_utf8_lossy(&body).contains("[package]"), "{path} leaked a file");
    }
}

#[test]
fn an_oversized_body_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    Store::open(&db).unwrap();
    let addr = start_server(&db);
    let mut s = TcpStream::connect(addr).unwrap();
    let size = entente_server::BODY_LIMIT + 1;
    write!(s, "GET /api/documents HTTP/1.1\r\nHost: localhost\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok();
    let head = String::from_utf8_lossy(&out);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
}

#[test]
fn an_empty_store_still_serves_an_empty_graph() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    Store::open(&db).unwrap();
    let addr = start_server(&db);
    let (s, g) = get(addr, "/api/graph");
    assert_eq!(s, 200);
    assert_eq!(g["empty"], true);
    assert_eq!(get(addr, "/api/documents").1["total"], 0);
}

/// The paths the router serves, read from its `Debug` output (axum has no other way to list
/// them), without the fallback's. Fails loudly if that output changes.
fn served_paths(db: &Path) -> BTreeSet<String> {
    let router = entente_server::router(db).unwrap();
    let debug = format!("{router:?}");
    // The fallback router's paths ("/" and a private catch-all) are where the page is served.
    let routes = debug.split("fallback_router").next().unwrap();
    let paths: BTreeSet<String> = routes
        .split("RouteId(")
        .skip(1)
        .filter_map(|part| part.split_once("): \"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once('"').map(|(path, _)| path.to_string()))
        .collect();
    assert!(paths.contains("/api/events"), "cannot read the routes from {debug}");
    paths
}

#[test]
fn openapi_describes_exactly_the_served_routes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    build_store(&db);
    let addr = start_server(&db);
    let (s, doc) = get(addr, "/openapi.json");
    assert_eq!(s, 200);
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();

    // Served and documented are the same set, but for the description itself and the JSON
    // 404 for unknown API paths.
    let mut served = served_paths(&db);
    for undocumented in ["/openapi.json", "/api/{*rest}"] {
        assert!(served.remove(undocumented), "{undocumented} is no longer served");
    }
    assert_eq!(served, documented);

    // Every documented operation is answered by its handler (an id that exists, so 200).
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert_eq!(item.as_object().unwrap().keys().collect::<Vec<_>>(), ["get"], "{path}");
        let id = if path.starts_with("/api/documents/") {
            "a"
        } else if path.starts_with("/api/actors/") {
            "JPN"
        } else {
            "e1"
        };
        // The change stream does not end by itself: its head is enough.
        let status =
            if path == "/api/changes" { stream_status(addr, path) } else { get(addr, &path.replace("{id}", id)).0 };
        assert_eq!(status, 200, "{path}");
        let op = &item["get"];
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{path} has no summary");
        assert!(op["responses"]["200"].is_object(), "{path}");
    }

    // Parameters come from the handlers' own query structs.
    let names = |path: &str| -> Vec<String> {
        let params = doc["paths"][path]["get"]["parameters"].as_array().cloned().unwrap_or_default();
        params.iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(
        names("/api/events"),
        [
            "actor",
            "counterpart",
            "plover",
            "cameo",
            "from",
            "to",
            "modality",
            "q",
            "min_sources",
            "actor_type",
            "limit",
            "offset"
        ]
    );
    assert_eq!(
        names("/api/graph"),
        ["date", "window_days", "from", "to", "plover", "modality", "actor_type", "min_sources", "limit"]
    );
    assert!(doc["paths"]["/api/changes"]["get"]["responses"]["200"]["content"]["text/event-stream"].is_object());
    assert_eq!(names("/api/actors/{id}/timeline"), ["id", "limit", "offset"]);
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let text = doc.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(doc["components"]["schemas"][name].is_object(), "{name} is referenced, not described");
    }

    // The page's own calls are all documented.
    let app = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/src/app.js")).unwrap();
    for call in [
        "/api/stats",
        "/api/documents",
        "/api/graph",
        "/api/actors",
        "/api/actors/{id}/ties",
        "/api/events",
        "/api/activity",
        "/api/changes",
        "/api/facts/{id}/evidence",
    ] {
        let in_page = call.replace("{id}", "${encodeURIComponent(id)}");
        assert!(app.contains(&in_page), "the page no longer calls {call}");
        assert!(documented.contains(call), "{call} is not documented");
    }
}

/// Polls until `path` answers the event ids `want` (the catalog is rebuilt in the background).
fn ids_at(page: &Value, list: &str, key: &str) -> Vec<String> {
    page[list].as_array().unwrap().iter().map(|d| d[key].as_str().unwrap().to_string()).collect()
}

#[test]
fn graph_filters_blocs_and_activity() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    build_store(&db);
    let addr = start_server(&db);

    // Each filter narrows the graph; relations hold on the last day shown.
    let (_, g) = get(addr, "/api/graph?from=2024-07&to=2024-07");
    assert_eq!(ids_at(&g, "edges", "id"), ["events:CHN>JPN", "events:JPN>NATO"]);
    let (_, g) = get(addr, "/api/graph?plover=support&to=2024-08");
    assert_eq!(ids_at(&g, "edges", "id"), ["events:NATO>AUS", "m1"]);
    let (_, g) = get(addr, "/api/graph?actor_type=state&to=2024-08");
    assert_eq!(ids_at(&g, "edges", "id"), ["events:CHN>JPN"]);
    let (_, g) = get(addr, "/api/graph?min_sources=2&to=2024-08");
    assert_eq!(ids_at(&g, "edges", "id"), ["m1"]);
    let (_, g) = get(addr, "/api/graph?modality=negated&to=2024-08");
    assert_eq!(ids_at(&g, "edges", "id"), ["m1"]);
    // The heaviest actors only: NATO (2 events, 1 membership), then AUS and JPN (2 each, AUS by id).
    let (_, g) = get(addr, "/api/graph?limit=2&to=2024-08");
    assert_eq!(ids_at(&g, "nodes", "id"), ["NATO", "AUS"]);
    assert_eq!((g["total_nodes"].as_u64(), g["total_edges"].as_u64()), (Some(4), Some(4)));
    assert_eq!(ids_at(&g, "edges", "id"), ["events:NATO>AUS", "m1"]);
    // Every node has a bloc, numbered from 0; the same request gives the same blocs.
    let (_, g) = get(addr, "/api/graph?to=2024-08");
    let blocs: Vec<u64> = g["nodes"].as_array().unwrap().iter().map(|n| n["community"].as_u64().unwrap()).collect();
    assert!(blocs.iter().all(|&b| b < g["communities"].as_u64().unwrap()), "{g}");
    assert_eq!(get(addr, "/api/graph?to=2024-08").1, g);
    let edge = g["edges"].as_array().unwrap().iter().find(|e| e["id"] == "events:CHN>JPN").unwrap();
    assert_eq!((edge["events"].as_u64(), edge["tone"].as_str()), (Some(1), Some("conflict")));
    for bad in ["limit=0", "min_sources=0", "actor_type=robot", "plover=HUG", "from=2024-02-30"] {
        assert_eq!(get(addr, &format!("/api/graph?{bad}")).0, 400, "{bad}");
    }

    // Activity: weekly bars from the first event's week, cooperation and conflict apart.
    let (s, t) = get(addr, "/api/activity");
    assert_eq!(s, 200);
    assert_eq!((t["bucket"].as_str(), t["events"].as_u64()), (Some("week"), Some(3)));
    assert_eq!(ids_at(&t, "bars", "start"), ["2024-07-08", "2024-07-15", "2024-07-22", "2024-07-29"]);
    assert_eq!((t["bars"][0]["cooperation"].as_f64(), t["bars"][0]["conflict"].as_f64()), (Some(1.0), Some(-2.0)));
    assert_eq!(t["bars"][3]["cooperation"].as_f64(), Some(3.4));
    let (_, t) = get(addr, "/api/activity?actor=JPN&counterpart=CHN&bucket=month");
    assert_eq!(ids_at(&t, "bars", "end"), ["2024-07-31"]);
    assert_eq!((t["bars"][0]["events"].as_u64(), t["bars"][0]["conflict"].as_f64()), (Some(1), Some(-2.0)));
    assert_eq!(get(addr, "/api/activity?actor=XXX").0, 404);
    assert_eq!(get(addr, "/api/activity?bucket=day").0, 400);

    // The new event filters, in memory and (with q) in SQL alike.
    assert_eq!(ids_of(&get(addr, "/api/events?actor_type=state").1), ["e2"]);
    assert_eq!(ids_of(&get(addr, "/api/events?actor_type=state&q=criticised").1), ["e2"]);
    assert_eq!(get(addr, "/api/events?min_sources=2").1["total"], 0);
    assert_eq!(get(addr, "/api/events?min_sources=2&q=criticised").1["total"], 0);
    assert_eq!(get(addr, "/api/events?min_sources=1").1["total"], 3);
    assert_eq!(get(addr, "/api/events?min_sources=0").0, 400);
    // Evidence names the document's address (none for these).
    assert_eq!(get(addr, "/api/facts/e2/evidence").1["evidence"][0]["doc_url"], Value::Null);
}

fn eventually(addr: SocketAddr, path: &str, key: &str, want: &[&str]) {
    let start = std::time::Instant::now();
    loop {
        let got = ids_of_key(&get(addr, path).1, key);
        if got == want {
            return;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{path} still answers {got:?}, not {want:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn replaced_facts_and_merged_actors_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    build_store(&db);
    let addr = start_server(&db);
    assert_eq!(ids_of(&get(addr, "/api/events?actor=JPN").1), ["e1", "e2"]);

    // A fact deleted as merging does (no rowid grows), with the revision bumped as a batch does.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; BEGIN; DELETE FROM facts WHERE id = 'e2';
         UPDATE revision SET value = value + 1 WHERE id = 1; COMMIT;",
    )
    .unwrap();
    eventually(addr, "/api/events?actor=JPN", "events", &["e1"]);

    // A merged event names JPN only among the actors of its mentions.
    let body = json!({"source": actor("CHN", "China", "state"), "target": actor("USA", "United States", "state"),
        "actors": [actor("CHN", "China", "state"), actor("USA", "United States", "state"), actor("JPN", "Japan", "state")],
        "others": [], "plover": "CONSULT", "mode": null, "cameo": "040", "goldstein": 1.0, "date": "2024-08-02",
        "date_rule": "date:explicit", "location": null, "modality": "asserted", "mentions": 2, "documents": 1, "merged_from": ["m-a", "m-b"]});
    let mut store = Store::open(&db).unwrap();
    let mut b = store.batch().unwrap();
    let fact = FactRecord { id: "e4".into(), kind: "event".into(), body: body.to_string(), confidence: 0.9 };
    b.upsert_fact(&fact, &[ev("b", TEXT_B, 0, "Australia joined")]).unwrap();
    b.commit().unwrap();
    eventually(addr, "/api/events?actor=JPN", "events", &["e1", "e4"]);
    eventually(addr, "/api/actors/JPN/timeline", "events", &["e1", "e4"]);
    assert_eq!(ids_of(&get(addr, "/api/events?actor=USA&counterpart=JPN").1), ["e4"]);
    // Free text goes to SQL, which matches the same actors.
    assert_eq!(ids_of(&get(addr, "/api/events?actor=JPN&q=united").1), ["e4"]);
    let (_, ties) = get(addr, "/api/actors/JPN/ties");
    assert_eq!(ids_of_key(&ties, "ties"), ["e1", "e4"]);

    // After an idle spell the first request waits for the check, so it is already fresh.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; BEGIN; DELETE FROM facts WHERE id = 'e4';
         UPDATE revision SET value = value + 1 WHERE id = 1; COMMIT;",
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(ids_of(&get(addr, "/api/events?actor=JPN").1), ["e1"]);
}

fn ids_of(page: &Value) -> Vec<String> {
    ids_of_key(page, "events")
}

fn ids_of_key(page: &Value, key: &str) -> Vec<String> {
    page[key].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
}
