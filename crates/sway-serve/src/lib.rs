//! `sway serve`: a JSON API over a store and one web page that explores it.
//!
//! The server only reads. Every store connection it opens is query-only (SQLite
//! refuses writes on it), every filter reaches SQL as a bound parameter, every list
//! is bounded, and static files come from a fixed table compiled into the binary, so
//! no request names a file on disk. Analyzing a pasted article (`POST /api/analyze`)
//! is off unless the operator turns it on, with a size limit.
//!
//! Heavy answers (dyad series, balance, network, map, actors) are cached per query
//! and dropped as soon as another process commits to the store (`PRAGMA
//! data_version`), so a server beside a running `sway ingest` stays current.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use sway_pipeline::Pipeline;
use sway_store::Store;

mod api;
mod assets;
mod params;

pub use api::{router, warm, PAGE_DEFAULTS};

/// What the server serves and how.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// `POST /api/analyze` accepts texts up to this many bytes; `None` turns it off.
    pub analyze_limit: Option<usize>,
    /// Answer the page's default views at start ([`PAGE_DEFAULTS`]).
    pub warm: bool,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("no store at {0} (run `sway ingest` first, or pass --db)")]
    NoStore(String),
    #[error(transparent)]
    Store(#[from] sway_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
    #[error("loading the pipeline for /api/analyze: {0}")]
    Pipeline(String),
}

/// Store connections for request handlers, each query-only, reused across requests.
#[derive(Debug)]
struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
    max_idle: usize,
}

impl Pool {
    fn get(&self) -> Result<Store, sway_store::StoreError> {
        let idle = self.idle.lock().map_or(None, |mut v| v.pop());
        match idle {
            Some(s) => Ok(s),
            None => Store::open_query_only(&self.path),
        }
    }

    fn put(&self, s: Store) {
        if let Ok(mut v) = self.idle.lock() {
            // Enough for the blocking threads that run at once under load.
            if v.len() < self.max_idle {
                v.push(s);
            }
        }
    }
}

/// Answers kept per query until the store changes.
#[derive(Debug)]
struct Cache {
    /// A connection that only watches for other connections' commits.
    watcher: Mutex<Store>,
    state: Mutex<(i64, HashMap<String, Bytes>)>,
    /// A lock per question being answered, so each is computed once at a time.
    gates: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// Entries kept before the cache starts over.
const CACHE_ENTRIES: usize = 512;

impl Cache {
    /// The store's current data version; drops every entry when it moved.
    fn check(&self) -> Option<i64> {
        let v = self.watcher.lock().ok()?.data_version().ok()?;
        let mut st = self.state.lock().ok()?;
        if st.0 != v {
            st.0 = v;
            st.1.clear();
        }
        Some(v)
    }

    /// The answer kept for `key`, and the store version it would be kept under.
    fn lookup(&self, key: &str) -> (Option<Bytes>, Option<i64>) {
        let version = self.check();
        let hit = version.and_then(|_| self.state.lock().ok()?.1.get(key).cloned());
        (hit, version)
    }

    /// The lock of the computation answering `key`.
    fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let Ok(mut gates) = self.gates.lock() else { return Arc::default() };
        if gates.len() >= CACHE_ENTRIES {
            // Holders keep their own reference; only idle gates are forgotten.
            gates.retain(|_, g| Arc::strong_count(g) > 1);
        }
        gates.entry(key.to_string()).or_default().clone()
    }

    fn put(&self, key: String, version: Option<i64>, body: Bytes) {
        let Ok(mut st) = self.state.lock() else { return };
        // An answer computed while the store changed belongs to no version.
        if version != Some(st.0) {
            return;
        }
        if st.1.len() >= CACHE_ENTRIES {
            st.1.clear();
        }
        st.1.insert(key, body);
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct App {
    pool: Pool,
    cache: Cache,
    /// The pipeline and size limit when `/api/analyze` is on.
    analyze: Option<(Arc<Pipeline>, usize)>,
    /// Store queries running at once. More would only share the same cores, each
    /// with its own connection and page cache, and stretch every answer's latency.
    queries: tokio::sync::Semaphore,
}

/// Store queries run at once per core.
const QUERIES_PER_CORE: usize = 2;

impl App {
    /// Open the store at `db` for serving (migrating it first if an older sway wrote
    /// it); with `analyze_limit`, load the pipeline for `/api/analyze`.
    pub fn open(db: &Path, analyze_limit: Option<usize>) -> Result<Arc<Self>, ServeError> {
        if !db.exists() {
            return Err(ServeError::NoStore(db.display().to_string()));
        }
        // One read-write open migrates an old store; requests never write.
        drop(Store::open(db)?);
        let watcher = Store::open_query_only(db)?;
        let version = watcher.data_version()?;
        let analyze = match analyze_limit {
            Some(limit) => {
                let p = Pipeline::new().map_err(|e| ServeError::Pipeline(e.to_string()))?;
                Some((Arc::new(p), limit))
            }
            None => None,
        };
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let queries = (cores * QUERIES_PER_CORE).max(4);
        Ok(Arc::new(Self {
            pool: Pool { path: db.to_path_buf(), idle: Mutex::new(vec![watcher]), max_idle: queries },
            queries: tokio::sync::Semaphore::new(queries),
            cache: Cache {
                watcher: Mutex::new(Store::open_query_only(db)?),
                state: Mutex::new((version, HashMap::new())),
                gates: Mutex::default(),
            },
            analyze,
        }))
    }
}

/// Serve until interrupted (Ctrl-C), calling `ready` with the bound address once
/// the socket listens.
pub fn serve(config: &Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let app = App::open(&config.db, config.analyze_limit)?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind { addr: config.addr, source })?;
        ready(listener.local_addr()?);
        // The page's default views, computed while the first visitor is on the way.
        if config.warm {
            tokio::spawn(warm(app.clone()));
        }
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}
