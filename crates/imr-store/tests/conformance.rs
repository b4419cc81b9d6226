//! The conformance suite: every `Store` method, on SQLite always and on PostgreSQL when
//! IMR_TEST_PG_URL names a server (each test gets a fresh database there).
//!
//! The SIGKILL tests run this same binary as a child (see `child_store_slow_document`).

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use imr_case::workflow::{ItemDecision, Status};
use imr_case::{
    Action, Application, AuditEntry, Case, CaseNumber, ClockRules, IneligibleReason, NoticeMethod,
    Reviewer, SpecialtyMap,
};
use imr_core::Decision;
use imr_store::queue::{QueueEntry, QueueQuery, QueueSlice, Viewer};
use imr_store::{
    DocumentInfo, DraftSaved, ExportRecord, NewDocument, SignDraft, Store, StoreError,
    StoreOptions, open_case, transition,
};
use jiff::civil::{DateTime, date};
use sha2::Digest;
use tokio::io::{AsyncRead, ReadBuf};

// ---------------------------------------------------------------------------------------------
// Backends

/// A store under test and what it needs kept alive.
struct Harness {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    url: String,
}

async fn sqlite(options: StoreOptions) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imr.db");
    let url = format!("sqlite://{}", path.display());
    let store = imr_store::open(&url, options).await.unwrap();
    Harness {
        store,
        _dir: Some(dir),
        url,
    }
}

/// A fresh database on the server IMR_TEST_PG_URL names, or None (with a note) when unset.
async fn postgres(options: StoreOptions) -> Option<Harness> {
    let url = imr_testkit::postgres::fresh_database("conformance").await?;
    let store = imr_store::open(&url, options).await.unwrap();
    Some(Harness {
        store,
        _dir: None,
        url,
    })
}

/// Drops a test database once its test passed (a failed test leaves it to look at; .ci/postgres
/// drops those on its next run).
async fn drop_postgres(url: &str) {
    imr_testkit::postgres::drop_database(url).await;
}

/// Runs a check on SQLite and, when configured, on PostgreSQL.
macro_rules! conformance {
    ($($name:ident => $check:ident,)*) => {
        mod sqlite_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$check(super::sqlite(Default::default()).await).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[imr_testkit::needs(postgres)]
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    if let Some(h) = super::postgres(Default::default()).await {
                        let url = h.url.clone();
                        super::$check(h).await;
                        super::drop_postgres(&url).await;
                    }
                }
            )*
        }
    };
}

conformance! {
    case_numbers_are_unique_and_never_reused => check_case_numbers,
    a_case_round_trips_with_its_audit_log => check_case_round_trip,
    updates_are_compare_and_set => check_compare_and_set,
    an_open_duplicate_makes_a_new_case_ineligible => check_duplicates,
    simultaneous_duplicates_leave_one_eligible_case => check_concurrent_duplicates,
    reviewers_are_kept_and_loads_counted => check_reviewers,
    documents_are_kept_byte_for_byte => check_documents,
    a_case_and_its_application_are_saved_together => check_case_with_application,
    records_are_saved_with_their_workflow_step_or_not_at_all => check_receive_records,
    bad_documents_leave_nothing_behind => check_bad_documents,
    a_case_goes_through_its_whole_life => check_whole_life,
    thirty_two_writers_on_one_case_lose_nothing => check_concurrent_same_case,
    thirty_two_writers_on_different_cases_lose_nothing => check_concurrent_new_cases,
    export_then_import_restores_exactly => check_export_import,
    a_bad_import_restores_nothing => check_bad_import,
    a_killed_writer_leaves_the_whole_document_or_none => check_sigkill,
    an_unreadable_document_is_marked_once_per_case => check_unreadable,
    the_queue_is_read_from_its_columns => check_queue,
    sign_drafts_are_kept_per_user_until_the_case_is_signed => check_sign_drafts,
}

// ---------------------------------------------------------------------------------------------
// Fixtures (fictional people, in data/demo)

fn demo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo")
        .join(path)
}

fn application() -> Application {
    let text = std::fs::read_to_string(demo("application.json")).unwrap();
    Application::from_json(&text, date(2026, 11, 1)).unwrap()
}

fn reviewer(id: &str) -> Reviewer {
    Reviewer::from_json(&std::fs::read_to_string(demo(&format!("reviewers/{id}.json"))).unwrap())
        .unwrap()
}

fn decisions() -> Vec<ItemDecision> {
    #[derive(serde::Deserialize)]
    struct File {
        decisions: Vec<ItemDecision>,
    }
    let file: File =
        serde_json::from_str(&std::fs::read_to_string(demo("decisions.json")).unwrap()).unwrap();
    file.decisions
}

fn specialty_map() -> SpecialtyMap {
    let text = std::fs::read_to_string(demo("../specialty-map.toml")).unwrap();
    SpecialtyMap::from_toml(&text).unwrap()
}

fn at(month: i8, day: i8, hour: i8) -> DateTime {
    date(2026, month, day).at(hour, 0, 0, 0)
}

fn new_document(case: &CaseNumber, kind: &str, declared: Option<u64>) -> NewDocument {
    NewDocument {
        case_number: case.clone(),
        kind: kind.into(),
        filename: Some(format!("{kind}.bin")),
        media_type: "application/octet-stream".into(),
        received_at: at(1, 25, 10),
        declared_size: declared,
        actor: "clerk-1".into(),
    }
}

/// Bytes that differ at every position, so a misplaced chunk changes the hash.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect()
}

async fn store_bytes(
    store: &dyn Store,
    case: &CaseNumber,
    kind: &str,
    bytes: &[u8],
) -> DocumentInfo {
    let mut reader: &[u8] = bytes;
    store
        .store_document(
            new_document(case, kind, Some(bytes.len() as u64)),
            &mut reader,
        )
        .await
        .unwrap()
}

fn assign(reviewer: Reviewer) -> impl Fn(&Case) -> Action + Send + Sync {
    let map = specialty_map();
    move |case: &Case| {
        let app = &case.application;
        let texts = std::iter::once(app.condition.as_str())
            .chain(app.ur_decision.items.iter().map(|i| i.request.as_str()));
        Action::Assign {
            reviewer: reviewer.clone(),
            needed: map.needed(texts),
            load: 0,
            notice: NoticeMethod::Electronic,
            by_hand: false,
        }
    }
}

