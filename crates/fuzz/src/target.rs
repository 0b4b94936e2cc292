//! What is fuzzed: each reader of hostile input and the coder, as ingest calls them, with the
//! words each format is made of (a fuzzer that only flips bits rarely writes `</div>`).

use entente_ingest::{Analyser, build_document};
use entente_sources::{Format, InputFile, Limits, SourceDoc, read_file};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The article extractor on an HTML page.
    Html,
    /// The WARC reader (plain and gzip-compressed), with extraction of each page.
    Warc,
    /// The RSS/Atom reader.
    Feed,
    /// The JSONL reader.
    Jsonl,
    /// Tokens, sentences, language and dates of a text.
    Text,
    /// Actors and events of a text: the whole analysis ingest runs on a document.
    Coder,
}

impl Target {
    pub const ALL: [Target; 6] = [Target::Html, Target::Warc, Target::Feed, Target::Jsonl, Target::Text, Target::Coder];

    pub fn name(self) -> &'static str {
        match self {
            Target::Html => "html",
            Target::Warc => "warc",
            Target::Feed => "feed",
            Target::Jsonl => "jsonl",
            Target::Text => "text",
            Target::Coder => "coder",
        }
    }

    /// The file name extensions of seed files for this target.
    pub fn seed_extensions(self) -> &'static [&'static str] {
        match self {
            Target::Html | Target::Warc => &["html", "htm"],
            Target::Feed => &["rss", "atom", "xml"],
            Target::Jsonl => &["jsonl"],
            Target::Text | Target::Coder => &["txt"],
        }
    }

    /// Tokens of the format that mutations insert, beside the text tokens all targets share.
    pub fn dictionary(self) -> &'static [&'static [u8]] {
        match self {
            Target::Html => HTML_WORDS,
            Target::Warc => WARC_WORDS,
            Target::Feed => FEED_WORDS,
            Target::Jsonl => JSONL_WORDS,
            Target::Text | Target::Coder => &[],
        }
    }

    /// A seed that needs no file: the smallest well-formed input of the format.
    pub fn builtin_seed(self) -> Vec<u8> {
        match self {
            Target::Html => format!("<html><head><title>Talks</title></head><body><article><p>{SENTENCE}</p></article></body></html>").into_bytes(),
            Target::Warc => warc_record("https://news.example/2023/07/11/talks", &format!("<html><body><p>{SENTENCE}</p></body></html>")),
            Target::Feed => format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>News</title><item><title>Talks</title><link>https://news.example/a</link><pubDate>Tue, 11 Jul 2023 10:00:00 GMT</pubDate><description>{SENTENCE}</description></item></channel></rss>").into_bytes(),
            Target::Jsonl => format!("{{\"id\":\"a\",\"date\":\"2023-07-11\",\"title\":\"Talks\",\"text\":\"{SENTENCE}\"}}\n").into_bytes(),
            Target::Text | Target::Coder => SENTENCE.as_bytes().to_vec(),
        }
    }

    /// Turns a seed file's bytes into an input of this target (a WARC seed wraps a page).
    pub fn seed_from_file(self, bytes: Vec<u8>) -> Vec<u8> {
        match self {
            Target::Warc => warc_record("https://news.example/page", &String::from_utf8_lossy(&bytes)),
            _ => bytes,
        }
    }
}

const SENTENCE: &str = "Japanese Prime Minister Fumio Kishida met NATO Secretary General Jens Stoltenberg in Vilnius on Tuesday, and Australia\u{a0}signed a partnership with the alliance.";

