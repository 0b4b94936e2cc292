//! The in-memory catalog answers `/api/events` as the SQL does. A free-text filter that every
//! synthetic event matches (`q=asserted`, in every body) sends the same query to SQL, so the
//! two paths can be compared over the real server, filter by filter.

#[path = "../benches/synthetic.rs"]
mod synthetic;

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

fn start_server(db: &std::path::Path) -> SocketAddr {
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

/// One GET over HTTP/1.0, so the body is not chunked and ends with the connection.
fn get(addr: SocketAddr, path: &str) -> Value {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert!(out.starts_with(b"HTTP/1.0 200") || out.starts_with(b"HTTP/1.1 200"), "{path}");
    serde_json::from_slice(&out[split + 4..]).unwrap()
}

#[test]
fn memory_and_sql_give_the_same_pages() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    synthetic::fill(&db, 3000).unwrap();
    let addr = start_server(&db);
    let mut compared = 0;
    for actor in ["", "&actor=JPN", "&actor=NATO", "&actor=XXX"] {
        for other in [
            "",
            "&counterpart=USA",
            "&plover=aid",
            "&cameo=05",
            "&modality=asserted",
            "&actor_type=state",
            "&min_sources=2",
        ] {
            for dates in ["", "&from=2023-03", "&to=2024-04", "&from=2023-12-02&to=2024", "&to=2023-01-03"] {
                for page in ["", "&limit=7&offset=30"] {
                    let filter = format!("{actor}{other}{dates}{page}");
                    let memory = get(addr, &format!("/api/events?x=1{filter}"));
                    let sql = get(addr, &format!("/api/events?q=asserted{filter}"));
                    assert_eq!(memory["total"], sql["total"], "{filter}");
                    assert_eq!(memory["events"], sql["events"], "{filter}");
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 280);
    // Not vacuous: most filters match something.
    assert!(get(addr, "/api/events?actor=JPN&to=2024-04")["total"].as_u64().unwrap() > 50);
}