fn records(doc: &DocumentInfo, complete: bool) -> impl Fn(&Case) -> Action + Send + Sync + use<> {
    let doc = doc.clone();
    move |_: &Case| Action::ReceiveRecords {
        document_id: doc.id,
        sha256: doc.sha256.clone(),
        kind: doc.kind.clone(),
        size: doc.size,
        complete,
    }
}

fn events(log: &[AuditEntry]) -> Vec<&str> {
    log.iter().map(|e| e.event.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// Checks

async fn check_case_numbers(h: Harness) {
    let s = h.store.as_ref();
    let a = s.allocate_case_number(2026).await.unwrap();
    let b = s.allocate_case_number(2026).await.unwrap();
    let c = s.allocate_case_number(2027).await.unwrap();
    assert_eq!(a.as_str(), "CM26-0000001");
    assert_eq!(b.as_str(), "CM26-0000002");
    assert_eq!(c.as_str(), "CM27-0000003", "one sequence across years");
    // Numbers a and b were never used for a case; the next case still gets a new one.
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    assert_eq!(case.number.as_str(), "CM26-0000004");
}

async fn check_case_round_trip(h: Harness) {
    let s = h.store.as_ref();
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    assert_eq!(case.status, Status::Eligible);
    let loaded = s.load_case(&case.number).await.unwrap().unwrap();
    assert_eq!(loaded.value, case);
    assert_eq!(loaded.version, 1);
    let missing = CaseNumber::parse("CM26-0999999").unwrap();
    assert!(s.load_case(&missing).await.unwrap().is_none());
    let view = AuditEntry::new(
        at(1, 22, 8),
        "clerk-2",
        "case.viewed",
        "shown on the command line",
    );
    s.record_audit(Some(&case.number), &view).await.unwrap();
    let log = s.audit_log(&case.number).await.unwrap();
    assert_eq!(events(&log), ["case.opened", "case.viewed"]);
    assert_eq!(log[1], view);
    assert_eq!(s.list_cases(false).await.unwrap(), vec![case.clone()]);
    assert_eq!(s.list_cases(true).await.unwrap(), vec![case]);
}

async fn check_compare_and_set(h: Harness) {
    let s = h.store.as_ref();
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let rules = ClockRules::default();
    let (next, entry) = case
        .apply(
            assign(reviewer("ortho-1"))(&case),
            at(1, 22, 9),
            "clerk",
            &rules,
        )
        .unwrap();
    assert_eq!(s.update_case(&next, 1, &entry).await.unwrap(), 2);
    // A second writer that read version 1 is refused, and its audit entry is not written.
    let err = s.update_case(&next, 1, &entry).await.unwrap_err();
    assert!(
        matches!(err, StoreError::VersionConflict { expected: 1, .. }),
        "{err}"
    );
    assert_eq!(s.audit_log(&case.number).await.unwrap().len(), 2);
    let mut ghost = next.clone();
    ghost.number = CaseNumber::parse("CM26-0999999").unwrap();
    let err = s.update_case(&ghost, 1, &entry).await.unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound { what: "case", .. }),
        "{err}"
    );
    let dup = s.insert_case(&case, &entry).await.unwrap_err();
    assert!(
        matches!(dup, StoreError::Duplicate { what: "case", .. }),
        "{dup}"
    );
}

async fn check_duplicates(h: Harness) {
    let s = h.store.as_ref();
    let first = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let second = open_case(s, application(), at(1, 21, 10), "intake")
        .await
        .unwrap();
    assert_eq!(second.status, Status::Ineligible);
    let imr_case::Eligibility::Ineligible { reasons } = &second.eligibility else {
        panic!("eligible duplicate")
    };
    assert_eq!(
        reasons,
        &[IneligibleReason::DuplicateOfOpenCase {
            case_number: first.number.clone()
        }]
    );
    let key = imr_case::eligibility::duplicate_key(&application());
    let open = s.open_duplicates(&key).await.unwrap();
    assert_eq!(open.len(), 1, "an ineligible case is not open");
    assert_eq!(open[0], first.number);
    assert_eq!(s.list_cases(true).await.unwrap().len(), 1);
    assert_eq!(s.list_cases(false).await.unwrap().len(), 2);
}

async fn check_concurrent_duplicates(h: Harness) {
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let store = h.store.clone();
        tasks.push(tokio::spawn(async move {
            open_case(store.as_ref(), application(), at(1, 21, 9), "intake")
                .await
                .unwrap()
        }));
    }
    let mut eligible = Vec::new();
    let mut duplicates = 0;
    for t in tasks {
        let case = t.await.unwrap();
        match case.status {
            Status::Eligible => eligible.push(case.number),
            Status::Ineligible => duplicates += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!(eligible.len(), 1, "one eligible case for one dispute");
    assert_eq!(duplicates, 15);
    for case in h.store.list_cases(false).await.unwrap() {
        if case.status == Status::Ineligible {
            let imr_case::Eligibility::Ineligible { reasons } = &case.eligibility else {
                panic!("eligible")
            };
            assert_eq!(
                reasons,
                &[IneligibleReason::DuplicateOfOpenCase {
                    case_number: eligible[0].clone()
                }]
            );
        }
    }
}

async fn check_reviewers(h: Harness) {
    let s = h.store.as_ref();
    let entry = AuditEntry::new(at(1, 1, 9), "admin", "reviewer.added", "ortho-1");
    for id in ["pmr-1", "ortho-1"] {
        s.add_reviewer(&reviewer(id), &entry).await.unwrap();
    }
    let err = s
        .add_reviewer(&reviewer("ortho-1"), &entry)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Duplicate {
                what: "reviewer",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        s.reviewer("ortho-1").await.unwrap(),
        Some(reviewer("ortho-1"))
    );
    assert_eq!(s.reviewer("nobody").await.unwrap(), None);
    let ids: Vec<String> = s
        .reviewers()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, ["ortho-1", "pmr-1"]);
    assert!(s.reviewer_loads().await.unwrap().is_empty());
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let rules = ClockRules::default();
    transition(
        s,
        &case.number,
        at(1, 22, 9),
        "clerk",
        &rules,
        &assign(reviewer("ortho-1")),
    )
    .await
    .unwrap();
    let loads = s.reviewer_loads().await.unwrap();
    assert_eq!(loads.get("ortho-1"), Some(&1));
    assert_eq!(loads.get("pmr-1"), None);
}

