//! A web site on loopback for the tests of code that fetches: a real HTTP/1.1 server on a
//! port of its own, whose pages a test sets and changes while it runs, which answers
//! conditional requests (If-None-Match against a page's ETag: 304), can be slow on purpose,
//! and logs every request it gets.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// What the site answers at one path.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Waited before answering.
    pub delay: Duration,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(200).header("Content-Type", content_type).body(body)
    }

    pub fn status(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), body: Vec::new(), delay: Duration::ZERO }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    fn etag(&self) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("etag")).map(|(_, v)| v.as_str())
    }
}

/// A request the site got: its path and headers (names in lower case).
#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    replies: HashMap<String, Reply>,
    log: Vec<Request>,
}

/// The site; it serves until the test process ends.
#[derive(Clone)]
pub struct Site {
    base: String,
    state: Arc<Mutex<State>>,
}

impl Site {
    pub fn start() -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || answer(stream, &state));
            }
        });
        Site { base, state }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sets (or replaces) what `path` answers; any other path answers 404.
    pub fn set(&self, path: &str, reply: Reply) {
        self.lock().replies.insert(path.to_string(), reply);
    }

    /// The requests for `path` so far, oldest first.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.lock().log.iter().filter(|r| r.path == path).cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn answer(stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => break,
            Ok(_) if h.trim().is_empty() => break,
            Ok(_) => {
                if let Some((name, value)) = h.split_once(':') {
                    headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
                }
            }
        }
    }
    let request = Request { path: path.clone(), headers };
    let reply = {
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        state.log.push(request.clone());
        state.replies.get(&path).cloned().unwrap_or_else(|| Reply::status(404))
    };
    std::thread::sleep(reply.delay);
    let not_modified = reply.etag().is_some() && reply.etag() == request.header("if-none-match");
    let (status, body) = if not_modified { (304, &[][..]) } else { (reply.status, &reply.body[..]) };
    let mut head = format!("HTTP/1.1 {status} {}\r\nConnection: close\r\n", reason(status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut stream = &stream;
    let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body));
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// An article written as the example files are (a title line, a blank line, then paragraphs
/// split by blank lines) as a news page: navigation, the article, a footer.
pub fn article_page(text: &str) -> String {
    let mut blocks = text.split("\n\n");
    let title = blocks.next().unwrap_or_default().trim();
    let paragraphs: String = blocks.map(|p| format!("<p>{}</p>\n", p.trim())).collect();
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav>\
         <article><h1>{title}</h1>{paragraphs}</article><footer>(c) World Desk</footer></body></html>"
    )
}

/// An RSS 2.0 feed of (link, RFC 2822 date) items.
pub fn rss_feed(items: &[(String, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(link, date)| format!("<item><title>{link}</title><link>{link}</link><pubDate>{date}</pubDate></item>"))
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>World</title>{items}</channel></rss>")
}
