//! Text helpers shared by the readers: dates as the letters write them, joining wrapped lines
//! back into paragraphs, the characters no typed field may hold, and sizes as people read them.

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

/// Why a character has no place in text a person typed or a file name, if it has none: it is
/// not drawn, or not drawn as itself, so a letter or a name could read differently from what it
/// holds.
pub fn unseen_character(c: char) -> Option<&'static str> {
    if c.is_control() {
        Some("a control character")
    } else if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
        Some("a bidirectional override")
    } else if is_format(c) {
        Some("a format character")
    } else if matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
    {
        Some("a private-use character")
    } else if matches!(c, '\u{FDD0}'..='\u{FDEF}') || (c as u32) & 0xFFFE == 0xFFFE {
        // The last two code points of every plane, and the block set aside in Arabic
        // Presentation Forms-A, are noncharacters.
        Some("a noncharacter")
    } else {
        None
    }
}

/// The format characters (general category Cf) of Unicode 16: zero-width spaces and joiners,
/// direction marks, the byte order mark, invisible operators, tags, and the like.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// A size as people read it, in the binary units memory and limits are set in: "812 bytes",
/// "64 KiB", "32 MiB", "15.3 MiB" (one decimal under 100 when the value is not whole).
pub fn binary_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return if bytes == 1 {
            "1 byte".to_string()
        } else {
            format!("{bytes} bytes")
        };
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1023.95 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 || value >= 99.95 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
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

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(binary_size(0), "0 bytes");
        assert_eq!(binary_size(1), "1 byte");
        assert_eq!(binary_size(1023), "1023 bytes");
        assert_eq!(binary_size(1024), "1 KiB");
        assert_eq!(binary_size(64 * 1024), "64 KiB");
        assert_eq!(binary_size(33_554_432), "32 MiB");
        assert_eq!(binary_size(16_000_000), "15.3 MiB");
        assert_eq!(binary_size(812_400), "793 KiB");
        assert_eq!(binary_size(1024 * 1024 - 1), "1.0 MiB");
        assert_eq!(binary_size(3 * 1024 * 1024 * 1024 / 2), "1.5 GiB");
        assert_eq!(binary_size(u64::MAX), "16384 PiB");
    }

    #[test]
    fn unseen_characters_are_named_by_kind() {
        for (c, kind) in [
            ('\u{7}', "a control character"),
            ('\u{202E}', "a bidirectional override"),
            ('\u{200B}', "a format character"),
            ('\u{FEFF}', "a format character"),
            ('\u{00AD}', "a format character"),
            ('\u{E0041}', "a format character"),
            ('\u{E000}', "a private-use character"),
            ('\u{10FFFD}', "a private-use character"),
            ('\u{FDD0}', "a noncharacter"),
            ('\u{FFFE}', "a noncharacter"),
            ('\u{1FFFF}', "a noncharacter"),
        ] {
            assert_eq!(unseen_character(c), Some(kind), "U+{:04X}", c as u32);
        }
        for c in ['a', 'é', 'Ñ', '王', '\u{A0}', '—', '\u{1F600}', '\u{FFFD}'] {
            assert_eq!(unseen_character(c), None, "U+{:04X}", c as u32);
        }
    }

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
