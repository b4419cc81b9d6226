//! What every handler shares: the stores, the case operations (`imr_app::App`, with the
//! guidelines, the specialty map and the clock rules), the published corpus and the server's
//! settings. The bottom layer of the server: it imports no other module of it but the ones
//! below every handler.

use std::sync::Arc;

use imr_app::App;
use imr_store::Store;
use imr_store::accounts::{AccountStore, ThrottlePolicy};
use jiff::civil::DateTime;

use crate::corpus_index::CorpusState;

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The largest document upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// The IMR organization's names, for letters.
    pub organization: imr_letter::write::Organization,
    /// A web session unused this long (seconds) ends.
    pub session_idle_seconds: i64,
    /// Sessions a user may hold at once, per kind (web, API); past it the oldest ends.
    pub max_sessions_per_user: u32,
    /// How failed logins slow the next attempt of a (username, address) pair.
    pub throttle: ThrottlePolicy,
    /// Take the client's address from `X-Forwarded-For` (`--trust-proxy`): only behind a
    /// reverse proxy that sets it, or anyone could choose their address.
    pub trust_proxy: bool,
    /// Mark the session cookie `Secure` (`--secure-cookies`): behind HTTPS.
    pub secure_cookies: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_upload_bytes: 16 * 1024 * 1024,
            organization: imr_letter::write::Organization::default(),
            session_idle_seconds: 30 * 60,
            max_sessions_per_user: 5,
            throttle: ThrottlePolicy::default(),
            trust_proxy: false,
            secure_cookies: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub accounts: Arc<dyn AccountStore>,
    /// The case operations, on the same store.
    pub app: App,
    pub settings: Arc<Settings>,
    /// An argon2 hash to verify against when a login names no user.
    pub dummy_hash: Arc<String>,
    /// The published decisions' search index (`imr serve --corpus DIR`), read-only.
    pub corpus: CorpusState,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        accounts: Arc<dyn AccountStore>,
        settings: Settings,
    ) -> anyhow::Result<AppState> {
        let mut app = App::new(store.clone()).map_err(|e| anyhow::anyhow!("{e}"))?;
        app.organization = settings.organization.clone();
        let dummy_hash = crate::password::hash_password("not a password anyone has")
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
        Ok(AppState {
            store,
            accounts,
            app,
            settings: Arc::new(settings),
            dummy_hash: Arc::new(dummy_hash),
            corpus: CorpusState::default(),
        })
    }
}

/// Now, in California: the IMR organization's clock.
pub fn now() -> DateTime {
    imr_case::clock::california(jiff::Timestamp::now())
}
