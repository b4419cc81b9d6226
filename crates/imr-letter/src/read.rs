//! Reading a Final Determination Letter's text into a [`Determination`].
//!
//! The reader works on the letter's non-blank lines: page breaks, blank lines and the double
//! spacing of older letters carry no meaning, and pdftotext and pdf-extract disagree on them.
//! Sections are found by their headings, the header by its labels (in either layout: all labels
//! then all values, or each label beside its value), and each disputed item by its heading line
//! `<item>: Upheld|Overturned`, walking back from it to where the previous rationale ended.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

use super::citation::read_citations;
use imr_core::model::{Decision, Determination, Diagnostic, Item, Priority, ReviewerCredentials};
use imr_core::text::{join_lines, parse_us_date};

/// Reads a letter's text. Never fails and never panics: what cannot be read is reported in
/// `diagnostics` (errors where the record is incomplete, warnings for what is merely unusual).
pub fn read_letter(text: &str) -> Determination {
    let lines = normalized_lines(text);
    let sections = Sections::find(&lines);
    let mut determination = Determination::default();
    let mut diagnostics = Vec::new();

    let header_end = sections.first_start().unwrap_or(lines.len());
    read_header(&lines[..header_end], &mut determination, &mut diagnostics);

    match sections.how_made {
        Some(range) => {
            determination.reviewer = read_credentials(&lines[range.0..range.1]);
            if determination.reviewer.is_empty() {
                diagnostics.push(Diagnostic::warning(
                    "reviewer",
                    "the reviewer's credentials (specialty, licensure) are not stated",
                ));
            }
        }
        None => diagnostics.push(Diagnostic::warning(
            "reviewer",
            "no section \"HOW THE IMR FINAL DETERMINATION WAS MADE\"",
        )),
    }

    match sections.summary {
        Some(range) => {
            let summary = strip_lead_in(&join_section(&lines[range.0..range.1]), &SUMMARY_LEAD_IN);
            if summary.is_empty() {
                diagnostics.push(Diagnostic::error(
                    "clinical_summary",
                    "the clinical case summary is empty",
                ));
            } else {
                determination.clinical_summary = Some(summary);
            }
        }
        None => diagnostics.push(Diagnostic::error(
            "clinical_summary",
            "no section \"CLINICAL CASE SUMMARY\"",
        )),
    }

    match sections.issues {
        Some(range) => {
            determination.items = read_items(&lines[range.0..range.1], &mut diagnostics);
            if determination.items.is_empty() {
                let mut diagnostic = Diagnostic::error(
                    "items",
                    "no disputed item with a decision (Upheld or Overturned) was found",
                );
                // The section may be the letter's last line, with nothing after its heading.
                if let Some(line) = lines.get(range.0).or(lines.last()) {
                    diagnostic = diagnostic.at_line(line.number);
                }
                diagnostics.push(diagnostic);
            }
        }
        None => diagnostics.push(Diagnostic::error(
            "items",
            "no section \"IMR ISSUES, DECISIONS AND RATIONALES\": this does not look like a Final Determination Letter",
        )),
    }

    determination.diagnostics = diagnostics;
    determination
}

/// One non-blank line of the letter, with its 1-based number in the text as given.
#[derive(Debug, Clone)]
struct Line {
    number: usize,
    text: String,
}

fn normalized_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    for (i, raw) in text.split(['\n', '\x0c']).enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        // Only lines with odd characters (soft hyphens, CRs, unusual spaces) need rewriting.
        if raw.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            lines.push(Line {
                number: i + 1,
                text: raw.trim().to_string(),
            });
            continue;
        }
        let cleaned: String = raw
            .chars()
            .filter(|c| *c != '\u{00ad}' && *c != '\r')
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let trimmed = cleaned.trim();
        if !trimmed.is_empty() {
            lines.push(Line {
                number: i + 1,
                text: trimmed.to_string(),
            });
        }
    }
    lines
}

fn join_section(lines: &[Line]) -> String {
    join_lines(lines.iter().map(|l| l.text.as_str()))
}

// ---------------------------------------------------------------------------------------------
// Sections

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    HowMade,
    Summary,
    Issues,
    /// The older layout's list of documents: read past, not kept.
    Documents,
}

