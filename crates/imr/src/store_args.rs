//! What the store commands share: where the store is and who is acting (`StoreArgs`), an open
//! store with "now" (`Context_`), the runtime they run on, and small-file reading. Used by
//! `case`, `reviewer`, `deadlines`, `export`, `import`, `user` and the archive commands.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use imr_case::{AuditEntry, Case, CaseNumber};
use imr_store::{Store, StoreOptions};
use jiff::civil::DateTime;

/// Where the store is and who is acting.
#[derive(clap::Args, Clone)]
pub struct StoreArgs {
    /// The store: a SQLite file (created if missing) or postgres://user:password@host/database.
    #[arg(
        long,
        global = true,
        env = "IMR_DATABASE_URL",
        default_value = "imr.db"
    )]
    pub database_url: String,
    /// Documents larger than this many bytes are refused before they are read.
    #[arg(long, global = true, env = "IMR_MAX_DOCUMENT_BYTES", default_value_t = imr_store::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,
    /// Who is acting, for the audit log.
    #[arg(long, global = true, env = "IMR_ACTOR", default_value = "cli")]
    pub actor: String,
    /// The time to record instead of the clock (California time, e.g. 2026-01-21T09:00), to
    /// enter events after the fact.
    #[arg(long, global = true, env = "IMR_NOW")]
    pub now: Option<String>,
}

/// An open store, "now" and the actor.
pub(crate) struct Context_ {
    pub store: Arc<dyn Store>,
    pub options: StoreOptions,
    pub now: DateTime,
    pub actor: String,
}

impl Context_ {
    pub async fn open(args: &StoreArgs) -> anyhow::Result<Context_> {
        let now = now(args.now.as_deref())?;
        let options = StoreOptions {
            max_document_bytes: args.max_document_bytes,
        };
        let store = imr_store::open(&args.database_url, options.clone())
            .await
            .with_context(|| "cannot open the store (--database-url)".to_string())?;
        Ok(Context_ {
            store,
            options,
            now,
            actor: args.actor.clone(),
        })
    }

    pub async fn load(&self, case: &str) -> anyhow::Result<Case> {
        let number = parse_case(case)?;
        match self.store.load_case(&number).await? {
            Some(v) => Ok(v.value),
            None => bail!("no case {number}"),
        }
    }

    pub async fn audit(&self, case: &CaseNumber, event: &str, detail: &str) -> anyhow::Result<()> {
        let entry = AuditEntry::new(self.now, self.actor.clone(), event, detail);
        Ok(self.store.record_audit(Some(case), &entry).await?)
    }
}

pub(crate) fn parse_case(text: &str) -> anyhow::Result<CaseNumber> {
    Ok(CaseNumber::parse(text)?)
}

/// Now in California, or the time given.
pub(crate) fn now(given: Option<&str>) -> anyhow::Result<DateTime> {
    if let Some(text) = given {
        return text.parse::<DateTime>().map_err(|e| {
            anyhow::anyhow!("--now {text:?} is not a date-time (2026-01-21T09:00): {e}")
        });
    }
    Ok(imr_case::clock::california(jiff::Timestamp::now()))
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Reads a file that must be small (an application, a decisions file): refused from its
/// metadata when over `limit` or empty.
pub(crate) fn read_small_file(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("{}: cannot read", path.display()))?
        .len();
    if size == 0 {
        bail!("{}: the file is empty (0 bytes)", path.display());
    }
    if size > limit {
        bail!(
            "{}: the file is {size} bytes, more than the limit of {limit} bytes",
            path.display()
        );
    }
    std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))
}