async fn check_documents(h: Harness) {
    let s = h.store.as_ref();
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    // Sizes around the chunk boundary, and one of several chunks.
    let sizes = [1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 2_500_000];
    let mut ids = Vec::new();
    for (i, size) in sizes.into_iter().enumerate() {
        let bytes = pattern(size, i as u8);
        let info = store_bytes(s, &case.number, "medical records", &bytes).await;
        assert_eq!(info.size, size as u64);
        assert_eq!(
            info.sha256,
            imr_store::export::to_hex(&sha2::Sha256::digest(&bytes))
        );
        assert_eq!(
            s.read_document(info.id).await.unwrap(),
            bytes,
            "size {size}"
        );
        assert_eq!(s.document(info.id).await.unwrap(), Some(info.clone()));
        ids.push(info.id);
    }
    let listed: Vec<i64> = s
        .documents(&case.number)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(listed, ids);
    let log = s.audit_log(&case.number).await.unwrap();
    assert_eq!(
        log.iter().filter(|e| e.event == "document.stored").count(),
        sizes.len()
    );
    assert!(s.document(123_456).await.unwrap().is_none());
    assert!(matches!(
        s.read_document(123_456).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn check_unreadable(h: Harness) {
    let s = h.store.as_ref();
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let other = open_case(s, application(), at(1, 22, 9), "intake")
        .await
        .unwrap();
    let good = store_bytes(s, &case.number, "medical records", b"Progress note.").await;
    let bad = store_bytes(s, &case.number, "medical records", &pattern(1000, 7)).await;
    let elsewhere = store_bytes(s, &other.number, "medical records", &pattern(10, 8)).await;
    assert!(
        s.unreadable_documents(&case.number)
            .await
            .unwrap()
            .is_empty()
    );

    s.mark_unreadable(bad.id, "over the limit per stream", at(1, 23, 9))
        .await
        .unwrap();
    // A second mark (a concurrent view) keeps the first reason.
    s.mark_unreadable(bad.id, "another reason", at(1, 23, 10))
        .await
        .unwrap();
    s.mark_unreadable(elsewhere.id, "damaged", at(1, 23, 11))
        .await
        .unwrap();
    assert_eq!(
        s.unreadable_documents(&case.number).await.unwrap(),
        vec![(bad.id, "over the limit per stream".to_string())]
    );
    assert_eq!(
        s.unreadable_documents(&other.number).await.unwrap(),
        vec![(elsewhere.id, "damaged".to_string())]
    );
    assert_ne!(good.id, bad.id);
    // Only a stored document can be marked.
    assert!(
        s.mark_unreadable(123_456, "x", at(1, 23, 12))
            .await
            .is_err()
    );
}

/// A reader that yields `len` bytes in small pieces.
struct Trickle {
    left: u64,
}

impl AsyncRead for Trickle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = (buf.remaining() as u64).min(self.left).min(64 * 1024) as usize;
        buf.put_slice(&vec![b'x'; n]);
        self.left -= n as u64;
        Poll::Ready(Ok(()))
    }
}

async fn check_case_with_application(h: Harness) {
    use imr_store::{ReceivedFile, open_case_with};
    let s = h.store.as_ref();
    let bytes = std::fs::read(demo("application.json")).unwrap();
    let file = |bytes| ReceivedFile {
        filename: Some("application.json".into()),
        media_type: "application/json".into(),
        bytes,
    };
    let (case, doc) = open_case_with(s, application(), at(1, 21, 9), "intake", Some(file(&bytes)))
        .await
        .unwrap();
    let doc = doc.unwrap();
    assert_eq!(s.read_document(doc.id).await.unwrap(), bytes);
    assert_eq!(
        events(&s.audit_log(&case.number).await.unwrap()),
        ["case.opened", "document.stored"]
    );
    // An empty file: neither the case nor the document is saved.
    let mut other = application();
    other.claim_number = "DEMO-EMPTY".into();
    let err = open_case_with(s, other, at(1, 21, 10), "intake", Some(file(b"")))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::EmptyDocument), "{err}");
    assert_eq!(s.list_cases(false).await.unwrap(), vec![case]);
}