/// The headings of the sections, upper case with single spaces.
const SECTION_HEADINGS: &[(&str, SectionKind)] = &[
    (
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        SectionKind::HowMade,
    ),
    ("CLINICAL CASE SUMMARY", SectionKind::Summary),
    ("IMR ISSUES, DECISIONS AND RATIONALES", SectionKind::Issues),
    (
        "IMR ISSUE(S), DECISION(S) AND RATIONALE(S)",
        SectionKind::Issues,
    ),
    ("IMR DECISION(S) AND RATIONALE(S)", SectionKind::Issues),
    ("IMR DECISIONS AND RATIONALES", SectionKind::Issues),
    ("DOCUMENTS REVIEWED", SectionKind::Documents),
];

/// Where each section's body lies, as half-open ranges of line indexes.
#[derive(Debug, Default)]
struct Sections {
    how_made: Option<(usize, usize)>,
    summary: Option<(usize, usize)>,
    issues: Option<(usize, usize)>,
    first: Option<usize>,
}

impl Sections {
    fn find(lines: &[Line]) -> Sections {
        // (heading line index, lines the heading takes, kind)
        let mut found: Vec<(usize, usize, SectionKind)> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            match heading_at(lines, i) {
                Some((span, kind)) if !found.iter().any(|f| f.2 == kind) => {
                    found.push((i, span, kind));
                    i += span;
                }
                _ => i += 1,
            }
        }
        let mut sections = Sections {
            first: found.first().map(|f| f.0),
            ..Sections::default()
        };
        for (k, &(start, span, kind)) in found.iter().enumerate() {
            let end = found.get(k + 1).map_or(lines.len(), |next| next.0);
            let range = Some((start + span, end));
            match kind {
                SectionKind::HowMade => sections.how_made = range,
                SectionKind::Summary => sections.summary = range,
                SectionKind::Issues => sections.issues = range,
                SectionKind::Documents => {}
            }
        }
        sections
    }

    fn first_start(&self) -> Option<usize> {
        self.first
    }
}

/// A section heading at line `i`, possibly wrapped over two lines.
fn heading_at(lines: &[Line], i: usize) -> Option<(usize, SectionKind)> {
    // Headings are written in capitals: a lower-case letter rules a line out cheaply.
    if lines[i].text.bytes().any(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let one = squeeze(&lines[i].text);
    if let Some(kind) = heading_kind(&one) {
        return Some((1, kind));
    }
    let next = lines.get(i + 1)?;
    let two = format!("{one} {}", squeeze(&next.text));
    heading_kind(&two).map(|kind| (2, kind))
}

fn heading_kind(text: &str) -> Option<SectionKind> {
    SECTION_HEADINGS
        .iter()
        .find(|(heading, _)| text == *heading)
        .map(|(_, kind)| *kind)
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

static SUMMARY_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^the expert reviewer developed the following clinical case summary based on a review of the case file,? including all medical records\s*:?\s*",
    )
    .expect("static regex")
});

static ISSUES_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^the final determination was based on decisions for the disputed items?/services? set forth below\s*:?\s*")
        .expect("static regex")
});

fn strip_lead_in(text: &str, lead_in: &Regex) -> String {
    match lead_in.find(text) {
        Some(m) => text[m.end()..].to_string(),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Header

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderField {
    CaseNumber,
    DateAssigned,
    DecisionDate,
    Priority,
    DateOfInjury,
    UrDenialDate,
    ApplicationReceived,
}

impl HeaderField {
    const ALL: [HeaderField; 7] = [
        HeaderField::CaseNumber,
        HeaderField::DateAssigned,
        HeaderField::DecisionDate,
        HeaderField::Priority,
        HeaderField::DateOfInjury,
        HeaderField::UrDenialDate,
        HeaderField::ApplicationReceived,
    ];

    fn name(self) -> &'static str {
        match self {
            HeaderField::CaseNumber => "case_number",
            HeaderField::DateAssigned => "date_assigned",
            HeaderField::DecisionDate => "decision_date",
            HeaderField::Priority => "priority",
            HeaderField::DateOfInjury => "date_of_injury",
            HeaderField::UrDenialDate => "ur_denial_date",
            HeaderField::ApplicationReceived => "application_received",
        }
    }

    fn is_date(self) -> bool {
        !matches!(self, HeaderField::CaseNumber | HeaderField::Priority)
    }
}

/// Labels and values of the header, in the order they appear in the text.
static HEADER_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?P<case_label>case\s+number\s*:)
      | (?P<assigned>date\s+assigned\s*:)
      | (?P<decision>decision\s+date\s*:)
      | (?P<priority_label>priority\s*:)
      | (?P<injury>date\s+of\s+injury\s*:)
      | (?P<denial>ur\s+denial\s+date\s*:)
      | (?P<received>application\s+received\s*:)
      | (?P<case_number>\bCM\d{2}-\d{7}\b)
      | (?P<date>\b\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})\b)
      | (?P<priority>\b(?:standard|expedited)\b)
    ",
    )
    .expect("static regex")
});

