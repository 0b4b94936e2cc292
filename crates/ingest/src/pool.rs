//! The threads that prepare documents for the writer: each takes the next document cut from
//! its file, finishes it (decodes, extracts), builds it and analyses it, and sends it back
//! numbered; the writer takes them back in number order.
//!
//! Order is the writer's: the pool only runs ahead of it by the window the writer keeps
//! (`run` in lib.rs), so at most that many documents are in flight, and the results that come
//! back early wait in `ready` until their turn. Nothing a pool thread does touches the store.

use crate::{Analyser, Prepared, SourceError, internal_error};
use entente_actors::Person;
use entente_sources::RawDoc;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::Scope;

/// Each pool thread's stack: what the main thread has on Linux, where every reader and stage
/// is tested and fuzzed (a spawned thread gets only 2 MiB by default).
const STACK: usize = 8 << 20;

pub(crate) struct Pool {
    pub(crate) threads: usize,
    jobs: SyncSender<(u64, RawDoc)>,
    results: Receiver<(u64, Prepared)>,
    /// Documents prepared before their turn.
    ready: HashMap<u64, Prepared>,
}

impl Pool {
    /// Starts `threads` threads in `scope`; they stop when the pool is dropped (after the
    /// document each is preparing).
    pub(crate) fn start<'scope, 'env>(
        scope: &'scope Scope<'scope, 'env>,
        threads: usize,
        analyser: &'env Analyser,
        published: &'env Mutex<Arc<Vec<Person>>>,
    ) -> std::io::Result<Pool> {
        // The writer never hands out more than its window, so this bound is never what waits.
        let (jobs, queue) = sync_channel::<(u64, RawDoc)>(threads * 4);
        let queue = Arc::new(Mutex::new(queue));
        let (done, results) = channel();
        for i in 0..threads {
            let (queue, done): (_, Sender<(u64, Prepared)>) = (Arc::clone(&queue), done.clone());
            std::thread::Builder::new()
                .name(format!("ingest-{i}"))
                .stack_size(STACK)
                .spawn_scoped(scope, move || work(&queue, &done, analyser, published))?;
        }
        Ok(Pool { threads, jobs, results, ready: HashMap::new() })
    }

    pub(crate) fn submit(&self, seq: u64, raw: RawDoc) {
        // The threads only stop when the pool is dropped; a send that fails anyway shows up
        // as that document's error in `wait`.
        let _ = self.jobs.send((seq, raw));
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
                // Every thread gone: a panic outside the per-document guards. Each document
                // still waited for gets an error; the writer goes on.
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
    published: &Mutex<Arc<Vec<Person>>>,
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
