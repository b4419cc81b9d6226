//! Signing is compare-and-set on the version the reviewer checked (and previewed): records that
//! arrive in between make the signature fail with 409 and sign nothing. The case operations are
//! called as the API and the workbench call them, on a real SQLite store.

mod common;

use axum::http::StatusCode;
use imr_case::{AuditEntry, Draft, DraftDecision, NoticeMethod, Reviewer, Status};
use imr_core::model::Decision;
use imr_server::auth::Principal;
use imr_server::cases::{self, Upload};
use imr_server::{AppState, Settings};
use imr_store::accounts::Role;

use common::{application, data};

fn principal(role: Role, reviewer_id: Option<&str>) -> Principal {
    Principal {
        user_id: 1,
        username: format!("{}-user", role.as_str()),
        role,
        reviewer_id: reviewer_id.map(str::to_owned),
        case_number: None,
        csrf_token: String::new(),
        token_sha256: String::new(),
        idle_seconds_left: None,
    }
}

fn records(note: &str) -> Upload<'_> {
    Upload {
        kind: "medical records".into(),
        filename: None,
        media_type: "text/plain".into(),
        bytes: note.as_bytes(),
        complete: true,
    }
}

/// A case assigned to `rev-ortho` with complete records, and the reviewer's draft for it.
async fn ready_case(state: &AppState, clerk: &Principal) -> (String, Draft) {
    let list: Vec<Reviewer> = serde_json::from_str(
        &std::fs::read_to_string(data("reviewers.json")).expect("reviewers fixture"),
    )
    .expect("reviewers JSON");
    for r in &list {
        let entry = AuditEntry::new(imr_server::state::now(), "test", "reviewer.added", "");
        state.store.add_reviewer(r, &entry).await.expect("reviewer");
    }
    let app = serde_json::from_value(application()).expect("application");
    let case = cases::open_application(state, clerk, app)
        .await
        .expect("opened");
    let n = case.number.to_string();
    cases::assign(
        state,
        clerk,
        &n,
        Some("rev-ortho"),
        NoticeMethod::Electronic,
    )
    .await
    .expect("assigned");
    let note = std::fs::read_to_string(data("records.txt")).expect("records");
    cases::add_document(state, clerk, &n, records(&note))
        .await
        .expect("records complete");
    let draft = Draft {
        decisions: case
            .application
            .ur_decision
            .items
            .iter()
            .map(|i| DraftDecision {
                request: i.request.clone(),
                decision: Some(Decision::Upheld),
                guideline: Some("MTUS ACOEM Low Back Complaints".into()),
                rationale: "The reviewer's own reading of the fictional records.".into(),
            })
            .collect(),
        clinical_summary: "A fictional worker with low back pain.".into(),
    };
    (n, draft)
}

#[tokio::test]
async fn records_arriving_after_the_check_make_the_signature_fail_with_409() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("imr.db");
    let (store, accounts) =
        imr_store::accounts::open_with_accounts(db.to_str().expect("utf-8"), Default::default())
            .await
            .expect("store opens");
    let state = AppState::new(store, accounts, Settings::default()).expect("state");
    let clerk = principal(Role::IntakeClerk, None);
    let reviewer = principal(Role::Reviewer, Some("rev-ortho"));
    let (n, draft) = ready_case(&state, &clerk).await;

    // The reviewer checks (and would preview) the draft; then more records arrive.
    let checked = cases::check_draft(&state, &reviewer, &n, &draft)
        .await
        .expect("may sign")
        .expect("a draft that can be signed");
    let late = "Follow-up note (fictional): new findings since the last visit.\n";
    cases::add_document(&state, &clerk, &n, records(late))
        .await
        .expect("late records are still accepted before signing");
    let err = cases::sign_checked(&state, &reviewer, checked)
        .await
        .expect_err("the case changed since the check");
    assert_eq!(err.status, StatusCode::CONFLICT, "{}", err.message);
    assert!(
        err.message.contains("nothing was signed"),
        "{}",
        err.message
    );
    let case = cases::load_case(&state, &clerk, &n).await.expect("case");
    assert!(case.determination.is_none(), "nothing was signed");
    assert_eq!(case.status, Status::RecordsComplete);

    // A version the reviewer previewed before the case changed: refused too.
    let checked = cases::check_draft(&state, &reviewer, &n, &draft)
        .await
        .expect("may sign")
        .expect("a draft that can be signed");
    let stale = checked.version - 1;
    let err = cases::sign_at_version(&state, &reviewer, checked, stale)
        .await
        .expect_err("a stale preview");
    assert_eq!(err.status, StatusCode::CONFLICT, "{}", err.message);

    // Checked again on the case as it is now, it signs.
    let checked = cases::check_draft(&state, &reviewer, &n, &draft)
        .await
        .expect("may sign")
        .expect("a draft that can be signed");
    let version = checked.version;
    let signed = cases::sign_at_version(&state, &reviewer, checked, version)
        .await
        .expect("signed");
    assert_eq!(signed.status, Status::Determined);
    assert!(signed.determination.is_some());
}