/// Reads the header in either layout: labels are queued as they appear and each value goes to
/// the first waiting label of its type, so "all labels, then all values" (pdftotext) and
/// "label value label value" (pdf-extract, our own letters) read alike.
fn read_header(
    lines: &[Line],
    determination: &mut Determination,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut waiting: Vec<HeaderField> = Vec::new();
    let mut values: Vec<(HeaderField, String)> = Vec::new();
    let mut any_label = false;
    for caps in HEADER_TOKEN.captures_iter(&text) {
        let label = [
            ("case_label", HeaderField::CaseNumber),
            ("assigned", HeaderField::DateAssigned),
            ("decision", HeaderField::DecisionDate),
            ("priority_label", HeaderField::Priority),
            ("injury", HeaderField::DateOfInjury),
            ("denial", HeaderField::UrDenialDate),
            ("received", HeaderField::ApplicationReceived),
        ]
        .into_iter()
        .find(|(group, _)| caps.name(group).is_some());
        if let Some((_, field)) = label {
            any_label = true;
            if !waiting.contains(&field) && !values.iter().any(|(f, _)| *f == field) {
                waiting.push(field);
            }
            continue;
        }
        let (value, wants): (&str, fn(HeaderField) -> bool) =
            if let Some(m) = caps.name("case_number") {
                (m.as_str(), |f| f == HeaderField::CaseNumber)
            } else if let Some(m) = caps.name("date") {
                (m.as_str(), HeaderField::is_date)
            } else if let Some(m) = caps.name("priority") {
                (m.as_str(), |f| f == HeaderField::Priority)
            } else {
                continue;
            };
        if let Some(pos) = waiting.iter().position(|f| wants(*f)) {
            let field = waiting.remove(pos);
            values.push((field, value.to_string()));
        }
    }

    if !any_label && values.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "header",
            "the letter has no header block (case number, dates, priority)",
        ));
        return;
    }

    let decision_date = values
        .iter()
        .find(|(f, _)| *f == HeaderField::DecisionDate)
        .and_then(|(_, v)| parse_us_date(v, None));
    for field in HeaderField::ALL {
        let Some((_, value)) = values.iter().find(|(f, _)| *f == field) else {
            diagnostics.push(Diagnostic::warning(
                field.name(),
                "not stated in the header",
            ));
            continue;
        };
        if field.is_date() {
            match parse_us_date(value, decision_date) {
                Some(date) => set_date(determination, field, date),
                None => diagnostics.push(Diagnostic::error(
                    field.name(),
                    format!("\"{value}\" is not a valid date (expected MM/DD/YYYY)"),
                )),
            }
        } else if field == HeaderField::CaseNumber {
            determination.case_number = Some(value.to_ascii_uppercase());
        } else {
            determination.priority = Priority::parse(value);
        }
    }
}

fn set_date(determination: &mut Determination, field: HeaderField, date: Date) {
    let slot = match field {
        HeaderField::DateAssigned => &mut determination.date_assigned,
        HeaderField::DecisionDate => &mut determination.decision_date,
        HeaderField::DateOfInjury => &mut determination.date_of_injury,
        HeaderField::UrDenialDate => &mut determination.ur_denial_date,
        HeaderField::ApplicationReceived => &mut determination.application_received,
        HeaderField::CaseNumber | HeaderField::Priority => return,
    };
    *slot = Some(date);
}

// ---------------------------------------------------------------------------------------------
// Reviewer credentials

static PROSE_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        board\ certified\ in\ (?P<specialties>.+?)
        (?:,?\s+(?:and\s+)?has\ (?:a\ )?sub-?specialt(?:y|ies)\ in\ (?P<subspecialties>.+?))?
        ,?\s+and\ is\ licensed\ to\ practice\ in\ (?P<licensure>.+?)\.(?:\s|$)
    ",
    )
    .expect("static regex")
});

