//! Responses to treatment said without a response word: a pain score that falls ("pain 7->4",
//! "8/10 without medications and 4/10 with them"), a verb of relief with its symptom ("reduced
//! her headaches", "takes the edge off"), a share ("about 50% better"); and relief that did not
//! last ("only 2 days of relief", "helps for a day or two"), which is improvement that was not
//! sustained.

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, FactValue, Response};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

/// "pain 7->4", "from 8/10 to 5/10", "9/10 to 6/10".
static SCORE_DROP: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?-u:(\d{1,2}))(?:/10)?\s*(?:->|→|=>|to|down to)\s*(?-u:(\d{1,2}))(?:/10)?\b")
});

/// "pain 3/10 (was 7/10)", "4/10, down from 8/10": the score now, then the one before.
static SCORE_WAS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?-u:(\d{1,2}))/10\s*[,(]?\s*(?:was|previously|down from|from|vs\.?|versus|compared with)\s+(?-u:(\d{1,2}))(?:/10)?\b",
    )
});

/// "7/10 without medications and 4/10 with medications": the MTUS four A's analgesia.
static WITH_WITHOUT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?-u:(\d{1,2}))/10\s+(without|off|before|with|on|w/o|w/)(?:\s|\b)[^.;]{0,40}?\b(?-u:(\d{1,2}))/10\s+(without|off|before|with|on|after|w/o|w/)(?:\s|\b)",
    )
});

/// A verb of relief with its symptom, or a share of relief.
static RELIEF: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:(?:reduced|reduces|decreased|decreases|lessened|lessens|eased|eases|relieved|relieves|cut|cuts|lowered|lowers)",
        r"\s+(?:(?:her|his|their|the|its)\s+)?(?:pain|symptoms|headaches?|numbness|tingling|spasms?|discomfort)",
        r"|takes?\s+the\s+edge\s+off",
        r"|(?:pain|symptoms|numbness|tingling|headaches?)\s+(?:has\s+|have\s+)?resolved",
        r"|(?-u:\d{1,3})\s*%\s*(?:better|improved|improvement|relief|reduction|less\s+pain))\b"
    ))
});

/// A short while: hours, days, or a few weeks ("for a day or two", "only 2 days", "about
/// three weeks"), or "only" before a length of time.
static SHORT_WHILE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:only|just)\s+(?:for\s+)?(?:about\s+|around\s+|a\s+few\s+|several\s+)?(?:a|an|one|two|three|four|five|\d+)?\s*(?:hours?|days?|weeks?)\b",
        r"|\bfor\s+(?:only\s+)?(?:about\s+|around\s+|a\s+few\s+|several\s+)?(?:a|an|one|two|three|four|five|\d+)?\s*(?:hours?|days?)\b",
        r"|\bfor\s+(?:about\s+|around\s+)?(?:a|one|two|three|four|five|[1-5])\s+weeks?\b",
        r"|\b(?:a|one|two|three|four|five|\d+)\s+(?:hours?|days?)\s+of\s+(?:relief|benefit)\b",
        r"|\b(?:a|one|two|three|four|five|[1-5])\s+weeks?\s+of\s+(?:relief|benefit)\b",
        r"|\bfor\s+a\s+(?:day|week)\s+or\s+two\b"
    ))
});

/// Response facts of `text` that no response word states.
pub(super) fn responses(text: &str) -> Vec<Fact> {
    let improvement = |m: regex::Match<'_>| {
        Fact::new(
            FactValue::Response(Response::Improvement),
            text,
            m.start(),
            m.end(),
        )
    };
    let mut out = Vec::new();
    for c in SCORE_DROP.captures_iter(text) {
        let (Some(whole), Some(a), Some(b)) = (c.get(0), number(&c, 1), number(&c, 2)) else {
            continue;
        };
        // Only a pain score: a date or a range of levels ("L4 to 5") is not one.
        let from = super::anatomy::floor_char(text, whole.start().saturating_sub(30));
        let before = text[from..whole.start()].to_ascii_lowercase();
        let is_pain =
            whole.as_str().contains("/10") || before.contains("pain") || before.contains("vas");
        if is_pain && a <= 10.0 && b < a {
            out.push(improvement(whole));
        }
    }
    for c in SCORE_WAS.captures_iter(text) {
        let (Some(whole), Some(now), Some(before)) = (c.get(0), number(&c, 1), number(&c, 2))
        else {
            continue;
        };
        if now < before && before <= 10.0 {
            out.push(improvement(whole));
        }
    }
    for c in WITH_WITHOUT.captures_iter(text) {
        let (Some(whole), Some(a), Some(b)) = (c.get(0), number(&c, 1), number(&c, 3)) else {
            continue;
        };
        let first_without = matches!(
            c[2].to_ascii_lowercase().as_str(),
            "without" | "off" | "before" | "w/o"
        );
        let (untreated, treated) = if first_without { (a, b) } else { (b, a) };
        if treated < untreated && untreated <= 10.0 {
            out.push(improvement(whole));
        }
    }
    out.extend(RELIEF.find_iter(text).map(improvement));
    out
}

fn number(c: &regex::Captures<'_>, i: usize) -> Option<f64> {
    c.get(i)?.as_str().parse().ok()
}

/// True when the clause says the relief lasted only a short while.
pub(super) fn short_lived(clause: &str) -> bool {
    SHORT_WHILE.is_match(clause)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> bool {
        !responses(text).is_empty()
    }

    #[test]
    fn a_falling_pain_score_is_improvement() {
        assert!(said(
            "Acupuncture 6/6 complete, pain 7->4, sleeping better."
        ));
        assert!(said("Pain down from 8/10 to 5/10 on the current regimen."));
        assert!(said(
            "Pain was rated 7/10 without medications and 4/10 with medications."
        ));
        assert!(said("11/22/16: pain 8/10 w/o meds, 4/10 w/ meds."));
        assert!(said("On meloxicam: pain 3/10 (was 7/10)."));
        assert!(!said("Pain 7/10 (was 4/10)."));
        assert!(!said("Pain rose from 4/10 to 7/10."));
        assert!(!said("Disc bulges from L4 to 5 on the MRI."));
        assert!(!said("Seen 3/4 to 3/9 for therapy."));
        // A score after multi-byte text: the look back stops on a character.
        assert!(said("Schmerz ärger ü 7/10 → 4/10."));
    }

    #[test]
    fn a_verb_of_relief_with_its_symptom_is_improvement() {
        assert!(said("Acupuncture reduced her headaches."));
        assert!(said("Ibuprofen as needed, which takes the edge off."));
        assert!(said("The tingling is about 50% better."));
        assert!(!said("He reduced his hours at work."));
    }

    #[test]
    fn relief_for_a_short_while_did_not_last() {
        assert!(short_lived("provided only 2 days of relief"));
        assert!(short_lived("helps for a day or two"));
        assert!(short_lived("helped for about three weeks"));
        assert!(short_lived(
            "an epidural injection in 04/2016 with two weeks of relief"
        ));
        assert!(!short_lived("helped for about six months"));
        assert!(!short_lived("relief lasting 8 weeks"));
    }
}
