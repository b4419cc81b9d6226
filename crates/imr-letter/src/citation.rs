//! Reading the citations of a guideline line.
//!
//! Two grammars occur (guidelines.md §0.1):
//! - section-based (2016 on): `Decision based on MTUS Low Back Complaints 2004, Section(s):
//!   Summary, and Chronic Pain Medical Treatment 2016, Section(s): Facet blocks.`
//! - page-based (older): `Decision based on MTUS Chronic Pain Treatment Guidelines Physical
//!   Medicine Page(s): 98-99.`
//!
//! followed by any number of `Decision based on Non-MTUS Citation <free text>.` Section lists
//! hold commas, so guidelines are told apart by their titles (the MTUS title list below), not by
//! commas.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use imr_core::model::Citation;

/// The titles of the MTUS guidelines and ACOEM chapters as the letters name them. Longer
/// titles win over their prefixes ("Chronic Pain Medical Treatment Guidelines").
const MTUS_TITLES: &[&str] = &[
    "Chronic Pain Medical Treatment Guidelines",
    "Chronic Pain Medical Treatment",
    "Chronic Pain Treatment Guidelines",
    "Opioid Treatment Guidelines",
    "Opioid Treatment",
    "Opioids Treatment Guidelines",
    "Acupuncture Medical Treatment Guidelines",
    "Acupuncture Treatment Guidelines",
    "Acupuncture Treatment",
    "Postsurgical Treatment Guidelines",
    "Postsurgical Treatment",
    "Post-Surgical Treatment Guidelines",
    "Low Back Complaints",
    "Neck and Upper Back Complaints",
    "Shoulder Complaints",
    "Elbow Complaints",
    "Elbow Disorders",
    "Forearm, Wrist, and Hand Complaints",
    "Knee Complaints",
    "Ankle and Foot Complaints",
    "General Approaches",
    "Stress-Related Conditions",
    "ACOEM Chapter 1 Prevention",
    "ACOEM Chapter 2 General Approach to Initial Assessment and Documentation",
    "ACOEM Chapter 3 Initial Approaches to Treatment",
    "ACOEM Chapter 4 Work-Relatedness",
    "ACOEM Chapter 5 Cornerstones of Disability Prevention and Management",
    "ACOEM Chapter 6 Pain, Suffering, and the Restoration of Function",
    "ACOEM Chapter 7 Independent Medical Examinations and Consultations",
    "ACOEM Chapter 8 Neck and Upper Back Complaints",
    "ACOEM Chapter 9 Shoulder Complaints",
    "ACOEM Chapter 10 Elbow Complaints",
    "ACOEM Chapter 11 Forearm, Wrist, and Hand Complaints",
    "ACOEM Chapter 12 Low Back Complaints",
    "ACOEM Chapter 13 Knee Complaints",
    "ACOEM Chapter 14 Ankle and Foot Complaints",
    "ACOEM Chapter 15 Stress-Related Conditions",
];

static TITLES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(MTUS_TITLES)
        .expect("static title list")
});

static STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)decision based on\s+(non-mtus citation|mtus)\b").expect("static regex")
});

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?-u:((?:19|20)\d\d))\b").expect("static regex"));

static SECTIONS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)sections?\s*(?:\(s\))?\s*:").expect("static regex"));

static PAGES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)pages?\s*(?:\(s\))?\s*:").expect("static regex"));

static NON_MTUS_PAGES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:pg|pp|page|pages)\.?\s*(?-u:(\d+(?:\s*-\s*\d+)?))\s*\.?\s*$")
        .expect("static regex")
});

/// Reads every citation of a guideline line, in order. A line that cites nothing ("did not cite
/// any medical evidence") gives none.
pub fn read_citations(line: &str) -> Vec<Citation> {
    let statements: Vec<_> = STATEMENT.captures_iter(line).collect();
    let mut citations = Vec::new();
    for (i, caps) in statements.iter().enumerate() {
        let whole = caps.get(0).expect("group 0 always matches");
        let end = statements
            .get(i + 1)
            .and_then(|next| next.get(0))
            .map_or(line.len(), |m| m.start());
        let body = &line[whole.end()..end];
        if caps[1].eq_ignore_ascii_case("mtus") {
            citations.extend(read_mtus(body));
        } else if let Some(citation) = read_non_mtus(body) {
            citations.push(citation);
        }
    }
    citations
}

