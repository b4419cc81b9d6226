//! A case's whole history as text: the state, the clock and the audit log.

use std::fmt::Write;

use super::audit::AuditEntry;
use super::clock::when;
use super::eligibility::Eligibility;
use super::workflow::Case;

/// Renders the case and its audit log (oldest first). Pure: the same case and log always give
/// the same text, so it can be snapshot-tested.
pub fn render(case: &Case, audit: &[AuditEntry]) -> String {
    let mut out = String::new();
    let app = &case.application;
    // Writing to a String cannot fail.
    let _ = writeln!(out, "Case {}", case.number);
    let _ = writeln!(out, "  status:            {}", case.status);
    let _ = writeln!(out, "  priority:          {}", app.priority.as_str());
    let _ = writeln!(out, "  received:          {}", when(case.received_at));
    let _ = writeln!(out, "  claim number:      {}", app.claim_number);
    let _ = writeln!(out, "  UR decision:       {}", app.ur_decision.date);
    match &case.eligibility {
        Eligibility::Eligible => {
            let _ = writeln!(out, "  eligibility:       eligible");
        }
        Eligibility::Ineligible { reasons } => {
            let _ = writeln!(out, "  eligibility:       ineligible");
            for r in reasons {
                let _ = writeln!(out, "    - {r}");
            }
        }
    }
    let _ = writeln!(out, "  disputed items:    {}", app.ur_decision.items.len());
    for (i, item) in app.ur_decision.items.iter().enumerate() {
        let decided = case
            .determination
            .as_ref()
            .and_then(|d| d.decisions.get(i))
            .map(|d| d.decision.as_str())
            .unwrap_or("pending");
        let _ = writeln!(out, "    {}. {} [{}]", i + 1, item.request, decided);
    }
    if let Some(a) = &case.assignment {
        let _ = writeln!(out, "  reviewer:          {}", a.reviewer_id);
        let _ = writeln!(out, "  notice sent:       {}", when(a.notice_at));
        let _ = writeln!(out, "  records due:       {}", when(a.records_due));
    }
    let _ = writeln!(out, "  records received:  {} part(s)", case.records.len());
    if let Some(t) = case.records_complete_at {
        let _ = writeln!(out, "  records complete:  {}", when(t));
    }
    if let Some(t) = case.determination_due {
        let _ = writeln!(out, "  determination due: {}", when(t));
    }
    if let Some(d) = &case.determination {
        let _ = writeln!(
            out,
            "  signed:            {} by {}",
            when(d.signed_at),
            d.reviewer_id
        );
    }
    if let Some(days) = case.days_from_assignment() {
        let _ = writeln!(out, "  days from assignment to determination:       {days}");
    }
    if let Some(days) = case.days_from_complete_records() {
        let _ = writeln!(out, "  days from complete records to determination: {days}");
    }
    if let Some(t) = case.letter_issued_at {
        let _ = writeln!(out, "  letter issued:     {}", when(t));
    }
    let _ = writeln!(out, "History");
    for e in audit {
        let _ = writeln!(
            out,
            "  {}  {:<22} {:<10} {}",
            when(e.at),
            e.event,
            e.actor,
            e.detail
        );
    }
    out
}
