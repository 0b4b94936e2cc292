//! `/api/changes` over the real server: the revision at once and when a batch commits,
//! streams outliving the request timeout, ending at their age, and bounded in number.

use entente_document::{Document, Metadata};
use entente_server::{Limits, Pool};
use entente_store::Store;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

fn start_server(db: &Path, limits: Limits) -> SocketAddr {
    let db = db.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let pool = Pool::open(&db, &limits).unwrap();
            let (addr, served) = entente_server::bind_with(pool, "127.0.0.1:0".parse().unwrap(), limits).await.unwrap();
            tx.send(addr).unwrap();
            served.await.unwrap();
        });
    });
    rx.recv().unwrap()
}

fn add_document(db: &Path, id: &str) {
    let mut store = Store::open(db).unwrap();
    let mut b = store.batch().unwrap();
    let mut d = Document::new(id, "Some text.", Metadata { source_path: format!("{id}.txt"), ..Default::default() });
    d.content_hash = format!("hash-{id}");
    b.insert_document(&d).unwrap();
    b.commit().unwrap();
}

/// An open stream and what it has sent so far.
struct Stream {
    socket: TcpStream,
    seen: String,
}

impl Stream {
    fn open(addr: SocketAddr) -> Stream {
        let mut socket = TcpStream::connect(addr).unwrap();
        socket.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        write!(socket, "GET /api/changes HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        Stream { socket, seen: String::new() }
    }

    /// Reads until `want` has been sent or `within` passes; false on the end of the stream.
    fn wait_for(&mut self, want: &str, within: Duration) -> bool {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while !self.seen.contains(want) && start.elapsed() < within {
            match self.socket.read(&mut buf) {
                Ok(0) => return false,
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(e) => panic!("{e}"),
            }
        }
        self.seen.contains(want)
    }

    /// Waits for the server to end the stream: the last, empty chunk of the body (the
    /// connection itself stays open for the next request).
    fn ends_within(&mut self, within: Duration) -> bool {
        self.wait_for("\r\n0\r\n\r\n", within)
    }
}

fn revision(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT value FROM revision WHERE id = 1", [], |r| r.get(0)).unwrap()
}

#[test]
fn the_revision_streams_while_the_store_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    add_document(&db, "a");
    let limits = Limits {
        request: Duration::from_millis(500),
        stream_age: Duration::from_secs(4),
        streams: 1,
        ..Limits::default()
    };
    let addr = start_server(&db, limits);

    let mut stream = Stream::open(addr);
    let first = revision(&db);
    assert!(stream.wait_for(&format!("data: {{\"revision\":{first}}}"), Duration::from_secs(3)), "{}", stream.seen);
    assert!(stream.seen.starts_with("HTTP/1.1 200"), "{}", stream.seen);
    assert!(stream.seen.contains("text/event-stream"), "{}", stream.seen);
    assert!(stream.seen.contains("event: revision"), "{}", stream.seen);

    // A second stream is over the bound: refused at once, with a hint to come back.
    let mut refused = String::new();
    let mut second = TcpStream::connect(addr).unwrap();
    write!(second, "GET /api/changes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    second.read_to_string(&mut refused).unwrap();
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.to_ascii_lowercase().contains("retry-after"), "{refused}");

    // Past the request timeout the stream is still open, and tells of the next commit.
    std::thread::sleep(Duration::from_millis(800));
    add_document(&db, "b");
    let next = revision(&db);
    assert!(next > first);
    assert!(stream.wait_for(&format!("data: {{\"revision\":{next}}}"), Duration::from_secs(3)), "{}", stream.seen);

    // The stream ends at its age, and its slot is free again.
    assert!(stream.ends_within(Duration::from_secs(5)), "the stream did not end: {}", stream.seen);
    let mut again = Stream::open(addr);
    assert!(again.wait_for(&format!("data: {{\"revision\":{next}}}"), Duration::from_secs(3)), "{}", again.seen);
}
