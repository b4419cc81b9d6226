//! Significant trauma: the kind of injury ACOEM names as a red flag for fracture (Low Back
//! Complaints, Table 12-1: "major trauma, such as a vehicle accident or fall from height"): a
//! fall from something high ("fell about six feet from a ladder", "fell off the loading dock"),
//! dated by a date written next to it. Whether it is recent enough to matter is the engine's
//! question, against the request's date. A vehicle collision is not read as such: most are
//! the strain of a worker's claim, which the published reviewers do not image for the
//! collision alone.

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, FactValue, RedFlag, anatomy, scan};

/// A fall from something high, or from a height in feet.
static TRAUMA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:fell|fallen|falls?|falling)\b[^.;\n]{0,40}?\b(?:from|off)\s+(?:[\w-]+\s+){0,4}?",
        r"(?:(?:step)?ladders?|roofs?|scaffold(?:ing)?|heights?|loading\s+docks?|docks?|platforms?|",
        r"trucks?|trailers?|balcon(?:y|ies)|mezzanines?|catwalks?)\b",
        r"|\b(?:fell|fallen|falls?|falling)\s+(?:[a-z]+\s+)?",
        r"(?:\d{1,2}|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)\s*(?:-\s*)?(?:feet|foot|ft)\b",
    ))
    .expect("a valid pattern")
});

/// How far from the words a date may stand and still be the fall's ("on 9/14/2016 he fell"),
/// not the visit's that reports it ("the documentation of 11/16/2016 indicated ...").
const DATE_REACH: usize = 40;

/// Each significant trauma the text tells, on the words that tell it, with the date written
/// next to it, if any.
pub(super) fn events(text: &str, sentences: &[(usize, usize)]) -> Vec<Fact> {
    TRAUMA
        .find_iter(text)
        .map(|m| {
            let mut fact = Fact::new(
                FactValue::RedFlag(RedFlag::SignificantTrauma),
                text,
                m.start(),
                m.end(),
            );
            let (a, b) = sentences
                .iter()
                .copied()
                .find(|(a, b)| (*a..*b).contains(&m.start()))
                .unwrap_or((m.start(), m.end()));
            let from = anatomy::floor_char(text, m.start().saturating_sub(DATE_REACH).max(a));
            let to = anatomy::floor_char(text, (m.end() + DATE_REACH).min(b.max(m.end())));
            fact.date = scan::dates(&text[from..to]).first().copied();
            fact
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::extract::{FactValue, Polarity, RedFlag, read};

    fn traumas(text: &str) -> Vec<(Polarity, Option<String>)> {
        read(text)
            .facts()
            .iter()
            .filter(|f| f.value == FactValue::RedFlag(RedFlag::SignificantTrauma))
            .map(|f| (f.polarity, f.date.map(|d| d.to_string())))
            .collect()
    }

    #[test]
    fn a_fall_from_a_height_is_significant_trauma() {
        assert_eq!(
            traumas("On 3/2/2016 she fell roughly 8 ft from a stepladder while stocking."),
            [(Polarity::Affirmed, Some("2016-03-02".to_string()))]
        );
        assert_eq!(
            traumas("He fell off the back of a truck.").len(),
            1,
            "a fall off a vehicle"
        );
        assert_eq!(
            traumas(
                "The orthopedic follow-up note of 5/1/2016 says that some weeks before the visit she fell 4 feet off a ramp."
            ),
            [(Polarity::Affirmed, None)],
            "a date far from the fall is the visit's"
        );
    }

    #[test]
    fn a_fall_on_level_ground_or_denied_is_not() {
        assert!(traumas("She slipped on a wet floor and fell onto her hip.").is_empty());
        assert!(traumas("He uses a ladder at work.").is_empty());
        assert_eq!(
            traumas("He denies any fall from a height."),
            [(Polarity::Negated, None)]
        );
    }
}
