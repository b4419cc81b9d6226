//! Cases created and read per second, on SQLite (a temporary file) and, when IMR_TEST_PG_URL
//! names a server, on PostgreSQL (a fresh database).
//!
//! `cargo bench -p imr-store --bench store`. Each create is what `imr case new` does in the
//! store: take a case number, look for an open duplicate, insert the case with its audit entry
//! (one committed transaction each). Each read loads one case by number and decodes it. The
//! queue at 3,000 cases: its first page of 50 as the store gives it (`queue`, counted and paged
//! in SQL), beside reading and decoding every case (`list_cases`, what the queue did before).

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, OnceLock};

use divan::Bencher;
use imr_case::{Application, CaseNumber};
use imr_store::queue::{QueueQuery, Viewer};
use imr_store::{Store, StoreOptions, open_case};
use jiff::civil::date;

fn main() {
    divan::main();
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn application(i: u64) -> Application {
    let text = include_str!("../../../data/demo/application.json");
    let mut app = Application::from_json(text, date(2026, 11, 1)).unwrap();
    app.claim_number = format!("BENCH-{i}");
    app
}

struct Target {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Target {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("bench.db").display().to_string();
    Target {
        store: imr_store::open(&url, StoreOptions::default())
            .await
            .unwrap(),
        _dir: Some(dir),
    }
}

async fn postgres() -> Option<Target> {
    let url = imr_testkit::postgres::fresh_database("bench").await?;
    let store = imr_store::open(&url, StoreOptions::default())
        .await
        .unwrap();
    Some(Target { store, _dir: None })
}

/// Opens `n` cases; returns their numbers.
fn fill(t: &Target, n: u64) -> Vec<CaseNumber> {
    runtime().block_on(async {
        let mut numbers = Vec::new();
        for i in 0..n {
            let case = open_case(
                t.store.as_ref(),
                application(i),
                date(2026, 1, 21).at(9, 0, 0, 0),
                "bench",
            )
            .await
            .unwrap();
            numbers.push(case.number);
        }
        numbers
    })
}

fn target(backend: &str) -> Option<Target> {
    runtime().block_on(async {
        match backend {
            "sqlite" => Some(sqlite().await),
            _ => postgres().await,
        }
    })
}

const BACKENDS: &[&str] = &["sqlite", "postgres"];

#[divan::bench(args = BACKENDS, sample_count = 20, sample_size = 10)]
fn create_case(bencher: Bencher, backend: &str) {
    let Some(t) = target(backend) else {
        eprintln!("IMR_TEST_PG_URL is not set: no PostgreSQL figures");
        return;
    };
    let mut i = 0u64;
    bencher.bench_local(|| {
        i += 1;
        runtime()
            .block_on(open_case(
                t.store.as_ref(),
                application(i),
                date(2026, 1, 21).at(9, 0, 0, 0),
                "bench",
            ))
            .unwrap()
    });
}

#[divan::bench(args = BACKENDS, sample_count = 20, sample_size = 100)]
fn read_case(bencher: Bencher, backend: &str) {
    let Some(t) = target(backend) else {
        eprintln!("IMR_TEST_PG_URL is not set: no PostgreSQL figures");
        return;
    };
    let numbers = fill(&t, 1000);
    let mut i = 0usize;
    bencher.bench_local(|| {
        i = (i + 7) % numbers.len();
        runtime()
            .block_on(t.store.load_case(&numbers[i]))
            .unwrap()
            .unwrap()
    });
}

const QUEUE_CASES: u64 = 3000;

#[divan::bench(args = BACKENDS, sample_count = 20, sample_size = 5)]
fn queue_first_page(bencher: Bencher, backend: &str) {
    let Some(t) = target(backend) else {
        eprintln!("IMR_TEST_PG_URL is not set: no PostgreSQL figures");
        return;
    };
    fill(&t, QUEUE_CASES);
    let query = QueueQuery {
        viewer: Viewer::All,
        status: None,
        reviewer: None,
        words: Vec::new(),
        now: date(2026, 2, 1).at(9, 0, 0, 0),
        page: 1,
        per_page: 50,
    };
    bencher.bench_local(|| {
        let page = runtime().block_on(t.store.queue(&query)).unwrap();
        assert_eq!(page.total as u64, QUEUE_CASES);
        page
    });
}

#[divan::bench(args = BACKENDS, sample_count = 20, sample_size = 5)]
fn list_every_case(bencher: Bencher, backend: &str) {
    let Some(t) = target(backend) else {
        eprintln!("IMR_TEST_PG_URL is not set: no PostgreSQL figures");
        return;
    };
    fill(&t, QUEUE_CASES);
    bencher.bench_local(|| {
        let cases = runtime().block_on(t.store.list_cases(false)).unwrap();
        assert_eq!(cases.len() as u64, QUEUE_CASES);
        cases
    });
}
