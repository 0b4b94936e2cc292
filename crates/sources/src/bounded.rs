//! Reading hostile input in bounded memory: lines held up to a cap and skipped past it, and
//! decompression that stops when the output outgrows the input. Every reader goes through these, so a 3 MB file that expands to gigabytes, or a
//! line with no end, costs time in proportion to its size but never memory.

use memchr::memchr;
use std::io::{BufRead, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many times its compressed size gzip data may expand to. Deflate can reach about
/// 1000:1 on runs of one byte; news text, HTML and WARC headers compress about 3:1 to 10:1, and
/// even a page of repeated boilerplate stays under 50:1. A hundred leaves room for the
/// legitimate and stops a decompression bomb within its first few megabytes.
pub const GZIP_MAX_RATIO: u64 = 100;

/// The decompressed bytes always allowed, whatever the ratio, so that small compressed inputs
/// (a one-kilobyte page of repeated markup) are never refused for their ratio alone.
pub const GZIP_MIN_ALLOWANCE: u64 = 1 << 20;

/// What reading one line gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The line (without its newline) is in the buffer; `u64` is the bytes consumed.
    Complete(u64),
    /// The line (`length` bytes without its newline) was longer than the cap: it was skipped
    /// to its newline (or the end) and the buffer is empty; `consumed` counts the newline.
    TooLong {
        length: u64,
        consumed: u64,
    },
    Eof,
}

/// Reads one line into `buf` (without its newline), holding at most `cap` bytes: a longer
/// line is skipped to its end in constant memory and reported with its size.
pub(crate) fn read_line_capped(reader: &mut impl BufRead, buf: &mut Vec<u8>, cap: u64) -> std::io::Result<Line> {
    buf.clear();
    let mut size: u64 = 0;
    let mut consumed: u64 = 0;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(match (consumed, size > cap) {
                (0, _) => Line::Eof,
                (_, true) => Line::TooLong { length: size, consumed },
                (_, false) => Line::Complete(consumed),
            });
        }
        let (part, found_newline) = match memchr(b'\n', chunk) {
            Some(p) => (&chunk[..p], true),
            None => (chunk, false),
        };
        size += part.len() as u64;
        if size <= cap {
            buf.extend_from_slice(part);
        } else {
            // Past the cap nothing more is kept: drop what was held so far, too.
            buf.clear();
        }
        let used = part.len() + usize::from(found_newline);
        reader.consume(used);
        consumed += used as u64;
        if found_newline {
            return Ok(if size > cap { Line::TooLong { length: size, consumed } } else { Line::Complete(consumed) });
        }
    }
}

/// The error a decompressing reader returns when its output outgrows the allowance; carried
/// inside an `io::Error` so it passes through `Read`, and recognised by
/// [`expansion_problem`].
#[derive(Debug, thiserror::Error)]
#[error(
    "expands to more than {allowed} bytes from {compressed} compressed bytes (at most {GZIP_MAX_RATIO} times its size, or {floor} bytes): refused as a decompression bomb"
)]
pub struct ExpansionError {
    pub allowed: u64,
    pub compressed: u64,
    pub floor: u64,
}

/// The expansion problem an I/O error carries, if that is what it is.
pub(crate) fn expansion_problem(e: &std::io::Error) -> Option<&ExpansionError> {
    e.get_ref()?.downcast_ref::<ExpansionError>()
}

/// Counts the bytes read through it, for a reader stacked on top to compare against.
pub(crate) struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Counting<R> {
    pub(crate) fn new(inner: R) -> (Self, Arc<AtomicU64>) {
        let count = Arc::new(AtomicU64::new(0));
        (Counting { inner, count: Arc::clone(&count) }, count)
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A decompressed stream that fails, rather than grows without end, once its output exceeds
/// `floor + GZIP_MAX_RATIO × compressed bytes read so far`. Checked as it goes, so a bomb is
/// stopped after a few megabytes, not after decompressing gigabytes to find out.
pub(crate) struct ExpansionGuard<R> {
    inner: R,
    compressed: Arc<AtomicU64>,
    produced: u64,
    floor: u64,
}

impl<R: Read> ExpansionGuard<R> {
    /// `compressed` counts the bytes `inner` has taken from the file (see [`Counting`]).
    pub(crate) fn new(inner: R, compressed: Arc<AtomicU64>, floor: u64) -> Self {
        ExpansionGuard { inner, compressed, produced: 0, floor }
    }
}

impl<R: Read> Read for ExpansionGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        let compressed = self.compressed.load(Ordering::Relaxed);
        let allowed = self.floor.saturating_add(compressed.saturating_mul(GZIP_MAX_RATIO));
        if self.produced > allowed {
            let error = ExpansionError { allowed, compressed, floor: self.floor };
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, error));
        }
        Ok(n)
    }
}

/// Decompresses a whole in-memory body (an HTTP response's), keeping at most `cap` bytes and
/// at most [`GZIP_MAX_RATIO`] times the compressed size (with [`GZIP_MIN_ALLOWANCE`]).
pub(crate) fn decompress_capped(decoder: impl Read, compressed: usize, cap: u64) -> Result<Vec<u8>, String> {
    let by_ratio = (compressed as u64).saturating_mul(GZIP_MAX_RATIO).max(GZIP_MIN_ALLOWANCE);
    let allowed = by_ratio.min(cap);
    let mut out = Vec::new();
    decoder.take(allowed + 1).read_to_end(&mut out).map_err(|e| e.to_string())?;
    if out.len() as u64 > allowed {
        return Err(format!(
            "expands past {allowed} bytes from {compressed} compressed bytes (at most {GZIP_MAX_RATIO} times its size, and at most {cap} bytes)"
        ));
    }
    Ok(out)
}

/// The first occurrence of `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_not_held() {
        let data = format!("short\n{}\nnext", "x".repeat(100));
        let mut reader = std::io::BufReader::with_capacity(16, data.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::Complete(6));
        assert_eq!(buf, b"short");
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::TooLong { length: 100, consumed: 101 });
        assert!(buf.is_empty());
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::Complete(4));
        assert_eq!(buf, b"next");
        assert_eq!(read_line_capped(&mut reader, &mut buf, 10).unwrap(), Line::Eof);
    }

    #[test]
    fn bombs_stop_early_and_ordinary_data_passes() {
        let gz = |data: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut e, data).unwrap();
            e.finish().unwrap()
        };
        let zeros = gz(&vec![0u8; 8 << 20]);
        let err = decompress_capped(flate2::read::GzDecoder::new(&zeros[..]), zeros.len(), 64 << 20).unwrap_err();
        assert!(err.contains("expands past"), "{err}");
        let text = gz("The summit opened in Vilnius. ".repeat(1000).as_bytes());
        let out = decompress_capped(flate2::read::GzDecoder::new(&text[..]), text.len(), 64 << 20).unwrap();
        assert_eq!(out.len(), 30_000);

        let (counting, compressed) = Counting::new(&zeros[..]);
        let mut guard = ExpansionGuard::new(flate2::read::GzDecoder::new(counting), compressed, 1 << 20);
        let err = std::io::copy(&mut guard, &mut std::io::sink()).unwrap_err();
        assert!(expansion_problem(&err).is_some(), "{err}");
    }
}
