//! The queue read in SQL: the cases one viewer may see, filtered, searched, counted and paged
//! by the database over the queue's columns (migration 0007), never by decoding each case.
//!
//! The columns are derived from the case here, in one place ([`QueueColumns::of`]), and written
//! by every statement that writes a case's body; a database migrated from before them is
//! filled once when the store opens.

use imr_case::{Case, CaseNumber, DueKind, Status};
use imr_core::model::Priority;
use jiff::civil::DateTime;

use crate::StoreError;

/// The most search words taken; the rest are ignored (a search box is not a query language).
pub const MAX_WORDS: usize = 16;

/// Which cases a viewer may see at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Every case (administrators, intake clerks).
    All,
    /// The cases assigned to this reviewer.
    Reviewer(String),
    /// This one case (a party to it).
    Case(String),
    /// None (a reviewer account with no reviewer record).
    Nothing,
}

/// What the queue is asked for.
#[derive(Debug, Clone)]
pub struct QueueQuery {
    pub viewer: Viewer,
    pub status: Option<Status>,
    /// Only the cases assigned to this reviewer.
    pub reviewer: Option<String>,
    /// Words each of which must occur in the case number, the claim number or the worker's
    /// name, in any case (compared lower-cased).
    pub words: Vec<String>,
    /// Now, for counting the overdue cases.
    pub now: DateTime,
    /// The page, from 1; past the last page, the last page is given.
    pub page: usize,
    /// Cases on a page (at least 1).
    pub per_page: usize,
}

/// One case as the queue lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub number: CaseNumber,
    pub status: Status,
    pub priority: Priority,
    pub reviewer_id: Option<String>,
    pub received_at: DateTime,
    /// The next open deadline.
    pub due: Option<(DueKind, DateTime)>,
    /// Disputed items.
    pub items: usize,
    pub worker: String,
    pub claim_number: String,
}

impl QueueEntry {
    /// Eligible with no reviewer yet.
    pub fn unassigned(&self) -> bool {
        self.status == Status::Eligible && self.reviewer_id.is_none()
    }
}

/// A page of the queue and what it is a page of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueSlice {
    /// Open expedited cases first, then by due date (cases with no deadline running last),
    /// then by number.
    pub entries: Vec<QueueEntry>,
    /// Cases that match, on all pages.
    pub total: usize,
    /// Of those, overdue at `now`.
    pub overdue: usize,
    /// Of those, expedited cases with no reviewer yet.
    pub expedited_unassigned: usize,
    /// The page given.
    pub page: usize,
}

/// The queue's columns of one case.
pub(crate) struct QueueColumns {
    pub worker: String,
    pub claim_number: String,
    pub search_text: String,
    pub priority: &'static str,
    pub items: i64,
    pub due_kind: Option<&'static str>,
    pub due_at: Option<String>,
    pub due_order: i64,
    /// 0 for an expedited case still open (neither ineligible nor issued), 1 for every other:
    /// the queue's first sort key, so expedited cases come first, those awaiting assignment
    /// (no deadline yet) included.
    pub urgency: i64,
}

/// `due_order` of a case with no deadline running: after every date.
pub(crate) const NO_DUE: i64 = i64::MAX;

impl QueueColumns {
    pub(crate) fn of(case: &Case) -> QueueColumns {
        let app = &case.application;
        let next = case.open_deadlines().into_iter().min_by_key(|d| d.due);
        QueueColumns {
            worker: app.worker.clone(),
            claim_number: app.claim_number.clone(),
            search_text: format!("{} {} {}", case.number, app.claim_number, app.worker)
                .to_lowercase(),
            priority: case.priority().as_str(),
            items: i64::try_from(app.ur_decision.items.len()).unwrap_or(i64::MAX),
            due_kind: next.as_ref().map(|d| due_kind_word(d.kind)),
            due_at: next.as_ref().map(|d| d.due.to_string()),
            due_order: next.as_ref().map_or(NO_DUE, |d| order_of(d.due)),
            urgency: i64::from(!(case.priority() == Priority::Expedited && case.status.is_open())),
        }
    }
}

/// The statement that writes a case's queue columns (its number is `$10`).
pub(crate) const UPDATE_COLUMNS: &str = "UPDATE cases SET queued = 1, worker = $1, \
     claim_number = $2, search_text = $3, priority = $4, items = $5, due_kind = $6, \
     due_at = $7, due_order = $8, urgency = $9 WHERE number = $10";

/// A civil date-time as nanoseconds, read as UTC: the same order as the date-times, as a
/// number, so that sorting and comparing do not depend on a database's text collation (a
/// deadline ends at 23:59:59.999999999). Outside the years 1677 to 2262, which an i64 holds,
/// a date-time takes the nearest end.
pub(crate) fn order_of(at: DateTime) -> i64 {
    let nanos = at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_nanosecond())
        .unwrap_or(if at.year() < 0 { i128::MIN } else { i128::MAX });
    i64::try_from(nanos).unwrap_or(if nanos < 0 { i64::MIN } else { NO_DUE - 1 })
}

fn due_kind_word(kind: DueKind) -> &'static str {
    match kind {
        DueKind::Records => "records",
        DueKind::Determination => "determination",
    }
}

