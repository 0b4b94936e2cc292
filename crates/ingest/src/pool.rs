//! The threads that prepare documents for the writer: each takes the next document the
//! reader thread cut from its file, finishes it (decodes, extracts), builds it and analyses
//! it, and sends it back numbered; the writer takes them back in number order.
//!
//! Order is the writer's: the reader runs ahead of it by at most a window of entries
//! (`run_pooled` in lib.rs), so at most that many documents are in flight, and those that
//! come back early wait in `ready` until their turn. Nothing a pool thread does touches the
//! store.

use crate::known::Known;
use crate::{Analyser, Prepared, SourceError, internal_error};
use entente_sources::RawDoc;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::Scope;

/// Each pool thread's stack: what the main thread has on Linux, where every reader and stage
/// is tested and fuzzed (a spawned thread gets only 2 MiB by default).
pub(crate) const STACK: usize = 8 << 20;

pub(crate) struct Pool {
    results: Receiver<(u64, Prepared)>,
    /// Documents prepared before their turn.
    ready: HashMap<u64, Prepared>,
}

impl Pool {
    /// Starts `threads` threads in `scope`; they stop when the sender returned (which takes
    /// documents, at most `window` waiting) is dropped, after the document each is preparing.
    pub(crate) fn start<'scope, 'env>(
        scope: &'scope Scope<'scope, 'env>,
        threads: usize,
        window: usize,
        analyser: &'env Analyser,
        published: &'env Mutex<Arc<Known>>,
    ) -> std::io::Result<(SyncSender<(u64, RawDoc)>, Pool)> {
        let (jobs, queue) = sync_channel::<(u64, RawDoc)>(window);
        let queue = Arc::new(Mutex::new(queue));
        let (done, results) = channel();
        for i in 0..threads {
            let (queue, done): (_, Sender<(u64, Prepared)>) = (Arc::clone(&queue), done.clone());
            std::thread::Builder::new()
                .name(format!("ingest-{i}"))
                .stack_size(STACK)
                .spawn_scoped(scope, move || work(&queue, &done, analyser, published))?;
        }
        Ok((jobs, Pool { results, ready: HashMap::new() }))
    }

    /// Document `seq`, once prepared.
    pub(crate) fn wait(&mut self, seq: u64, source_path: String) -> Prepared {
        loop {
            if let Some(prepared) = self.ready.remove(&seq) {
                return prepared;
            }
            match self.results.recv() {
                Ok((n, prepared)) => {
                    self.ready.insert(n, prepared);
                }
                // Every thread gone (they are not, but for a bug): each document still waited
                // for gets an error; the writer goes on.
                Err(_) => {
                    let error: SourceError = internal_error(&source_path, "reading", "the thread preparing it stopped");
                    return Prepared { source_path, read: Err(error) };
                }
            }
        }
    }
}

fn work(
    queue: &Mutex<Receiver<(u64, RawDoc)>>,
    done: &Sender<(u64, Prepared)>,
    analyser: &Analyser,
    published: &Mutex<Arc<Known>>,
) {
    loop {
        // Waiting for a job holds the lock; the others wait for the lock instead.
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((seq, raw)) = job else { return };
        let source_path = raw.source_path();
        // Each stage is guarded on its own; this guard keeps the thread (and the writer
        // waiting for this document) alive whatever else fails.
        let prepared = crate::guarded(|| Prepared::on_pool(raw, analyser, published)).unwrap_or_else(|panic| {
            let read = Err(internal_error(&source_path, "preparing", &panic));
            Prepared { source_path, read }
        });
        if done.send((seq, prepared)).is_err() {
            return;
        }
    }
}