static BLOCK_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<label>state\(s\) of licensure|certification\(s\)\s*/\s*specialty|sub-?specialt(?:y|ies)(?:\(s\))?)\s*:\s*(?P<value>.*)$")
        .expect("static regex")
});

/// Reads credentials from the block form (`State(s) of Licensure:` / `Certification(s)/Specialty:`)
/// or the prose form ("Board Certified in X, has a subspecialty in Y and is licensed to practice
/// in Z").
fn read_credentials(lines: &[Line]) -> ReviewerCredentials {
    let mut credentials = ReviewerCredentials::default();
    let mut current: Option<(String, String)> = None;
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in lines {
        if let Some(caps) = BLOCK_LABEL.captures(&line.text) {
            blocks.extend(current.take());
            current = Some((
                caps["label"].to_ascii_lowercase(),
                caps["value"].to_string(),
            ));
        } else if let Some((_, value)) = current.as_mut() {
            // A wrapped value continues on the next line ("Public Health &" / "General ...").
            value.push(' ');
            value.push_str(&line.text);
        }
    }
    blocks.extend(current);
    for (label, value) in blocks {
        let value = join_lines([value.as_str()]);
        if label.starts_with("state") {
            credentials.licensure = split_list(&value, true);
        } else if label.starts_with("cert") {
            credentials.specialties = split_list(&value, false);
        } else {
            credentials.subspecialties = split_list(&value, false);
        }
    }
    if credentials.is_empty() {
        let prose = join_section(lines);
        if let Some(caps) = PROSE_CREDENTIALS.captures(&prose) {
            credentials.specialties = split_list(&caps["specialties"], false);
            credentials.subspecialties = caps
                .name("subspecialties")
                .map(|m| split_list(m.as_str(), false))
                .unwrap_or_default();
            credentials.licensure = split_list(&caps["licensure"], true);
        }
    }
    credentials
}

/// Splits a credential list on commas; state lists also on "and" (no state's name has it,
/// while specialties such as "Physical Medicine and Rehabilitation" do).
fn split_list(text: &str, split_on_and: bool) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in text.split([',', ';']) {
        let part = part.trim();
        let pieces: Vec<&str> = if split_on_and {
            part.split(" and ").collect()
        } else {
            vec![part]
        };
        for piece in pieces {
            let piece = piece
                .trim()
                .trim_start_matches("and ")
                .trim()
                .trim_end_matches('.');
            if !piece.is_empty() {
                parts.push(piece.to_string());
            }
        }
    }
    parts
}

// ---------------------------------------------------------------------------------------------
// Disputed items

static DECISION_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<before>.*?)\s*:\s*(?P<decision>upheld|overturned)\s*\.?$")
        .expect("static regex")
});

static DECISION_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:is\s*:?\s*)?(?P<decision>upheld|overturned)\s*\.?$").expect("static regex")
});

static CLAIMS_ADMINISTRATOR_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^claims\s+administrator\s+guideline\s*:\s*").expect("static regex")
});

/// The IMR organization's guideline line: "MAXIMUS guideline:" in the published letters, any
/// organization's name in ours.
static IMRO_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][A-Za-z0-9&.' -]{0,60}?)\s+guideline\s*:\s*").expect("static regex")
});

static RATIONALE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^decision\s+rationale\s*:\s*").expect("static regex"));

/// Phrases that show a heading is a partial authorization and must reach back to its
/// "was the original request" sentence.
static PARTIAL_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)authorized by the claims administrator|claims administrator authorized|remaining imr eligible portion|leaving the original request")
        .expect("static regex")
});

static ORIGINAL_REQUEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:was|were) the original request").expect("static regex"));

static PARTIAL_REMAINDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?P<original>.+?)\s+(?:was|were)\s+the\s+original\s+request\.\s*(?P<authorized>.+?)\s+(?:was|were)\s+authorized\s+by\s+the\s+claims\s+administrator\.\s*the\s+remaining\s+imr\s+eligible\s+portion\s+of\s+the\s+original\s+request,?\s*(?P<request>.+?)(?:\s+is)?$",
    )
    .expect("static regex")
});

static PARTIAL_WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(?P<original>.+?)\s+(?:was|were)\s+the\s+original\s+request\.\s*the\s+claims\s+administrator\s+authorized\s+(?P<authorized>.+?),?\s+leaving\s+the\s+original\s+request\s+imr\s+eligible\.\s*the\s+original\s+request,?\s*(?P<request>.+?)(?:\s+is)?$",
    )
    .expect("static regex")
});

