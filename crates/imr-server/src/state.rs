//! What every handler shares: the stores, the guidelines, the specialty map, the clock rules
//! and the server's settings.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use imr_core::case::{ClockRules, SpecialtyMap};
use imr_core::guidelines::Guidelines;
use imr_store::Store;
use imr_store::accounts::{AccountStore, ThrottlePolicy};
use jiff::civil::DateTime;

/// The specialty map built in.
pub const SPECIALTY_MAP: &str = include_str!("../../../data/specialty-map.toml");

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The largest document upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// The IMR organization's names, for letters.
    pub organization: imr_core::letter::write::Organization,
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
            organization: imr_core::letter::write::Organization::default(),
            session_idle_seconds: 30 * 60,
            max_sessions_per_user: 5,
            throttle: ThrottlePolicy::default(),
            trust_proxy: false,
            secure_cookies: false,
        }
    }
}

/// Analyses by (case number, case version).
pub type AnalysisCache = HashMap<(String, i64), Arc<crate::cases::Analysis>>;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub accounts: Arc<dyn AccountStore>,
    pub guidelines: Arc<Guidelines>,
    pub specialty_map: Arc<SpecialtyMap>,
    pub rules: Arc<ClockRules>,
    pub settings: Arc<Settings>,
    /// An argon2 hash to verify against when a login names no user.
    pub dummy_hash: Arc<String>,
    /// Clinical text and engine findings per (case, version), so a page view does not redo them.
    pub analyses: Arc<Mutex<AnalysisCache>>,
    /// The published decisions' search index (`imr serve --corpus DIR`), read-only.
    pub corpus: crate::corpus::CorpusState,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        accounts: Arc<dyn AccountStore>,
        settings: Settings,
    ) -> anyhow::Result<AppState> {
        let guidelines = Guidelines::embedded()
            .map_err(|e| anyhow::anyhow!("the built-in guidelines do not load: {e}"))?;
        let specialty_map = SpecialtyMap::from_toml(SPECIALTY_MAP)
            .map_err(|e| anyhow::anyhow!("data/specialty-map.toml: {e}"))?;
        let dummy_hash = crate::auth::hash_password("not a password anyone has")
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
        Ok(AppState {
            store,
            accounts,
            guidelines: Arc::new(guidelines),
            specialty_map: Arc::new(specialty_map),
            rules: Arc::new(ClockRules::default()),
            settings: Arc::new(settings),
            dummy_hash: Arc::new(dummy_hash),
            analyses: Arc::default(),
            corpus: crate::corpus::CorpusState::default(),
        })
    }
}

/// Now, in California: the IMR organization's clock.
pub fn now() -> DateTime {
    imr_core::case::clock::california(jiff::Timestamp::now())
}