/// Text pieces every target gets: multi-byte whitespace and punctuation (the classic cause of
/// a byte index inside a character), scripts, marks, controls, and the words rules look for.
pub const TEXT_WORDS: &[&[u8]] = &[
    "\u{a0}".as_bytes(),
    "\u{2014}".as_bytes(),
    "\u{2013}".as_bytes(),
    "\u{2019}".as_bytes(),
    "\u{201c}".as_bytes(),
    "\u{200b}".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{301}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{3000}".as_bytes(),
    "é".as_bytes(),
    "日本".as_bytes(),
    "🇯🇵".as_bytes(),
    "ß".as_bytes(),
    "İ".as_bytes(),
    "ﬁ".as_bytes(),
    b"\r\n",
    b"\n\n",
    b"\0",
    b"\t",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b" ",
    b".",
    b"'s",
    b"\xe2\x80\x99s",
    b"(",
    b")",
    b"\"",
    b",",
    b"President ",
    b"Prime Minister ",
    b"Foreign Minister ",
    b"Japan",
    b"NATO",
    b"the European Union",
    b"Xi Jinping",
    b"Anthony Albanese",
    b"Joe Biden",
    b"Putin",
    b" met ",
    b" visited ",
    b" signed ",
    b" criticised ",
    b" invited ",
    b" summit",
    b"the alliance",
    b"the two leaders",
    b" of ",
    b" and ",
    b" on Tuesday",
    b" in 2023",
    b"July 11",
    b"Moscow",
    b"the Kremlin",
    b"known as the ",
    b"a trilateral among ",
    b"U.S.",
    b"P. ",
    b"al-",
    b"Jr.",
];

const HTML_WORDS: &[&[u8]] = &[
    b"<div>",
    b"</div>",
    b"<span>",
    b"</span>",
    b"<b>",
    b"<p>",
    b"</p>",
    b"<script>",
    b"</script>",
    b"<style>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"&amp;",
    b"&#x1F600;",
    b"&#xFFFFFFFF;",
    b"&#0;",
    b"&nbsp;",
    b"<br>",
    b"<table><tr><td>",
    b"<ul><li>",
    b"<article>",
    b"</article>",
    b"<h1>",
    b"<a href=\"/x\">",
    b"</a>",
    b"<div class=\"content article-body\">",
    b"<meta property=\"article:published_time\" content=\"2023-07-11T10:00:00Z\">",
    b"<meta charset=\"windows-1252\">",
    b"<script type=\"application/ld+json\">{\"datePublished\":\"2023-07-11\"}</script>",
    b"<title>",
    b"</title>",
    b"<html>",
    b"<body>",
    b"<",
    b">",
    b"=\"",
    b"</",
    b"<noscript>",
    b"<svg>",
    b"<template>",
];

const WARC_WORDS: &[&[u8]] = &[
    b"WARC/1.0\r\n",
    b"WARC-Type: response\r\n",
    b"WARC-Type: request\r\n",
    b"Content-Length: ",
    b"Content-Length: 0\r\n",
    b"Content-Length: 99999999999999999999\r\n",
    b"Content-Type: application/http; msgtype=response\r\n",
    b"WARC-Target-URI: https://news.example/a\r\n",
    b"WARC-Date: 2023-07-11T10:00:00Z\r\n",
    b"HTTP/1.1 200 OK\r\n",
    b"HTTP/1.1 404 Not Found\r\n",
    b"Content-Type: text/html; charset=utf-8\r\n",
    b"Content-Encoding: gzip\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"\r\n\r\n",
    b"\r\n",
    b"<html><body><p>",
    b"</p></body></html>",
    b"\x1f\x8b\x08\0",
];

const FEED_WORDS: &[&[u8]] = &[
    b"<item>",
    b"</item>",
    b"<entry>",
    b"</entry>",
    b"<title>",
    b"</title>",
    b"<description>",
    b"</description>",
    b"<content:encoded>",
    b"</content:encoded>",
    b"<![CDATA[",
    b"]]>",
    b"<pubDate>",
    b"</pubDate>",
    b"<link>",
    b"</link>",
    b"<rss version=\"2.0\">",
    b"<feed xmlns=\"http://www.w3.org/2005/Atom\">",
    b"<updated>2023-07-11T10:00:00Z</updated>",
    b"&lt;p&gt;",
    b"&amp;",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    b"&a;",
    b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
    b"<channel>",
    b"</channel>",
    b"<div>",
    b"<x:y xmlns:x=\"u\">",
];

const JSONL_WORDS: &[&[u8]] = &[
    b"{\"text\":\"",
    b"\"}",
    b"\n",
    b",\"date\":\"",
    b",\"id\":\"",
    b",\"url\":\"",
    b",\"title\":\"",
    b"\\u0000",
    b"\\ud800",
    b"\\u00a0",
    b"\\n",
    b"\\\"",
    b"[",
    b"]",
    b"{",
    b"}",
    b"null",
    b"1e999",
    b"\"body\":",
    b"\"content\":",
    b"\"published\":",
];

