//! The detectors: each proposes ranges of one kind; names are then learnt and found again
//! wherever they recur; overlaps are settled by how sure each detector is.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::known::Compiled;
use super::names;
use super::{Kind, Removal};

/// A proposed removal. Lower `rank` wins where two overlap.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    kind: Kind,
    start: usize,
    end: usize,
    rank: u8,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

/// A name's word: capitalized, with inner hyphens or an O'Brien apostrophe, never a possessive.
const WORD: &str = r"[A-Z][A-Za-z\-]*(?:'[A-Z][A-Za-z\-]+)?";

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b"));

static SSN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:\b(?:ssn|ss\#|social\s+security(?:\s+(?:number|no\.?|\#))?)\s*(?:is|:|\#)?\s*)(?P<v>\d{9}\b|\d{3}[\s\-]\d{2}[\s\-]\d{4}\b|[xX*]{3}-[xX*]{2}-\d{4}\b)|\b(?P<bare>\d{3}-\d{2}-\d{4})\b",
    )
});

const DATE: &str = r"\d{1,2}[/\-]\d{1,2}[/\-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}";

static DATE_OF_BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i:\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)\s*(?:is|was|of)?\s*[:\-]?\s*)(?P<v>{DATE})"
    ))
});

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\b\d{3}[.\-\s])\d{3}[.\-]\d{4}\b(?:\s*(?:ext\.?|x)\s*\d{1,5}\b)?",
    )
});

static CLAIM_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:\b(?:claim|policy|wcab(?:\s+case)?|adj)\s*(?:no\.?|number|num\.?|id|\#)\s*(?:is|:|\#)?\s*)(?P<v>[A-Za-z0-9][A-Za-z0-9\-/]{2,}[A-Za-z0-9])|\b(?P<bare>ADJ\s?\d{6,9})\b",
    )
});

const STREET_SUFFIX: &str = r"Street|St|Avenue|Ave|Boulevard|Blvd|Road|Rd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Terrace|Ter|Trail|Loop|Square|Sq";

static STREET_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][A-Za-z0-9'\-]*\s+){{0,3}}(?:{STREET_SUFFIX})\b\.?(?:,?\s+(?:Suite|Ste\.?|Apt\.?|Apartment|Unit|Bldg\.?|Building|\#)\s*[A-Za-z0-9\-]+)?(?:,?\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){{0,2}},?\s+(?:CA|California|[A-Z]{{2}})\.?(?:\s+\d{{5}}(?:-\d{{4}})?)?)?"
    ))
});

static PO_BOX: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?i:p\.?\s?o\.?\s*box)\s+\d+\b"));

static CITY_STATE_ZIP: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2},\s+(?:CA|California)\s+\d{5}(?:-\d{4})?\b")
});

const EMPLOYER_SUFFIX: &str = r"Inc\.?|LLC|L\.L\.C\.|Corp\.?|Corporation|Company|Co\.|Ltd\.?|LLP|L\.P\.|Industries|Enterprises|Logistics|Foods|Farms|Construction|Transportation|Transport|Manufacturing|Markets|Market|Dairy|Packing|Distribution|Builders|Unified School District|School District";
const PROVIDER_SUFFIX: &str = r"Medical Group|Medical Center|Medical Clinic|Medical Associates|Health Center|Surgery Center|Surgical Center|Spine Center|Pain Center|Pain Management|Urgent Care|Physical Therapy|Chiropractic|Orthopedics|Orthopaedics|Imaging|Radiology|Hospital|Clinic|Pharmacy";

static ORGANIZATION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?P<name>(?:[A-Z][A-Za-z'\-]*[ \t]+(?:&[ \t]+)?){{1,5}})(?:(?P<employer>{EMPLOYER_SUFFIX})|(?P<provider>{PROVIDER_SUFFIX}))(?:\b|\s|$)"
    ))
});

static PUBLIC_EMPLOYER: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:County|City)\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"));

static EMPLOYED_BY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\b(?:employed\s+(?:by|at|with)|works?\s+(?:for|at)|worked\s+(?:for|at)|(?i:employer)\s*(?:is|was|:|,))\s*)(?P<v>(?:[A-Z][A-Za-z&'\-]*\.?,?\s?){1,6})",
    )
});

static TITLED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:\b(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.\s*|\b(?:Mr|Mrs|Ms|Miss|Doctor)\s+)(?P<v>(?:[A-Z]\.\s*){{1,3}}(?:{WORD})?|{WORD}(?:\s+(?:[A-Z]\.\s*)?{WORD}){{0,2}})"
    ))
});