async fn check_receive_records(h: Harness) {
    let s = h.store.as_ref();
    let rules = ClockRules::default();
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let n = case.number.clone();
    transition(
        s,
        &n,
        at(1, 22, 9),
        "clerk",
        &rules,
        &assign(reviewer("ortho-1")),
    )
    .await
    .unwrap();
    let mut part: &[u8] = b"fictional records";
    let (case, info) = s
        .receive_records(
            new_document(&n, "medical records", None),
            &mut part,
            true,
            &rules,
        )
        .await
        .unwrap();
    assert_eq!(case.status, Status::RecordsComplete);
    assert_eq!(case.records[0].document_id, info.id);
    assert_eq!(s.load_case(&n).await.unwrap().unwrap().value, case);
    // Too large, found while reading: neither the document nor the step is saved.
    let mut stream = Trickle {
        left: 3 * 1024 * 1024,
    };
    let small = sqlite_or_pg_with_limit(&h, 2 * 1024 * 1024).await;
    let err = small
        .receive_records(
            new_document(&n, "medical records", None),
            &mut stream,
            false,
            &rules,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DocumentTooLarge { .. }), "{err}");
    let stored = s.load_case(&n).await.unwrap().unwrap();
    assert_eq!(stored.value.records.len(), 1);
    assert_eq!(s.documents(&n).await.unwrap().len(), 1);
    // Refused by the workflow once signed: refused before reading.
    transition(s, &n, at(2, 1, 9), "ortho-1", &rules, &|_: &Case| {
        Action::Sign {
            reviewer_id: "ortho-1".into(),
            decisions: decisions(),
            clinical_summary: None,
        }
    })
    .await
    .unwrap();
    let mut untouchable = Trickle { left: 0 };
    let err = s
        .receive_records(
            new_document(&n, "late", Some(5)),
            &mut untouchable,
            false,
            &rules,
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("records can no longer be added"),
        "{err}"
    );
    assert_eq!(s.documents(&n).await.unwrap().len(), 1);
    let missing = CaseNumber::parse("CM26-0999999").unwrap();
    let mut one: &[u8] = b"x";
    let err = s
        .receive_records(
            new_document(&missing, "orphan", Some(1)),
            &mut one,
            false,
            &rules,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

/// The same database as `h`, opened again with another document limit.
async fn sqlite_or_pg_with_limit(h: &Harness, limit: u64) -> Arc<dyn Store> {
    imr_store::open(
        &h.url,
        StoreOptions {
            max_document_bytes: limit,
        },
    )
    .await
    .unwrap()
}

async fn check_bad_documents(h: Harness) {
    let s = h.store.as_ref();
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let log_before = s.audit_log(&case.number).await.unwrap().len();
    let mut empty: &[u8] = b"";
    let err = s
        .store_document(new_document(&case.number, "empty", Some(0)), &mut empty)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::EmptyDocument), "{err}");
    // Undeclared and empty: found out while reading.
    let err = s
        .store_document(new_document(&case.number, "empty", None), &mut empty)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::EmptyDocument), "{err}");
    // 200 MB announced: refused before a byte is read (the reader is empty: had it been read, the error would be "empty").
    let mut untouchable = Trickle { left: 0 };
    let err = s
        .store_document(
            new_document(&case.number, "huge", Some(200_000_000)),
            &mut untouchable,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DocumentTooLarge { .. }), "{err}");
    // Sizes as people read them: the file's and the limit's, in binary units.
    assert!(
        err.to_string()
            .contains("larger than the limit of 64 MiB (it is 191 MiB)"),
        "{err}"
    );
    // 200 MB not announced: refused once the limit is passed, and what was written is undone.
    let mut stream = Trickle { left: 200_000_000 };
    let err = s
        .store_document(new_document(&case.number, "huge", None), &mut stream)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::DocumentTooLarge { limit, .. } if limit == imr_store::DEFAULT_MAX_DOCUMENT_BYTES),
        "{err}"
    );
    let unknown = CaseNumber::parse("CM26-0999999").unwrap();
    let mut one: &[u8] = b"x";
    let err = s
        .store_document(new_document(&unknown, "orphan", Some(1)), &mut one)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound { what: "case", .. }),
        "{err}"
    );
    assert!(s.documents(&case.number).await.unwrap().is_empty());
    assert_eq!(s.audit_log(&case.number).await.unwrap().len(), log_before);
    // A document that was refused left no bytes either: the next one gets a clean id space
    // and the whole export holds no chunk.
    let mut chunks = 0;
    s.export(&mut |r| {
        if matches!(
            r,
            ExportRecord::Chunk { .. } | ExportRecord::Document { .. }
        ) {
            chunks += 1;
        }
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(chunks, 0);
}

async fn check_whole_life(h: Harness) {
    let s = h.store.as_ref();
    let rules = ClockRules::default();
    let entry = AuditEntry::new(at(1, 1, 9), "admin", "reviewer.added", "");
    for id in ["ortho-1", "ortho-conflicted", "pmr-1", "psych-new"] {
        s.add_reviewer(&reviewer(id), &entry).await.unwrap();
    }
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let n = case.number.clone();
    // The conflicted reviewer is refused even when named by hand.
    let err = transition(
        s,
        &n,
        at(1, 22, 9),
        "clerk",
        &rules,
        &assign(reviewer("ortho-conflicted")),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("conflict of interest"), "{err}");
    // Signing before assignment is refused.
    let sign = |id: &'static str| {
        move |_: &Case| Action::Sign {
            reviewer_id: id.into(),
            decisions: decisions(),
            clinical_summary: Some("A fictional summary.".into()),
        }
    };
    let err = transition(s, &n, at(1, 22, 9), "r", &rules, &sign("ortho-1"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no reviewer assigned"), "{err}");
    let case = transition(
        s,
        &n,
        at(1, 22, 9),
        "clerk",
        &rules,
        &assign(reviewer("ortho-1")),
    )
    .await
    .unwrap();
    assert_eq!(case.status, Status::Assigned);
    assert_eq!(
        case.assignment.as_ref().unwrap().records_due.date(),
        date(2026, 2, 3),
        "12 days after an electronic notice"
    );
    let part1 = store_bytes(s, &n, "medical records", b"part one").await;
    let part2 = store_bytes(s, &n, "medical records", b"part two").await;
    transition(
        s,
        &n,
        at(1, 26, 9),
        "clerk",
        &rules,
        &records(&part1, false),
    )
    .await
    .unwrap();
    let case = transition(s, &n, at(1, 30, 9), "clerk", &rules, &records(&part2, true))
        .await
        .unwrap();
    assert_eq!(case.status, Status::RecordsComplete);
    assert_eq!(case.determination_due.unwrap().date(), date(2026, 3, 1));
    let err = transition(s, &n, at(2, 10, 9), "r", &rules, &sign("pmr-1"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not the reviewer assigned"),
        "{err}"
    );
    let case = transition(s, &n, at(2, 10, 9), "ortho-1", &rules, &sign("ortho-1"))
        .await
        .unwrap();
    assert_eq!(case.status, Status::Determined);
    assert_eq!(
        case.determination.as_ref().unwrap().decisions[0].decision,
        Decision::Overturned
    );
    let err = transition(
        s,
        &n,
        at(2, 11, 9),
        "clerk",
        &rules,
        &records(&part1, false),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("no longer be added"), "{err}");
    let case = transition(s, &n, at(2, 11, 9), "clerk", &rules, &|_: &Case| {
        Action::IssueLetter
    })
    .await
    .unwrap();
    assert_eq!(case.status, Status::LetterIssued);
    let stored = s.load_case(&n).await.unwrap().unwrap();
    assert_eq!(stored.value, case);
    assert_eq!(stored.version, 6);
    let log = s.audit_log(&n).await.unwrap();
    assert_eq!(
        events(&log),
        [
            "case.opened",
            "case.assigned",
            "document.stored",
            "document.stored",
            "case.records_received",
            "case.records_received",
            "case.signed",
            "case.letter_issued"
        ]
    );
    assert!(
        s.list_cases(true).await.unwrap().is_empty(),
        "a case with its letter is closed"
    );
    assert!(s.reviewer_loads().await.unwrap().is_empty());
}

async fn check_concurrent_same_case(h: Harness) {
    let rules = ClockRules::default();
    let case = open_case(h.store.as_ref(), application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..32u8 {
        let store = h.store.clone();
        let n = case.number.clone();
        let rules = rules.clone();
        tasks.push(tokio::spawn(async move {
            let bytes = pattern(10_000, i);
            if i % 2 == 0 {
                // Document and workflow step in one transaction.
                let mut reader: &[u8] = &bytes;
                let doc = new_document(&n, "medical records", Some(10_000));
                let (_, info) = store
                    .receive_records(doc, &mut reader, false, &rules)
                    .await
                    .unwrap();
                return info.id;
            }
            // Document first, then the step through `transition` (which retries).
            let doc = store_bytes(store.as_ref(), &n, "medical records", &bytes).await;
            transition(
                store.as_ref(),
                &n,
                at(1, 25, 9),
                "clerk",
                &rules,
                &records(&doc, false),
            )
            .await
            .unwrap();
            doc.id
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.sort();
    let stored = h.store.load_case(&case.number).await.unwrap().unwrap();
    assert_eq!(
        stored.version, 33,
        "every one of the 32 updates applied once"
    );
    let mut received: Vec<i64> = stored.value.records.iter().map(|r| r.document_id).collect();
    received.sort();
    assert_eq!(received, ids, "no record lost or doubled");
    let log = h.store.audit_log(&case.number).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.event == "case.records_received")
            .count(),
        32
    );
    assert_eq!(
        log.iter().filter(|e| e.event == "document.stored").count(),
        32
    );
    for (i, doc) in h
        .store
        .documents(&case.number)
        .await
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(doc.size, 10_000, "document {i}");
        h.store.read_document(doc.id).await.unwrap();
    }
}

async fn check_concurrent_new_cases(h: Harness) {
    let mut tasks = Vec::new();
    for i in 0..32 {
        let store = h.store.clone();
        tasks.push(tokio::spawn(async move {
            let mut app = application();
            app.claim_number = format!("DEMO-{i:04}");
            open_case(store.as_ref(), app, at(1, 21, 9), "intake")
                .await
                .unwrap()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        let case = t.await.unwrap();
        assert_eq!(case.status, Status::Eligible);
        numbers.push(case.number);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 32, "32 distinct case numbers");
    let listed: Vec<CaseNumber> = h
        .store
        .list_cases(false)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.number)
        .collect();
    assert_eq!(listed, numbers);
    for n in &numbers {
        assert_eq!(
            events(&h.store.audit_log(n).await.unwrap()),
            ["case.opened"]
        );
    }
    assert_eq!(
        h.store.allocate_case_number(2026).await.unwrap().sequence(),
        33
    );
}

/// The whole queue as `viewer` sees it, at `now`, on one page.
fn everything(viewer: Viewer, now: DateTime) -> QueueQuery {
    QueueQuery {
        viewer,
        status: None,
        reviewer: None,
        words: Vec::new(),
        now,
        page: 1,
        per_page: 1000,
    }
}

/// What the queue should hold, worked out from the cases themselves: the numbers in order,
/// the overdue count and the expedited cases with no reviewer.
fn expected(
    cases: &[Case],
    keep: impl Fn(&Case) -> bool,
    now: DateTime,
) -> (Vec<String>, usize, usize) {
    let mut kept: Vec<(Option<DateTime>, String, &Case)> = cases
        .iter()
        .filter(|c| keep(c))
        .map(|c| {
            let due = c.open_deadlines().into_iter().map(|d| d.due).min();
            (due, c.number.to_string(), c)
        })
        .collect();
    // Open expedited cases first (those awaiting assignment included), then by due date.
    let later =
        |c: &Case| !(c.priority() == imr_core::model::Priority::Expedited && c.status.is_open());
    kept.sort_by(|a, b| {
        (later(a.2), a.0.is_none(), a.0, &a.1).cmp(&(later(b.2), b.0.is_none(), b.0, &b.1))
    });
    let overdue = kept.iter().filter(|k| k.0.is_some_and(|d| d < now)).count();
    let expedited = kept
        .iter()
        .filter(|k| {
            k.2.priority() == imr_core::model::Priority::Expedited
                && k.2.status == Status::Eligible
                && k.2.assignment.is_none()
        })
        .count();
    (kept.into_iter().map(|k| k.1).collect(), overdue, expedited)
}

fn numbers(slice: &QueueSlice) -> Vec<String> {
    slice.entries.iter().map(|e| e.number.to_string()).collect()
}

async fn check_queue(h: Harness) {
    let s = h.store.as_ref();
    let rules = ClockRules::default();
    let entry = AuditEntry::new(at(1, 1, 9), "admin", "reviewer.added", "");
    for id in ["ortho-1", "pmr-1"] {
        s.add_reviewer(&reviewer(id), &entry).await.unwrap();
    }
    // Six fictional workers, one expedited; names with what LIKE and lower-casing could trip on.
    let workers = [
        "Ana Ñúñez",
        "Bo 100% Real",
        "Cy Under_Score",
        "Di Fictional",
        "Ed Fictional",
        "Flo Quickly",
    ];
    let mut cases = Vec::new();
    for (i, worker) in workers.iter().enumerate() {
        let mut app = application();
        app.worker = worker.to_string();
        app.claim_number = format!("DEMO-Q-{i}");
        if i == 5 {
            app.priority = imr_core::model::Priority::Expedited;
        }
        let case = open_case(s, app, at(1, 21, 9 + i as i8), "intake")
            .await
            .unwrap();
        assert_eq!(case.status, Status::Eligible, "{worker}");
        cases.push(case.number.clone());
    }
    // Assigned on different days (records due at different times), one with its records
    // received through `receive_records` (determination due).
    for (i, id, day) in [(0, "ortho-1", 25), (1, "pmr-1", 22), (3, "ortho-1", 23)] {
        transition(
            s,
            &cases[i],
            at(1, day, 9),
            "clerk",
            &rules,
            &assign(reviewer(id)),
        )
        .await
        .unwrap();
    }
    let mut part: &[u8] = b"fictional records";
    s.receive_records(
        new_document(&cases[1], "medical records", None),
        &mut part,
        true,
        &rules,
    )
    .await
    .unwrap();
    let all = s.list_cases(false).await.unwrap();
    // Records due at the end of 4 February (case 3) and of 6 February (case 0).
    let now = at(2, 5, 12);

    // Everything, in order, each row as the case says.
    let slice = s.queue(&everything(Viewer::All, now)).await.unwrap();
    let (order, overdue, expedited) = expected(&all, |_| true, now);
    assert_eq!(numbers(&slice), order);
    assert_eq!(
        (slice.total, slice.overdue, slice.expedited_unassigned),
        (6, overdue, expedited)
    );
    assert_eq!((overdue, expedited), (1, 1), "the fixture has both");
    assert_eq!(
        slice.entries[0].number, cases[5],
        "the expedited case awaiting assignment comes first"
    );
    for e in &slice.entries {
        let case = all.iter().find(|c| c.number == e.number).unwrap();
        let due = case.open_deadlines().into_iter().min_by_key(|d| d.due);
        assert_eq!(
            e,
            &QueueEntry {
                number: case.number.clone(),
                status: case.status,
                priority: case.priority(),
                reviewer_id: case.reviewer_id().map(str::to_owned),
                received_at: case.received_at,
                due: due.map(|d| (d.kind, d.due)),
                items: case.application.ur_decision.items.len(),
                worker: case.application.worker.clone(),
                claim_number: case.application.claim_number.clone(),
            }
        );
    }
    // Before any deadline nothing is overdue.
    let early = s
        .queue(&everything(Viewer::All, at(1, 1, 0)))
        .await
        .unwrap();
    assert_eq!(early.overdue, 0);

    // Who sees what.
    let seen =
        |viewer: Viewer| async move { numbers(&s.queue(&everything(viewer, now)).await.unwrap()) };
    assert_eq!(
        seen(Viewer::Reviewer("ortho-1".into())).await,
        expected(&all, |c| c.reviewer_id() == Some("ortho-1"), now).0
    );
    assert_eq!(
        seen(Viewer::Case(cases[2].to_string())).await,
        [cases[2].to_string()]
    );
    assert!(seen(Viewer::Nothing).await.is_empty());

    // Filters and search words.
    let query = |f: &dyn Fn(&mut QueueQuery)| {
        let mut q = everything(Viewer::All, now);
        f(&mut q);
        q
    };
    let found = |q: QueueQuery| async move { numbers(&s.queue(&q).await.unwrap()) };
    assert_eq!(
        found(query(&|q| q.status = Some(Status::Assigned))).await,
        expected(&all, |c| c.status == Status::Assigned, now).0
    );
    assert_eq!(
        found(query(&|q| q.reviewer = Some("pmr-1".into()))).await,
        [cases[1].to_string()]
    );
    let words = |w: &[&str]| {
        let w: Vec<String> = w.iter().map(|w| w.to_string()).collect();
        query(&move |q| q.words = w.clone())
    };
    assert_eq!(found(words(&["ñÚñez"])).await, [cases[0].to_string()]);
    assert_eq!(
        found(words(&["%"])).await,
        [cases[1].to_string()],
        "% is a character"
    );
    assert_eq!(
        found(words(&["_"])).await,
        [cases[2].to_string()],
        "_ is a character"
    );
    assert_eq!(
        found(words(&["FICTIONAL"])).await,
        expected(&all, |c| c.application.worker.ends_with("Fictional"), now).0
    );
    assert_eq!(
        found(words(&["fictional", "ed"])).await,
        [cases[4].to_string()]
    );
    assert_eq!(found(words(&["demo-q-3"])).await, [cases[3].to_string()]);
    let number = cases[5].to_string().to_lowercase();
    assert_eq!(
        found(words(&[number.as_str()])).await,
        [cases[5].to_string()]
    );
    assert!(found(words(&["nobody"])).await.is_empty());

    // Pages: the last page for a page past it, the counts of the whole list on every page.
    let page = |n: usize| {
        query(&move |q| {
            q.per_page = 4;
            q.page = n;
        })
    };
    let first = s.queue(&page(1)).await.unwrap();
    let second = s.queue(&page(2)).await.unwrap();
    let past = s.queue(&page(9)).await.unwrap();
    assert_eq!(numbers(&first), order[..4]);
    assert_eq!(numbers(&second), order[4..]);
    assert_eq!((second.page, second.total), (2, 6));
    assert_eq!(past, second);
}

/// Fills a store with a bit of everything.
/// A user of the accounts on the harness's database (drafts belong to users).
async fn draft_user(h: &Harness, name: &str) -> i64 {
    let (_, accounts) = imr_store::accounts::open_with_accounts(&h.url, StoreOptions::default())
        .await
        .unwrap();
    let user = imr_store::accounts::NewUser {
        username: name.into(),
        role: imr_store::accounts::Role::Reviewer,
        reviewer_id: None,
        case_number: None,
        password_hash: format!("hash-of-{name}"),
        must_change_password: false,
        created_at: 1_700_000_000,
    };
    accounts.create_user(&user).await.unwrap().id
}

async fn check_sign_drafts(h: Harness) {
    let s = h.store.as_ref();
    let rules = ClockRules::default();
    let (ortho, other) = (
        draft_user(&h, "ortho-user").await,
        draft_user(&h, "other-user").await,
    );
    s.add_reviewer(
        &reviewer("ortho-1"),
        &AuditEntry::new(at(1, 1, 9), "admin", "reviewer.added", ""),
    )
    .await
    .unwrap();
    let case = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let n = case.number.clone();
    transition(
        s,
        &n,
        at(1, 22, 9),
        "clerk",
        &rules,
        &assign(reviewer("ortho-1")),
    )
    .await
    .unwrap();
    let part = store_bytes(s, &n, "medical records", b"fictional records").await;
    transition(s, &n, at(1, 26, 9), "clerk", &rules, &records(&part, true))
        .await
        .unwrap();
    let draft = |form: &str, hour: i8| SignDraft {
        form: form.into(),
        saved_at: at(1, 27, hour),
    };
    let started = |who: &str| AuditEntry::new(at(1, 27, 9), who, "sign_draft.started", "");

    assert_eq!(s.draft(&n, ortho).await.unwrap(), None);
    let first = draft("clinical_summary=first&decision_0=Upheld", 9);
    let saved = s.save_draft(&n, ortho, &first, &started("ortho")).await;
    assert_eq!(saved.unwrap(), DraftSaved::Started);
    let second = draft("clinical_summary=second+%C3%BC&rationale_1=R%26D", 10);
    let saved = s.save_draft(&n, ortho, &second, &started("ortho")).await;
    assert_eq!(saved.unwrap(), DraftSaved::Replaced);
    assert_eq!(s.draft(&n, ortho).await.unwrap(), Some(second.clone()));
    // Each user has their own draft; the first of each is audited, the others are not.
    assert_eq!(s.draft(&n, other).await.unwrap(), None);
    let theirs = draft("clinical_summary=theirs", 11);
    let saved = s.save_draft(&n, other, &theirs, &started("other")).await;
    assert_eq!(saved.unwrap(), DraftSaved::Started);
    assert_eq!(s.draft(&n, ortho).await.unwrap(), Some(second));
    let log = s.audit_log(&n).await.unwrap();
    let audited: Vec<&str> = log
        .iter()
        .filter(|e| e.event == "sign_draft.started")
        .map(|e| e.actor.as_str())
        .collect();
    assert_eq!(audited, ["ortho", "other"]);
    let err = s
        .save_draft(
            &CaseNumber::parse("CM26-9999999").unwrap(),
            ortho,
            &first,
            &started("ortho"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");

    // Saves racing the signature: whichever order they land in, no draft outlives it.
    let sign = |_: &Case| Action::Sign {
        reviewer_id: "ortho-1".into(),
        decisions: decisions(),
        clinical_summary: Some("A fictional summary.".into()),
    };
    let store = h.store.clone();
    let racing: Vec<_> = (0..16)
        .map(|i| {
            let store = store.clone();
            let n = n.clone();
            let user = if i % 2 == 0 { ortho } else { other };
            tokio::spawn(async move {
                let d = draft(&format!("clinical_summary=racing-{i}"), 12);
                let entry = AuditEntry::new(at(1, 27, 12), "racer", "sign_draft.started", "");
                store.save_draft(&n, user, &d, &entry).await
            })
        })
        .collect();
    let signed = transition(s, &n, at(1, 28, 9), "ortho-1", &rules, &sign)
        .await
        .unwrap();
    assert_eq!(signed.status, Status::Determined);
    for r in racing {
        match r.await.unwrap() {
            Ok(_) | Err(StoreError::NoDraft { .. }) => {}
            Err(e) => panic!("a draft save failed otherwise: {e}"),
        }
    }
    assert_eq!(s.draft(&n, ortho).await.unwrap(), None);
    assert_eq!(s.draft(&n, other).await.unwrap(), None);
    // A signed case takes no draft, and says why.
    let err = s
        .save_draft(&n, ortho, &first, &started("ortho"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NoDraft { status, .. } if status == "determined"),
        "{err}"
    );
    assert!(err.to_string().contains("determined"), "{err}");
}

async fn populate(s: &dyn Store) {
    let rules = ClockRules::default();
    let entry = AuditEntry::new(at(1, 1, 9), "admin", "reviewer.added", "");
    for id in ["ortho-1", "pmr-1", "psych-new"] {
        s.add_reviewer(&reviewer(id), &entry).await.unwrap();
    }
    s.allocate_case_number(2026).await.unwrap(); // a number never used
    let a = open_case(s, application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let mut late = application();
    late.claim_number = "DEMO-LATE".into();
    late.filed = date(2026, 3, 1);
    let b = open_case(s, late, at(3, 2, 9), "intake").await.unwrap();
    assert_eq!(b.status, Status::Ineligible);
    transition(
        s,
        &a.number,
        at(1, 22, 9),
        "clerk",
        &rules,
        &assign(reviewer("ortho-1")),
    )
    .await
    .unwrap();
    let doc = store_bytes(s, &a.number, "medical records", &pattern(2_200_000, 9)).await;
    transition(
        s,
        &a.number,
        at(1, 26, 9),
        "clerk",
        &rules,
        &records(&doc, true),
    )
    .await
    .unwrap();
    store_bytes(s, &b.number, "application", b"{\"fictional\": true}").await;
    s.record_audit(
        Some(&a.number),
        &AuditEntry::new(at(1, 27, 9), "clerk", "case.viewed", ""),
    )
    .await
    .unwrap();
}

async fn export_lines(s: &dyn Store) -> Vec<String> {
    let mut lines = Vec::new();
    s.export(&mut |r| {
        lines.push(serde_json::to_string(&r).unwrap());
        Ok(())
    })
    .await
    .unwrap();
    lines
}

async fn import_lines(s: &dyn Store, lines: &[String]) -> Result<u64, StoreError> {
    let mut records = lines.iter().map(|l| {
        serde_json::from_str::<ExportRecord>(l).map_err(|e| StoreError::Other(e.to_string()))
    });
    s.import(&mut records).await
}

/// A second, empty store on the same backend as `h`.
async fn sibling(h: &Harness) -> Harness {
    if h.url.starts_with("postgres") {
        postgres(Default::default()).await.unwrap()
    } else {
        sqlite(Default::default()).await
    }
}

async fn check_export_import(h: Harness) {
    populate(h.store.as_ref()).await;
    let lines = export_lines(h.store.as_ref()).await;
    assert!(lines.len() > 10, "{} lines", lines.len());
    let copy = sibling(&h).await;
    let n = import_lines(copy.store.as_ref(), &lines).await.unwrap();
    assert_eq!(n, lines.len() as u64);
    assert_eq!(
        export_lines(copy.store.as_ref()).await,
        lines,
        "the copy exports the same"
    );
    let whole = everything(Viewer::All, at(2, 1, 0));
    assert_eq!(
        copy.store.queue(&whole).await.unwrap(),
        h.store.queue(&whole).await.unwrap(),
        "an import writes the queue's columns"
    );
    // The copy goes on where the original stopped: the next number and ids are new.
    let next = copy.store.allocate_case_number(2026).await.unwrap();
    assert_eq!(next, h.store.allocate_case_number(2026).await.unwrap());
    let case = copy.store.list_cases(false).await.unwrap().remove(0);
    let doc = store_bytes(copy.store.as_ref(), &case.number, "more", b"more").await;
    let original_doc = store_bytes(h.store.as_ref(), &case.number, "more", b"more").await;
    assert_eq!(doc.id, original_doc.id);
    // Importing into a store that holds data is refused.
    let err = import_lines(copy.store.as_ref(), &lines).await.unwrap_err();
    assert!(matches!(err, StoreError::NotEmpty), "{err}");
    forget(copy).await;
}

/// Drops a sibling store's PostgreSQL database.
async fn forget(h: Harness) {
    let url = h.url.clone();
    drop(h);
    if url.starts_with("postgres") {
        drop_postgres(&url).await;
    }
}

async fn check_bad_import(h: Harness) {
    let source = sibling(&h).await;
    populate(source.store.as_ref()).await;
    let lines = export_lines(source.store.as_ref()).await;
    // One byte of a chunk changed: the hash no longer matches, nothing is imported.
    let mut altered = lines.clone();
    let i = altered
        .iter()
        .position(|l| l.contains("\"type\":\"chunk\""))
        .unwrap();
    let pos = altered[i].find("\"hex\":\"").unwrap() + 7;
    let old = altered[i].as_bytes()[pos];
    altered[i].replace_range(pos..pos + 1, if old == b'0' { "1" } else { "0" });
    let err = import_lines(h.store.as_ref(), &altered).await.unwrap_err();
    assert!(err.to_string().contains("incomplete or altered"), "{err}");
    // A missing chunk, likewise.
    let mut short = lines.clone();
    short.remove(i);
    let err = import_lines(h.store.as_ref(), &short).await.unwrap_err();
    assert!(matches!(err, StoreError::BadImport { .. }), "{err}");
    // No header.
    let err = import_lines(h.store.as_ref(), &lines[1..])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("header"), "{err}");
    assert!(h.store.list_cases(false).await.unwrap().is_empty());
    assert!(h.store.reviewers().await.unwrap().is_empty());
    // And the store still takes the good export.
    import_lines(h.store.as_ref(), &lines).await.unwrap();
    assert_eq!(export_lines(h.store.as_ref()).await, lines);
    forget(source).await;
}

// ---------------------------------------------------------------------------------------------
// SIGKILL in the middle of storing a large document

/// The size of the document the child stores: 48 MiB, 48 chunks.
const BIG: u64 = 48 * 1024 * 1024;

/// A reader that announces on stdout how far it got, then goes on slowly, so the parent can
/// kill the process while the document's transaction is open.
struct Announcing {
    left: u64,
    given: u64,
}

impl AsyncRead for Announcing {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = (buf.remaining() as u64).min(self.left).min(1024 * 1024) as usize;
        buf.put_slice(&pattern(n, 1));
        self.left -= n as u64;
        self.given += n as u64;
        if self.given.is_multiple_of(1024 * 1024) {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "GIVEN {}", self.given / (1024 * 1024));
            let _ = out.flush();
        }
        Poll::Ready(Ok(()))
    }
}

/// Not a test of its own: the child process of `check_sigkill`. Without IMR_SIGKILL_URL it
/// does nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_store_slow_document() {
    let (Ok(url), Ok(number)) = (
        std::env::var("IMR_SIGKILL_URL"),
        std::env::var("IMR_SIGKILL_CASE"),
    ) else {
        return;
    };
    let store = imr_store::open(&url, Default::default()).await.unwrap();
    let number = CaseNumber::parse(&number).unwrap();
    let mut reader = Announcing {
        left: BIG,
        given: 0,
    };
    let info = store
        .store_document(
            new_document(&number, "large records", Some(BIG)),
            &mut reader,
        )
        .await
        .unwrap();
    println!("STORED {}", info.id);
}

async fn check_sigkill(h: Harness) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let case = open_case(h.store.as_ref(), application(), at(1, 21, 9), "intake")
        .await
        .unwrap();
    let run_child = |kill_after: Option<u64>| {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "child_store_slow_document",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("IMR_SIGKILL_URL", &h.url)
            .env("IMR_SIGKILL_CASE", case.number.as_str())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut last = 0;
        let mut stored = false;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(n) = line.strip_prefix("GIVEN ") {
                last = n.trim().parse().unwrap();
                if kill_after.is_some_and(|k| last >= k) {
                    // SIGKILL: no destructor, no rollback by the process itself.
                    child.kill().unwrap();
                    break;
                }
            }
            if line.starts_with("STORED") {
                stored = true;
            }
        }
        let status = child.wait().unwrap();
        (status, last, stored)
    };
    // Killed after 20 of 48 chunks were handed over: the store holds no part of it.
    let (status, given, stored) = tokio::task::block_in_place(|| run_child(Some(20)));
    assert!(!status.success(), "the child was killed");
    assert!((20..48).contains(&given), "killed midway, at {given} MiB");
    assert!(!stored);
    // Reopen, as a new process would.
    let reopened = imr_store::open(&h.url, Default::default()).await.unwrap();
    assert!(reopened.documents(&case.number).await.unwrap().is_empty());
    let mut records = 0;
    reopened
        .export(&mut |r| {
            if matches!(
                r,
                ExportRecord::Chunk { .. } | ExportRecord::Document { .. }
            ) {
                records += 1;
            }
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(records, 0, "no chunk of the killed document remains");
    // Left alone, the same child stores the whole document, and it reads back whole.
    let (status, _, stored) = tokio::task::block_in_place(|| run_child(None));
    assert!(status.success() && stored);
    let docs = reopened.documents(&case.number).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].size, BIG);
    let bytes = reopened.read_document(docs[0].id).await.unwrap();
    let mut expected = Vec::new();
    for _ in 0..48 {
        expected.extend(pattern(1024 * 1024, 1));
    }
    assert_eq!(bytes, expected);
}
