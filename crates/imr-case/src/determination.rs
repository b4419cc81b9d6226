//! A case's determination: the rules a reviewer's draft must meet before it can be signed, and
//! the determination in the letters' model, so that the letter writer can write it (signed, or
//! as a preview of what signing would issue).

use serde::{Deserialize, Serialize};

use super::application::{FieldError, Lines, text_problem};
use super::conclusion::{contradiction, with_conclusion};
use super::reviewer::normalize_name;
use super::workflow::{ItemDecision, SignedDetermination, Status};
use super::{Case, Reviewer};
use imr_core::model::{Decision, Determination, Item, ReviewerCredentials};

/// The longest clinical summary, in characters.
pub const SUMMARY_MAX_CHARS: usize = 20_000;
/// The longest rationale of one item, in characters.
pub const RATIONALE_MAX_CHARS: usize = 10_000;
/// The longest "guideline relied on" line, in characters.
pub const GUIDELINE_MAX_CHARS: usize = 1_000;

/// One item as the reviewer submits it, before it is checked. The decision may be missing:
/// that is an error to report, never a default to fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftDecision {
    /// The disputed item, as the application lists it.
    pub request: String,
    #[serde(default)]
    pub decision: Option<Decision>,
    /// The guideline relied on.
    #[serde(default)]
    pub guideline: Option<String>,
    #[serde(default)]
    pub rationale: String,
}

/// A determination as submitted for signing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub decisions: Vec<DraftDecision>,
    pub clinical_summary: String,
}

/// What the engine proposed for one item, as far as signing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposed<'a> {
    /// None when the engine could not decide: the item needs a physician's review.
    pub decision: Option<Decision>,
    pub rationale: &'a str,
}

impl Proposed<'_> {
    pub fn decided(&self) -> bool {
        self.decision.is_some()
    }
}

/// Why a draft cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignProblem {
    /// The case or the letter is not ready: records still awaited, no clinical summary.
    NotReady {
        /// The field that would complete it, if a field can.
        field: Option<String>,
        message: String,
    },
    /// A field is missing or invalid.
    Field(FieldError),
}

impl SignProblem {
    pub fn field(&self) -> Option<&str> {
        match self {
            SignProblem::NotReady { field, .. } => field.as_deref(),
            SignProblem::Field(e) => Some(&e.field),
        }
    }

    pub fn message(&self) -> &str {
        match self {
            SignProblem::NotReady { message, .. } => message,
            SignProblem::Field(e) => &e.message,
        }
    }
}

