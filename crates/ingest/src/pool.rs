//! The threads that prepare documents for the writer: each takes the next document the
//! reader thread cut from its file, finishes it (decodes, extracts), builds it and analyses
//! it, and sends it back numbered; the writer takes them back in number order.
//!
//! Order is the writer's: the reader runs ahead of it by at most a window of entries
//! (`run_pooled` in lib.rs) and a budget of bytes ([`Submit::send`]), so memory is bounded by
//! the smaller of the two, and documents that come back early wait in `ready` until their
//! turn. The window must be wide: the writer stops taking documents while it commits a batch
//! (tens of milliseconds), and a pool that may run only a few documents ahead idles through
//! every commit (four per thread kept 1.3 of 2 cores busy; 64, 1.7). Nothing a pool thread
//! does touches the store.

use crate::known::Known;
use crate::{Analyser, Prepared, SourceError, internal_error};
use entente_sources::RawDoc;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::Scope;

/// Each pool thread's stack: what the main thread has on Linux, where every reader and stage
/// is tested and fuzzed (a spawned thread gets only 2 MiB by default).
pub(crate) const STACK: usize = 8 << 20;

/// A document handed to the pool: its number, its size in bytes, itself.
type Job = (u64, usize, RawDoc);

pub(crate) struct Pool {
    results: Receiver<(u64, usize, Prepared)>,
    /// Documents prepared before their turn, with their sizes.
    ready: HashMap<u64, (usize, Prepared)>,
    budget: Arc<Budget>,
}

/// How documents reach the pool: numbered, and only while the bytes in flight allow.
pub(crate) struct Submit {
    jobs: SyncSender<Job>,
    budget: Arc<Budget>,
}

impl Submit {
    /// Hands document `seq` to the pool once the bytes of the documents handed over and not
    /// yet taken by the writer leave room for it (one larger than the whole budget goes
    /// alone); false when the pool is gone.
    pub(crate) fn send(&self, seq: u64, raw: RawDoc) -> bool {
        let size = raw.size();
        self.budget.take(size) && self.jobs.send((seq, size, raw)).is_ok()
    }
}

impl Pool {
    /// Starts `threads` threads in `scope`; they stop when the [`Submit`] returned (at most
    /// `window` documents and `bytes` bytes waiting or in work) is dropped, after the document
    /// each is preparing.
    pub(crate) fn start<'scope, 'env>(
        scope: &'scope Scope<'scope, 'env>,
        threads: usize,
        window: usize,
        bytes: usize,
        analyser: &'env Analyser,
        published: &'env Mutex<Arc<Known>>,
    ) -> std::io::Result<(Submit, Pool)> {
        let (jobs, queue) = sync_channel::<Job>(window);
        let queue = Arc::new(Mutex::new(queue));
        let (done, results) = channel();
        for i in 0..threads {
            let (queue, done): (_, Sender<(u64, usize, Prepared)>) = (Arc::clone(&queue), done.clone());
            std::thread::Builder::new()
                .name(format!("ingest-{i}"))
                .stack_size(STACK)
                .spawn_scoped(scope, move || work(&queue, &done, analyser, published))?;
        }
        let budget = Arc::new(Budget::new(bytes));
        Ok((Submit { jobs, budget: Arc::clone(&budget) }, Pool { results, ready: HashMap::new(), budget }))
    }

    /// Document `seq`, once prepared; its bytes leave the budget.
    pub(crate) fn wait(&mut self, seq: u64, source_path: String) -> Prepared {
        loop {
            if let Some((size, prepared)) = self.ready.remove(&seq) {
                self.budget.give(size);
                return prepared;
            }
            match self.results.recv() {
                Ok((n, size, prepared)) => {
                    self.ready.insert(n, (size, prepared));
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

impl Drop for Pool {
    /// The writer is done (or failed): a reader waiting for room stops waiting.
    fn drop(&mut self) {
        self.budget.close();
    }
}

fn work(
    queue: &Mutex<Receiver<Job>>,
    done: &Sender<(u64, usize, Prepared)>,
    analyser: &Analyser,
    published: &Mutex<Arc<Known>>,
) {
    loop {
        // Waiting for a job holds the lock; the others wait for the lock instead.
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((seq, size, raw)) = job else { return };
        let source_path = raw.source_path();
        // Each stage is guarded on its own; this guard keeps the thread (and the writer
        // waiting for this document) alive whatever else fails.
        let prepared = crate::guarded(|| Prepared::on_pool(raw, analyser, published)).unwrap_or_else(|panic| {
            let read = Err(internal_error(&source_path, "preparing", &panic));
            Prepared { source_path, read }
        });
        if done.send((seq, size, prepared)).is_err() {
            return;
        }
    }
}

/// Bytes of documents handed to the pool and not yet taken back by the writer.
struct Budget {
    cap: usize,
    state: Mutex<BudgetState>,
    freed: Condvar,
}

#[derive(Default)]
struct BudgetState {
    used: usize,
    closed: bool,
}

impl Budget {
    fn new(cap: usize) -> Self {
        Budget { cap, state: Mutex::default(), freed: Condvar::new() }
    }

    /// Waits until `size` more bytes fit (or nothing is in flight), then counts them; false
    /// once the budget is closed.
    fn take(&self, size: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.closed && state.used > 0 && state.used.saturating_add(size) > self.cap {
            state = self.freed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.used = state.used.saturating_add(size);
        !state.closed
    }

    fn give(&self, size: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.used = state.used.saturating_sub(size);
        self.freed.notify_all();
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).closed = true;
        self.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_budget_holds_a_sender_until_room_is_given_back() {
        let budget = Arc::new(Budget::new(100));
        assert!(budget.take(60));
        assert!(budget.take(40), "exactly full");
        let waiting = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || budget.take(30))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiting.is_finished(), "no room for 30 more");
        budget.give(60);
        assert!(waiting.join().unwrap());
        budget.give(70);
        assert!(budget.take(500), "one larger than the budget goes alone");
        let waiting = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || budget.take(1))
        };
        budget.close();
        assert!(!waiting.join().unwrap(), "a closed budget lets the sender go, refused");
    }
}
