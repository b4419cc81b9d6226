//! The case operations, tested once for both front ends: on a real SQLite file always, and on
//! PostgreSQL when IMR_TEST_PG_URL names a server (each test gets a fresh database there).
//! The people and records are fictional (data/demo).

#![allow(clippy::unwrap_used)]

#[path = "../../imr-server/tests/records_pdf/mod.rs"]
mod records_pdf;

use std::path::PathBuf;
use std::sync::Arc;

use imr_app::{App, AppError, LetterFormat, Upload};
use imr_case::workflow::ItemDecision;
use imr_case::{
    Application, AuditEntry, Case, CaseNumber, Draft, DraftDecision, NoticeMethod, Refusal,
    Reviewer, SignProblem, Status,
};
use imr_store::{ReceivedFile, Store};
use jiff::civil::{DateTime, date};

// ---------------------------------------------------------------------------------------------
// Backends

/// The operations under test and what they need kept alive.
struct Harness {
    app: App,
    _dir: Option<tempfile::TempDir>,
    url: String,
}

async fn sqlite() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("imr.db").display());
    let store = imr_store::open(&url, Default::default()).await.unwrap();
    Harness {
        app: App::new(store).unwrap(),
        _dir: Some(dir),
        url,
    }
}

/// A fresh database on the server IMR_TEST_PG_URL names, or None (with a note) when unset.
async fn postgres() -> Option<Harness> {
    let url = imr_testkit::postgres::fresh_database("operations").await?;
    let store = imr_store::open(&url, Default::default()).await.unwrap();
    Some(Harness {
        app: App::new(store).unwrap(),
        _dir: None,
        url,
    })
}

/// Runs a check on SQLite and on PostgreSQL (ignored, naming the need, without a server).
macro_rules! on_both_backends {
    ($($name:ident => $check:ident,)*) => {
        mod sqlite_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$check(super::sqlite().await).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[imr_testkit::needs(postgres)]
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(h) = super::postgres().await {
                        let url = h.url.clone();
                        super::$check(h).await;
                        imr_testkit::postgres::drop_database(&url).await;
                    }
                }
            )*
        }
    };
}

on_both_backends! {
    a_case_goes_from_application_to_public_copy => check_whole_life,
    assignment_picks_the_best_qualified_and_refuses_conflicts => check_assignment,
    documents_are_refused_whole_and_named => check_document_refusals,
    the_reading_loop_reads_text_and_pdf_and_marks_what_it_cannot => check_reading_loop,
    nothing_is_signed_that_was_not_checked_at_its_version => check_signing,
    a_sign_draft_is_kept_until_the_case_is_signed => check_drafts,
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const CLERK: &str = "clerk-1";

fn demo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo")
        .join(path)
}

fn application() -> Application {
    let text = std::fs::read_to_string(demo("application.json")).unwrap();
    Application::from_json(&text, date(2026, 11, 1)).unwrap()
}

fn at(month: i8, day: i8, hour: i8) -> DateTime {
    date(2026, month, day).at(hour, 0, 0, 0)
}

async fn add_reviewers(store: &dyn Store, ids: &[&str]) {
    for id in ids {
        let text = std::fs::read_to_string(demo(&format!("reviewers/{id}.json"))).unwrap();
        let reviewer = Reviewer::from_json(&text).unwrap();
        let entry = AuditEntry::new(at(1, 20, 9), CLERK.to_string(), "reviewer.added", "");
        store.add_reviewer(&reviewer, &entry).await.unwrap();
    }
}

fn text(kind: &str, note: &str, complete: bool) -> Upload<'static> {
    Upload {
        kind: kind.into(),
        filename: Some("note.txt".into()),
        media_type: "text/plain; charset=utf-8".into(),
        bytes: Box::leak(note.to_string().into_boxed_str()).as_bytes(),
        complete,
    }
}

