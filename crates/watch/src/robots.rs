//! robots.txt, as RFC 9309 says a crawler reads it: fetched once per origin and kept for a
//! day; a 4xx answer (no robots.txt) allows everything; a 5xx answer or no answer at all means
//! "stay away for now", so the page is tried again later rather than fetched; at most 500 KiB
//! of it is read. Crawl-delay spaces the requests to one origin (capped, so a hostile value
//! cannot stall the watch).

use crate::http::{Client, ROBOTS_AGENT};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use texting_robots::Robot;

/// How long an origin's robots.txt is trusted, and how long its failure to answer.
const KEEP: Duration = Duration::from_secs(24 * 3600);
const KEEP_UNAVAILABLE: Duration = Duration::from_secs(600);
/// The most robots.txt that is read (RFC 9309 asks parsers to read at least 500 KiB).
const MAX_ROBOTS: u64 = 500 << 10;
/// The longest Crawl-delay honoured between two requests to one origin.
const MAX_DELAY: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Disallowed,
    /// robots.txt could not be had (a 5xx, no answer): not now.
    Unavailable(String),
}

enum Rules {
    Parsed(Box<Robot>),
    AllowAll,
    Unavailable(String),
}

struct Origin {
    rules: Rules,
    fetched: Instant,
    last_request: Option<Instant>,
}

#[derive(Default)]
pub struct Robots {
    origins: HashMap<String, Origin>,
}

impl Robots {
    /// Whether `url` may be fetched; waits out the origin's Crawl-delay when it may.
    pub fn check(&mut self, client: &Client, url: &str) -> Verdict {
        let Ok(robots_url) = texting_robots::get_robots_url(url) else {
            return Verdict::Unavailable(format!("not an http(s) URL: {url}"));
        };
        let origin = robots_url.trim_end_matches("/robots.txt").to_string();
        let stale = self.origins.get(&origin).is_none_or(|o| {
            let keep = if matches!(o.rules, Rules::Unavailable(_)) { KEEP_UNAVAILABLE } else { KEEP };
            o.fetched.elapsed() > keep
        });
        if stale {
            let rules = fetch_rules(client, &robots_url);
            self.origins.insert(origin.clone(), Origin { rules, fetched: Instant::now(), last_request: None });
        }
        let Some(entry) = self.origins.get_mut(&origin) else { return Verdict::Unavailable(origin) };
        let (verdict, delay) = match &entry.rules {
            Rules::AllowAll => (Verdict::Allowed, None),
            Rules::Unavailable(why) => (Verdict::Unavailable(why.clone()), None),
            Rules::Parsed(robot) if robot.allowed(url) => (Verdict::Allowed, robot.delay),
            Rules::Parsed(_) => (Verdict::Disallowed, None),
        };
        if verdict == Verdict::Allowed {
            let delay = delay.map_or(Duration::ZERO, |d| Duration::from_secs_f32(d.clamp(0.0, 10.0)).min(MAX_DELAY));
            if let Some(wait) = entry.last_request.and_then(|t| delay.checked_sub(t.elapsed())) {
                std::thread::sleep(wait);
            }
            entry.last_request = Some(Instant::now());
        }
        verdict
    }
}

fn fetch_rules(client: &Client, robots_url: &str) -> Rules {
    match client.get_prefix(robots_url, MAX_ROBOTS) {
        Ok(answer) if (200..300).contains(&answer.status) => {
            let text = &answer.body;
            // A file the parser cannot read says nothing we could obey.
            Robot::new(ROBOTS_AGENT, text).map_or(Rules::AllowAll, |r| Rules::Parsed(Box::new(r)))
        }
        Ok(answer) if (400..500).contains(&answer.status) => Rules::AllowAll,
        Ok(answer) => Rules::Unavailable(format!("{robots_url} answered {}", answer.status)),
        Err(e) => Rules::Unavailable(format!("{robots_url}: {e}")),
    }
}
