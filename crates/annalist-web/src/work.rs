//! CPU work off the async workers: coding, cutting texts into highlighted segments and
//! serializing large answers run on a small pool of dedicated threads (at lower
//! scheduling priority on Unix), never on the tokio threads that accept connections and
//! answer the cheap queries. The pool is bounded twice: at most [`CpuPool::threads`]
//! jobs run at once and at most `queue` more wait; a request that finds the queue full
//! is answered 503 at once. Every job has a deadline (the request's time budget): a job
//! still waiting when its deadline passes, or whose request was dropped (the client
//! left), is skipped rather than run, and a long job can poll [`Budget::expired`] to
//! stop between units of work.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce() + Send>;

/// What a job may ask about its request while it runs.
#[derive(Clone)]
pub(crate) struct Budget {
    deadline: Instant,
    budget: Duration,
    /// Raised when the request was dropped (the client went away) or timed out.
    cancelled: Arc<std::sync::atomic::AtomicBool>,
}

impl Budget {
    /// True once the deadline passed or the request was given up.
    pub(crate) fn expired(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) || Instant::now() >= self.deadline
    }

    /// True once less than a tenth of the budget is left (or [`Budget::expired`]): time
    /// to stop and answer with what is done.
    pub(crate) fn nearly_expired(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) || Instant::now() + self.budget / 10 >= self.deadline
    }
}

/// Why a job gave no answer.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The queue is full.
    Busy,
    /// The deadline passed before the job finished.
    TimedOut(Duration),
    /// The pool is gone (shutting down) or the job panicked.
    Failed,
}

pub(crate) struct CpuPool {
    tx: SyncSender<Job>,
    threads: usize,
    running: Arc<AtomicUsize>,
}

impl CpuPool {
    /// `threads` workers (at least 1) and room for `queue` waiting jobs.
    pub(crate) fn new(threads: usize, queue: usize) -> CpuPool {
        let threads = threads.max(1);
        let (tx, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let running = Arc::new(AtomicUsize::new(0));
        for i in 0..threads {
            let rx: Arc<Mutex<Receiver<Job>>> = rx.clone();
            let running = running.clone();
            let _ = std::thread::Builder::new()
                .name(format!("annalist-cpu-{i}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = match rx.lock().unwrap_or_else(|e| e.into_inner()).recv() {
                            Ok(job) => job,
                            Err(_) => return, // the pool was dropped
                        };
                        running.fetch_add(1, Ordering::Relaxed);
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        running.fetch_sub(1, Ordering::Relaxed);
                    }
                });
        }
        CpuPool {
            tx,
            threads,
            running,
        }
    }

    /// Number of worker threads.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `f` on the pool within `budget` from now; waits for its result without
    /// blocking the async runtime. Dropping the returned future (the client left) makes
    /// a job not yet started be skipped and tells a running one through its [`Budget`].
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        budget: Duration,
        f: impl FnOnce(&Budget) -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let b = Budget {
            deadline: Instant::now() + budget,
            budget,
            cancelled: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job_budget = b.clone();
        let job: Job = Box::new(move || {
            if tx.is_closed() || job_budget.expired() {
                return;
            }
            let _ = tx.send(f(&job_budget));
        });
        match self.tx.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(Refused::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(Refused::Failed),
        }
        // Raised when this future ends without an answer (dropped or timed out).
        struct Cancel(Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Cancel {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let _cancel = Cancel(b.cancelled.clone());
        match tokio::time::timeout(budget, rx).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(_)) => {
                if b.expired() {
                    Err(Refused::TimedOut(budget))
                } else {
                    Err(Refused::Failed)
                }
            }
            Err(_) => Err(Refused::TimedOut(budget)),
        }
    }

    /// Jobs running now (for tests and the load test's report).
    #[allow(dead_code)]
    pub(crate) fn running(&self) -> usize {
        self.running.load(Ordering::Relaxed)
    }
}

/// CPU workers yield to the threads that answer requests: nice 10 on Unix (Linux sets
/// it per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority with PRIO_PROCESS and who = 0 changes only the calling
    // thread's nice value on Linux; it reads no memory of ours.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
