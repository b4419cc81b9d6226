//! Partially authorized requests, as the letters word them.
//!
//! Two shapes, each possibly cut at the front (the item list wraps the sentence):
//! - "X was the original request. Y was authorized by the Claims Administrator. The remaining IMR
//!   eligible portion of the original request, Z is"
//! - "X was the original request. The Claims Administrator authorized Y, leaving the original
//!   request IMR eligible. The original request, Z is"

use std::sync::LazyLock;

use regex::Regex;

static ORIGINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^(.*?)\s*was\s+the\s+original\s+request\.?\s*").expect("static regex")
});
static AUTHORIZED_PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^(.*?)\s*was\s+authorized\s+by\s+the\s+claims\s+administrator\.?\s*")
        .expect("static regex")
});
static AUTHORIZED_ACTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?:.*?\bthe\s+claims\s+administrator\s+)?authorized\s+(.*?),?\s*leaving\s+the\s+original\s+request\s+imr\s+eligible\.?\s*",
    )
    .expect("static regex")
});
static REMAINING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^.*?\bthe\s+(remaining\s+imr\s+eligible\s+portion\s+of\s+the\s+)?original\s+request,\s*(.*?)(?:\s+is)?\s*[.:]?\s*$",
    )
    .expect("static regex")
});
/// The tail of a cut-off first sentence: "the original request.", "request.".
static CUT_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^(?:the\s+)?(?:original\s+)?request\.\s*").expect("static regex")
});

/// The parts of a partial-authorization sentence. `None` when the text is a plain item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PartialText {
    pub original: Option<String>,
    pub authorized: Option<String>,
    pub remaining: String,
}

pub(super) fn split(text: &str) -> Option<PartialText> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("original request") && !lower.contains("claims administrator") {
        return None;
    }
    let mut rest = text;
    let mut original = None;
    if let Some(c) = ORIGINAL.captures(rest) {
        original = c
            .get(1)
            .map(|m| clean(m.as_str()))
            .filter(|s| !s.is_empty());
        rest = &rest[c.get(0).map_or(0, |m| m.end())..];
    }
    if let Some(m) = CUT_LEAD.find(rest) {
        rest = &rest[m.end()..];
    }
    let mut authorized = None;
    if let Some(c) = AUTHORIZED_PASSIVE.captures(rest) {
        authorized = c
            .get(1)
            .map(|m| clean(m.as_str()))
            .filter(|s| !s.is_empty());
        rest = &rest[c.get(0).map_or(0, |m| m.end())..];
    } else if let Some(c) = AUTHORIZED_ACTIVE.captures(rest) {
        authorized = c
            .get(1)
            .map(|m| clean(m.as_str()))
            .filter(|s| !s.is_empty());
        rest = &rest[c.get(0).map_or(0, |m| m.end())..];
    }
    let c = REMAINING.captures(rest)?;
    let remaining = clean(c.get(2).map_or("", |m| m.as_str()));
    if remaining.is_empty() {
        return None;
    }
    // "The original request, Z is": the whole original request is still disputed.
    if c.get(1).is_none() && original.is_none() {
        original = Some(remaining.clone());
    }
    Some(PartialText {
        original,
        authorized,
        remaining,
    })
}

fn clean(s: &str) -> String {
    let s = s.trim().trim_end_matches([',', '.', ';', ':']).trim();
    // A lead-in cut from a longer sentence: "request IMR eligible." etc. is removed by the
    // patterns; what is left is the item wording.
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passive_shape() {
        let p = split(
            "Norco 10/325mg #60 was the original request. Norco 10/325mg #25 was authorized by \
             the Claims Administrator. The remaining IMR eligible portion of the original \
             request, Norco 10/325mg #35 is",
        )
        .expect("partial");
        assert_eq!(p.original.as_deref(), Some("Norco 10/325mg #60"));
        assert_eq!(p.authorized.as_deref(), Some("Norco 10/325mg #25"));
        assert_eq!(p.remaining, "Norco 10/325mg #35");
    }

    #[test]
    fn active_shape() {
        let p = split(
            "Purchase of a bath/shower chair was the original request. The Claims Administrator \
             authorized a bath/shower chair for 1 month, leaving the original request IMR \
             eligible. The original request, purchase of a bath/shower chair is",
        )
        .expect("partial");
        assert_eq!(
            p.original.as_deref(),
            Some("Purchase of a bath/shower chair")
        );
        assert_eq!(
            p.authorized.as_deref(),
            Some("a bath/shower chair for 1 month")
        );
        assert_eq!(p.remaining, "purchase of a bath/shower chair");
    }

    #[test]
    fn cut_at_the_front() {
        let p = split("request IMR eligible. The original request, Partial day treatment is")
            .expect("partial");
        assert_eq!(p.original.as_deref(), Some("Partial day treatment"));
        assert_eq!(p.authorized, None);
        assert_eq!(p.remaining, "Partial day treatment");
    }

    #[test]
    fn plain_item() {
        assert_eq!(split("MRI of the lumbar spine"), None);
    }
}
