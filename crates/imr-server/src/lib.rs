//! `imr-server`: the HTTP server of imr. One axum app serves
//! - the JSON API under `/api` (bearer tokens; OpenAPI 3 at `/openapi.json`),
//! - the reviewer's workbench, server-rendered HTML (session cookie, CSRF token on every form),
//! - `/health`,
//! - the account pages (`/account/password`, `/admin/users`).
//!
//! The connections are bounded (`connections`): header and request timeouts, a cap on open
//! connections, graceful shutdown on SIGTERM or Ctrl-C. Every answer but the static assets
//! carries `Cache-Control: no-store`: pages, letters and the API hold patient data.
//!
//! Every request is authorized here on the server: roles (intake clerk, reviewer,
//! administrator, party) and, for reviewers and parties, the cases they may see. Every view of
//! a case is written to the audit log. Logs carry method, path, status, latency and user id,
//! never clinical text or names.

pub mod account_pages;
pub mod api;
pub mod auth;
pub mod cases;
pub mod connections;
pub mod corpus;
pub mod corpus_index;
pub mod corpus_pages;
pub mod demo;
pub mod document_download;
pub mod download;
pub mod error;
pub mod openapi;
mod password;
pub mod public_copy;
pub mod queue;
pub mod state;
pub mod web;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use imr_store::accounts::Role;

pub use connections::ConnectionLimits;
pub use state::{AppState, Settings};

/// The whole application.
pub fn app(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .merge(api::router(&state))
        .merge(corpus::router())
        .merge(corpus_pages::router())
        .merge(web::router(&state))
        .merge(account_pages::router())
        .merge(public_copy::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::error_layout,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::with_page_context,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            log_and_secure,
        ))
        .with_state(state)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
}

/// Whether the server is up and its database answers.
#[utoipa::path(get, path = "/health", responses((status = 200, body = Health), (status = 503)))]
async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let database = match state.store.backend() {
        imr_store::Backend::Sqlite => "sqlite",
        imr_store::Backend::Postgres => "postgres",
    };
    match state.store.reviewer_loads().await {
        Ok(_) => axum::Json(Health {
            status: "ok",
            database,
        })
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(Health {
                    status: "database unavailable",
                    database,
                }),
            )
                .into_response()
        }
    }
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::openapi_json(),
    )
        .into_response()
}

/// The client's address when the server knows it (for limiting failed logins).
#[derive(Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

/// Where the authenticating extractor leaves the user id for the request log.
#[derive(Clone, Default)]
pub struct UserSlot(pub Arc<AtomicI64>);

/// The client's address: the connection's peer, or with `--trust-proxy` the address the
/// reverse proxy appended last to `X-Forwarded-For` (the one it saw; earlier entries are the
/// client's own say).
fn client_address(request: &Request, trust_proxy: bool) -> Option<std::net::IpAddr> {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if !trust_proxy {
        return peer;
    }
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim)
        .and_then(|last| {
            last.parse::<std::net::IpAddr>()
                .ok()
                .or_else(|| last.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        });
    forwarded.or(peer)
}