/// How far back an item heading may reach from its decision line.
const MAX_HEADING_LINES: usize = 10;

/// An item heading: the lines `start..=decision_line`, and the decision.
#[derive(Debug)]
struct Heading {
    start: usize,
    decision_line: usize,
    decision: Decision,
}

fn read_items(lines: &[Line], diagnostics: &mut Vec<Diagnostic>) -> Vec<Item> {
    let first = skip_issues_lead_in(lines);
    let headings = find_headings(lines, first);
    let mut items = Vec::new();
    for (k, heading) in headings.iter().enumerate() {
        let block_end = headings.get(k + 1).map_or(lines.len(), |next| next.start);
        let field = |name: &str| format!("items[{k}].{name}");
        let heading_text = heading_text(&lines[heading.start..=heading.decision_line]);
        let mut item = read_heading(
            &heading_text,
            &field("request"),
            lines[heading.start].number,
            diagnostics,
        );
        item.decision = Some(heading.decision);
        read_item_fields(&lines[heading.decision_line + 1..block_end], &mut item);
        let line = lines[heading.start].number;
        for (missing, name) in [
            (
                item.claims_administrator_guideline.is_none(),
                "claims_administrator_guideline",
            ),
            (item.imro_guideline.is_none(), "imro_guideline"),
            (item.rationale.is_none(), "rationale"),
        ] {
            if missing {
                diagnostics.push(
                    Diagnostic::warning(field(name), "not found in the item's block").at_line(line),
                );
            }
        }
        items.push(item);
    }
    items
}

/// Index of the first line after "The Final Determination was based on decisions ... below:".
fn skip_issues_lead_in(lines: &[Line]) -> usize {
    let mut joined = String::new();
    for (i, line) in lines.iter().enumerate().take(4) {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(&line.text);
        if let Some(m) = ISSUES_LEAD_IN.find(&joined) {
            // The lead-in ends on this line only if nothing else follows it there.
            return if m.end() >= joined.len() { i + 1 } else { i };
        }
    }
    0
}

fn find_headings(lines: &[Line], first: usize) -> Vec<Heading> {
    let mut headings: Vec<Heading> = Vec::new();
    for i in first..lines.len() {
        let text = &lines[i].text;
        // Most lines are prose: a cheap look at the last word spares them the regexes.
        if !ends_with_decision_word(text) {
            continue;
        }
        // The line the heading's text ends on: this one, or the one above a lone decision word.
        let mut last_text_line = i;
        let decision = if let Some(caps) = DECISION_AT_END.captures(text) {
            // A line that is a field of its own ("Decision rationale: ... : Upheld") is not a heading.
            if is_field_line(text) {
                continue;
            }
            Decision::parse(&caps["decision"])
        } else if let Some(caps) = DECISION_ALONE.captures(text) {
            // The decision word alone: the heading above ends with ":" (or the word is "is: X").
            let previous_ends_with_colon = i > first && lines[i - 1].text.trim_end().ends_with(':');
            if !previous_ends_with_colon && !text.to_ascii_lowercase().starts_with("is") {
                continue;
            }
            last_text_line = i.saturating_sub(1).max(first);
            Decision::parse(&caps["decision"])
        } else {
            continue;
        };
        let Some(decision) = decision else { continue };
        let floor = headings.last().map_or(first, |h| h.decision_line + 1);
        let start = heading_start(lines, last_text_line.max(floor), floor);
        headings.push(Heading {
            start,
            decision_line: i,
            decision,
        });
    }
    headings
}

/// Walks back from a decision line to the first line of its heading: up to the line after one
/// that ends a sentence or a field, never past `floor`. A partial authorization reaches back to
/// its "was the original request" sentence even when a line of it ends with a period.
fn heading_start(lines: &[Line], decision_line: usize, floor: usize) -> usize {
    let lowest = decision_line.saturating_sub(MAX_HEADING_LINES).max(floor);
    let mut start = decision_line;
    while start > lowest && !ends_a_block(&lines[start - 1].text) {
        start -= 1;
    }
    let text = heading_text(&lines[start..=decision_line]);
    if PARTIAL_PHRASE.is_match(&text) && !ORIGINAL_REQUEST.is_match(&text) {
        let mut reach = start;
        while reach > lowest {
            reach -= 1;
            if is_field_line(&lines[reach].text) {
                break;
            }
            if ORIGINAL_REQUEST.is_match(&heading_text(&lines[reach..=decision_line])) {
                // Start where that sentence starts: after the previous sentence's end.
                let mut s = reach;
                while s > lowest && !ends_a_block(&lines[s - 1].text) {
                    s -= 1;
                }
                return s;
            }
        }
    }
    start
}