/// The reviewer's decisions of data/demo/decisions.json, with its clinical summary.
fn draft() -> Draft {
    #[derive(serde::Deserialize)]
    struct File {
        clinical_summary: String,
        decisions: Vec<ItemDecision>,
    }
    let file: File =
        serde_json::from_str(&std::fs::read_to_string(demo("decisions.json")).unwrap()).unwrap();
    Draft {
        decisions: file
            .decisions
            .into_iter()
            .map(|d| DraftDecision {
                request: d.request,
                decision: Some(d.decision),
                guideline: d.guideline,
                rationale: d.rationale,
            })
            .collect(),
        clinical_summary: file.clinical_summary,
    }
}

/// A case opened on 2026-01-21 and assigned to ortho-1 the next day.
async fn assigned(app: &App) -> Case {
    add_reviewers(
        app.store.as_ref(),
        &["ortho-1", "pmr-1", "ortho-conflicted"],
    )
    .await;
    let case = app
        .open_case(application(), None, at(1, 21, 9), CLERK)
        .await
        .unwrap();
    assign_to(app, &case, Some("ortho-1"), at(1, 22, 9))
        .await
        .unwrap()
}

async fn events(store: &dyn Store, case: &CaseNumber) -> Vec<String> {
    let log = store.audit_log(case).await.unwrap();
    log.into_iter().map(|e| e.event).collect()
}

/// The candidates of the case weighed afresh, and `by_hand` or the best of them assigned.
async fn assign_to(
    app: &App,
    case: &Case,
    by_hand: Option<&str>,
    when: DateTime,
) -> Result<Case, AppError> {
    let candidates = app.candidates(case).await.unwrap();
    app.assign(
        case,
        candidates,
        by_hand,
        NoticeMethod::Electronic,
        when,
        CLERK,
    )
    .await
}

/// The draft checked by `reviewer` against the case as stored now.
async fn check_now(
    app: &App,
    number: &CaseNumber,
    reviewer: &str,
    draft: &Draft,
    when: DateTime,
) -> Result<imr_app::Checked, AppError> {
    let read = app.store.load_case(number).await.unwrap().unwrap();
    app.check_draft(read, reviewer, draft, when).await
}

/// Signs a checked draft at the version it was checked at.
async fn sign(
    app: &App,
    checked: imr_app::Checked,
    when: DateTime,
    reviewer: &str,
) -> Result<Case, AppError> {
    let version = checked.version;
    app.sign(checked, version, when, reviewer).await
}

// ---------------------------------------------------------------------------------------------
// Checks