/// Text compared as words, so that re-wrapped or re-spaced copies of a text still match.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Case {
    /// Checks a draft against the rules for signing and gives the decisions and the summary
    /// to sign (trimmed), or every problem found. `proposed` is the engine's proposal per
    /// disputed item, in the application's order. Every item needs a decision, the guideline
    /// relied on and a rationale that does not conclude the opposite of the decision
    /// (`conclusion::contradiction`); the rationale signed ends with the conclusion sentence
    /// written from the decision (`conclusion::with_conclusion`). Whether the signer is the
    /// assignee, and whether the decisions cover each item once, stay with the workflow
    /// (`Action::Sign`).
    pub fn check_draft(
        &self,
        draft: &Draft,
        proposed: &[Proposed<'_>],
    ) -> Result<(Vec<ItemDecision>, String), Vec<SignProblem>> {
        let mut problems = Vec::new();
        let mut field = |field: String, message: String| {
            problems.push(SignProblem::Field(FieldError { field, message }))
        };
        let requests: Vec<&str> = self
            .application
            .ur_decision
            .items
            .iter()
            .map(|i| i.request.as_str())
            .collect();
        let items: Vec<String> = requests.iter().map(|r| normalize_name(r)).collect();
        let mut decisions = Vec::with_capacity(draft.decisions.len());
        for (i, d) in draft.decisions.iter().enumerate() {
            let index = items.iter().position(|n| *n == normalize_name(&d.request));
            let item = match index {
                Some(j) => format!("item {} ({})", j + 1, d.request.trim()),
                None => format!("decision {}", i + 1),
            };
            let proposal = index.and_then(|j| proposed.get(j));
            if d.decision.is_none() {
                field(
                    format!("decisions[{i}].decision"),
                    format!("no decision for {item}: choose Upheld or Overturned"),
                );
            }
            let guideline = d.guideline.as_deref().map(str::trim).unwrap_or("");
            if guideline.is_empty() {
                field(
                    format!("decisions[{i}].guideline"),
                    format!(
                        "no guideline for {item}: name the guideline relied on (the proposal's \
                         citation, if you take its rationale)"
                    ),
                );
            } else if let Some(p) = text_problem(guideline, GUIDELINE_MAX_CHARS, Lines::One) {
                field(format!("decisions[{i}].guideline"), p);
            }
            let rationale = d.rationale.trim();
            let undecided = proposal.is_some_and(|p| !p.decided());
            let mut rationale_ok = false;
            if rationale.is_empty() {
                let how = if undecided {
                    "the engine could not decide it, so write the physician's own rationale"
                } else {
                    "write one, or use the proposed rationale"
                };
                field(
                    format!("decisions[{i}].rationale"),
                    format!("no rationale for {item}: {how}"),
                );
            } else if let Some(p) = text_problem(rationale, RATIONALE_MAX_CHARS, Lines::Many) {
                field(format!("decisions[{i}].rationale"), p);
            } else if let Some(p) = proposal
                && undecided
                && words(p.rationale) == words(rationale)
            {
                field(
                    format!("decisions[{i}].rationale"),
                    format!(
                        "{item} needs a physician's review: the engine's note that it could not \
                         decide is not a rationale; write your own"
                    ),
                );
            } else if let Some(decision) = d.decision
                && let Some(found) = contradiction(rationale, decision)
            {
                // A letter cannot say one decision and conclude the other.
                let proposed_taken = proposal.is_some_and(|p| {
                    p.decision == Some(found.verdict.decision())
                        && words(p.rationale) == words(rationale)
                });
                let message = if proposed_taken {
                    format!(
                        "{item}: the proposed rationale concludes that the request is {}, but \
                         the decision chosen is {}; write your own rationale for {}, or choose {}",
                        found.verdict.describe(),
                        decision.as_str(),
                        decision.as_str(),
                        found.verdict.decision().as_str()
                    )
                } else {
                    format!(
                        "{item}: sentence {} of the rationale concludes that the request is {}, \
                         but the decision chosen is {}; a letter cannot contradict itself: \
                         change the rationale or the decision",
                        found.sentence,
                        found.verdict.describe(),
                        decision.as_str()
                    )
                };
                field(format!("decisions[{i}].rationale"), message);
            } else {
                rationale_ok = true;
            }
            if let Some(decision) = d.decision {
                // The conclusion sentence is written from the decision chosen.
                let request = index.map_or(d.request.trim(), |j| requests[j]);
                let signed = if rationale_ok {
                    with_conclusion(rationale, request, decision)
                } else {
                    rationale.to_string()
                };
                decisions.push(ItemDecision {
                    request: d.request.clone(),
                    decision,
                    guideline: Some(guideline.to_string()).filter(|g| !g.is_empty()),
                    rationale: signed,
                });
            }
        }
        let summary = draft.clinical_summary.trim();
        if summary.is_empty() {
            problems.push(SignProblem::NotReady {
                field: Some("clinical_summary".into()),
                message: "the clinical summary is empty; the letter's summary section would be \
                          blank, so write it before signing"
                    .into(),
            });
        } else if let Some(p) = text_problem(summary, SUMMARY_MAX_CHARS, Lines::Many) {
            field("clinical_summary".into(), p);
        }
        // Only a case awaiting its records is refused here; a case at any other stage gets the
        // workflow's own refusal (not assigned, ineligible, already signed).
        if self.status == Status::Assigned && self.determination.is_none() {
            problems.insert(
                0,
                SignProblem::NotReady {
                    field: None,
                    message: format!(
                        "the records of case {} are not complete yet; a determination is signed \
                         on complete records",
                        self.number
                    ),
                },
            );
        }
        if problems.is_empty() {
            Ok((decisions, summary.to_string()))
        } else {
            Err(problems)
        }
    }

    /// The determination as the Final Determination Letter states it: the header from the
    /// application and the clock, the reviewer's credentials, and each disputed item with the
    /// signed decision (none before signing).
    pub fn determination(&self, reviewer: Option<&Reviewer>) -> Determination {
        self.letter_record(reviewer, self.determination.as_ref())
    }

    /// The determination as it would read once `signed`: the letter a reviewer previews
    /// before signing.
    pub fn determination_as_signed(
        &self,
        reviewer: Option<&Reviewer>,
        signed: &SignedDetermination,
    ) -> Determination {
        self.letter_record(reviewer, Some(signed))
    }

    fn letter_record(
        &self,
        reviewer: Option<&Reviewer>,
        signed: Option<&SignedDetermination>,
    ) -> Determination {
        let app = &self.application;
        let items = app
            .ur_decision
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let decided = signed.and_then(|s| s.decisions.get(i));
                let mut out = Item::new(item.request.clone());
                out.authorized = item.authorized.clone();
                out.decision = decided.map(|d| d.decision);
                out.imro_guideline = decided.and_then(|d| d.guideline.clone());
                out.rationale = decided.map(|d| d.rationale.clone());
                out
            })
            .collect();
        Determination {
            source: None,
            case_number: Some(self.number.to_string()),
            date_assigned: self.assignment.as_ref().map(|a| a.notice_at.date()),
            decision_date: signed.map(|s| s.signed_at.date()),
            date_of_injury: Some(app.date_of_injury),
            ur_denial_date: Some(app.ur_decision.date),
            application_received: Some(app.filed),
            priority: Some(app.priority),
            reviewer: reviewer
                .map(|r| ReviewerCredentials {
                    licensure: r.licensure_states.clone(),
                    specialties: r.board_certifications.clone(),
                    subspecialties: r.subspecialties.clone(),
                })
                .unwrap_or_default(),
            clinical_summary: signed.and_then(|s| s.clinical_summary.clone()),
            items,
            diagnostics: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::tests::sample;
    use crate::assignment::tests::needed;
    use crate::reviewer::tests::reviewer;
    use crate::workflow::Action;
    use crate::{CaseNumber, ClockRules, NoticeMethod};
    use jiff::civil::{DateTime, date};

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

    /// A case assigned to r1; with `complete`, its records are complete.
    fn case(complete: bool) -> Case {
        let number = CaseNumber::new(2026, 1).expect("number");
        let (case, _) = Case::open(number, sample(), at(1, 21), &[], "intake");
        let assign = Action::Assign {
            reviewer: reviewer("r1", "Orthopedic Surgery"),
            needed: needed(),
            load: 0,
            notice: NoticeMethod::Mail,
            by_hand: false,
        };
        let (case, _) = case
            .apply(assign, at(1, 22), "clerk", &RULES)
            .expect("assign");
        let records = Action::ReceiveRecords {
            document_id: 1,
            sha256: "0".repeat(64),
            kind: "medical records".into(),
            size: 10,
            complete,
        };
        case.apply(records, at(1, 25), "clerk", &RULES)
            .expect("records")
            .0
    }

    fn draft() -> Draft {
        Draft {
            decisions: sample()
                .ur_decision
                .items
                .iter()
                .map(|i| DraftDecision {
                    request: i.request.clone(),
                    decision: Some(Decision::Overturned),
                    guideline: Some(" MTUS ACOEM ".into()),
                    rationale: " Deficit documented. ".into(),
                })
                .collect(),
            clinical_summary: "A fictional worker with low back pain.\n".into(),
        }
    }

    const UNDECIDED: &str = "No guideline rule decides this request on the facts of record.";
    const PROPOSED: [Proposed<'static>; 2] = [
        Proposed {
            decision: Some(Decision::Overturned),
            rationale: "Imaging is supported by the documented deficit.",
        },
        Proposed {
            decision: None,
            rationale: UNDECIDED,
        },
    ];

    fn fields(problems: &[SignProblem]) -> Vec<Option<&str>> {
        problems.iter().map(SignProblem::field).collect()
    }

    #[test]
    fn a_complete_draft_gives_trimmed_decisions_and_summary() {
        let (decisions, summary) = case(true).check_draft(&draft(), &PROPOSED).expect("ok");
        assert_eq!(summary, "A fictional worker with low back pain.");
        assert_eq!(decisions.len(), 2);
        assert_eq!(decisions[0].guideline.as_deref(), Some("MTUS ACOEM"));
        // The rationale as written, and the conclusion written from the decision.
        assert_eq!(
            decisions[1].rationale,
            "Deficit documented. The request for Physical therapy 12 sessions is medically \
             necessary."
        );
    }

    #[test]
    fn an_item_without_a_decision_or_rationale_is_named() {
        let mut d = draft();
        d.decisions[0].decision = None;
        d.decisions[1].rationale = "  \n".into();
        let problems = case(true).check_draft(&d, &PROPOSED).expect_err("refused");
        assert_eq!(
            fields(&problems),
            [
                Some("decisions[0].decision"),
                Some("decisions[1].rationale")
            ]
        );
        assert_eq!(
            problems[0].message(),
            "no decision for item 1 (MRI of the lumbar spine): choose Upheld or Overturned"
        );
        assert!(
            problems[1].message().contains("physician's own rationale"),
            "{problems:?}"
        );
    }

    #[test]
    fn an_undecided_item_cannot_be_signed_with_the_engines_note() {
        let mut d = draft();
        d.decisions[1].rationale = format!("  {}\n", UNDECIDED.replace(' ', "\n"));
        let problems = case(true).check_draft(&d, &PROPOSED).expect_err("refused");
        assert_eq!(fields(&problems), [Some("decisions[1].rationale")]);
        assert!(problems[0].message().contains("needs a physician's review"));
        // A decided item may carry the engine's rationale: the reviewer accepted it.
        let mut d = draft();
        d.decisions[0].rationale = PROPOSED[0].rationale.into();
        assert!(case(true).check_draft(&d, &PROPOSED).is_ok());
    }

    #[test]
    fn records_awaited_and_an_empty_summary_are_not_ready() {
        let mut d = draft();
        d.clinical_summary = " ".into();
        let problems = case(false).check_draft(&d, &PROPOSED).expect_err("refused");
        assert!(
            problems
                .iter()
                .all(|p| matches!(p, SignProblem::NotReady { .. })),
            "{problems:?}"
        );
        assert_eq!(fields(&problems), [None, Some("clinical_summary")]);
        assert!(problems[0].message().contains("not complete yet"));
    }

    #[test]
    fn control_characters_and_overlong_text_are_refused_in_every_field() {
        let mut d = draft();
        d.decisions[0].guideline = Some("MTUS\u{202E}".into());
        d.decisions[0].rationale = "Deficit\u{0}".into();
        d.decisions[1].rationale = "x".repeat(RATIONALE_MAX_CHARS + 1);
        d.clinical_summary = "Line one\n\tLine two\u{2067}".into();
        let problems = case(true).check_draft(&d, &PROPOSED).expect_err("refused");
        assert_eq!(
            fields(&problems),
            [
                Some("decisions[0].guideline"),
                Some("decisions[0].rationale"),
                Some("decisions[1].rationale"),
                Some("clinical_summary")
            ]
        );
        assert!(problems.iter().all(|p| matches!(p, SignProblem::Field(_))));
        // Tabs and line breaks are fine in a rationale and the summary.
        let mut d = draft();
        d.decisions[0].rationale = "One.\r\n\tTwo.".into();
        d.clinical_summary = "One.\n\nTwo.".into();
        assert!(case(true).check_draft(&d, &PROPOSED).is_ok());
    }

    #[test]
    fn the_guideline_relied_on_is_required() {
        let mut d = draft();
        d.decisions[0].guideline = None;
        d.decisions[1].guideline = Some("  ".into());
        let problems = case(true).check_draft(&d, &PROPOSED).expect_err("refused");
        assert_eq!(
            fields(&problems),
            [
                Some("decisions[0].guideline"),
                Some("decisions[1].guideline")
            ]
        );
        assert!(
            problems[0]
                .message()
                .starts_with("no guideline for item 1 (MRI of the lumbar spine)"),
            "{problems:?}"
        );
    }

    /// The engine's rationale for a decision, as its rules write it.
    fn proposal_text(decision: Decision, request: &str) -> String {
        let finding = match decision {
            Decision::Upheld => "No red flag and no surgical consideration are documented.",
            Decision::Overturned => "A progressive neurologic deficit is documented.",
        };
        format!(
            "{finding} {}",
            crate::conclusion::conclusion_sentence(request, decision)
        )
    }

    /// A rationale the physician typed: with no conclusion of its own, concluding as the
    /// decision, or concluding the opposite.
    fn typed(kind: &str, decision: Decision) -> String {
        let (agree, oppose) = match decision {
            Decision::Upheld => (
                "Therefore, the requested study is not supported.",
                "The request is medically necessary.",
            ),
            Decision::Overturned => (
                "The guidelines support the request.",
                "Therefore, the request is not medically necessary.",
            ),
        };
        match kind {
            "neutral" => "I reviewed the records and the examination of 01/05/2026.".into(),
            "agreeing" => format!("The deficit is documented on examination. {agree}"),
            _ => format!("The deficit is documented on examination. {oppose}"),
        }
    }

    #[test]
    fn every_combination_of_decision_rationale_and_proposal_signs_or_is_refused_by_field() {
        use Decision::{Overturned, Upheld};
        let case = case(true);
        let request = "MRI of the lumbar spine";
        let mut signed = 0;
        let mut refused = 0;
        for proposal_decision in [Upheld, Overturned] {
            let proposal = proposal_text(proposal_decision, request);
            let proposed = [
                Proposed {
                    decision: Some(proposal_decision),
                    rationale: &proposal,
                },
                PROPOSED[1],
            ];
            for decision in [Upheld, Overturned] {
                for source in ["proposed", "neutral", "agreeing", "opposing"] {
                    let mut d = draft();
                    d.decisions[0].decision = Some(decision);
                    d.decisions[0].rationale = match source {
                        "proposed" => proposal.clone(),
                        kind => typed(kind, decision),
                    };
                    let expect_refusal = match source {
                        "proposed" => proposal_decision != decision,
                        "opposing" => true,
                        _ => false,
                    };
                    let what = format!(
                        "{source} rationale, proposal {}, decision {}",
                        proposal_decision.as_str(),
                        decision.as_str()
                    );
                    match case.check_draft(&d, &proposed) {
                        Ok((decisions, _)) => {
                            assert!(!expect_refusal, "{what}: signed");
                            let rationale = &decisions[0].rationale;
                            let sentence =
                                crate::conclusion::conclusion_sentence(request, decision);
                            assert!(rationale.ends_with(&sentence), "{what}: {rationale}");
                            assert_eq!(rationale.matches(&sentence).count(), 1, "{what}");
                            assert_eq!(
                                crate::conclusion::contradiction(rationale, decision),
                                None,
                                "{what}: {rationale}"
                            );
                            assert_eq!(decisions[0].decision, decision);
                            signed += 1;
                        }
                        Err(problems) => {
                            assert!(expect_refusal, "{what}: refused: {problems:?}");
                            assert_eq!(
                                fields(&problems),
                                [Some("decisions[0].rationale")],
                                "{what}"
                            );
                            let message = problems[0].message();
                            assert!(
                                message.starts_with("item 1 (MRI of the lumbar spine): "),
                                "{what}: {message}"
                            );
                            assert!(
                                message.contains(&format!(
                                    "the decision chosen is {}",
                                    decision.as_str()
                                )),
                                "{what}: {message}"
                            );
                            if source == "proposed" {
                                assert!(message.contains("the proposed rationale"), "{message}");
                            } else {
                                assert!(
                                    message.contains("sentence 2 of the rationale"),
                                    "{message}"
                                );
                            }
                            refused += 1;
                        }
                    }
                }
            }
        }
        assert_eq!((signed, refused), (10, 6));
    }

    #[test]
    fn the_preview_reads_as_the_signed_letter_will() {
        let case = case(true);
        let (decisions, summary) = case.check_draft(&draft(), &PROPOSED).expect("ok");
        let signed = SignedDetermination {
            reviewer_id: "r1".into(),
            signed_at: at(2, 1),
            decisions,
            clinical_summary: Some(summary),
        };
        let preview = case.determination_as_signed(None, &signed);
        assert_eq!(preview.decision_date, Some(date(2026, 2, 1)));
        assert_eq!(preview.items[1].decision, Some(Decision::Overturned));
        assert_eq!(case.determination(None).items[1].decision, None);
    }
}