/// One `MTUS ...` statement: one citation per guideline title found in it.
fn read_mtus(body: &str) -> Vec<Citation> {
    let titles: Vec<_> = TITLES
        .find_iter(body)
        .filter(|m| starts_a_title(body, m.start()) && ends_a_word(body, m.end()))
        .collect();
    if titles.is_empty() {
        return read_untitled(body).into_iter().collect();
    }
    let mut citations = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let rest_end = titles.get(i + 1).map_or(body.len(), |next| next.start());
        let name = format!("MTUS {}", &body[title.start()..title.end()]);
        citations.push(read_details(name, &body[title.end()..rest_end]));
    }
    citations
}

/// A title counts only where a citation can begin: at the start, or after a separator.
fn starts_a_title(body: &str, at: usize) -> bool {
    let before = body[..at].trim_end();
    before.is_empty() || before.ends_with(',') || before.ends_with(" and") || before.ends_with('.')
}

fn ends_a_word(body: &str, at: usize) -> bool {
    body[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// An MTUS statement whose title is not in the list: the name runs up to the year, the section
/// list or the pages.
fn read_untitled(body: &str) -> Option<Citation> {
    let text = body.trim();
    let cut = [
        YEAR_ANYWHERE.find(text).map(|m| m.start()),
        SECTIONS.find(text).map(|m| m.start()),
        PAGES.find(text).map(|m| m.start()),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(text.len());
    let name = clean(&text[..cut]);
    if name.is_empty() {
        return None;
    }
    Some(read_details(format!("MTUS {name}"), &text[cut..]))
}

static YEAR_ANYWHERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?-u:(?:19|20)\d\d)\b").expect("static regex"));

/// What follows a title: a year, `Section(s): ...`, `Page(s): ...`, or (older letters) a
/// section name written straight after the title.
fn read_details(guideline: String, rest: &str) -> Citation {
    let mut rest = rest.trim();
    let mut year = None;
    if let Some(caps) = YEAR.captures(rest) {
        year = caps[1].parse().ok();
        rest = rest[caps.get(0).map_or(0, |m| m.end())..].trim_start();
    }
    let rest = trim_separators(rest);
    let (before_pages, pages) = match PAGES.find(rest) {
        Some(m) => (&rest[..m.start()], Some(clean(&rest[m.end()..]))),
        None => (rest, None),
    };
    let section_text = match SECTIONS.find(before_pages) {
        Some(m) => &before_pages[m.end()..],
        None => before_pages,
    };
    let section = Some(clean(section_text)).filter(|s| !s.is_empty());
    Citation {
        guideline,
        year,
        section,
        pages: pages.filter(|p| !p.is_empty()),
    }
}

/// A `Non-MTUS Citation` statement: the free text is the guideline; trailing pages are kept.
fn read_non_mtus(body: &str) -> Option<Citation> {
    let text = clean(body);
    if text.is_empty() {
        return None;
    }
    let pages = NON_MTUS_PAGES
        .captures(&text)
        .map(|caps| caps[1].replace(' ', ""));
    // ODG is cited by chapter and topic after its name: keep those as the section.
    if let Some(rest) = strip_prefix_ignore_case(&text, ODG) {
        let section = rest.trim_start_matches([',', ' ', '/', '-', ':']).trim();
        return Some(Citation {
            guideline: ODG.to_string(),
            year: None,
            section: (!section.is_empty()).then(|| section.to_string()),
            pages,
        });
    }
    Some(Citation {
        guideline: text,
        year: None,
        section: None,
        pages,
    })
}

const ODG: &str = "Official Disability Guidelines (ODG)";

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn trim_separators(text: &str) -> &str {
    text.trim_start_matches([',', ' ', ';'])
}

/// Trims separators and the closing period(s) a statement ends with.
fn clean(text: &str) -> String {
    let text = text.trim().trim_start_matches([',', ';']).trim();
    let text = text.trim_end_matches([',', ';', ' ']);
    let text = text.trim_end_matches(" and").trim_end_matches([',', ' ']);
    let text = text.trim_end_matches('.').trim_end();
    imr_core::text::collapse_whitespace(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(
        guideline: &str,
        year: Option<u16>,
        section: Option<&str>,
        pages: Option<&str>,
    ) -> Citation {
        Citation {
            guideline: guideline.to_string(),
            year,
            section: section.map(str::to_string),
            pages: pages.map(str::to_string),
        }
    }

    #[test]
    fn reads_both_citation_grammars() {
        let cases = [
            (
                "Decision based on MTUS Shoulder Complaints 2004, Section(s): Special Studies.",
                vec![cite(
                    "MTUS Shoulder Complaints",
                    Some(2004),
                    Some("Special Studies"),
                    None,
                )],
            ),
            (
                "Decision based on MTUS Knee Complaints 2004, Section(s): Summary, Special \
                 Studies, and Chronic Pain Medical Treatment 2016, Section(s): Opioids, \
                 dosing. Decision based on Non-MTUS Citation Official Disability Guidelines \
                 (ODG), Knee Chapter.",
                vec![
                    cite(
                        "MTUS Knee Complaints",
                        Some(2004),
                        Some("Summary, Special Studies"),
                        None,
                    ),
                    cite(
                        "MTUS Chronic Pain Medical Treatment",
                        Some(2016),
                        Some("Opioids, dosing"),
                        None,
                    ),
                    cite(
                        "Official Disability Guidelines (ODG)",
                        None,
                        Some("Knee Chapter"),
                        None,
                    ),
                ],
            ),
            (
                "Decision based on MTUS Chronic Pain Treatment Guidelines Physical medicine \
                 Page(s): 98-99. Decision based on Non-MTUS Citation Official Disability \
                 Guidelines (ODG).",
                vec![
                    cite(
                        "MTUS Chronic Pain Treatment Guidelines",
                        None,
                        Some("Physical medicine"),
                        Some("98-99"),
                    ),
                    cite("Official Disability Guidelines (ODG)", None, None, None),
                ],
            ),
            (
                "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low \
                 Back, Epidural steroid injections.",
                vec![cite(
                    "Official Disability Guidelines (ODG)",
                    None,
                    Some("Low Back, Epidural steroid injections"),
                    None,
                )],
            ),
            (
                "Decision based on MTUS Acupuncture Treatment 2007.",
                vec![cite("MTUS Acupuncture Treatment", Some(2007), None, None)],
            ),
            (
                "Decision based on MTUS Forearm, Wrist, and Hand Complaints 2004, Section(s): \
                 Special Studies.",
                vec![cite(
                    "MTUS Forearm, Wrist, and Hand Complaints",
                    Some(2004),
                    Some("Special Studies"),
                    None,
                )],
            ),
            (
                "Decision based on MTUS ACOEM Chapter 5 Cornerstones of Disability Prevention \
                 and Management Page(s): 89,Chronic Pain Treatment Guidelines Post-Surgical \
                 Patient Management Page(s): Part 1, page 11.",
                vec![
                    cite(
                        "MTUS ACOEM Chapter 5 Cornerstones of Disability Prevention and Management",
                        None,
                        None,
                        Some("89"),
                    ),
                    cite(
                        "MTUS Chronic Pain Treatment Guidelines",
                        None,
                        Some("Post-Surgical Patient Management"),
                        Some("Part 1, page 11"),
                    ),
                ],
            ),
            (
                "Decision based on Non-MTUS Citation ACOEM Occupational Medicine Practice \
                 Guidelines, 3rd ed., Low Back Disorders, pg. 607.",
                vec![cite(
                    "ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607",
                    None,
                    None,
                    Some("607"),
                )],
            ),
            (
                "The Expert Reviewer did not cite any medical evidence for its decision.",
                vec![],
            ),
            (
                "Decision based on MTUS Eye Injuries 2004, Section(s): Special Studies.",
                vec![cite(
                    "MTUS Eye Injuries",
                    Some(2004),
                    Some("Special Studies"),
                    None,
                )],
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(read_citations(line), expected, "{line}");
        }
    }
}