static CREDENTIALED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?P<v>{WORD}(?:\s+[A-Z]\.)?(?:\s+{WORD}){{1,2}}),?\s+(?:M\.D\.|D\.O\.|D\.C\.|Ph\.D\.|Psy\.D\.|L\.Ac\.|(?:MD|DC|PhD|PsyD|PA-C|NP|FNP|RN|DPT|LAc|DPM|OTR)\b)"
    ))
});

static LABELLED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i:\b(?:patient|applicant|employee|injured\s+worker|claimant|(?:requesting|treating|primary\s+treating|referring)\s+(?:provider|physician|doctor)|provider|physician|adjuster|claims\s+examiner|examiner|attorney|interpreter|employee\s+name|patient\s+name|name|signed(?:\s+by)?|cc)\s*:\s*)(?P<v>{WORD}(?:,\s*{WORD})?(?:\s+[A-Z]\.)?(?:\s+{WORD}){{0,2}})"
    ))
});

static APPOSITIVE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:\b(?:applicant|patient|claimant|employee|worker|husband|wife|spouse|son|daughter),\s*|\bnamed\s+|\bname\s+is\s+|\b(?:seen|evaluated|examined|treated|referred|signed|reviewed|prescribed)\s+(?:by|to)\s+)(?P<v>{WORD}(?:\s+[A-Z]\.)?(?:\s+{WORD}){{1,2}})"
    ))
});

/// Capitalized words that are not names: sentence openers, roles, months, the letters' own
/// vocabulary. They are trimmed from the ends of a name and never learnt as one.
const NOT_NAMES: &[&str] = &[
    "A",
    "An",
    "And",
    "As",
    "At",
    "But",
    "By",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "If",
    "In",
    "It",
    "Its",
    "Of",
    "On",
    "Or",
    "She",
    "So",
    "The",
    "Then",
    "There",
    "They",
    "This",
    "That",
    "To",
    "We",
    "With",
    "Was",
    "Were",
    "Is",
    "Per",
    "Since",
    "When",
    "While",
    "After",
    "Before",
    "During",
    "Also",
    "However",
    "Therefore",
    "Thus",
    "Here",
    "No",
    "Not",
    "Yes",
    "Applicant",
    "Patient",
    "Claimant",
    "Employee",
    "Worker",
    "Provider",
    "Physician",
    "Doctor",
    "Claims",
    "Administrator",
    "Decision",
    "Date",
    "Case",
    "Number",
    "Priority",
    "Standard",
    "Expedited",
    "Upheld",
    "Overturned",
    "MTUS",
    "ODG",
    "ACOEM",
    "IMR",
    "UR",
    "MD",
    "DO",
    "PA",
    "NP",
    "RN",
    "PT",
    "Guidelines",
    "Guideline",
    "Medical",
    "Treatment",
    "Review",
    "Request",
    "Requesting",
    "Treating",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Left",
    "Right",
    "Bilateral",
    "Lumbar",
    "Cervical",
    "Thoracic",
    "Physical",
    "Therapy",
    "Home",
    "Health",
    "Pain",
    "Spine",
    "Chronic",
    "Section",
    "Chapter",
    "Page",
    "Pages",
    "Official",
    "Disability",
    "Citation",
    "Non",
    "Final",
    "Determination",
    "Independent",
    "California",
    "Signed",
    "Name",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Miss",
    "Prof",
    "Follow",
    "Urgent",
    "Care",
    "Occupational",
    "Aquatic",
    "Work",
    "Program",
    "Functional",
    "Restoration",
    "Durable",
    "Equipment",
    "Outpatient",
    "Inpatient",
    "Skilled",
    "Nursing",
    "Facility",
    "Acute",
    "Consultation",
    "Referral",
    "Evaluation",
    "Office",
    "Visit",
    "Report",
    "Note",
    "Notes",
    "Progress",
    "Surgery",
    "Injection",
    "Injections",
    "Center",
    "Group",
    "Clinic",
    "Hospital",
    "Imaging",
    "Pharmacy",
    "Radiology",
    "Orthopedic",
    "Orthopedics",
    "Chiropractic",
    "Knee",
    "Shoulder",
    "Neck",
    "Back",
    "Low",
    "Upper",
    "Lower",
    "Services",
    "Federal",
    "State",
    "County",
    "City",
    "Insurance",
    "Fund",
    "Compensation",
    "Magnetic",
    "Resonance",
    "Computed",
    "Tomography",
    "Medicine",
    "Nuclear",
    "Diagnostic",
    "Electrodiagnostic",
    "Ultrasound",
    "Sports",
    "Family",
    "General",
    "Internal",
    "Rehabilitation",
];

