//! A real server for tests, as `imr serve` runs it: the bounded connection loop on 127.0.0.1
//! port 0, over its own store (a SQLite file in a temporary folder, or a PostgreSQL database by
//! URL); the API as JSON with a token, and the web pages as a browser sees them (the login
//! form's CSRF cookie, the session cookie, each form's CSRF token).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use imr_case::Application;
use imr_server::{AppState, ConnectionLimits, Settings};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
/// The upload limit the tests run with (small, so the 413 test sends little).
pub const UPLOAD_LIMIT: usize = 64 * 1024;

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    /// The administrator's API token (logged in by `start*`; empty after `serve*`, whose tests
    /// count logins and sessions themselves).
    pub admin: String,
    pub state: AppState,
    /// The SQLite file (None on PostgreSQL).
    pub db_path: Option<PathBuf>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub stopped: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server with the tests' settings, the administrator logged in.
    pub async fn start() -> TestServer {
        TestServer::start_with(test_settings()).await
    }

    /// A server that reads `corpus` as its published decisions.
    pub async fn start_with_corpus(corpus: Option<imr_corpus::CorpusIndex>) -> TestServer {
        let limits = ConnectionLimits::default();
        let mut server = TestServer::launch(None, test_settings(), limits, corpus).await;
        server.admin = server.login("admin", ADMIN_PASSWORD).await;
        server
    }

    /// A server with these settings, the administrator logged in.
    pub async fn start_with(settings: Settings) -> TestServer {
        let mut server = TestServer::serve(settings, ConnectionLimits::default()).await;
        server.admin = server.login("admin", ADMIN_PASSWORD).await;
        server
    }

    /// A server on a new SQLite file, no one logged in.
    pub async fn serve(settings: Settings, limits: ConnectionLimits) -> TestServer {
        TestServer::serve_on(None, settings, limits).await
    }

    /// A server on `database_url` (a new SQLite file when None), with the administrator
    /// `admin` (ADMIN_PASSWORD) created if the store has no user yet; no one logged in.
    pub async fn serve_on(
        database_url: Option<&str>,
        settings: Settings,
        limits: ConnectionLimits,
    ) -> TestServer {
        TestServer::launch(database_url, settings, limits, None).await
    }

    async fn launch(
        database_url: Option<&str>,
        settings: Settings,
        limits: ConnectionLimits,
        corpus: Option<imr_corpus::CorpusIndex>,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db_path = dir.path().join("imr.db");
        let url = match database_url {
            Some(url) => url.to_string(),
            None => db_path.to_str().expect("utf-8 path").to_string(),
        };
        let (store, accounts) = imr_store::accounts::open_with_accounts(&url, Default::default())
            .await
            .expect("store opens");
        let mut state = AppState::new(store, accounts, settings).expect("state");
        if let Some(index) = corpus {
            state.corpus = imr_server::corpus::CorpusState::from_index(index);
        }
        state.corpus.archive = imr_server::corpus::open_archive(&url).await;
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
        TestServer {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // Below the server's header timeout, which also closes idle kept-alive
                // connections: a reverse proxy in front must do the same.
                .pool_idle_timeout(Duration::from_secs(1))
                .build()
                .expect("client"),
            admin: String::new(),
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

    /// The SQLite file's path, for opening the store beside the server.
    pub fn db_file(&self) -> &str {
        self.db_path
            .as_deref()
            .and_then(Path::to_str)
            .expect("a server on a SQLite file")
    }

    /// Stores published letters in the server's archive, as `imr ingest` does.
    pub async fn publish(&self, letters: &[imr_core::Determination]) {
        use imr_store::published::NewPublished;
        let archive = imr_store::published::open_published(self.db_file(), Default::default())
            .await
            .expect("archive opens");
        let records: Vec<NewPublished> = letters
            .iter()
            .enumerate()
            .map(|(i, d)| NewPublished {
                letter_id: imr_corpus::letter_id(d),
                source_sha256: format!("{i:064x}"),
                source_path: format!("/fictional/letter-{i}.txt"),
                determination: d.clone(),
                ingested_at: 1_700_000_000,
            })
            .collect();
        archive.store_published(&records).await.expect("stored");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POST /api/login, from `forwarded_for` (an X-Forwarded-For header) when given: the
    /// status, the body and the Retry-After header.
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
    pub async fn login(&self, username: &str, password: &str) -> String {
        let (status, body, _) = self.api_login(username, password, None).await;
        assert_eq!(status, StatusCode::OK, "login {username}: {body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// Sends a JSON request; returns the status and the JSON body (Null when not JSON).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Sends a JSON request with a token.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.send(method, path, Some(token), body).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.send("GET", path, Some(token), None).await
    }

    /// Opens the fixture application through the API, as the administrator; returns the
    /// case's number.
    pub async fn open_case(&self) -> String {
        let (status, body) = self
            .send(
                "POST",
                "/api/applications",
                Some(&self.admin),
                Some(application()),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["number"].as_str().expect("number").to_string()
    }

    /// Adds the fixture reviewers and a user for each; returns (reviewer id, token).
    pub async fn reviewers(&self) -> Vec<(String, String)> {
        let list: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(data("reviewers.json")).expect("reviewers fixture"),
        )
        .expect("reviewers JSON");
        let mut out = Vec::new();
        for r in list {
            let id = r["id"].as_str().expect("id").to_string();
            let (s, b) = self
                .send("POST", "/api/reviewers", Some(&self.admin), Some(r))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
            let token = self.user(&id, "reviewer", Some(&id), None).await;
            out.push((id, token));
        }
        out
    }

    /// Creates a user and logs in as them.
    pub async fn user(
        &self,
        name: &str,
        role: &str,
        reviewer_id: Option<&str>,
        case_number: Option<&str>,
    ) -> String {
        let password = format!("{name}-password-long");
        let (s, b) = self
            .send(
                "POST",
                "/api/users",
                Some(&self.admin),
                Some(json!({"username": name, "password": password, "role": role,
                            "reviewer_id": reviewer_id, "case_number": case_number})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        self.login(name, &password).await
    }

    /// Logs in on the web form as a browser does; returns the session cookie (`name=value`),
    /// or the status and page of a refusal.
    pub async fn web_login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<String, (StatusCode, String)> {
        web_login(&self.client, &self.base, username, password).await
    }

    /// GETs a page with a session cookie; returns the status, where it redirects, and the body.
    pub async fn page(&self, path: &str, session: &str) -> (StatusCode, Option<String>, String) {
        let response = get_with(&self.client, &self.url(path), session).await;
        let location = location_of(&response);
        (
            response.status(),
            location,
            response.text().await.expect("body"),
        )
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
        post_form_with(&self.client, &self.url(path), session, &form).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// The fixture application, moved so that it was filed today (eligible).
pub fn application() -> Value {
    let text = std::fs::read_to_string(data("application.json")).expect("application fixture");
    let mut app: Application = serde_json::from_str(&text).expect("application JSON");
    imr_server::demo::shift_application(&mut app, imr_server::state::now().date());
    serde_json::to_value(app).expect("JSON")
}

/// The settings the tests' servers run with.
pub fn test_settings() -> Settings {
    Settings {
        max_upload_bytes: UPLOAD_LIMIT,
        ..Default::default()
    }
}

/// Opens `n` cases straight through the store (fictional workers `Testworker0000 Example`
/// ..., claim numbers `CLM-000000` ...; every seventh expedited); returns their numbers.
pub async fn seed_cases(server: &TestServer, n: usize) -> Vec<String> {
    let store = imr_store::open(server.db_file(), Default::default())
        .await
        .expect("store opens");
    let template: Application = serde_json::from_value(application()).expect("application");
    let at = imr_server::state::now();
    let mut numbers = Vec::with_capacity(n);
    for i in 0..n {
        let mut app = template.clone();
        app.worker = format!("Testworker{i:04} Example");
        app.claim_number = format!("CLM-{i:06}");
        if i % 7 == 3 {
            app.priority = imr_core::model::Priority::Expedited;
        }
        let case = imr_store::open_case(store.as_ref(), app, at, "test:seed")
            .await
            .expect("case opens");
        numbers.push(case.number.to_string());
    }
    numbers
}

/// The CSRF token in a page's first form.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).expect("a CSRF field") + marker.len();
    html[at..].split('"').next().expect("value").to_string()
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

/// Where a response redirects.
fn location_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Posts the login form of the server at `base` (`http://host:port`) as a browser does: the
/// login page's CSRF cookie and token, then the form, with a device cookie (`name=value`) and
/// an X-Forwarded-For address when given. Returns the form's response.
pub async fn post_login(
    client: &reqwest::Client,
    base: &str,
    (username, password): (&str, &str),
    device: Option<&str>,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login page");
    let csrf_cookie = cookie_of(&page, "imr_login_csrf").expect("the login page sets its cookie");
    let csrf = csrf_of(&page.text().await.expect("login page body"));
    let cookies = match device {
        Some(device) => format!("{csrf_cookie}; {device}"),
        None => csrf_cookie,
    };
    let mut request = client
        .post(format!("{base}/login"))
        .header(COOKIE, cookies)
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
        ]);
    if let Some(address) = forwarded_for {
        request = request.header("X-Forwarded-For", address);
    }
    request.send().await.expect("login")
}

/// Logs in on the web form of the server at `base`. The session cookie must be HttpOnly and
/// SameSite=Strict; returns it as `name=value`, or the status and page of a refusal.
async fn web_login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
) -> Result<String, (StatusCode, String)> {
    let response = post_login(client, base, (username, password), None, None).await;
    match cookie_of(&response, "imr_session") {
        Some(session) if response.status() == StatusCode::SEE_OTHER => {
            let set = response
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with("imr_session="))
                .unwrap_or_default();
            assert!(
                set.contains("HttpOnly") && set.contains("SameSite=Strict"),
                "{set}"
            );
            Ok(session)
        }
        _ => {
            let status = response.status();
            Err((status, response.text().await.unwrap_or_default()))
        }
    }
}

/// GET with a session cookie.
async fn get_with(client: &reqwest::Client, url: &str, session: &str) -> reqwest::Response {
    client
        .get(url)
        .header(COOKIE, session)
        .send()
        .await
        .expect("GET")
}

/// POST a form, as given, with a session cookie.
async fn post_form_with(
    client: &reqwest::Client,
    url: &str,
    session: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(url)
        .header(COOKIE, session)
        .form(form)
        .send()
        .await
        .expect("POST")
}

/// A browser-like web session, logged in through the login form (with its CSRF cookie): the
/// session cookie and the CSRF token of its pages.
pub struct Browser {
    client: reqwest::Client,
    base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Browser {
    pub async fn login(server: &TestServer, username: &str, password: &str) -> Browser {
        let cookie = web_login(&server.client, &server.base, username, password)
            .await
            .unwrap_or_else(|(status, _)| panic!("login as {username}: {status}"));
        let mut b = Browser {
            client: server.client.clone(),
            base: server.base.clone(),
            cookie,
            csrf: String::new(),
        };
        let (_, html) = b.get("/queue").await;
        b.csrf = csrf_of(&html);
        b
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let resp = self.get_raw(path).await;
        (resp.status(), resp.text().await.expect("text"))
    }

    /// The response itself, for its headers and bytes.
    pub async fn get_raw(&self, path: &str) -> reqwest::Response {
        get_with(&self.client, &format!("{}{path}", self.base), &self.cookie).await
    }

    /// Posts a body of the given type as it is (a multipart form, say); returns the status, the
    /// Location and the body.
    pub async fn post_body(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, String, String) {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST");
        answer(resp).await
    }

    /// Posts a form with the session's CSRF token; returns the status, the Location and the
    /// body.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.post_raw(path, &form).await
    }

    /// Posts a form as given (no CSRF token added).
    pub async fn post_raw(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let url = format!("{}{path}", self.base);
        answer(post_form_with(&self.client, &url, &self.cookie, form).await).await
    }
}

/// A response's status, Location (or "") and body.
async fn answer(resp: reqwest::Response) -> (StatusCode, String, String) {
    let location = location_of(&resp).unwrap_or_default();
    (resp.status(), location, resp.text().await.expect("text"))
}
