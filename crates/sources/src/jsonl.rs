//! JSON Lines: one article a line, streamed so a file of any size reads in flat memory.

use crate::bounded::{Line, read_line_capped};
use crate::{DeclaredDate, InputFile, Limits, SourceDoc, SourceError, file_stem, read_error};
use serde_json::{Map, Value};
use std::io::{BufReader, Read};

/// Field names tried in order for each piece of an article, as news datasets spell them.
const TEXT_FIELDS: &[&str] = &["text", "body", "content", "article", "maintext", "full_text"];
const TITLE_FIELDS: &[&str] = &["title", "headline"];
const URL_FIELDS: &[&str] = &["url", "link", "source_url"];
const DATE_FIELDS: &[&str] =
    &["date", "published", "published_at", "publish_date", "datePublished", "pubDate", "date_publish"];
const AUTHOR_FIELDS: &[&str] = &["author", "authors", "byline"];
const LANGUAGE_FIELDS: &[&str] = &["language", "lang"];

pub(crate) struct JsonlReader {
    reader: BufReader<Box<dyn Read>>,
    file: InputFile,
    limits: Limits,
    line_no: usize,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    pub(crate) fn new(reader: Box<dyn Read>, file: &InputFile, limits: Limits) -> Self {
        JsonlReader {
            reader: BufReader::new(reader),
            file: file.clone(),
            limits,
            line_no: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    fn path(&self) -> String {
        self.file.path.display().to_string()
    }
}

impl Iterator for JsonlReader {
    type Item = Result<SourceDoc, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line_no += 1;
            let line = match read_line_capped(&mut self.reader, &mut self.buf, self.limits.max_article) {
                Ok(l) => l,
                Err(e) => {
                    self.done = true;
                    return Some(Err(read_error(&self.file, e)));
                }
            };
            match line {
                Line::Eof => self.done = true,
                Line::TooLong { length: size, .. } => {
                    let path = format!("{}:{}", self.path(), self.line_no);
                    return Some(Err(SourceError::TooLarge { path, size, limit: self.limits.max_article }));
                }
                Line::Complete(_) if self.buf.iter().all(u8::is_ascii_whitespace) => continue,
                Line::Complete(_) => return Some(self.record()),
            }
        }
        None
    }
}

impl JsonlReader {
    fn record(&self) -> Result<SourceDoc, SourceError> {
        let (path, line) = (self.path(), self.line_no);
        let bad = |problem: String| SourceError::BadRecord { path: path.clone(), line, problem };
        let text = std::str::from_utf8(&self.buf).map_err(|e| bad(format!("not UTF-8 ({e})")))?;
        let value: Value = serde_json::from_str(text).map_err(|e| SourceError::NotJson {
            path: path.clone(),
            line,
            detail: e.to_string(),
        })?;
        let Value::Object(obj) = value else {
            return Err(bad("a JSON value but not an object".into()));
        };
        let body = first_string(&obj, TEXT_FIELDS)
            .ok_or_else(|| bad(format!("no article text (none of the fields {})", TEXT_FIELDS.join(", "))))?;
        if body.trim().is_empty() {
            return Err(bad("the article text is empty".into()));
        }
        let declared_date = DATE_FIELDS.iter().find_map(|&f| {
            let raw = scalar_string(obj.get(f)?)?;
            Some(DeclaredDate { raw, from: format!("jsonl:{f}") })
        });
        Ok(SourceDoc {
            id: obj.get("id").and_then(scalar_string).filter(|s| !s.trim().is_empty()),
            id_hint: file_stem(&self.file.path),
            source_path: format!("{path}:{line}"),
            text: crate::plain::normalise_newlines(&body),
            title: first_string(&obj, TITLE_FIELDS),
            url: first_string(&obj, URL_FIELDS),
            author: first_string(&obj, AUTHOR_FIELDS),
            language: first_string(&obj, LANGUAGE_FIELDS),
            declared_date,
            notes: Vec::new(),
        })
    }
}

fn first_string(obj: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|&f| match obj.get(f)? {
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(scalar_string).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        v => scalar_string(v),
    })
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;
    use std::path::PathBuf;

    fn read(content: &str, limit: u64) -> Vec<Result<SourceDoc, SourceError>> {
        let file = InputFile { path: PathBuf::from("x/news.jsonl"), format: Format::Jsonl, gzip: false };
        let reader: Box<dyn Read> = Box::new(std::io::Cursor::new(content.as_bytes().to_vec()));
        JsonlReader::new(reader, &file, Limits { max_article: limit }).collect()
    }

    #[test]
    fn reads_fields_under_their_usual_names() {
        let docs = read(
            "{\"id\":\"a1\",\"headline\":\"T\",\"body\":\"Text one.\",\"published\":\"2023-07-11\",\"link\":\"http://x\"}\n\n{\"content\":\"Two.\",\"authors\":[\"A\",\"B\"]}\n",
            1000,
        );
        let a = docs[0].as_ref().unwrap();
        assert_eq!((a.id.as_deref(), a.title.as_deref(), a.text.as_str()), (Some("a1"), Some("T"), "Text one."));
        assert_eq!(a.declared_date.as_ref().unwrap().from, "jsonl:published");
        assert_eq!(a.source_path, "x/news.jsonl:1");
        let b = docs[1].as_ref().unwrap();
        assert_eq!(
            (b.id.as_deref(), b.author.as_deref(), b.source_path.as_str()),
            (None, Some("A, B"), "x/news.jsonl:3")
        );
    }

    #[test]
    fn bad_lines_are_errors_with_their_line_and_reading_goes_on() {
        let long = format!("{{\"text\":\"{}\"}}", "x".repeat(200));
        let docs = read(&format!("not json\n{{\"title\":\"no text\"}}\n[1]\n{long}\n{{\"text\":\"fine\"}}"), 100);
        let errors: Vec<String> = docs.iter().filter_map(|d| d.as_ref().err().map(|e| e.to_string())).collect();
        assert!(errors[0].starts_with("x/news.jsonl:1: not valid JSON"), "{}", errors[0]);
        assert!(errors[1].starts_with("x/news.jsonl:2: no article text"));
        assert!(errors[2].contains(":3: a JSON value but not an object"));
        assert!(errors[3].starts_with("x/news.jsonl:4: 211 bytes"), "{}", errors[3]);
        assert_eq!(docs.last().unwrap().as_ref().unwrap().text, "fine");
    }
}