fn not_a_name(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    NOT_NAMES.contains(&word)
        || !word.starts_with(|c: char| c.is_uppercase())
        || word.chars().all(|c| c.is_ascii_uppercase())
}

/// The words of a candidate name: (start, end) byte ranges within `text[start..end]`.
fn words(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut word_start = None;
    for (i, c) in text[start..end].char_indices() {
        let inside = c.is_alphanumeric() || c == '-' || c == '\'' || c == '.';
        match (inside, word_start) {
            (true, None) => word_start = Some(start + i),
            (false, Some(s)) => {
                out.push((s, start + i));
                word_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = word_start {
        out.push((s, end));
    }
    out
}

/// Trims words that are not names from both ends of a proposed name; None if nothing is left
/// (initials alone count as a name only after a title).
fn trim_name(text: &str, start: usize, end: usize, initials_ok: bool) -> Option<(usize, usize)> {
    let list = words(text, start, end);
    let is_initial = |w: &str| w.len() <= 2 && w.ends_with('.');
    let keep: Vec<&(usize, usize)> = {
        let mut first = 0;
        let mut last = list.len();
        while first < last
            && not_a_name(&text[list[first].0..list[first].1])
            && !is_initial(&text[list[first].0..list[first].1])
        {
            first += 1;
        }
        while last > first
            && not_a_name(&text[list[last - 1].0..list[last - 1].1])
            && !is_initial(&text[list[last - 1].0..list[last - 1].1])
        {
            last -= 1;
        }
        list[first..last].iter().collect()
    };
    let has_real_word = keep
        .iter()
        .any(|(s, e)| !is_initial(&text[*s..*e]) && !not_a_name(&text[*s..*e]));
    if keep.is_empty() || (!has_real_word && !initials_ok) {
        return None;
    }
    let s = keep[0].0;
    let mut e = keep[keep.len() - 1].1;
    // A sentence's full stop after a surname is not part of it (an initial's is).
    if text[s..e].ends_with('.') && !is_initial(&text[keep[keep.len() - 1].0..e]) {
        e -= 1;
    }
    Some((s, e))
}

pub(super) fn find(text: &str, known: &Compiled) -> Vec<Removal> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut push = |kind: Kind, start: usize, end: usize, rank: u8| {
        if start < end {
            candidates.push(Candidate {
                kind,
                start,
                end,
                rank,
            });
        }
    };

    for m in EMAIL.find_iter(text) {
        push(Kind::Email, m.start(), m.end(), 0);
    }
    // What the case knows is surer than any pattern.
    for (kind, start, end) in known.find(text) {
        push(kind, start, end, 1);
    }
    for caps in SSN.captures_iter(text) {
        if let Some(m) = caps.name("v").or_else(|| caps.name("bare")) {
            push(Kind::Ssn, m.start(), m.end(), 2);
        }
    }
    for caps in DATE_OF_BIRTH.captures_iter(text) {
        if let Some(m) = caps.name("v") {
            push(Kind::DateOfBirth, m.start(), m.end(), 3);
        }
    }
    for m in PHONE.find_iter(text) {
        push(Kind::Phone, m.start(), m.end(), 4);
    }
    for caps in CLAIM_NUMBER.captures_iter(text) {
        if let Some(m) = caps.name("v").or_else(|| caps.name("bare"))
            && m.as_str().chars().any(|c| c.is_ascii_digit())
        {
            push(Kind::ClaimNumber, m.start(), m.end(), 5);
        }
    }
    for regex in [&*STREET_ADDRESS, &*PO_BOX, &*CITY_STATE_ZIP] {
        for m in regex.find_iter(text) {
            push(Kind::Address, m.start(), m.end(), 6);
        }
    }
    for caps in ORGANIZATION.captures_iter(text) {
        let (Some(name), Some(whole)) = (caps.name("name"), caps.get(0)) else {
            continue;
        };
        let kind = if caps.name("provider").is_some() {
            Kind::Provider
        } else {
            Kind::Employer
        };
        // The organization's own name must hold a word that is not generic ("Home Health",
        // "Physical Therapy" and "The Clinic" are services, not names).
        let list = words(text, name.start(), name.end());
        let Some(first) = list.iter().position(|(s, e)| !not_a_name(&text[*s..*e])) else {
            continue;
        };
        let suffix_end = whole.as_str().trim_end().len() + whole.start();
        let blocked = list[first..].iter().any(|(s, e)| {
            matches!(
                &text[*s..*e],
                "Guidelines" | "MTUS" | "ODG" | "ACOEM" | "Citation" | "Complaints"
            )
        });
        if !blocked {
            push(kind, list[first].0, suffix_end, 7);
        }
    }
    for m in PUBLIC_EMPLOYER.find_iter(text) {
        push(Kind::Employer, m.start(), m.end(), 7);
    }
    for caps in EMPLOYED_BY.captures_iter(text) {
        if let Some(m) = caps.name("v") {
            let value = first_sentence(m.as_str()).trim_end_matches([' ', ',', '.']);
            if let Some((s, e)) = trim_name(text, m.start(), m.start() + value.len(), false) {
                push(Kind::Employer, s, e, 7);
            }
        }
    }

    let mut names: Vec<(usize, usize)> = Vec::new();
    for (regex, initials_ok) in [
        (&*TITLED_NAME, true),
        (&*CREDENTIALED_NAME, false),
        (&*LABELLED_NAME, false),
        (&*APPOSITIVE_NAME, false),
    ] {
        for caps in regex.captures_iter(text) {
            if let Some(m) = caps.name("v")
                && let Some(range) = trim_name(text, m.start(), m.end(), initials_ok)
            {
                names.push(range);
            }
        }
    }
    names.extend(model_names(text));
    for &(s, e) in &names {
        push(Kind::Name, s, e, 8);
    }

    // Learn the names' words and find them wherever else they occur ("Smith reported ...").
    let mut learnt: BTreeSet<&str> = BTreeSet::new();
    for &(s, e) in &names {
        for (ws, we) in words(text, s, e) {
            let word = text[ws..we].trim_end_matches('.');
            if word.chars().count() >= 2 && !not_a_name(word) {
                learnt.insert(word);
            }
        }
    }
    if !learnt.is_empty() {
        let alternatives: Vec<String> = learnt.iter().map(|w| regex::escape(w)).collect();
        let pattern = format!(r"\b(?:{})\b", alternatives.join("|"));
        if let Ok(again) = Regex::new(&pattern) {
            for m in again.find_iter(text) {
                push(Kind::Name, m.start(), m.end(), 9);
            }
        }
    }

    let settled = settle(text, candidates);
    merge_names(text, settled)
}

/// Abbreviations that end with a full stop inside an organization's name.
const NAME_ABBREVIATIONS: &[&str] = &[
    "Inc", "Co", "Corp", "Ltd", "Bros", "St", "Mt", "L.L.C", "L.P",
];

/// The text up to the end of its first sentence: a full stop and a space end it, unless the
/// stop ends an abbreviation ("Co.", "Inc.").
fn first_sentence(text: &str) -> &str {
    for (at, _) in text.match_indices(". ") {
        let before = &text[..at];
        let word = before.rsplit([' ', '\t', '\n']).next().unwrap_or(before);
        if !NAME_ABBREVIATIONS.contains(&word) {
            return &text[..at];
        }
    }
    text
}

/// A word of running text: letters, with inner hyphens and apostrophes.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_letter_end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphabetic() {
            if start.is_none() {
                start = Some(i);
            }
            last_letter_end = i + c.len_utf8();
        } else if matches!(c, '-' | '\'' | '’') && start.is_some() {
            // Inner only: a trailing one ends the word below.
        } else if let Some(s) = start.take() {
            out.push(Token {
                start: s,
                end: last_letter_end,
            });
        }
    }
    if let Some(s) = start {
        out.push(Token {
            start: s,
            end: last_letter_end,
        });
    }
    // A possessive is the name's, not part of it.
    for t in &mut out {
        let w = &text[t.start..t.end];
        for suffix in ["'s", "’s"] {
            if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
                t.end -= suffix.len();
            }
        }
    }
    out
}

