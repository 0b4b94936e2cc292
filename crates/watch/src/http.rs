//! The one HTTP client of `watch`: timeouts on connecting and on the whole answer, a size cap
//! on every body, redirects capped, conditional requests, and answers of any status returned
//! (not turned into errors) so the caller can read 304, 429 and 5xx for what they say.

use std::io::Read;
use std::time::Duration;
use ureq::ResponseExt;

/// Who we are, for servers' logs and robots.txt groups.
pub const USER_AGENT: &str = concat!("entente-watch/", env!("CARGO_PKG_VERSION"));
/// The token robots.txt groups are matched against.
pub const ROBOTS_AGENT: &str = "entente-watch";

#[derive(Clone, Copy, Debug)]
pub struct HttpLimits {
    /// Connecting, and the whole request (connect, headers, body) at most.
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// The largest body read, in bytes; past it the answer is an error.
    pub max_body: u64,
    pub max_redirects: u32,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body: 32 << 20,
            max_redirects: 5,
        }
    }
}

/// Why a request gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("the body is larger than {0} bytes")]
    TooLarge(u64),
    #[error("more than {0} redirects")]
    Redirects(u32),
    #[error("{0}")]
    Other(String),
}

/// An answer, whatever its status.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Where the answer came from, after redirects.
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// Retry-After, in seconds from now (given as seconds or as an HTTP date).
    pub retry_after: Option<Duration>,
    /// Empty for 304 and for answers whose body is not read (errors).
    pub body: Vec<u8>,
}

/// Validators from an earlier answer, for a conditional request.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

pub struct Client {
    agent: ureq::Agent,
    limits: HttpLimits,
}

impl Client {
    pub fn new(limits: HttpLimits) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(limits.connect_timeout))
            .timeout_global(Some(limits.timeout))
            .max_redirects(limits.max_redirects)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .build()
            .into();
        Client { agent, limits }
    }

    /// GETs `url`, conditionally when validators are given. The body is read only for 2xx
    /// answers; one past the size cap is an error.
    pub fn get(&self, url: &str, validators: &Validators) -> Result<Answer, FetchError> {
        self.fetch(url, validators, None)
    }

    /// GETs `url`, keeping at most the first `max` bytes of its body (robots.txt: a parser
    /// reads a prefix of a file too large, it does not refuse it).
    pub fn get_prefix(&self, url: &str, max: u64) -> Result<Answer, FetchError> {
        self.fetch(url, &Validators::default(), Some(max))
    }

    fn fetch(&self, url: &str, validators: &Validators, prefix: Option<u64>) -> Result<Answer, FetchError> {
        let mut request = self.agent.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header("If-Modified-Since", modified);
        }
        let mut response = request.call().map_err(|e| self.error(e))?;
        let header =
            |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_string());
        let status = response.status().as_u16();
        let mut answer = Answer {
            status,
            url: response.get_uri().to_string(),
            etag: header("etag"),
            last_modified: header("last-modified"),
            content_type: header("content-type"),
            retry_after: header("retry-after").and_then(|v| retry_after(&v, std::time::SystemTime::now())),
            body: Vec::new(),
        };
        if (200..300).contains(&status) {
            let body = response.body_mut();
            answer.body = match prefix {
                Some(max) => {
                    let mut bytes = Vec::new();
                    body.as_reader().take(max).read_to_end(&mut bytes).map_err(|e| self.error(e.into()))?;
                    bytes
                }
                None => body.with_config().limit(self.limits.max_body).read_to_vec().map_err(|e| self.error(e))?,
            };
        }
        Ok(answer)
    }

    fn error(&self, e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::Timeout(_) => FetchError::Timeout(self.limits.timeout),
            ureq::Error::BodyExceedsLimit(n) => FetchError::TooLarge(n),
            ureq::Error::TooManyRedirects => FetchError::Redirects(self.limits.max_redirects),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                FetchError::Timeout(self.limits.timeout)
            }
            other => FetchError::Other(other.to_string()),
        }
    }
}

/// A Retry-After value as a wait from `now`: delay-seconds, or an HTTP date (a date past
/// gives no wait). Anything else is ignored, as RFC 9110 allows.
fn retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = httpdate::parse_http_date("Mon, 07 Dec 2026 10:00:00 GMT").unwrap();
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("Mon, 07 Dec 2026 10:05:00 GMT", now), Some(Duration::from_secs(300)));
        assert_eq!(retry_after("Mon, 07 Dec 2026 09:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
    }
}