async fn check_whole_life(h: Harness) {
    let app = &h.app;
    let store = app.store.as_ref();
    add_reviewers(store, &["ortho-1", "pmr-1", "ortho-conflicted"]).await;
    let bytes = std::fs::read(demo("application.json")).unwrap();
    let file = ReceivedFile {
        filename: Some("application.json".into()),
        media_type: "application/json".into(),
        bytes: &bytes,
    };
    let case = app
        .open_case(application(), Some(file), at(1, 21, 9), CLERK)
        .await
        .unwrap();
    assert!(case.eligibility.is_eligible(), "{:?}", case.eligibility);
    let number = case.number.clone();
    let candidates = app.candidates(&case).await.unwrap();
    let case = app
        .assign(
            &case,
            candidates,
            None,
            NoticeMethod::Mail,
            at(1, 22, 9),
            CLERK,
        )
        .await
        .unwrap();
    assert_eq!(case.reviewer_id(), Some("ortho-1"));
    let first = "Fictional progress note: low back pain radiating to the right leg.";
    let second = "Examination shows weakness of ankle dorsiflexion, progressive over six weeks.";
    app.add_document(
        &number,
        text("medical records", first, false),
        at(1, 27, 10),
        CLERK,
    )
    .await
    .unwrap();
    let (_, case) = app
        .add_document(
            &number,
            text("medical records", second, true),
            at(2, 4, 16),
            CLERK,
        )
        .await
        .unwrap();
    assert_eq!(case.status, Status::RecordsComplete);

    // The proposal reads both records, in order, a blank line apart (not the application).
    let read = store.load_case(&number).await.unwrap().unwrap();
    let analysis = app
        .analysis(&read.value, read.version, at(2, 5, 9))
        .await
        .unwrap();
    assert_eq!(analysis.text, format!("{first}\n\n{second}"));
    assert_eq!(analysis.findings.items.len(), 2);
    let weakness = analysis.text.find("weakness").unwrap();
    let located = analysis.sources.locate(weakness, weakness + 8).unwrap();
    let in_second = second.find("weakness").unwrap();
    assert_eq!(
        (located.start, located.line, located.page),
        (in_second, 1, None)
    );

    // The summary names the worker: the public copy must not.
    let mut named = draft();
    named.clinical_summary = format!("Morgan Fictitious: {}", named.clinical_summary);
    let checked = app
        .check_draft(read, "ortho-1", &named, at(3, 9, 11))
        .await
        .unwrap();
    let preview = app.preview_letter(&checked, at(3, 9, 11)).await.unwrap();
    assert!(
        preview.contains(number.as_str()),
        "the preview names the case"
    );
    let version = checked.version;
    let case = app
        .sign(checked, version, at(3, 9, 11), "ortho-1")
        .await
        .unwrap();
    assert_eq!(case.status, Status::Determined);

    for (format, starts) in [
        (LetterFormat::Text, b"".as_slice()),
        (LetterFormat::Pdf, b"%PDF-".as_slice()),
    ] {
        let letter = app.letter(&case, format).await.unwrap();
        assert!(letter.starts_with(starts), "{format:?}");
    }
    let letter = String::from_utf8(app.letter(&case, LetterFormat::Text).await.unwrap()).unwrap();
    assert!(
        letter.contains("MRI of the lumbar spine without contrast: Overturned"),
        "{letter}"
    );
    let case = app
        .issue_letter(&number, at(3, 10, 9), CLERK)
        .await
        .unwrap();
    assert!(case.letter_issued_at.is_some());

    // The public copy names no party of the application, and is issued once.
    let copy = app.public_copy(case.clone()).await.unwrap();
    let copy_text = imr_letter::write::render_text(&copy.letter);
    assert!(!copy_text.contains("Morgan Fictitious"), "{copy_text}");
    assert!(
        copy.report
            .iter()
            .any(|(kind, n)| kind.as_str() == "name" && *n > 0),
        "{:?}",
        copy.report
    );
    app.audit_second_look(&copy, at(3, 11, 9), "quality-1")
        .await
        .unwrap();
    let document = app
        .issue_public_copy(copy, "quality", at(3, 11, 9), "quality-1")
        .await
        .unwrap();
    assert_eq!(document.kind, "public copy");
    let again = app.public_copy(case).await.unwrap();
    assert_eq!(again.issued.as_ref().map(|d| d.id), Some(document.id));
    let err = app
        .issue_public_copy(again, "quality", at(3, 11, 10), "quality-1")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::PublicCopyIssued { .. }), "{err}");

    assert_eq!(
        events(store, &number).await,
        [
            "case.opened",
            "document.stored",
            "case.assigned",
            "document.stored",
            "case.records_received",
            "document.stored",
            "case.records_received",
            "case.signed",
            "case.letter_issued",
            "public_copy.second_look",
            "document.stored",
            "public_copy.issued",
        ]
    );
    let mut lines = Vec::new();
    let exported = app.export_lines(&mut lines).await.unwrap();
    let text = String::from_utf8(lines).unwrap();
    assert_eq!(text.lines().count() as u64, exported);
    assert!(exported > 10, "{exported} records");
}

