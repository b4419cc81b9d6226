//! Eligibility for IMR (8 CCR 9792.10.3): the application is decided eligible, or ineligible with
//! every reason that applies.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::application::Application;
use super::case_number::CaseNumber;

/// Days after service of the written UR decision within which the application must be filed
/// (8 CCR 9792.10.1(b)). Calendar days: the day of service is day 0, day 30 is still on time.
pub const FILING_DAYS: i32 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Eligibility {
    Eligible,
    Ineligible { reasons: Vec<IneligibleReason> },
}

impl Eligibility {
    pub fn is_eligible(&self) -> bool {
        matches!(self, Eligibility::Eligible)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum IneligibleReason {
    /// Neither the worker nor a representative signed the application.
    NotSigned,
    /// Filed more than 30 days after service of the UR decision.
    FiledLate {
        served: Date,
        filed: Date,
        days: i32,
    },
    /// The UR decision was not attached.
    UrDecisionNotAttached,
    /// The UR decision is a conditional non-certification.
    ConditionalNonCertification,
    /// An open case already disputes the same UR decision.
    DuplicateOfOpenCase { case_number: CaseNumber },
}

impl fmt::Display for IneligibleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IneligibleReason::NotSigned => {
                f.write_str("the application is not signed by the worker or a representative")
            }
            IneligibleReason::FiledLate {
                served,
                filed,
                days,
            } => write!(
                f,
                "filed late: {days} days after service of the UR decision ({served} to {filed}); \
                 the limit is {FILING_DAYS}"
            ),
            IneligibleReason::UrDecisionNotAttached => {
                f.write_str("the UR decision is not attached")
            }
            IneligibleReason::ConditionalNonCertification => {
                f.write_str("the UR decision is a conditional non-certification")
            }
            IneligibleReason::DuplicateOfOpenCase { case_number } => {
                write!(f, "duplicate of open case {case_number}")
            }
        }
    }
}

/// What makes two applications the same dispute: the claim, the UR decision date and the set of
/// disputed items (whitespace and case do not count).
pub fn duplicate_key(app: &Application) -> String {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut items: Vec<String> = app
        .ur_decision
        .items
        .iter()
        .map(|i| norm(&i.request))
        .collect();
    items.sort();
    items.dedup();
    format!(
        "{}|{}|{}",
        norm(&app.claim_number),
        app.ur_decision.date,
        items.join("|")
    )
}

/// Decides eligibility. `open_cases` are the open cases with their duplicate keys.
pub fn decide(app: &Application, open_cases: &[(CaseNumber, String)]) -> Eligibility {
    let mut reasons = Vec::new();
    if app.signature.is_none() {
        reasons.push(IneligibleReason::NotSigned);
    }
    let served = app.ur_decision.service_date();
    let days = days_between(served, app.filed);
    if days > FILING_DAYS {
        reasons.push(IneligibleReason::FiledLate {
            served,
            filed: app.filed,
            days,
        });
    }
    if !app.ur_decision.attached {
        reasons.push(IneligibleReason::UrDecisionNotAttached);
    }
    if app.ur_decision.conditional_non_certification {
        reasons.push(IneligibleReason::ConditionalNonCertification);
    }
    let key = duplicate_key(app);
    if let Some((number, _)) = open_cases.iter().find(|(_, k)| *k == key) {
        reasons.push(IneligibleReason::DuplicateOfOpenCase {
            case_number: number.clone(),
        });
    }
    if reasons.is_empty() {
        Eligibility::Eligible
    } else {
        Eligibility::Ineligible { reasons }
    }
}

/// Whole calendar days from `from` to `to`.
pub(crate) fn days_between(from: Date, to: Date) -> i32 {
    // Both dates are validated to lie within 1900..today, so the span always fits.
    from.until(to)
        .map(|span| span.get_days())
        .unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::tests::sample;
    use jiff::ToSpan;
    use jiff::civil::date;

    fn reasons(e: Eligibility) -> Vec<IneligibleReason> {
        match e {
            Eligibility::Eligible => vec![],
            Eligibility::Ineligible { reasons } => reasons,
        }
    }

    #[test]
    fn a_complete_timely_application_is_eligible() {
        assert_eq!(decide(&sample(), &[]), Eligibility::Eligible);
    }

    #[test]
    fn day_30_is_on_time_and_day_31_is_late() {
        let mut app = sample();
        let served = date(2026, 1, 31);
        app.ur_decision.date = served;
        app.ur_decision.served = Some(served);
        app.filed = served + 30.days();
        assert_eq!(
            app.filed,
            date(2026, 3, 2),
            "30 calendar days across February"
        );
        assert_eq!(decide(&app, &[]), Eligibility::Eligible);
        app.filed = served + 31.days();
        assert_eq!(
            reasons(decide(&app, &[])),
            [IneligibleReason::FiledLate {
                served,
                filed: date(2026, 3, 3),
                days: 31
            }]
        );
    }

    #[test]
    fn without_a_service_date_the_window_runs_from_the_decision_date() {
        let mut app = sample();
        app.ur_decision.served = None;
        app.filed = app.ur_decision.date + 31.days();
        assert!(matches!(
            reasons(decide(&app, &[]))[..],
            [IneligibleReason::FiledLate { days: 31, .. }]
        ));
    }

    #[test]
    fn every_reason_is_reported_together() {
        let mut app = sample();
        app.signature = None;
        app.filed = app.ur_decision.date + 45.days();
        app.ur_decision.attached = false;
        app.ur_decision.conditional_non_certification = true;
        let open = CaseNumber::new(2026, 7).expect("number");
        let got = reasons(decide(&app, &[(open.clone(), duplicate_key(&app))]));
        let kinds: Vec<String> = got.iter().map(|r| r.to_string()).collect();
        assert_eq!(got.len(), 5, "{kinds:?}");
        assert_eq!(got[0], IneligibleReason::NotSigned);
        assert!(matches!(
            got[1],
            IneligibleReason::FiledLate { days: 44, .. }
        ));
        assert_eq!(got[2], IneligibleReason::UrDecisionNotAttached);
        assert_eq!(got[3], IneligibleReason::ConditionalNonCertification);
        assert_eq!(
            got[4],
            IneligibleReason::DuplicateOfOpenCase { case_number: open }
        );
    }

    #[test]
    fn duplicates_ignore_case_spacing_and_item_order_but_not_the_ur_date() {
        let a = sample();
        let mut b = sample();
        b.ur_decision.items.reverse();
        b.ur_decision.items[0].request = "  physical THERAPY 12   sessions ".into();
        assert_eq!(duplicate_key(&a), duplicate_key(&b));
        b.ur_decision.date += 1.day();
        assert_ne!(duplicate_key(&a), duplicate_key(&b));
    }
}
