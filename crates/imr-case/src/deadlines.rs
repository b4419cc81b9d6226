//! The statutory clock.
//!
//! - Records (8 CCR 9792.10.5(a)(1)): due 15 days after the notice of assignment was mailed,
//!   12 days if it was sent electronically, 24 hours for expedited review.
//! - Determination (LC 4610.6(d)): due 30 days after the complete records arrived; for expedited
//!   review 3 days (the reference marks that figure unverified, so it is a setting).
//!
//! Days are calendar days (the regulation says "days", and says "business day" where it means
//! one, e.g. the notice of assignment). A day-count deadline ends at the end of its last day; an
//! hour-count deadline ends at the exact hour, counted in real hours (across a daylight-saving change
//! 24 hours are 23 or 25 on the wall clock).

use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use imr_core::model::Priority;

/// The clock's settings. `Default` gives the figures of the regulations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockRules {
    pub records_days_mailed: i32,
    pub records_days_electronic: i32,
    pub records_hours_expedited: i32,
    pub determination_days_standard: i32,
    pub determination_days_expedited: i32,
}

impl Default for ClockRules {
    fn default() -> Self {
        ClockRules {
            records_days_mailed: 15,
            records_days_electronic: 12,
            records_hours_expedited: 24,
            determination_days_standard: 30,
            determination_days_expedited: 3,
        }
    }
}

/// How the notice of assignment was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeMethod {
    Mail,
    Electronic,
}

/// The last moment of `date`.
fn end_of_day(date: Date) -> DateTime {
    date.at(23, 59, 59, 999_999_999)
}

fn add_days(date: Date, days: i32) -> Date {
    // Dates in a case lie between 1900 and today; a few days more cannot overflow.
    date.checked_add(days.days()).unwrap_or(Date::MAX)
}

impl ClockRules {
    /// When the records are due, from the notice of assignment.
    pub fn records_due(
        &self,
        priority: Priority,
        notice_at: DateTime,
        method: NoticeMethod,
    ) -> DateTime {
        match (priority, method) {
            // Real hours, not wall-clock ones: a daylight-saving change does not move the hour.
            (Priority::Expedited, _) => {
                super::clock::hours_after(notice_at, self.records_hours_expedited)
            }
            (Priority::Standard, NoticeMethod::Mail) => {
                end_of_day(add_days(notice_at.date(), self.records_days_mailed))
            }
            (Priority::Standard, NoticeMethod::Electronic) => {
                end_of_day(add_days(notice_at.date(), self.records_days_electronic))
            }
        }
    }

    /// When the determination is due, from the arrival of the complete records.
    pub fn determination_due(&self, priority: Priority, records_complete_at: DateTime) -> DateTime {
        let days = match priority {
            Priority::Standard => self.determination_days_standard,
            Priority::Expedited => self.determination_days_expedited,
        };
        end_of_day(add_days(records_complete_at.date(), days))
    }
}

/// What falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    Records,
    Determination,
}

/// One open deadline of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    pub case_number: super::CaseNumber,
    pub kind: DueKind,
    pub due: DateTime,
    pub priority: Priority,
    /// Past due at the time asked.
    pub overdue: bool,
}

/// Open deadlines that are overdue at `now` or fall due within `within_days` days of it, in
/// order of due time.
pub fn due_items(cases: &[super::Case], now: DateTime, within_days: i32) -> Vec<DueItem> {
    let horizon = end_of_day(add_days(now.date(), within_days));
    let mut items: Vec<DueItem> = cases
        .iter()
        .flat_map(|case| case.open_deadlines())
        .filter(|item| item.due <= horizon)
        .map(|mut item| {
            item.overdue = item.due < now;
            item
        })
        .collect();
    items.sort_by(|a, b| (a.due, &a.case_number, a.kind).cmp(&(b.due, &b.case_number, b.kind)));
    items
}

/// Whole days between two moments, counted on the calendar (the figure DWC publishes).
pub fn calendar_days(from: DateTime, to: DateTime) -> i32 {
    super::eligibility::days_between(from.date(), to.date())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(y: i16, m: i8, d: i8, h: i8) -> DateTime {
        date(y, m, d).at(h, 0, 0, 0)
    }

    #[test]
    fn records_are_due_15_days_after_a_mailed_notice_and_12_after_an_electronic_one() {
        let rules = ClockRules::default();
        let notice = at(2026, 2, 20, 10);
        let mailed = rules.records_due(Priority::Standard, notice, NoticeMethod::Mail);
        let electronic = rules.records_due(Priority::Standard, notice, NoticeMethod::Electronic);
        assert_eq!(mailed.date(), date(2026, 3, 7));
        assert_eq!(electronic.date(), date(2026, 3, 4));
        // The whole last day counts, the next morning is late.
        assert!(at(2026, 3, 7, 23) <= mailed);
        assert!(at(2026, 3, 8, 0) > mailed);
        assert!(at(2026, 3, 4, 23) <= electronic);
        assert!(at(2026, 3, 5, 0) > electronic);
    }

    #[test]
    fn expedited_records_are_due_24_hours_after_the_notice_however_sent() {
        let rules = ClockRules::default();
        let notice = date(2026, 2, 20).at(15, 30, 0, 0);
        for method in [NoticeMethod::Mail, NoticeMethod::Electronic] {
            assert_eq!(
                rules.records_due(Priority::Expedited, notice, method),
                date(2026, 2, 21).at(15, 30, 0, 0)
            );
        }
    }

    #[test]
    fn expedited_records_are_due_24_real_hours_later_across_both_daylight_saving_changes() {
        let rules = ClockRules::default();
        let due = |notice| rules.records_due(Priority::Expedited, notice, NoticeMethod::Mail);
        assert_eq!(
            due(date(2026, 3, 7).at(10, 0, 0, 0)),
            date(2026, 3, 8).at(11, 0, 0, 0)
        );
        assert_eq!(
            due(date(2026, 10, 31).at(10, 0, 0, 0)),
            date(2026, 11, 1).at(9, 0, 0, 0)
        );
    }

    #[test]
    fn day_counted_deadlines_keep_their_calendar_day_across_daylight_saving_changes() {
        let rules = ClockRules::default();
        let due = rules.records_due(
            Priority::Standard,
            at(2026, 2, 25, 10),
            NoticeMethod::Electronic,
        );
        assert_eq!(due.date(), date(2026, 3, 9));
        let due = rules.determination_due(Priority::Standard, at(2026, 10, 15, 9));
        assert_eq!(due.date(), date(2026, 11, 14));
    }

    #[test]
    fn the_determination_is_due_30_days_after_complete_records_3_if_expedited() {
        let rules = ClockRules::default();
        let complete = at(2026, 1, 30, 9);
        assert_eq!(
            rules.determination_due(Priority::Standard, complete).date(),
            date(2026, 3, 1)
        );
        assert_eq!(
            rules
                .determination_due(Priority::Expedited, complete)
                .date(),
            date(2026, 2, 2)
        );
    }

    #[test]
    fn the_figures_are_settings() {
        let rules = ClockRules {
            determination_days_expedited: 5,
            ..ClockRules::default()
        };
        assert_eq!(
            rules
                .determination_due(Priority::Expedited, at(2026, 1, 1, 0))
                .date(),
            date(2026, 1, 6)
        );
    }

    #[test]
    fn calendar_days_ignore_the_time_of_day() {
        assert_eq!(calendar_days(at(2026, 1, 1, 23), at(2026, 1, 31, 1)), 30);
    }
}