async fn check_assignment(h: Harness) {
    let app = &h.app;
    add_reviewers(app.store.as_ref(), &["ortho-conflicted", "psych-new"]).await;
    let case = app
        .open_case(application(), None, at(1, 21, 9), CLERK)
        .await
        .unwrap();
    // Only a conflicted and an unqualified reviewer: nobody is assigned, and by hand the
    // workflow refuses the conflict.
    let candidates = app.candidates(&case).await.unwrap();
    assert!(candidates.ranked.iter().all(|a| !a.qualifies()));
    let err = app
        .assign(
            &case,
            candidates,
            None,
            NoticeMethod::Electronic,
            at(1, 22, 9),
            CLERK,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::NoQualifiedReviewer(_)), "{err}");
    let err = assign_to(app, &case, Some("ortho-conflicted"), at(1, 22, 9))
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Refused(Refusal::NotQualified { .. })),
        "{err}"
    );
    let err = assign_to(app, &case, Some("nobody"), at(1, 22, 9))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "no reviewer nobody");

    add_reviewers(app.store.as_ref(), &["pmr-1", "ortho-1"]).await;
    let candidates = app.candidates(&case).await.unwrap();
    let qualified: Vec<&str> = candidates
        .ranked
        .iter()
        .filter(|a| a.qualifies())
        .map(|a| a.reviewer_id.as_str())
        .collect();
    assert_eq!(qualified, ["ortho-1", "pmr-1"]);
    let case = app
        .assign(
            &case,
            candidates,
            None,
            NoticeMethod::Electronic,
            at(1, 22, 9),
            CLERK,
        )
        .await
        .unwrap();
    assert_eq!(case.reviewer_id(), Some("ortho-1"));
    let err = assign_to(app, &case, None, at(1, 23, 9)).await.unwrap_err();
    assert!(
        matches!(err, AppError::Refused(Refusal::AlreadyAssigned { .. })),
        "{err}"
    );

    // An application with a field wrong is refused by name, and opens nothing.
    let mut late = application();
    late.filed = date(2031, 1, 21);
    let err = app
        .open_case(late, None, at(1, 21, 9), CLERK)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("filed: 2031-01-21"), "{err}");
    assert_eq!(app.store.list_cases(false).await.unwrap().len(), 1);
}

