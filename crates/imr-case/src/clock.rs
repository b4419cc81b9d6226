//! The IMR organization's clock: civil time in California.
//!
//! Cases keep civil date-times in `America/Los_Angeles`. The zone comes from the time-zone
//! database built into the binary (jiff's bundled copy), never from the machine, so a missing
//! tzdata package cannot shift a deadline and the same instant always reads the same here.
//! Pure: the edges read the system clock and pass the instant in.

use jiff::civil::DateTime;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::{Timestamp, ToSpan};

/// A time as the case history prints it: to the minute (`2026-02-03 23:59`).
pub fn when(at: DateTime) -> String {
    at.strftime("%Y-%m-%d %H:%M").to_string()
}

/// The zone of every civil time in a case.
pub const ZONE: &str = "America/Los_Angeles";

fn california_zone() -> TimeZone {
    // The bundled database always holds this zone; UTC is unreachable but keeps this total.
    TimeZoneDatabase::bundled()
        .get(ZONE)
        .unwrap_or(TimeZone::UTC)
}

/// The civil time in California at an instant.
pub fn california(at: Timestamp) -> DateTime {
    at.to_zoned(california_zone()).datetime()
}

/// `hours` real hours after the civil time `at` in California, as a civil time: 24 hours from
/// the evening before a daylight-saving change is 23 or 25 hours on the wall clock. A time that
/// the spring change skips is read as the wall clock would show it an hour later; one that the
/// autumn change repeats as its first occurrence.
pub fn hours_after(at: DateTime, hours: i32) -> DateTime {
    let zone = california_zone();
    let later = zone
        .to_ambiguous_timestamp(at)
        .compatible()
        .and_then(|instant| instant.checked_add(i64::from(hours).hours()));
    match later {
        Ok(instant) => instant.to_zoned(zone).datetime(),
        Err(_) => DateTime::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn california_is_eight_hours_behind_utc_in_winter_and_seven_in_summer() {
        let winter: Timestamp = "2026-01-15T20:00:00Z".parse().expect("instant");
        let summer: Timestamp = "2026-07-15T20:00:00Z".parse().expect("instant");
        assert_eq!(california(winter), date(2026, 1, 15).at(12, 0, 0, 0));
        assert_eq!(california(summer), date(2026, 7, 15).at(13, 0, 0, 0));
    }

    #[test]
    fn twenty_four_hours_across_the_spring_change_are_twenty_three_on_the_wall_clock() {
        // Clocks go from 02:00 PST to 03:00 PDT on 2026-03-08.
        let notice = date(2026, 3, 7).at(10, 0, 0, 0);
        assert_eq!(hours_after(notice, 24), date(2026, 3, 8).at(11, 0, 0, 0));
    }

    #[test]
    fn twenty_four_hours_across_the_autumn_change_are_twenty_five_on_the_wall_clock() {
        // Clocks go from 02:00 PDT back to 01:00 PST on 2026-11-01.
        let notice = date(2026, 10, 31).at(10, 0, 0, 0);
        assert_eq!(hours_after(notice, 24), date(2026, 11, 1).at(9, 0, 0, 0));
    }

    #[test]
    fn on_an_ordinary_day_hours_are_wall_clock_hours() {
        let notice = date(2026, 2, 20).at(15, 30, 0, 0);
        assert_eq!(hours_after(notice, 24), date(2026, 2, 21).at(15, 30, 0, 0));
    }
}