/// A WARC response record holding `html` as the page at `url`.
pub fn warc_record(url: &str, html: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2023-07-11T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// Runs one input through one target and returns what it did, as hashes: the fuzzer keeps an
/// input that does something new (a rule that fired, an error of a new kind), which steers it
/// into code that plain random inputs never reach. `scratch` is a directory for the readers
/// that read files.
pub struct Runner {
    analyser: Analyser,
    limits: Limits,
}

impl Default for Runner {
    fn default() -> Self {
        Runner::new()
    }
}

impl Runner {
    pub fn new() -> Self {
        // Small article limits keep each run quick and still cross every cap.
        Runner { analyser: Analyser::new(Vec::new()), limits: Limits { max_article: 4 << 20 } }
    }

    pub fn run(&mut self, target: Target, input: &[u8], scratch: &Path) -> Vec<u64> {
        let mut features = Vec::new();
        match target {
            Target::Html => {
                let article = entente_extract::extract(&String::from_utf8_lossy(input), Some("https://news.example/a"));
                features.push(hash(&(
                    article.text.len().ilog2_or0(),
                    article.title.is_some(),
                    article.published.is_some(),
                )));
            }
            Target::Text => {
                let doc = build(String::from_utf8_lossy(input).into_owned());
                features.push(hash(&(
                    doc.sentences.len().ilog2_or0(),
                    doc.meta.language.clone(),
                    doc.date.source.as_str(),
                )));
                features.extend(doc.text_dates.iter().map(|d| hash(&d.rule)));
            }
            Target::Coder => {
                let doc = build(String::from_utf8_lossy(input).into_owned());
                let (actors, events) = self.analyser.code(&doc);
                features.extend(actors.iter().map(|a| hash(&(a.rule.as_str(), a.actor.kind.to_string()))));
                features.extend(
                    events.iter().map(|e| hash(&(e.rule.as_str(), e.cameo.as_str(), format!("{:?}", e.modality)))),
                );
            }
            Target::Warc => {
                // Every other input is read gzip-compressed, as CC-NEWS ships it.
                let gzip = input.first().is_some_and(|b| b % 2 == 0);
                self.read(Format::Warc, gzip, input, scratch, &mut features);
            }
            Target::Feed => self.read(Format::Feed, false, input, scratch, &mut features),
            Target::Jsonl => self.read(Format::Jsonl, false, input, scratch, &mut features),
        }
        features
    }

    fn read(&self, format: Format, gzip: bool, input: &[u8], scratch: &Path, features: &mut Vec<u64>) {
        let ext = match format {
            Format::Warc => "warc",
            Format::Feed => "rss",
            Format::Jsonl => "jsonl",
            Format::Text => "txt",
            Format::Html => "html",
        };
        let path = scratch.join(if gzip { format!("input.{ext}.gz") } else { format!("input.{ext}") });
        if write_input(&path, input, gzip).is_err() {
            return;
        }
        let file = InputFile { path, format, gzip };
        for (i, result) in read_file(&file, self.limits).enumerate() {
            match result {
                Ok(doc) => features.push(hash(&(
                    i.min(4),
                    doc.title.is_some(),
                    doc.declared_date.is_some(),
                    doc.text.len().ilog2_or0(),
                ))),
                // The kind of error, without the numbers that make every message unique.
                Err(e) => features
                    .push(hash(&e.to_string().chars().filter(|c| c.is_alphabetic()).take(60).collect::<String>())),
            }
        }
    }
}

fn write_input(path: &Path, input: &[u8], gzip: bool) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    if gzip {
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        gz.write_all(input)?;
        gz.finish()?.flush()
    } else {
        file.write_all(input)?;
        file.flush()
    }
}

fn build(text: String) -> entente_document::Document {
    let source = SourceDoc { id_hint: "fuzz".into(), source_path: "fuzz".into(), text, ..Default::default() };
    build_document(source, String::new()).0
}

fn hash(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

trait Log2 {
    fn ilog2_or0(self) -> u32;
}

impl Log2 for usize {
    fn ilog2_or0(self) -> u32 {
        self.checked_ilog2().unwrap_or(0)
    }
}
