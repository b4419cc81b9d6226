//! A real server for tests: its own SQLite file in a temporary folder, on 127.0.0.1 port 0.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use imr_case::Application;
use imr_server::{AppState, Settings};
use reqwest::StatusCode;
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
    pub base: String,
    pub client: reqwest::Client,
    pub admin: String,
    pub db_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with_corpus(None).await
    }

    /// A server that reads `corpus` as its published decisions.
    pub async fn start_with_corpus(corpus: Option<imr_corpus::CorpusIndex>) -> TestServer {
        TestServer::start_full(corpus, test_settings()).await
    }

    /// A server with these settings.
    pub async fn start_with(settings: Settings) -> TestServer {
        TestServer::start_full(None, settings).await
    }

    async fn start_full(corpus: Option<imr_corpus::CorpusIndex>, settings: Settings) -> TestServer {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db_path = dir.path().join("imr.db");
        let (store, accounts) = imr_store::accounts::open_with_accounts(
            db_path.to_str().expect("utf-8 path"),
            Default::default(),
        )
        .await
        .expect("store opens");
        let state = AppState::new(store, accounts, settings).expect("state");
        let mut state = state;
        if let Some(index) = corpus {
            state.corpus = imr_server::corpus::CorpusState::from_index(index);
        }
        state.corpus.archive =
            imr_server::corpus::open_archive(db_path.to_str().expect("utf-8 path")).await;
        imr_server::bootstrap_admin(&state, Some(ADMIN_PASSWORD.into()))
            .await
            .expect("administrator created");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move {
            let app = imr_server::app(state)
                .into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, app).await.expect("server runs");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let base = format!("http://{addr}");
        let mut server = TestServer {
            base,
            client,
            admin: String::new(),
            db_path,
            _dir: dir,
        };
        server.admin = server.login("admin", ADMIN_PASSWORD).await;
        server
    }

    /// Stores published letters in the server's archive, as `imr ingest` does.
    pub async fn publish(&self, letters: &[imr_core::Determination]) {
        use imr_store::published::NewPublished;
        let archive = imr_store::published::open_published(
            self.db_path.to_str().expect("utf-8 path"),
            Default::default(),
        )
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

    pub async fn login(&self, username: &str, password: &str) -> String {
        let (status, body) = self
            .send(
                "POST",
                "/api/login",
                None,
                Some(json!({"username": username, "password": password})),
            )
            .await;
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

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.send("GET", path, Some(token), None).await
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
    let store = imr_store::open(
        server.db_path.to_str().expect("utf-8 path"),
        Default::default(),
    )
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

/// `name=value` of the first cookie a response sets.
fn cookie_pair(resp: &reqwest::Response, what: &str) -> String {
    resp.headers()["set-cookie"]
        .to_str()
        .expect(what)
        .split(';')
        .next()
        .expect("a name=value pair")
        .to_string()
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
        Browser::login_at(&server.client, &server.base, username, password).await
    }

    /// Logs in to the server at `base` (`http://host:port`); the session cookie must be
    /// HttpOnly and SameSite=Strict.
    pub async fn login_at(
        client: &reqwest::Client,
        base: &str,
        username: &str,
        password: &str,
    ) -> Browser {
        let resp = client
            .get(format!("{base}/login"))
            .send()
            .await
            .expect("login page");
        let login_cookie = cookie_pair(&resp, "the login page's cookie");
        let csrf = csrf_of(&resp.text().await.expect("html"));
        let resp = client
            .post(format!("{base}/login"))
            .header("cookie", &login_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "login as {username}");
        let set = resp.headers()["set-cookie"]
            .to_str()
            .expect("session cookie");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        let mut b = Browser {
            client: client.clone(),
            base: base.to_string(),
            cookie: cookie_pair(&resp, "session cookie"),
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
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("GET")
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
            .header("cookie", &self.cookie)
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
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .expect("POST");
        answer(resp).await
    }
}

/// A response's status, Location (or "") and body.
async fn answer(resp: reqwest::Response) -> (StatusCode, String, String) {
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (resp.status(), location, resp.text().await.expect("text"))
}