/// Logs each request (method, path, status, latency, user id — the path holds at most a case
/// number) and adds the security headers every page gets, and `Cache-Control: no-store` on
/// everything but the static assets.
async fn log_and_secure(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let client = client_address(&request, state.settings.trust_proxy);
    request.extensions_mut().insert(ClientAddr(client));
    let slot = UserSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let user = slot.0.load(Ordering::Relaxed);
    let status = response.status().as_u16();
    let micros = start.elapsed().as_micros() as u64;
    if user > 0 {
        tracing::info!(%method, path, status, micros, user_id = user, "request");
    } else {
        tracing::info!(%method, path, status, micros, "request");
    }
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !path.starts_with("/static/") {
        // Whatever a handler said: only the static assets hold no patient data.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// On first start (no users yet) creates the administrator `admin` with the password from
/// `IMR_ADMIN_PASSWORD`, or a random one-time password (to be changed at first login) that is
/// returned to be printed once. There is no default password.
pub async fn bootstrap_admin(
    state: &AppState,
    from_env: Option<String>,
) -> anyhow::Result<Option<(String, Option<String>)>> {
    if !state
        .accounts
        .users()
        .await
        .map_err(|e| anyhow::anyhow!("reading users: {e}"))?
        .is_empty()
    {
        return Ok(None);
    }
    let (password, generated) = match from_env {
        Some(p) => {
            auth::check_new_password(&p).map_err(|m| anyhow::anyhow!("IMR_ADMIN_PASSWORD: {m}"))?;
            (p, false)
        }
        None => (
            auth::random_hex(10).map_err(|e| anyhow::anyhow!("{}", e.message))?,
            true,
        ),
    };
    let account = auth::NewAccount {
        username: "admin",
        password: &password,
        role: Role::Administrator,
        reviewer_id: None,
        case_number: None,
        one_time: generated,
    };
    auth::add_user(state, account)
        .await
        .map_err(|e| anyhow::anyhow!("creating the administrator: {}", e.message))?;
    Ok(Some(("admin".to_string(), generated.then_some(password))))
}

/// What `imr serve` is given.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: String,
    /// `sqlite://PATH`, a plain path, or `postgres://...`.
    pub database_url: String,
    /// Load the demo reviewers, cases and users into an empty store.
    pub demo: bool,
    pub settings: Settings,
    /// From IMR_ADMIN_PASSWORD: the first administrator's password.
    pub admin_password: Option<String>,
    /// The folder of the published letters' search index, for the search, statistics and
    /// precedents.
    pub corpus_dir: Option<std::path::PathBuf>,
    /// Timeouts and the connection cap.
    pub limits: ConnectionLimits,
}

/// Opens the store, creates the first administrator if there is none, loads the demo if asked,
/// and serves until SIGTERM or Ctrl-C (then lets the requests under way finish).
pub async fn run(options: ServeOptions) -> anyhow::Result<()> {
    let (store, accounts) =
        imr_store::accounts::open_with_accounts(&options.database_url, Default::default())
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", options.database_url))?;
    let mut state = AppState::new(store, accounts, options.settings.clone())?;
    if let Some(dir) = &options.corpus_dir {
        state.corpus = corpus::CorpusState::open(dir);
        match &state.corpus.index {
            Ok(index) => println!(
                "Corpus: {} published item(s) from {}",
                index.len(),
                dir.display()
            ),
            Err(why) => println!("Corpus: not available ({why})"),
        }
    }
    state.corpus.archive = corpus::open_archive(&options.database_url).await;
    if let Some((name, generated)) = bootstrap_admin(&state, options.admin_password.clone()).await?
    {
        match generated {
            Some(password) => println!(
                "Created the administrator `{name}` with the one-time password: {password}\n\
                 (shown only now, and to be changed at first login; set IMR_ADMIN_PASSWORD to choose \
                 the password instead)"
            ),
            None => println!(
                "Created the administrator `{name}` with the password from IMR_ADMIN_PASSWORD"
            ),
        }
    }
    if options.demo {
        let admin = state
            .accounts
            .user_by_name("admin")
            .await?
            .ok_or_else(|| anyhow::anyhow!("--demo needs the administrator `admin`"))?;
        let principal = auth::Principal {
            user_id: admin.id,
            username: admin.username,
            role: Role::Administrator,
            reviewer_id: None,
            case_number: None,
            csrf_token: String::new(),
            token_sha256: String::new(),
            idle_seconds_left: None,
        };
        match demo::load(&state, &principal).await? {
            Some(users) => {
                println!(
                    "Loaded the demo (fictional reviewers and cases). Demo users, one-time passwords:"
                );
                for (name, role, password) in users.users {
                    println!("  {name:<10} {:<14} {password}", role.as_str());
                }
            }
            // The passwords were shown once, at the first start; say how to get new ones.
            None => println!(
                "The store already holds cases; the demo was not loaded, and its users keep \
                 the passwords they have. For a new one-time password, run \
                 `imr user passwd NAME` on the same --database-url (e.g. `imr user passwd clerk`)."
            ),
        }
    }
    let listener = tokio::net::TcpListener::bind(&options.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", options.addr))?;
    println!("imr serving on http://{}", listener.local_addr()?);
    connections::serve(listener, app(state), options.limits, shutdown_signal()).await;
    println!("imr stopped");
    Ok(())
}

/// Completes on SIGTERM (a service manager stopping the server) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests under way");
}

/// Logs as JSON lines on standard error; `RUST_LOG` chooses the level (default info).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// [`run`] on a multi-threaded runtime of its own, for the command line.
pub fn run_blocking(options: ServeOptions) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(options))
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use axum::extract::{ConnectInfo, Request};

    fn request(forwarded: &[&str]) -> Request {
        let mut builder = Request::builder().uri("/login");
        for value in forwarded {
            builder = builder.header("x-forwarded-for", *value);
        }
        let mut request = builder.body(axum::body::Body::empty()).expect("request");
        let peer: std::net::SocketAddr = "10.1.1.1:5000".parse().expect("address");
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let ip = |s: &str| Some(s.parse().expect("ip"));
        let forged = request(&["6.6.6.6, 192.0.2.7"]);
        assert_eq!(client_address(&forged, false), ip("10.1.1.1"));
        // The last entry is the one the proxy wrote; earlier ones are the client's say.
        assert_eq!(client_address(&forged, true), ip("192.0.2.7"));
        assert_eq!(
            client_address(&request(&["6.6.6.6", "[2001:db8::1]:443"]), true),
            ip("2001:db8::1")
        );
        // Nothing usable: the peer.
        assert_eq!(client_address(&request(&["garbage"]), true), ip("10.1.1.1"));
        assert_eq!(client_address(&request(&[]), true), ip("10.1.1.1"));
    }
}
