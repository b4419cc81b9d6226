//! The second look before a public copy is released: what the redactor kept that still looks
//! like a name or an identifying number, for a person to check. Nothing here removes anything;
//! it only points.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Kind, names};

/// What a kept token looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LooksLike {
    /// A capitalized word that is a census given name or surname, not at a sentence's start.
    Name,
    /// Five digits or more, or letters and three digits or more together ("ADJ123"), that are
    /// not a date, a dose or the IMR case number.
    Number,
}

impl LooksLike {
    pub fn as_str(self) -> &'static str {
        match self {
            LooksLike::Name => "name",
            LooksLike::Number => "number",
        }
    }
}

/// A token kept in the copy that looks like a name or a number, and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lookalike {
    pub looks_like: LooksLike,
    pub token: String,
    pub count: usize,
}

/// The tokens of the redacted `texts` that look like names or numbers, names first, each once
/// with its count.
pub fn kept_lookalikes(texts: &[&str]) -> Vec<Lookalike> {
    let mut found: BTreeMap<(LooksLike, String), usize> = BTreeMap::new();
    for text in texts {
        for (looks_like, token) in lookalikes(text) {
            *found.entry((looks_like, token.to_string())).or_default() += 1;
        }
    }
    found
        .into_iter()
        .map(|((looks_like, token), count)| Lookalike {
            looks_like,
            token,
            count,
        })
        .collect()
}

/// Whether a replacement tag is what stands at `text[at..]`.
fn tag_at(text: &str, at: usize) -> Option<&'static str> {
    Kind::ALL
        .iter()
        .map(|k| k.tag())
        .find(|tag| text[at..].starts_with(tag))
}

fn lookalikes(text: &str) -> Vec<(LooksLike, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        if let Some(tag) = tag_at(text, at) {
            at += tag.len();
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if !c.is_alphanumeric() {
            at += c.len_utf8();
            continue;
        }
        // A token: letters, digits and the joiners inside it.
        let rest = &text[at..];
        let mut end = rest.len();
        for (i, ch) in rest.char_indices() {
            let joiner = matches!(ch, '-' | '/' | '\'' | '’' | '.')
                && rest[i + ch.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if !(ch.is_alphanumeric() || joiner) {
                end = i;
                break;
            }
        }
        let token = &rest[..end];
        if let Some(kind) = classify(text, at, token) {
            out.push((kind, token));
        }
        at += end.max(c.len_utf8());
    }
    out
}

fn classify(text: &str, at: usize, token: &str) -> Option<LooksLike> {
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
    if digits > 0 {
        let number = (digits >= 5 || (digits >= 3 && letters >= 2))
            && !is_date(token)
            && !is_case_number(token)
            && !is_dose(token);
        return number.then_some(LooksLike::Number);
    }
    let word = token
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_end_matches('.');
    let capitalized = word.starts_with(|c: char| c.is_uppercase());
    let all_caps = word.chars().all(|c| !c.is_lowercase());
    if !capitalized || word.chars().count() < 2 || names::is_stop_word(word) {
        return None;
    }
    if all_caps && (word.chars().count() < 3 || names::is_abbreviation(word)) {
        return None;
    }
    let sentence_start = text[..at]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n'));
    let listed = names::is_given(word) || names::is_surname(word);
    (listed && !sentence_start).then_some(LooksLike::Name)
}

/// 04/12/2024, 4-12-24, 2024-04-12.
fn is_date(token: &str) -> bool {
    let parts: Vec<&str> = token.split(['/', '-', '.']).collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    numeric
        && parts.len() == 3
        && (parts[0].len() <= 2 && parts[1].len() <= 2 && matches!(parts[2].len(), 2 | 4)
            || parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2)
}

/// The IMR case number the published letters keep: CM26-0001042.
fn is_case_number(token: &str) -> bool {
    let Some(rest) = token.strip_prefix("CM") else {
        return false;
    };
    let mut parts = rest.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(year), Some(serial), None)
            if year.len() == 2 && year.chars().all(|c| c.is_ascii_digit())
                && serial.chars().all(|c| c.is_ascii_digit())
    )
}

/// A dose or a ratio: 10/325, 7.5/325, 0.5%.
fn is_dose(token: &str) -> bool {
    token.contains('/')
        && token
            .split('/')
            .all(|p| p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(looks_like: LooksLike, text: &str) -> Vec<String> {
        kept_lookalikes(&[text])
            .into_iter()
            .filter(|k| k.looks_like == looks_like)
            .map(|k| k.token)
            .collect()
    }

    #[test]
    fn kept_names_and_numbers_are_pointed_out() {
        let text = "[NAME] was seen with Whitfield's approval; account 5593317 and ADJ1234 are \
                    on file. The letter went to HOLLOWAY. Robert came alone; per Robert, pain is \
                    6/10 on Norco 10/325 mg since 03/14/2024 (case CM26-0001042, 2024-03-14), \
                    L5-S1, 47-year-old, 2024.";
        assert_eq!(
            tokens(LooksLike::Name, text),
            ["HOLLOWAY", "Robert", "Whitfield's"]
        );
        assert_eq!(tokens(LooksLike::Number, text), ["5593317", "ADJ1234"]);
        let counted = kept_lookalikes(&[text, "Seen by Robert again."]);
        assert!(counted.contains(&Lookalike {
            looks_like: LooksLike::Name,
            token: "Robert".into(),
            count: 2
        }));
    }

    #[test]
    fn clinical_words_tags_and_sentence_openers_are_not_pointed_out() {
        let text = "[NAME] reports Low Back pain. May brings relief; Hope is noted. Knee \
                    Complaints and the MRI of the Lumbar spine. [CLAIM NUMBER] [PHONE] OT PT.";
        assert_eq!(kept_lookalikes(&[text]), Vec::new());
    }
}