/// Text for `LIKE ... ESCAPE '\'` that matches `word` anywhere.
pub(crate) fn like_anywhere(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The `WHERE` clause for a query, with its parameters in order (all text), numbered from
/// `$1`.
pub(crate) fn filter(query: &QueueQuery) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    let mut param = |clause: &str, value: String, clauses: &mut Vec<String>| {
        params.push(value);
        clauses.push(clause.replace('?', &format!("${}", params.len())));
    };
    match &query.viewer {
        Viewer::All => {}
        Viewer::Reviewer(id) => param("reviewer_id = ?", id.clone(), &mut clauses),
        Viewer::Case(number) => param("number = ?", number.clone(), &mut clauses),
        Viewer::Nothing => clauses.push("1 = 0".to_string()),
    }
    if let Some(status) = query.status {
        param("status = ?", status.as_str().to_string(), &mut clauses);
    }
    if let Some(reviewer) = query.reviewer.as_deref().filter(|r| !r.is_empty()) {
        param("reviewer_id = ?", reviewer.to_string(), &mut clauses);
    }
    for word in query.words.iter().take(MAX_WORDS) {
        param(
            "search_text LIKE ? ESCAPE '\\'",
            like_anywhere(&word.to_lowercase()),
            &mut clauses,
        );
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (sql, params)
}

/// A row as the queue's `SELECT` reads it.
pub(crate) type Row = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    i64,
    String,
    String,
);

/// The columns `Row` reads, in order.
pub(crate) const ROW_COLUMNS: &str = "number, status, priority, reviewer_id, received_at, \
     due_kind, due_at, items, worker, claim_number";

pub(crate) fn entry(row: Row) -> Result<QueueEntry, StoreError> {
    let (
        number,
        status,
        priority,
        reviewer_id,
        received_at,
        due_kind,
        due_at,
        items,
        worker,
        claim,
    ) = row;
    let corrupt = |detail: String| StoreError::Corrupt {
        what: "case's queue columns",
        key: number.clone(),
        detail,
    };
    let status = parse_status(&status).ok_or_else(|| corrupt(format!("status {status:?}")))?;
    let priority =
        Priority::parse(&priority).ok_or_else(|| corrupt(format!("priority {priority:?}")))?;
    let due = match (due_kind.as_deref(), due_at) {
        (None, None) => None,
        (Some(kind), Some(at)) => {
            let kind = match kind {
                "records" => DueKind::Records,
                "determination" => DueKind::Determination,
                other => return Err(corrupt(format!("due kind {other:?}"))),
            };
            Some((kind, crate::error::parse_time("case", &number, &at)?))
        }
        _ => {
            return Err(corrupt(
                "a due date without its kind, or a kind without a date".into(),
            ));
        }
    };
    Ok(QueueEntry {
        status,
        priority,
        reviewer_id,
        received_at: crate::error::parse_time("case", &number, &received_at)?,
        due,
        items: usize::try_from(items).map_err(|_| corrupt(format!("{items} items")))?,
        worker,
        claim_number: claim,
        number: crate::error::parse_number(&number)?,
    })
}

/// A status from its word (`Status::as_str`, which is also its serde name).
fn parse_status(word: &str) -> Option<Status> {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    let word: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        word.into_deserializer();
    Status::deserialize(word).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn like_patterns_match_the_word_literally() {
        assert_eq!(like_anywhere("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn the_order_of_date_times_is_kept_as_numbers() {
        let a = date(2026, 3, 8).at(1, 59, 59, 999_999_999);
        let b = date(2026, 3, 8).at(2, 30, 0, 0);
        let c = date(2026, 11, 1).at(1, 30, 0, 0);
        assert!(order_of(a) < order_of(b) && order_of(b) < order_of(c));
        assert_eq!(order_of(date(1500, 1, 1).at(0, 0, 0, 0)), i64::MIN);
        assert_eq!(order_of(date(9999, 1, 1).at(0, 0, 0, 0)), NO_DUE - 1);
    }

    #[test]
    fn every_status_reads_back_from_its_word() {
        for s in [
            Status::Ineligible,
            Status::Eligible,
            Status::Assigned,
            Status::RecordsComplete,
            Status::Determined,
            Status::LetterIssued,
        ] {
            assert_eq!(parse_status(s.as_str()), Some(s));
        }
        assert_eq!(parse_status("done"), None);
    }

    #[test]
    fn the_filter_numbers_its_parameters_in_order() {
        let (sql, params) = filter(&QueueQuery {
            viewer: Viewer::Reviewer("r1".into()),
            status: Some(Status::Assigned),
            reviewer: Some(String::new()),
            words: vec!["Doe".into(), "5%".into()],
            now: date(2026, 1, 1).at(0, 0, 0, 0),
            page: 1,
            per_page: 10,
        });
        assert_eq!(
            sql,
            " WHERE reviewer_id = $1 AND status = $2 AND search_text LIKE $3 ESCAPE '\\' \
             AND search_text LIKE $4 ESCAPE '\\'"
        );
        assert_eq!(params, ["r1", "assigned", "%doe%", "%5\\%%"]);
    }
}
