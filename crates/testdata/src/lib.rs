//! Finds the shared reference material that lives beside the repository (`../shared`: seed
//! articles, treebanks, event-coding gold). A newcomer's clone has none: tests that need it
//! call [`shared_or_skip`] and return early, printing that they skipped; CI has it and runs
//! them all. `ENTENTE_SHARED` overrides the location.

pub mod postgres;
pub mod site;

use std::path::PathBuf;

/// The shared folder, if it is there.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("ENTENTE_SHARED") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
    };
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// `shared/<relative>` if present; otherwise prints a skip line naming `test` and returns
/// `None`. In CI (`CI` set) a missing folder is a failure, not a skip: CI must run them all.
pub fn shared_or_skip(test: &str, relative: &str) -> Option<PathBuf> {
    let path = shared_dir().map(|d| d.join(relative)).filter(|p| p.exists());
    if path.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: ../shared/{relative} is missing, and CI must run every test"
        );
        println!("SKIPPED {test}: ../shared/{relative} is not here (a clone without ../shared)");
    }
    path
}

/// One WARC record of `kind` ("response", "request", ...) for `uri` with `payload` (the HTTP
/// message), as CC-NEWS writes them: the readers' and the CLI's archive tests build their
/// archives from these.
pub fn warc_record(kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2023-07-12T08:00:00Z\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    r.extend_from_slice(payload);
    r.extend_from_slice(b"\r\n\r\n");
    r
}
