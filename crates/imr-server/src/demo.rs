//! Demo data for `imr serve --demo`: fictional reviewers and cases written for this project
//! (`data/demo/server/`), built into the binary so a new user sees a working system at once.
//! Each demo case is brought to its stage through the same operations a user performs.

use imr_case::{Application, AuditEntry, NoticeMethod, Reviewer};
use imr_store::accounts::Role;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;

use crate::auth::{self, Principal};
use crate::cases;
use crate::state::{AppState, now};

const REVIEWERS: &str = include_str!("../../../data/demo/server/reviewers.json");
const CASES: &str = include_str!("../../../data/demo/server/cases.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCase {
    filed_days_ago: i32,
    stage: Stage,
    #[serde(default)]
    reviewer: Option<String>,
    #[serde(default)]
    records: Option<String>,
    application: Application,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Stage {
    Open,
    Assigned,
    RecordsComplete,
}

/// Moves every date of an application by the same number of days, so that it was filed on
/// `filed`; the intervals between its dates (which decide eligibility) stay as written.
pub fn shift_application(app: &mut Application, filed: Date) {
    let days = (filed - app.filed).get_days();
    let shift = |d: &mut Date| {
        if let Ok(moved) = d.checked_add(days.days()) {
            *d = moved;
        }
    };
    shift(&mut app.date_of_injury);
    shift(&mut app.ur_decision.date);
    if let Some(d) = app.ur_decision.served.as_mut() {
        shift(d);
    }
    if let Some(s) = app.signature.as_mut() {
        shift(&mut s.date);
    }
    shift(&mut app.filed);
}

/// What the demo created: the users and their one-time passwords.
pub struct DemoUsers {
    pub users: Vec<(String, Role, String)>,
}

/// Loads the demo reviewers and cases, and a user for each role with a random one-time
/// password (to be changed at first login), unless the store already holds cases.
pub async fn load(state: &AppState, admin: &Principal) -> anyhow::Result<Option<DemoUsers>> {
    let err = |e: crate::error::ApiError| anyhow::anyhow!("{}", e.message);
    if !state.store.list_cases(false).await?.is_empty() {
        return Ok(None);
    }
    let reviewers: Vec<Reviewer> = serde_json::from_str(REVIEWERS)
        .map_err(|e| anyhow::anyhow!("data/demo/server/reviewers.json: {e}"))?;
    for r in &reviewers {
        if state.store.reviewer(&r.id).await?.is_none() {
            let entry = AuditEntry::new(
                now(),
                admin.actor(),
                "reviewer.added",
                format!("reviewer {}", r.id),
            );
            state.store.add_reviewer(r, &entry).await?;
        }
    }
    let demo: Vec<DemoCase> = serde_json::from_str(CASES)
        .map_err(|e| anyhow::anyhow!("data/demo/server/cases.json: {e}"))?;
    let today = now().date();
    for mut c in demo {
        let filed = today.checked_sub(c.filed_days_ago.days()).unwrap_or(today);
        shift_application(&mut c.application, filed);
        let case = cases::open_application(state, admin, c.application)
            .await
            .map_err(err)?;
        if c.stage >= Stage::Assigned && case.eligibility.is_eligible() {
            cases::assign(
                state,
                admin,
                case.number.as_str(),
                c.reviewer.as_deref(),
                NoticeMethod::Electronic,
            )
            .await
            .map_err(err)?;
        }
        if let Some(records) = &c.records {
            cases::add_document(
                state,
                admin,
                case.number.as_str(),
                cases::Upload {
                    kind: "medical records".into(),
                    filename: Some("progress-report.txt".into()),
                    media_type: "text/plain; charset=utf-8".into(),
                    bytes: records.as_bytes(),
                    complete: c.stage >= Stage::RecordsComplete,
                },
            )
            .await
            .map_err(err)?;
        }
    }
    let mut users = Vec::new();
    let mut add = async |name: &str, role: Role, reviewer: Option<&str>| -> anyhow::Result<()> {
        if state.accounts.user_by_name(name).await?.is_some() {
            return Ok(());
        }
        let password = auth::one_time_password().map_err(err)?;
        auth::add_user(
            state,
            auth::NewAccount {
                username: name,
                password: &password,
                role,
                reviewer_id: reviewer.map(str::to_owned),
                case_number: None,
                one_time: true,
            },
        )
        .await
        .map_err(err)?;
        users.push((name.to_string(), role, password));
        Ok(())
    };
    add("clerk", Role::IntakeClerk, None).await?;
    add("quality", Role::Quality, None).await?;
    for r in &reviewers {
        add(&r.id, Role::Reviewer, Some(&r.id)).await?;
    }
    Ok(Some(DemoUsers { users }))
}