/// A line after which a new heading may begin.
fn ends_a_block(text: &str) -> bool {
    let t = text
        .trim_end()
        .trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
    t.ends_with(['.', '!', '?', ':']) || is_field_line(text)
}

/// Whether a line ends with "upheld" or "overturned" (any case, a period allowed).
fn ends_with_decision_word(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches('.').as_bytes();
    [b"upheld".as_slice(), b"overturned".as_slice()]
        .iter()
        .any(|word| t.len() >= word.len() && t[t.len() - word.len()..].eq_ignore_ascii_case(word))
}

fn is_field_line(text: &str) -> bool {
    CLAIMS_ADMINISTRATOR_LINE.is_match(text)
        || RATIONALE_LINE.is_match(text)
        || IMRO_LINE.is_match(text)
}

fn heading_text(lines: &[Line]) -> String {
    join_lines(lines.iter().map(|l| l.text.as_str()))
}

/// Splits a heading into the request and, for partial authorizations, the original request and
/// what was authorized.
fn read_heading(text: &str, field: &str, line: usize, diagnostics: &mut Vec<Diagnostic>) -> Item {
    let before = match DECISION_AT_END.captures(text) {
        Some(caps) => caps["before"].to_string(),
        None => text.to_string(),
    };
    let before = before.trim_end_matches(':').trim_end().to_string();
    for pattern in [&*PARTIAL_REMAINDER, &*PARTIAL_WHOLE] {
        if let Some(caps) = pattern.captures(&before) {
            let mut item = Item::new(tidy_request(&caps["request"]));
            item.original_request = Some(tidy_request(&caps["original"]));
            item.authorized = Some(tidy_request(&caps["authorized"]));
            return item;
        }
    }
    if ORIGINAL_REQUEST.is_match(&before) {
        diagnostics.push(
            Diagnostic::warning(field, "a partial authorization worded in an unknown way; the whole heading is kept as the request")
                .at_line(line),
        );
    }
    Item::new(tidy_request(&before))
}

static ITEM_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?-u:\d{1,2})\.\s+").expect("static regex"));

/// Trims a request: the closing " is" of a partial heading, trailing commas, and the "1. " that
/// numbers items in older letters.
fn tidy_request(text: &str) -> String {
    let text = text.trim();
    let text = ITEM_NUMBER.find(text).map_or(text, |m| &text[m.end()..]);
    let text = text.strip_suffix(" is").unwrap_or(text);
    text.trim_end_matches([',', ' ']).to_string()
}

/// Reads the three fields of an item's block: each runs from its label to the next label.
fn read_item_fields(lines: &[Line], item: &mut Item) {
    #[derive(Clone, Copy, PartialEq)]
    enum Field {
        None,
        ClaimsAdministrator,
        Imro,
        Rationale,
    }
    let mut parts: Vec<(Field, Vec<&str>)> = Vec::new();
    let mut current = Field::None;
    for line in lines {
        let text = line.text.as_str();
        let (field, rest) = if let Some(m) = CLAIMS_ADMINISTRATOR_LINE.find(text) {
            (Field::ClaimsAdministrator, &text[m.end()..])
        } else if let Some(m) = RATIONALE_LINE.find(text) {
            (Field::Rationale, &text[m.end()..])
        } else if let Some(m) = (current != Field::Rationale)
            .then(|| IMRO_LINE.find(text))
            .flatten()
        {
            (Field::Imro, &text[m.end()..])
        } else {
            match parts.last_mut() {
                Some((_, texts)) => texts.push(text),
                None => parts.push((current, vec![text])),
            }
            continue;
        };
        current = field;
        parts.push((field, vec![rest]));
    }
    for (field, texts) in parts {
        let value = join_lines(texts);
        let value = (!value.is_empty()).then_some(value);
        match field {
            Field::ClaimsAdministrator => item.claims_administrator_guideline = value,
            Field::Imro => {
                item.citations = value.as_deref().map(read_citations).unwrap_or_default();
                item.imro_guideline = value;
            }
            Field::Rationale => item.rationale = value,
            Field::None => {}
        }
    }
}