async fn check_document_refusals(h: Harness) {
    let app = &h.app;
    let case = assigned(app).await;
    let number = &case.number;
    let stored = || async { app.store.documents(number).await.unwrap().len() };
    let before = stored().await;
    // Each refusal: (what is sent, what the error must say).
    let note = "A fictional note.";
    app.add_document(
        number,
        text("medical records", note, false),
        at(1, 25, 9),
        CLERK,
    )
    .await
    .unwrap();
    let cases: [(Upload<'static>, &str); 3] = [
        (
            text("  ", "Another note.", false),
            "kind: must not be empty",
        ),
        (
            text("correspondence", note, false),
            "this document was already received for case",
        ),
        (text("medical records", "", false), "empty (0 bytes)"),
    ];
    for (upload, expected) in cases {
        let err = app
            .add_document(number, upload, at(1, 26, 9), CLERK)
            .await
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert_eq!(stored().await, before + 1);
    // A batch with the same file twice is refused before anything is stored.
    let sha = imr_app::sha256_hex(b"x");
    let err = app
        .check_records(
            &case,
            "medical records",
            &[sha.clone(), sha],
            at(1, 26, 9),
            CLERK,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AppError::SameFileTwice {
                index: 1,
                earlier: 0
            }
        ),
        "{err}"
    );
}

async fn check_reading_loop(h: Harness) {
    let app = &h.app;
    let case = assigned(app).await;
    let number = &case.number;
    let pdf = records_pdf::records_pdf(&["Fictional note, page one.", "Right leg weakness."]);
    // A PDF whose one stream inflates past the reader's limit: refused when read, not stored.
    let bomb = imr_pdf::inflating::inflating_pdf(512 * 1024 * 1024, b'A');
    for (bytes, kind) in [(&pdf, "medical records"), (&bomb, "UR decision")] {
        let upload = Upload {
            kind: kind.into(),
            filename: Some("scan.pdf".into()),
            media_type: "application/pdf".into(),
            bytes,
            complete: false,
        };
        app.add_document(number, upload, at(1, 25, 9), CLERK)
            .await
            .unwrap();
    }
    app.add_document(
        number,
        text("medical records", "Typed note.", true),
        at(1, 26, 9),
        CLERK,
    )
    .await
    .unwrap();
    let read = app
        .read_clinical_text(
            &app.store.load_case(number).await.unwrap().unwrap().value,
            at(1, 27, 9),
        )
        .await
        .unwrap();
    assert!(
        read.text.starts_with("Fictional note, page one."),
        "{}",
        read.text
    );
    assert!(read.text.ends_with("\n\nTyped note."), "{}", read.text);
    assert_eq!(read.unreadable.len(), 1);
    let reason = read.unreadable[0].reason.clone();
    assert!(reason.contains("limit"), "{reason}");
    // Marked once: read again, the reason is the stored one, and the document page says it.
    let marked = app.store.unreadable_documents(number).await.unwrap();
    assert_eq!(marked.len(), 1);
    let docs = app.store.documents(number).await.unwrap();
    let bomb_doc = docs.iter().find(|d| d.id == marked[0].0).unwrap();
    assert_eq!(
        app.document_text(bomb_doc, at(1, 28, 9)).await.unwrap(),
        Err(reason)
    );
    let weakness = read.text.find("weakness").unwrap();
    let located = read.sources.locate(weakness, weakness + 8).unwrap();
    assert_eq!((located.page, located.line), (Some(1), 2));
    // The application is no clinical text.
    let application = docs.iter().find(|d| d.kind == "application");
    if let Some(doc) = application {
        assert!(app.document_text(doc, at(1, 28, 9)).await.unwrap().is_err());
    }
    // An upload is read under the limits before it is stored.
    let check = imr_app::check_upload_within(bomb.into(), std::time::Duration::from_secs(1))
        .await
        .unwrap();
    assert!(check.result.is_err());
    let check = imr_app::check_upload_within(pdf.into(), std::time::Duration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(check.result, Ok(true));
}

async fn check_signing(h: Harness) {
    let app = &h.app;
    let case = assigned(app).await;
    let number = case.number.clone();
    let read = app.store.load_case(&number).await.unwrap().unwrap();
    // Records awaited: the case is not ready.
    let err = app
        .check_draft(read, "ortho-1", &draft(), at(1, 30, 9))
        .await
        .unwrap_err();
    let AppError::CannotSign { problems, .. } = &err else {
        panic!("{err}");
    };
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, SignProblem::NotReady { .. })),
        "{err}"
    );
    let note = "Fictional progress note: weakness of ankle dorsiflexion, progressive.";
    app.add_document(
        &number,
        text("medical records", note, true),
        at(1, 31, 9),
        CLERK,
    )
    .await
    .unwrap();
    // A letter before the signature, and a draft without a summary, are refused by name.
    let current = app.store.load_case(&number).await.unwrap().unwrap();
    let err = app
        .letter(&current.value, LetterFormat::Text)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::NotDetermined { .. }), "{err}");
    let err = app.public_copy(current.value.clone()).await.unwrap_err();
    assert!(matches!(err, AppError::NotSigned { .. }), "{err}");
    let mut no_summary = draft();
    no_summary.clinical_summary.clear();
    let err = app
        .check_draft(current.clone(), "ortho-1", &no_summary, at(2, 1, 9))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("clinical_summary: the clinical summary is empty"),
        "{err}"
    );

    // Records that arrive after the check make the signature fail, and sign nothing.
    let checked = app
        .check_draft(current, "ortho-1", &draft(), at(2, 1, 9))
        .await
        .unwrap();
    let late = "Follow-up note (fictional): new findings since the last visit.";
    app.add_document(
        &number,
        text("medical records", late, false),
        at(2, 1, 10),
        CLERK,
    )
    .await
    .unwrap();
    let version = checked.version;
    let err = app
        .sign(checked, version, at(2, 1, 11), "ortho-1")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::ChangedSinceChecked(_)), "{err}");
    assert!(err.to_string().contains("nothing was signed"), "{err}");
    // Only the assignee signs.
    let checked = check_now(app, &number, "pmr-1", &draft(), at(2, 2, 9))
        .await
        .unwrap();
    let err = sign(app, checked, at(2, 2, 9), "pmr-1").await.unwrap_err();
    assert!(
        matches!(err, AppError::Refused(Refusal::SignerNotAssignee { .. })),
        "{err}"
    );
    let checked = check_now(app, &number, "ortho-1", &draft(), at(2, 2, 10))
        .await
        .unwrap();
    let signed = sign(app, checked, at(2, 2, 10), "ortho-1").await.unwrap();
    assert_eq!(signed.status, Status::Determined);
    // Determined: no more records.
    let err = app
        .add_document(
            &number,
            text("medical records", "Too late.", false),
            at(2, 3, 9),
            CLERK,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AppError::Refused(Refusal::RecordsAfterDetermination { .. })
        ),
        "{err}"
    );
    let log = events(app.store.as_ref(), &number).await;
    assert_eq!(log.iter().filter(|e| *e == "case.signed").count(), 1);
}

