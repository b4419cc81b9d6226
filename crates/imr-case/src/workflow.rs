//! The case workflow as pure functions: a case and an action give the next case and its audit
//! entry, or a refusal that says why.
//!
//! Received → eligible (or ineligible, which ends there) → assigned (notice sent, records due) →
//! records complete (determination due) → determined (the reviewer signed) → letter issued.
//! Records may arrive in parts, before or after assignment, until the determination.

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::application::Application;
use super::assignment::{Exclusion, SpecialtyMatch, assess};
use super::audit::AuditEntry;
use super::case_number::CaseNumber;
use super::deadlines::{ClockRules, DueItem, DueKind, NoticeMethod, calendar_days};
use super::eligibility::{self, Eligibility, IneligibleReason};
use super::reviewer::{Reviewer, normalize_name};
use super::specialty::Needed;
use imr_core::model::{Decision, Priority};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ineligible,
    Eligible,
    Assigned,
    RecordsComplete,
    Determined,
    LetterIssued,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ineligible => "ineligible",
            Status::Eligible => "eligible",
            Status::Assigned => "assigned",
            Status::RecordsComplete => "records_complete",
            Status::Determined => "determined",
            Status::LetterIssued => "letter_issued",
        }
    }

    /// Still in progress: counts for duplicates.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Ineligible | Status::LetterIssued)
    }

    /// Awaiting the assigned reviewer: counts toward the reviewer's load.
    pub fn awaits_reviewer(self) -> bool {
        matches!(self, Status::Assigned | Status::RecordsComplete)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub number: CaseNumber,
    pub application: Application,
    pub received_at: DateTime,
    pub eligibility: Eligibility,
    pub status: Status,
    pub assignment: Option<AssignmentRecord>,
    pub records: Vec<RecordReceipt>,
    /// When the records became complete: the start of the determination clock.
    pub records_complete_at: Option<DateTime>,
    pub determination_due: Option<DateTime>,
    pub determination: Option<SignedDetermination>,
    pub letter_issued_at: Option<DateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRecord {
    pub reviewer_id: String,
    /// When the notice of assignment went out: the start of the records clock.
    pub notice_at: DateTime,
    pub notice: NoticeMethod,
    /// Chosen by a person rather than by the ranking.
    pub by_hand: bool,
    pub specialty: Option<SpecialtyMatch>,
    pub records_due: DateTime,
}

/// A document received as records for the case (the bytes are in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordReceipt {
    pub document_id: i64,
    pub sha256: String,
    pub kind: String,
    pub size: u64,
    pub received_at: DateTime,
    /// This part completed the records.
    pub completes: bool,
}

/// The reviewer's decision on one disputed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDecision {
    /// The disputed item, as the application lists it.
    pub request: String,
    pub decision: Decision,
    /// The guideline relied on.
    #[serde(default)]
    pub guideline: Option<String>,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedDetermination {
    pub reviewer_id: String,
    pub signed_at: DateTime,
    pub decisions: Vec<ItemDecision>,
    /// The reviewer's clinical case summary, for the letter.
    #[serde(default)]
    pub clinical_summary: Option<String>,
}

/// A step someone asks for.
#[derive(Debug, Clone)]
pub enum Action {
    /// Assign a reviewer, chosen by the ranking or by hand. `needed` comes from the specialty
    /// map, `load` is the reviewer's open cases.
    Assign {
        reviewer: Reviewer,
        needed: Needed,
        load: u32,
        notice: NoticeMethod,
        by_hand: bool,
    },
    /// A part of the records arrived; `complete` when the records are now complete.
    ReceiveRecords {
        document_id: i64,
        sha256: String,
        kind: String,
        size: u64,
        complete: bool,
    },
    /// The assigned reviewer signs the determination.
    Sign {
        reviewer_id: String,
        decisions: Vec<ItemDecision>,
        clinical_summary: Option<String>,
    },
    /// The Final Determination Letter goes out.
    IssueLetter,
}