/// Capitalized as a name is: an upper-case first letter and some lower-case ones ("Ashcombe",
/// "McDowell", "O'Hara"), not a word in capitals.
fn title_cased(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase()) && word.chars().any(|c| c.is_lowercase())
}

/// Spaces (and at most one line break) between two words of a name.
fn name_space(gap: &str) -> bool {
    !gap.is_empty()
        && gap
            .chars()
            .all(|c| c == ' ' || c == '\t' || c == '\n' || c == '\r')
        && gap.matches('\n').count() <= 1
}

/// Names without a title, found by the census lists in context: a capitalized given name, an
/// optional middle initial or second given name, and a capitalized surname ("Juniper
/// Ashcombe", "Mary Ann Smith", "John Q. Public"); or a surname, a comma and a given name
/// ("Ashcombe, Juniper"). Neither word may be on the stop list.
fn model_names(text: &str) -> Vec<(usize, usize)> {
    let tokens = tokens(text);
    let word = |t: &Token| &text[t.start..t.end];
    let given = |t: &Token| {
        let w = word(t);
        title_cased(w) && names::is_given(w) && !names::is_stop_word(w)
    };
    let surname = |t: &Token| {
        let w = word(t);
        title_cased(w) && names::is_surname(w) && !names::is_stop_word(w)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let first = tokens[i];
        let mut found = None;
        if given(&first) {
            // A middle initial ("Q.") or a second given name may stand between.
            let mut j = i + 1;
            if let Some(next) = tokens.get(j)
                && name_space(&text[first.end..next.start])
            {
                let w = word(next);
                let is_initial = w.len() == 1
                    && w.starts_with(|c: char| c.is_ascii_uppercase())
                    && text[next.end..].starts_with('.');
                let initial_then_space = is_initial
                    && tokens.get(j + 1).is_some_and(|n| {
                        name_space(text[next.end..n.start].trim_start_matches('.'))
                    });
                let second_given_then_surname = given(next)
                    && tokens.get(j + 1).is_some_and(|after| {
                        surname(after) && name_space(&text[next.end..after.start])
                    });
                if initial_then_space || second_given_then_surname {
                    j += 1;
                }
            }
            if let Some(last) = tokens.get(j) {
                let gap = &text[tokens[j - 1].end..last.start];
                let gap = if j > i + 1 {
                    gap.trim_start_matches('.')
                } else {
                    gap
                };
                if surname(last) && name_space(gap) {
                    found = Some((first.start, last.end, j));
                }
            }
        }
        if found.is_none()
            && surname(&first)
            && let Some(next) = tokens.get(i + 1)
        {
            let gap = &text[first.end..next.start];
            if gap.starts_with(',')
                && name_space(&gap[1..])
                && !gap[1..].contains('\n')
                && given(next)
            {
                found = Some((first.start, next.end, i + 1));
            }
        }
        match found {
            Some((s, e, last)) => {
                out.push((s, e));
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Keeps the surest candidate where two overlap; the uncovered parts of a less sure one stay.
fn settle(text: &str, mut candidates: Vec<Candidate>) -> Vec<Removal> {
    candidates.sort_by_key(|c| (c.rank, c.start, usize::MAX - c.end));
    let mut taken: Vec<(usize, usize, Kind)> = Vec::new();
    for candidate in candidates {
        let mut pieces = vec![(candidate.start, candidate.end)];
        for &(s, e, _) in &taken {
            pieces = pieces
                .into_iter()
                .flat_map(|(a, b)| {
                    if e <= a || s >= b {
                        vec![(a, b)]
                    } else {
                        vec![(a, s.max(a)), (e.min(b), b)]
                    }
                })
                .filter(|(a, b)| a < b)
                .collect();
        }
        if pieces == [(candidate.start, candidate.end)] {
            taken.push((candidate.start, candidate.end, candidate.kind));
            continue;
        }
        // A clipped candidate keeps only the letters and digits of what is left of it.
        for (a, b) in pieces {
            let piece = &text[a..b];
            let trimmed_start = a
                + (piece.len()
                    - piece
                        .trim_start_matches(|c: char| !c.is_alphanumeric())
                        .len());
            let trimmed_end = b
                - (piece.len()
                    - piece
                        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.')
                        .len());
            // What is left of a possessive ("'s") is no part of a name.
            let possessive = trimmed_start < trimmed_end
                && &text[trimmed_start..trimmed_end] == "s"
                && text[..trimmed_start].ends_with(['\'', '’']);
            if trimmed_start < trimmed_end && !possessive {
                taken.push((trimmed_start, trimmed_end, candidate.kind));
            }
        }
    }
    taken.sort();
    taken
        .into_iter()
        .map(|(start, end, kind)| Removal { kind, start, end })
        .collect()
}

static NAME_GAP: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:,?[ \t]+|[ \t]*)(?:[A-Z]\.[ \t]*)*$"));

/// Joins neighbouring names ("John" "Q." "Smith", "Smith" ", " "John") into one removal.
fn merge_names(text: &str, removals: Vec<Removal>) -> Vec<Removal> {
    let mut out: Vec<Removal> = Vec::with_capacity(removals.len());
    for removal in removals {
        if let Some(last) = out.last_mut()
            && last.kind == Kind::Name
            && removal.kind == Kind::Name
            && removal.start >= last.end
            && NAME_GAP.is_match(&text[last.end..removal.start])
        {
            last.end = removal.end;
            continue;
        }
        out.push(removal);
    }
    out
}