async fn check_drafts(h: Harness) {
    let app = &h.app;
    let store: Arc<dyn Store> = app.store.clone();
    let case = assigned(app).await;
    let number = case.number.clone();
    let note = "Fictional progress note: weakness of ankle dorsiflexion, progressive.";
    app.add_document(
        &number,
        text("medical records", note, true),
        at(1, 31, 9),
        CLERK,
    )
    .await
    .unwrap();
    // A sign draft belongs to a user of the accounts on the same database.
    let (_, accounts) = imr_store::accounts::open_with_accounts(&h.url, Default::default())
        .await
        .unwrap();
    let user = imr_store::accounts::NewUser {
        username: "ortho-1".into(),
        role: imr_store::accounts::Role::Reviewer,
        reviewer_id: Some("ortho-1".into()),
        case_number: None,
        password_hash: "not a real hash".into(),
        must_change_password: false,
        created_at: 1_700_000_000,
    };
    let user = accounts.create_user(&user).await.unwrap().id;
    let first = app
        .save_draft(
            &number,
            user,
            "clinical_summary=A".into(),
            false,
            at(2, 1, 9),
            "ortho-1",
        )
        .await
        .unwrap();
    assert!(first.is_some());
    app.save_draft(
        &number,
        user,
        "clinical_summary=AB".into(),
        true,
        at(2, 1, 10),
        "ortho-1",
    )
    .await
    .unwrap();
    let kept = store.draft(&number, user).await.unwrap().unwrap();
    assert_eq!(kept.form, "clinical_summary=AB");
    let read = store.load_case(&number).await.unwrap().unwrap();
    let checked = app
        .check_draft(read, "ortho-1", &draft(), at(2, 2, 9))
        .await
        .unwrap();
    let version = checked.version;
    app.sign(checked, version, at(2, 2, 9), "ortho-1")
        .await
        .unwrap();
    assert_eq!(
        store.draft(&number, user).await.unwrap(),
        None,
        "signing deletes drafts"
    );
    let after = app
        .save_draft(
            &number,
            user,
            "clinical_summary=C".into(),
            false,
            at(2, 3, 9),
            "ortho-1",
        )
        .await
        .unwrap();
    assert!(after.is_none(), "a signed case keeps no draft");
    let log = events(store.as_ref(), &number).await;
    let drafts: Vec<&String> = log.iter().filter(|e| e.starts_with("sign_draft")).collect();
    assert_eq!(drafts, ["sign_draft.started", "sign_draft.kept"]);
}