/// A step the rules forbid, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("case {case} is ineligible ({}); it cannot be {doing}", join(reasons))]
    Ineligible {
        case: CaseNumber,
        reasons: Vec<IneligibleReason>,
        doing: &'static str,
    },
    #[error("case {case} is already assigned to reviewer {reviewer_id}")]
    AlreadyAssigned {
        case: CaseNumber,
        reviewer_id: String,
    },
    #[error(
        "reviewer {reviewer_id} cannot be assigned to case {case}: {}",
        join(exclusions)
    )]
    NotQualified {
        case: CaseNumber,
        reviewer_id: String,
        exclusions: Vec<Exclusion>,
    },
    #[error("case {case} has no reviewer assigned yet; it cannot be signed")]
    NotAssigned { case: CaseNumber },
    #[error("reviewer {signer} is not the reviewer assigned to case {case} ({assignee})")]
    SignerNotAssignee {
        case: CaseNumber,
        signer: String,
        assignee: String,
    },
    #[error("case {case} was already signed by reviewer {reviewer_id} at {at}")]
    AlreadySigned {
        case: CaseNumber,
        reviewer_id: String,
        at: DateTime,
    },
    #[error("case {case} is determined; records can no longer be added")]
    RecordsAfterDetermination { case: CaseNumber },
    #[error("the decisions do not match the disputed items of case {case}: {detail}")]
    DecisionsDoNotMatch { case: CaseNumber, detail: String },
    #[error("case {case} is not determined yet; no letter can be issued")]
    NotDetermined { case: CaseNumber },
    #[error("the letter of case {case} was already issued at {at}")]
    LetterAlreadyIssued { case: CaseNumber, at: DateTime },
    #[error("{at} is before the case was received ({received_at})")]
    BeforeReceipt { at: DateTime, received_at: DateTime },
}

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl Case {
    /// Opens a case for an application received at `received_at`, deciding its eligibility
    /// against the open cases (with their duplicate keys).
    pub fn open(
        number: CaseNumber,
        application: Application,
        received_at: DateTime,
        open_cases: &[(CaseNumber, String)],
        actor: &str,
    ) -> (Case, AuditEntry) {
        let eligibility = eligibility::decide(&application, open_cases);
        let (status, detail) = match &eligibility {
            Eligibility::Eligible => (
                Status::Eligible,
                format!(
                    "eligible; {} review; {} disputed item(s)",
                    application.priority.as_str().to_lowercase(),
                    application.ur_decision.items.len()
                ),
            ),
            Eligibility::Ineligible { reasons } => {
                (Status::Ineligible, format!("ineligible: {}", join(reasons)))
            }
        };
        let case = Case {
            number,
            application,
            received_at,
            eligibility,
            status,
            assignment: None,
            records: Vec::new(),
            records_complete_at: None,
            determination_due: None,
            determination: None,
            letter_issued_at: None,
        };
        let entry = AuditEntry::new(received_at, actor, "case.opened", detail);
        (case, entry)
    }

    pub fn priority(&self) -> Priority {
        self.application.priority
    }

    pub fn duplicate_key(&self) -> String {
        eligibility::duplicate_key(&self.application)
    }

    pub fn reviewer_id(&self) -> Option<&str> {
        self.assignment.as_ref().map(|a| a.reviewer_id.as_str())
    }

    /// The deadlines still running.
    pub fn open_deadlines(&self) -> Vec<DueItem> {
        let item = |kind, due| DueItem {
            case_number: self.number.clone(),
            kind,
            due,
            priority: self.priority(),
            overdue: false,
        };
        let mut out = Vec::new();
        if let Some(a) = &self.assignment
            && self.records_complete_at.is_none()
            && self.status == Status::Assigned
        {
            out.push(item(DueKind::Records, a.records_due));
        }
        if self.status == Status::RecordsComplete
            && let Some(due) = self.determination_due
        {
            out.push(item(DueKind::Determination, due));
        }
        out
    }

    /// Calendar days from the notice of assignment to the signed determination.
    pub fn days_from_assignment(&self) -> Option<i32> {
        Some(calendar_days(
            self.assignment.as_ref()?.notice_at,
            self.determination.as_ref()?.signed_at,
        ))
    }

    /// Calendar days from complete records to the signed determination.
    pub fn days_from_complete_records(&self) -> Option<i32> {
        Some(calendar_days(
            self.records_complete_at?,
            self.determination.as_ref()?.signed_at,
        ))
    }

    fn ineligible(&self, doing: &'static str) -> Option<Refusal> {
        match &self.eligibility {
            Eligibility::Ineligible { reasons } => Some(Refusal::Ineligible {
                case: self.number.clone(),
                reasons: reasons.clone(),
                doing,
            }),
            Eligibility::Eligible => None,
        }
    }

    /// Applies one action at `at` by `actor`.
    pub fn apply(
        &self,
        action: Action,
        at: DateTime,
        actor: &str,
        rules: &ClockRules,
    ) -> Result<(Case, AuditEntry), Refusal> {
        if at < self.received_at {
            return Err(Refusal::BeforeReceipt {
                at,
                received_at: self.received_at,
            });
        }
        let number = self.number.clone();
        let mut next = self.clone();
        let entry = |event: &str, detail: String| AuditEntry::new(at, actor, event, detail);
        match action {
            Action::Assign {
                reviewer,
                needed,
                load,
                notice,
                by_hand,
            } => {
                if let Some(r) = self.ineligible("assigned") {
                    return Err(r);
                }
                if let Some(a) = &self.assignment {
                    return Err(Refusal::AlreadyAssigned {
                        case: number,
                        reviewer_id: a.reviewer_id.clone(),
                    });
                }
                let assessment = assess(&self.application, &needed, &reviewer, load);
                if !assessment.qualifies() {
                    return Err(Refusal::NotQualified {
                        case: number,
                        reviewer_id: reviewer.id,
                        exclusions: assessment.exclusions,
                    });
                }
                let records_due = rules.records_due(self.priority(), at, notice);
                next.assignment = Some(AssignmentRecord {
                    reviewer_id: reviewer.id.clone(),
                    notice_at: at,
                    notice,
                    by_hand,
                    specialty: assessment.specialty.clone(),
                    records_due,
                });
                if let Some(complete) = self.records_complete_at {
                    // Records that were complete before assignment start the clock now.
                    let start = complete.max(at);
                    next.determination_due = Some(rules.determination_due(self.priority(), start));
                    next.status = Status::RecordsComplete;
                } else {
                    next.status = Status::Assigned;
                }
                let how = if by_hand { "by hand" } else { "by ranking" };
                let fit = assessment
                    .specialty
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                let detail = format!(
                    "reviewer {} {how}; {fit}; notice by {}; records due {}",
                    reviewer.id,
                    match notice {
                        NoticeMethod::Mail => "mail",
                        NoticeMethod::Electronic => "electronic transmission",
                    },
                    super::clock::when(records_due)
                );
                Ok((next, entry("case.assigned", detail)))
            }
            Action::ReceiveRecords {
                document_id,
                sha256,
                kind,
                size,
                complete,
            } => {
                if let Some(r) = self.ineligible("sent records") {
                    return Err(r);
                }
                if self.determination.is_some() {
                    return Err(Refusal::RecordsAfterDetermination { case: number });
                }
                let completes = complete && self.records_complete_at.is_none();
                next.records.push(RecordReceipt {
                    document_id,
                    sha256: sha256.clone(),
                    kind: kind.clone(),
                    size,
                    received_at: at,
                    completes,
                });
                let mut detail = format!(
                    "document {document_id} ({kind}, {size} bytes, sha256 {sha256}); part {}",
                    next.records.len()
                );
                if completes {
                    next.records_complete_at = Some(at);
                    detail.push_str("; records complete");
                    if self.assignment.is_some() {
                        let due = rules.determination_due(self.priority(), at);
                        next.determination_due = Some(due);
                        next.status = Status::RecordsComplete;
                        detail
                            .push_str(&format!("; determination due {}", super::clock::when(due)));
                    }
                }
                Ok((next, entry("case.records_received", detail)))
            }
            Action::Sign {
                reviewer_id,
                decisions,
                clinical_summary,
            } => {
                if let Some(r) = self.ineligible("signed") {
                    return Err(r);
                }
                if let Some(d) = &self.determination {
                    return Err(Refusal::AlreadySigned {
                        case: number,
                        reviewer_id: d.reviewer_id.clone(),
                        at: d.signed_at,
                    });
                }
                let Some(assignment) = &self.assignment else {
                    return Err(Refusal::NotAssigned { case: number });
                };
                if assignment.reviewer_id != reviewer_id {
                    return Err(Refusal::SignerNotAssignee {
                        case: number,
                        signer: reviewer_id,
                        assignee: assignment.reviewer_id.clone(),
                    });
                }
                let decisions = self.match_decisions(decisions)?;
                let upheld = decisions
                    .iter()
                    .filter(|d| d.decision == Decision::Upheld)
                    .count();
                let detail = format!(
                    "signed by reviewer {reviewer_id}: {upheld} upheld, {} overturned",
                    decisions.len() - upheld
                );
                next.determination = Some(SignedDetermination {
                    reviewer_id,
                    signed_at: at,
                    decisions,
                    clinical_summary,
                });
                next.status = Status::Determined;
                Ok((next, entry("case.signed", detail)))
            }
            Action::IssueLetter => {
                if let Some(r) = self.ineligible("sent a letter") {
                    return Err(r);
                }
                if let Some(at) = self.letter_issued_at {
                    return Err(Refusal::LetterAlreadyIssued { case: number, at });
                }
                if self.determination.is_none() {
                    return Err(Refusal::NotDetermined { case: number });
                }
                next.letter_issued_at = Some(at);
                next.status = Status::LetterIssued;
                Ok((
                    next,
                    entry(
                        "case.letter_issued",
                        "Final Determination Letter issued".into(),
                    ),
                ))
            }
        }
    }

    /// One decision per disputed item, put in the application's order.
    fn match_decisions(&self, decisions: Vec<ItemDecision>) -> Result<Vec<ItemDecision>, Refusal> {
        let mismatch = |detail: String| Refusal::DecisionsDoNotMatch {
            case: self.number.clone(),
            detail,
        };
        let items: Vec<String> = self
            .application
            .ur_decision
            .items
            .iter()
            .map(|i| normalize_name(&i.request))
            .collect();
        let mut seen = BTreeSet::new();
        for (i, d) in decisions.iter().enumerate() {
            let key = normalize_name(&d.request);
            if !items.contains(&key) {
                return Err(mismatch(format!(
                    "decision {} is for {:?}, which is not a disputed item",
                    i + 1,
                    d.request
                )));
            }
            if !seen.insert(key) {
                return Err(mismatch(format!(
                    "decision {} repeats the item {:?}",
                    i + 1,
                    d.request
                )));
            }
            if d.rationale.trim().is_empty() {
                return Err(mismatch(format!("decision {} has no rationale", i + 1)));
            }
        }
        let missing: Vec<&str> = self
            .application
            .ur_decision
            .items
            .iter()
            .filter(|i| !seen.contains(&normalize_name(&i.request)))
            .map(|i| i.request.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(mismatch(format!("no decision for {missing:?}")));
        }
        let mut ordered = decisions;
        ordered.sort_by_key(|d| {
            let key = normalize_name(&d.request);
            items.iter().position(|i| *i == key)
        });
        Ok(ordered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::tests::sample;
    use crate::assignment::tests::needed;
    use crate::reviewer::tests::reviewer;
    use crate::reviewer::{Affiliation, AffiliationKind};
    use jiff::civil::date;

    const RULES: ClockRules = ClockRules {
        records_days_mailed: 15,
        records_days_electronic: 12,
        records_hours_expedited: 24,
        determination_days_standard: 30,
        determination_days_expedited: 3,
    };

    fn at(m: i8, d: i8) -> DateTime {
        date(2026, m, d).at(9, 0, 0, 0)
    }

    fn number() -> CaseNumber {
        CaseNumber::new(2026, 1).expect("number")
    }

    fn opened() -> Case {
        Case::open(number(), sample(), at(1, 21), &[], "intake").0
    }

    fn assign(r: Reviewer) -> Action {
        Action::Assign {
            reviewer: r,
            needed: needed(),
            load: 0,
            notice: NoticeMethod::Mail,
            by_hand: false,
        }
    }

    fn records(id: i64, complete: bool) -> Action {
        Action::ReceiveRecords {
            document_id: id,
            sha256: format!("{id:064}"),
            kind: "medical records".into(),
            size: 10,
            complete,
        }
    }

    fn decisions() -> Vec<ItemDecision> {
        sample()
            .ur_decision
            .items
            .iter()
            .rev()
            .map(|i| ItemDecision {
                request: i.request.to_uppercase(),
                decision: Decision::Upheld,
                guideline: None,
                rationale: "Not supported by the guideline.".into(),
            })
            .collect()
    }

    fn sign(id: &str) -> Action {
        Action::Sign {
            reviewer_id: id.into(),
            decisions: decisions(),
            clinical_summary: None,
        }
    }

    fn step(case: &Case, action: Action, when: DateTime) -> Result<Case, Refusal> {
        case.apply(action, when, "tester", &RULES).map(|(c, _)| c)
    }

    fn ok(case: &Case, action: Action, when: DateTime) -> Case {
        step(case, action, when).expect("step allowed")
    }

    #[test]
    fn the_whole_life_of_a_case() {
        let (case, opened_entry) = Case::open(number(), sample(), at(1, 21), &[], "intake");
        assert_eq!(case.status, Status::Eligible);
        assert_eq!(opened_entry.event, "case.opened");
        let (case, e) = case
            .apply(
                assign(reviewer("r1", "Orthopedic Surgery")),
                at(1, 22),
                "clerk",
                &RULES,
            )
            .expect("assign");
        assert_eq!(case.status, Status::Assigned);
        assert_eq!(e.event, "case.assigned");
        assert!(
            e.detail.contains("records due 2026-02-06 23:59"),
            "{}",
            e.detail
        );
        assert_eq!(case.open_deadlines()[0].kind, DueKind::Records);
        let case = ok(&case, records(1, false), at(1, 30));
        assert_eq!(
            case.status,
            Status::Assigned,
            "records in parts: not complete yet"
        );
        assert_eq!(case.determination_due, None);
        let case = ok(&case, records(2, true), at(2, 3));
        assert_eq!(case.status, Status::RecordsComplete);
        assert_eq!(case.records_complete_at, Some(at(2, 3)));
        assert_eq!(
            case.determination_due.map(|d| d.date()),
            Some(date(2026, 3, 5)),
            "30 days from the part that completed the records"
        );
        assert_eq!(case.open_deadlines()[0].kind, DueKind::Determination);
        let case = ok(&case, sign("r1"), at(2, 20));
        assert_eq!(case.status, Status::Determined);
        let d = case.determination.as_ref().expect("signed");
        assert_eq!(
            d.decisions[0].request, "MRI OF THE LUMBAR SPINE",
            "application order"
        );
        assert_eq!(case.days_from_assignment(), Some(29));
        assert_eq!(case.days_from_complete_records(), Some(17));
        assert!(case.open_deadlines().is_empty());
        let case = ok(&case, Action::IssueLetter, at(2, 21));
        assert_eq!(case.status, Status::LetterIssued);
        assert!(!case.status.is_open());
    }

    #[test]
    fn records_complete_before_assignment_start_the_determination_clock_at_assignment() {
        let case = ok(&opened(), records(1, true), at(1, 25));
        assert_eq!(case.status, Status::Eligible);
        let case = ok(
            &case,
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 27),
        );
        assert_eq!(case.status, Status::RecordsComplete);
        assert_eq!(
            case.determination_due.map(|d| d.date()),
            Some(date(2026, 2, 26))
        );
    }

    #[test]
    fn an_expedited_case_runs_on_the_short_clock() {
        let mut app = sample();
        app.priority = Priority::Expedited;
        let case = Case::open(number(), app, at(1, 21), &[], "intake").0;
        let case = ok(
            &case,
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        );
        assert_eq!(
            case.assignment.as_ref().map(|a| a.records_due),
            Some(at(1, 23))
        );
        let case = ok(&case, records(1, true), at(1, 23));
        assert_eq!(
            case.determination_due.map(|d| d.date()),
            Some(date(2026, 1, 26))
        );
    }

    #[test]
    fn signing_before_assignment_is_refused() {
        assert_eq!(
            step(&opened(), sign("r1"), at(2, 1)),
            Err(Refusal::NotAssigned { case: number() })
        );
    }

    #[test]
    fn signing_by_another_reviewer_is_refused() {
        let case = ok(
            &opened(),
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        );
        let err = step(&case, sign("r2"), at(2, 1)).expect_err("not the assignee");
        assert_eq!(
            err.to_string(),
            "reviewer r2 is not the reviewer assigned to case CM26-0000001 (r1)"
        );
    }

    #[test]
    fn a_second_signature_is_refused() {
        let case = ok(
            &opened(),
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        );
        let case = ok(&case, sign("r1"), at(2, 1));
        assert!(matches!(
            step(&case, sign("r1"), at(2, 2)),
            Err(Refusal::AlreadySigned { .. })
        ));
    }

    #[test]
    fn records_after_the_determination_are_refused() {
        let case = ok(
            &opened(),
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        );
        let case = ok(&case, sign("r1"), at(2, 1));
        assert_eq!(
            step(&case, records(9, false), at(2, 2)),
            Err(Refusal::RecordsAfterDetermination { case: number() })
        );
    }

    #[test]
    fn an_ineligible_case_cannot_be_assigned_or_moved() {
        let mut app = sample();
        app.signature = None;
        let case = Case::open(number(), app, at(1, 21), &[], "intake").0;
        assert_eq!(case.status, Status::Ineligible);
        let err = step(
            &case,
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        )
        .expect_err("ineligible");
        assert!(err.to_string().contains("not signed"), "{err}");
        assert!(matches!(
            step(&case, records(1, true), at(1, 22)),
            Err(Refusal::Ineligible { .. })
        ));
        assert!(matches!(
            step(&case, Action::IssueLetter, at(1, 22)),
            Err(Refusal::Ineligible { .. })
        ));
    }

    #[test]
    fn a_second_assignment_is_refused() {
        let case = ok(
            &opened(),
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        );
        assert!(matches!(
            step(
                &case,
                assign(reviewer("r2", "Orthopedic Surgery")),
                at(1, 23)
            ),
            Err(Refusal::AlreadyAssigned { .. })
        ));
    }

    #[test]
    fn a_conflicted_reviewer_cannot_be_assigned_even_by_hand() {
        let mut r = reviewer("r1", "Orthopedic Surgery");
        r.affiliations = vec![Affiliation {
            kind: AffiliationKind::Insurer,
            name: "Pretend Mutual Insurance".into(),
        }];
        let action = Action::Assign {
            reviewer: r,
            needed: needed(),
            load: 0,
            notice: NoticeMethod::Electronic,
            by_hand: true,
        };
        let err = step(&opened(), action, at(1, 22)).expect_err("conflict");
        let Refusal::NotQualified { exclusions, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(exclusions[0].is_conflict());
        assert!(err.to_string().contains("conflict of interest"), "{err}");
    }

    #[test]
    fn decisions_must_cover_every_disputed_item_once() {
        let case = ok(
            &opened(),
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        );
        let mut missing = decisions();
        missing.pop();
        let mut repeated = decisions();
        repeated[1] = repeated[0].clone();
        let mut foreign = decisions();
        foreign[0].request = "Massage".into();
        let mut bare = decisions();
        bare[0].rationale = " ".into();
        for (label, ds) in [
            ("missing", missing),
            ("repeated", repeated),
            ("foreign", foreign),
            ("bare", bare),
        ] {
            let action = Action::Sign {
                reviewer_id: "r1".into(),
                decisions: ds,
                clinical_summary: None,
            };
            assert!(
                matches!(
                    step(&case, action, at(2, 1)),
                    Err(Refusal::DecisionsDoNotMatch { .. })
                ),
                "{label}"
            );
        }
    }

    #[test]
    fn a_letter_needs_a_determination_and_goes_out_once() {
        let case = ok(
            &opened(),
            assign(reviewer("r1", "Orthopedic Surgery")),
            at(1, 22),
        );
        assert!(matches!(
            step(&case, Action::IssueLetter, at(2, 1)),
            Err(Refusal::NotDetermined { .. })
        ));
        let case = ok(&case, sign("r1"), at(2, 1));
        let case = ok(&case, Action::IssueLetter, at(2, 1));
        assert!(matches!(
            step(&case, Action::IssueLetter, at(2, 2)),
            Err(Refusal::LetterAlreadyIssued { .. })
        ));
    }

    #[test]
    fn an_action_dated_before_receipt_is_refused() {
        assert!(matches!(
            step(&opened(), records(1, false), at(1, 20)),
            Err(Refusal::BeforeReceipt { .. })
        ));
    }

    #[test]
    fn a_duplicate_of_an_open_case_is_ineligible() {
        let first = opened();
        let open = vec![(first.number.clone(), first.duplicate_key())];
        let second = Case::open(
            CaseNumber::new(2026, 2).expect("n"),
            sample(),
            at(1, 22),
            &open,
            "intake",
        )
        .0;
        assert_eq!(second.status, Status::Ineligible);
    }
}
