//! Text helpers shared by the readers: dates as the letters write them, and joining wrapped lines
//! back into paragraphs.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

static US_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?-u:(\d{1,2}))\s*[/-]\s*(?-u:(\d{1,2}))\s*[/-]\s*(?-u:(\d{4}|\d{2}))\s*$")
        .expect("static regex")
});

/// Reads a US date (`m/d/yyyy`, `m-d-yyyy`, `m/d/yy`, `m-d-yy`).
///
/// A two-digit year takes the latest century that does not put the date after `not_after` (no
/// date in a letter can be later than its decision date); without a bound it is 20yy.
/// Built from the captured numbers, never through a `%y` pattern: `3/16/15` must not be year 15.
pub fn parse_us_date(text: &str, not_after: Option<Date>) -> Option<Date> {
    let caps = US_DATE.captures(text)?;
    let month: i8 = caps[1].parse().ok()?;
    let day: i8 = caps[2].parse().ok()?;
    let year_text = &caps[3];
    let year: i16 = year_text.parse().ok()?;
    if year_text.len() == 4 {
        return Date::new(year, month, day).ok();
    }
    let in_2000s = Date::new(2000 + year, month, day).ok()?;
    match not_after {
        Some(bound) if in_2000s > bound => Date::new(1900 + year, month, day).ok(),
        _ => Some(in_2000s),
    }
}

/// Formats a date as the letters print it: `MM/DD/YYYY`.
pub fn format_us_date(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.month(), date.day(), date.year())
}

/// Joins wrapped lines into one paragraph: whitespace runs become one space, and a word broken
/// at a line end after a hyphen is rejoined without the hyphen ("radicul-" + "opathy").
///
/// This is what poppler's pdftotext does, and the published text copies were made with it, so
/// a letter read from its PDF and from its text copy give the same record. The cost is that a
/// compound word split at its own hyphen loses it ("x-" + "ray" gives "xray").
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if ends_with_broken_word(&out) {
            out.pop();
        } else if !out.is_empty() {
            out.push(' ');
        }
        for (i, word) in line.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Collapses every whitespace run (newlines included) into one space and trims.
pub fn collapse_whitespace(text: &str) -> String {
    join_lines(text.lines())
}

/// A line that ends in a letter or digit and a hyphen was broken inside a word.
fn ends_with_broken_word(text: &str) -> bool {
    let mut chars = text.chars().rev();
    chars.next() == Some('-') && chars.next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).expect("valid test date")
    }

    #[test]
    fn reads_the_date_forms_of_the_letters() {
        let cases = [
            ("11/18/2016", Some(date(2016, 11, 18))),
            ("1/9/2017", Some(date(2017, 1, 9))),
            ("10-11-2016", Some(date(2016, 10, 11))),
            ("7/23/12", Some(date(2012, 7, 23))),
            ("02/30/2016", None),
            ("13/01/2016", None),
            ("Standard", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_us_date(text, None), expected, "{text:?}");
        }
    }

    #[test]
    fn two_digit_years_never_land_after_the_bound() {
        let decision = date(2016, 12, 19);
        assert_eq!(
            parse_us_date("3/16/65", Some(decision)),
            Some(date(1965, 3, 16))
        );
        assert_eq!(
            parse_us_date("3/16/15", Some(decision)),
            Some(date(2015, 3, 16))
        );
        assert_eq!(
            parse_us_date("12/20/16", Some(decision)),
            Some(date(1916, 12, 20))
        );
    }

    #[test]
    fn formats_as_the_letters_do() {
        assert_eq!(format_us_date(date(2017, 1, 9)), "01/09/2017");
    }

    #[test]
    fn joins_wrapped_lines() {
        let cases: [(&[&str], &str); 5] = [
            (&["a b", "c"], "a b c"),
            (&["a radicul-", "opathy"], "a radiculopathy"),
            (&["dated 10-", "20-16"], "dated 1020-16"),
            (&["  spaced   out ", "", " text  "], "spaced out text"),
            (&["pain 10/10 -", "severe"], "pain 10/10 - severe"),
        ];
        for (lines, expected) in cases {
            assert_eq!(join_lines(lines.iter().copied()), expected);
        }
    }
}
