//! A real server as `imr serve` runs it (the bounded connection loop, settings of the test's
//! choosing) on 127.0.0.1 port 0, over its own store: a SQLite file in a temporary folder, or a
//! PostgreSQL database by URL. Plus a browser-like web login (CSRF cookie, session cookie).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use imr_server::{AppState, ConnectionLimits, Settings};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

pub struct Server {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    /// The SQLite file (None on PostgreSQL).
    pub db_path: Option<PathBuf>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub stopped: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// A server on a new SQLite file.
    pub async fn start(settings: Settings, limits: ConnectionLimits) -> Server {
        Server::start_on(None, settings, limits).await
    }

    /// A server on `database_url` (a new SQLite file when None), with the administrator
    /// `admin` (ADMIN_PASSWORD) created if the store has no user yet.
    pub async fn start_on(
        database_url: Option<&str>,
        settings: Settings,
        limits: ConnectionLimits,
    ) -> Server {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db_path = dir.path().join("imr.db");
        let url = match database_url {
            Some(url) => url.to_string(),
            None => db_path.to_str().expect("utf-8 path").to_string(),
        };
        let (store, accounts) = imr_store::accounts::open_with_accounts(&url, Default::default())
            .await
            .expect("store opens");
        let state = AppState::new(store, accounts, settings).expect("state");
        imr_server::bootstrap_admin(&state, Some(ADMIN_PASSWORD.into()))
            .await
            .expect("administrator created");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0");
        let addr = listener.local_addr().expect("address");
        let (stop, stopping) = tokio::sync::oneshot::channel::<()>();
        let app = imr_server::app(state.clone());
        let stopped = tokio::spawn(async move {
            imr_server::connections::serve(listener, app, limits, async {
                let _ = stopping.await;
            })
            .await;
        });
        Server {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // Below the server's header timeout, which also closes idle kept-alive
                // connections: a reverse proxy in front must do the same.
                .pool_idle_timeout(Duration::from_secs(1))
                .build()
                .expect("client"),
            state,
            db_path: database_url.is_none().then_some(db_path),
            stop: Some(stop),
            stopped: Some(stopped),
            _dir: dir,
        }
    }

    /// Asks the server to stop (as SIGTERM does).
    pub fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POST /api/login, from `forwarded_for` (an X-Forwarded-For header) when given.
    pub async fn api_login(
        &self,
        username: &str,
        password: &str,
        forwarded_for: Option<&str>,
    ) -> (StatusCode, Value, Option<String>) {
        let mut request = self
            .client
            .post(self.url("/api/login"))
            .json(&json!({"username": username, "password": password}));
        if let Some(address) = forwarded_for {
            request = request.header("X-Forwarded-For", address);
        }
        let response = request.send().await.expect("login request");
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body, retry_after)
    }

    /// An API token, or a panic.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let (status, body, _) = self.api_login(username, password, None).await;
        assert_eq!(status, StatusCode::OK, "login {username}: {body}");
        body["token"].as_str().expect("token").to_string()
    }

    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            request = request.json(&b);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Logs in on the web form as a browser does; returns the session cookie (`name=value`).
    pub async fn web_login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<String, (StatusCode, String)> {
        let page = self
            .client
            .get(self.url("/login"))
            .send()
            .await
            .expect("login page");
        let csrf_cookie =
            cookie_of(&page, "imr_login_csrf").expect("the login page sets its cookie");
        let html = page.text().await.expect("login page body");
        let csrf = hidden_csrf(&html);
        let response = self
            .client
            .post(self.url("/login"))
            .header(COOKIE, csrf_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .expect("login");
        match cookie_of(&response, "imr_session") {
            Some(session) if response.status() == StatusCode::SEE_OTHER => Ok(session),
            _ => {
                let status = response.status();
                Err((status, response.text().await.unwrap_or_default()))
            }
        }
    }

    /// GETs a page with a session cookie; returns the status, where it redirects, and the body.
    pub async fn page(&self, path: &str, session: &str) -> (StatusCode, Option<String>, String) {
        let response = self
            .client
            .get(self.url(path))
            .header(COOKIE, session)
            .send()
            .await
            .expect("page");
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (status, location, response.text().await.expect("body"))
    }

    /// POSTs a form with a session cookie and the page's CSRF token.
    pub async fn post_form(
        &self,
        path: &str,
        session: &str,
        csrf: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
        form.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .header(COOKIE, session)
            .form(&form)
            .send()
            .await
            .expect("form")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// `name=value` of a cookie a response sets.
pub fn cookie_of(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
        .map(str::to_owned)
}

/// The CSRF token in a page's first form.
pub fn hidden_csrf(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..].split('"').next().expect("token").to_string()
}
