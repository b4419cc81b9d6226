//! Writing a [`Determination`] as a Final Determination Letter.
//!
//! The letter is first built as a [`LetterDocument`] (header fields, sections, blocks), which the
//! text writer here, the HTML writer ([`super::html`]) and the PDF writer (`imr-pdf`) render.
//! The wording and layout follow the published letters, so that [`read_letter`] reads a written
//! letter back to the same record: that round trip is tested over every published letter.
//!
//! Lines are broken by [`wrap`], which knows where the reader would misread a break (a line that
//! starts like a field label, a word broken after its own hyphen, a heading cut at a period) and
//! moves the break. The PDF writer uses the same function with its own measure of width.
//!
//! [`read_letter`]: super::read_letter

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use imr_core::model::{Decision, Determination, Item, ReviewerCredentials};
use imr_core::text::format_us_date;

/// The line width of the text letter, in characters (the published letters run to about 95).
pub const TEXT_WIDTH: usize = 95;

pub const HOW_MADE_HEADING: &str = "HOW THE IMR FINAL DETERMINATION WAS MADE";
pub const SUMMARY_HEADING: &str = "CLINICAL CASE SUMMARY";
pub const ISSUES_HEADING: &str = "IMR ISSUES, DECISIONS AND RATIONALES";
pub const SUMMARY_LEAD_IN: &str = "The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:";
pub const ISSUES_LEAD_IN: &str = "The Final Determination was based on decisions for the disputed items/services set forth below:";

/// Why a determination cannot be written as a letter. Messages name the field, never its text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error(
        "the determination has no disputed items: a Final Determination Letter decides at least one item"
    )]
    NoItems,
    #[error(
        "items[{index}] has no decision (Upheld or Overturned): a physician must decide it before the letter is written"
    )]
    NoDecision { index: usize },
    #[error("items[{index}].request is empty")]
    EmptyRequest { index: usize },
    #[error(
        "the IMR organization's short name {0:?} cannot head a guideline line: it must start with a capital letter and use at most 61 letters, digits, spaces or & . ' -"
    )]
    BadOrganizationName(String),
    #[error("the reviewer profile is incomplete: {0}")]
    BadProfile(String),
}

/// The IMR organization that issues the letter. The published letters name MAXIMUS Federal
/// Services in the boilerplate and "MAXIMUS" on each item's guideline line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// As it appears in "<name> sent the complete case file to an expert reviewer."
    pub name: String,
    /// As it heads each item's guideline line: "<short name> guideline: ...".
    pub short_name: String,
}

impl Default for Organization {
    fn default() -> Organization {
        Organization {
            name: "The IMR organization".to_string(),
            short_name: "IMRO".to_string(),
        }
    }
}

/// How long the reviewer has practised and how much they practise now: the letters state both
/// (the regulations ask for at least five years and 24 hours a week).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Practice {
    pub years_in_practice: u32,
    pub hours_per_week: u32,
}

/// What the letter says about the reviewer, who is never named: the board certifications,
/// subspecialties, states of licensure, years in practice and hours a week.
///
/// Read from JSON or TOML, e.g.
/// `{"board_certifications": ["Orthopaedic Surgery"], "subspecialties": [], "licensure":
/// ["California"], "years_in_practice": 14, "hours_per_week": 32}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewerProfile {
    pub board_certifications: Vec<String>,
    #[serde(default)]
    pub subspecialties: Vec<String>,
    pub licensure: Vec<String>,
    pub years_in_practice: u32,
    pub hours_per_week: u32,
}

impl ReviewerProfile {
    /// The credentials the letter states, after checking that there is something to state.
    pub fn credentials(&self) -> Result<ReviewerCredentials, WriteError> {
        let clean = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
                .collect()
        };
        let credentials = ReviewerCredentials {
            licensure: clean(&self.licensure),
            specialties: clean(&self.board_certifications),
            subspecialties: clean(&self.subspecialties),
        };
        if credentials.specialties.is_empty() {
            return Err(WriteError::BadProfile(
                "board_certifications is empty".to_string(),
            ));
        }
        if credentials.licensure.is_empty() {
            return Err(WriteError::BadProfile("licensure is empty".to_string()));
        }
        Ok(credentials)
    }

    pub fn practice(&self) -> Practice {
        Practice {
            years_in_practice: self.years_in_practice,
            hours_per_week: self.hours_per_week,
        }
    }
}

/// Everything a letter needs besides the determination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterOptions {
    pub organization: Organization,
    /// The reviewer's practice; without it the letter uses the regulations' minimums, as the
    /// published letters do ("more than five years", "at least 24 hours a week").
    pub practice: Option<Practice>,
}

/// One labelled value of the header table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    pub label: &'static str,
    pub value: String,
}

/// A block of a section, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Running text, one paragraph.
    Paragraph(String),
    /// A labelled line whose label the reader looks for at the start of a line:
    /// "State(s) of Licensure: ...", "Claims Administrator guideline: ...".
    Field { label: String, text: String },
    /// A disputed item's heading, "<wording>: <Decision>".
    ItemHeading { wording: String, decision: Decision },
}

impl Block {
    /// The block's text on one line, as the text letter has it before wrapping.
    pub fn text(&self) -> String {
        match self {
            Block::Paragraph(text) => text.clone(),
            Block::Field { label, text } if text.is_empty() => format!("{label}:"),
            Block::Field { label, text } => format!("{label}: {text}"),
            Block::ItemHeading { wording, decision } => format!("{wording}: {decision}"),
        }
    }

    /// How [`wrap`] must treat the block's lines.
    pub fn kind(&self) -> BlockKind {
        match self {
            Block::ItemHeading { .. } => BlockKind::ItemHeading,
            _ => BlockKind::Body,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: &'static str,
    pub blocks: Vec<Block>,
}

/// A Final Determination Letter, ready to render in any format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDocument {
    pub case_number: Option<String>,
    pub header: Vec<HeaderField>,
    pub sections: Vec<Section>,
    /// Each disputed item's decision, in order (for summaries such as the HTML's).
    pub decisions: Vec<Decision>,
}

/// Builds the letter for a determination.
pub fn letter_document(
    determination: &Determination,
    options: &LetterOptions,
) -> Result<LetterDocument, WriteError> {
    check_organization(&options.organization)?;
    if determination.items.is_empty() {
        return Err(WriteError::NoItems);
    }
    let mut decisions = Vec::with_capacity(determination.items.len());
    let mut item_blocks = vec![Block::Paragraph(ISSUES_LEAD_IN.to_string())];
    for (index, item) in determination.items.iter().enumerate() {
        let decision = item.decision.ok_or(WriteError::NoDecision { index })?;
        if one_line(&item.request).is_empty() {
            return Err(WriteError::EmptyRequest { index });
        }
        decisions.push(decision);
        item_blocks.extend(item_blocks_for(item, decision, &options.organization));
    }

    let mut summary = vec![Block::Paragraph(SUMMARY_LEAD_IN.to_string())];
    summary.extend(
        paragraphs(determination.clinical_summary.as_deref().unwrap_or("")).map(Block::Paragraph),
    );

    Ok(LetterDocument {
        case_number: determination.case_number.as_deref().map(one_line),
        header: header_fields(determination),
        sections: vec![
            Section {
                heading: HOW_MADE_HEADING,
                blocks: how_made(&determination.reviewer, options),
            },
            Section {
                heading: SUMMARY_HEADING,
                blocks: summary,
            },
            Section {
                heading: ISSUES_HEADING,
                blocks: item_blocks,
            },
        ],
        decisions,
    })
}

/// The letter as plain text, lines wrapped at [`TEXT_WIDTH`] columns.
pub fn write_text(
    determination: &Determination,
    options: &LetterOptions,
) -> Result<String, WriteError> {
    Ok(render_text(&letter_document(determination, options)?))
}

/// Renders a letter document as plain text.
pub fn render_text(document: &LetterDocument) -> String {
    let mut out = String::new();
    for field in &document.header {
        out.push_str(field.label);
        out.push_str(": ");
        out.push_str(&field.value);
        out.push('\n');
    }
    let fits = |line: &str| line.chars().count() <= TEXT_WIDTH;
    for section in &document.sections {
        out.push('\n');
        out.push_str(section.heading);
        out.push('\n');
        for block in &section.blocks {
            for line in wrap(&block.text(), block.kind(), fits) {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out
}

fn check_organization(organization: &Organization) -> Result<(), WriteError> {
    static NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Z][A-Za-z0-9&.' -]{0,60}$").expect("static regex"));
    let short = organization.short_name.as_str();
    let reserved = ["claims administrator", "decision rationale"];
    if !NAME.is_match(short) || reserved.contains(&short.to_ascii_lowercase().as_str()) {
        return Err(WriteError::BadOrganizationName(short.to_string()));
    }
    Ok(())
}

const HEADER_LABELS: [&str; 7] = [
    "Case Number",
    "Date Assigned",
    "Decision Date",
    "Priority",
    "Date of Injury",
    "UR Denial Date",
    "Application Received",
];

fn header_fields(d: &Determination) -> Vec<HeaderField> {
    let date = |date: Option<jiff::civil::Date>| date.map(format_us_date);
    let values = [
        d.case_number.as_deref().map(one_line),
        date(d.date_assigned),
        date(d.decision_date),
        d.priority.map(|p| p.as_str().to_string()),
        date(d.date_of_injury),
        date(d.ur_denial_date),
        date(d.application_received),
    ];
    HEADER_LABELS
        .iter()
        .zip(values)
        .filter_map(|(label, value)| {
            value
                .filter(|v| !v.is_empty())
                .map(|value| HeaderField { label, value })
        })
        .collect()
}

fn how_made(reviewer: &ReviewerCredentials, options: &LetterOptions) -> Vec<Block> {
    let organization = one_line(&options.organization.name);
    let practice = match options.practice {
        Some(p) => format!(
            "He/she has been in active clinical practice for {} and is currently working {} a week in active practice.",
            count(p.years_in_practice, "year"),
            count(p.hours_per_week, "hour"),
        ),
        None => "He/she has been in active clinical practice for more than five years and is currently working at least 24 hours a week in active practice.".to_string(),
    };
    let selection = "The expert reviewer was selected based on his/her clinical experience, education, background, and expertise in the same or similar specialties that evaluate and/or treat the medical condition and disputed items/services. He/she is familiar with governing laws and regulations, including the strength of evidence hierarchy that applies to Independent Medical Review determinations.";
    let affiliation = format!(
        "{organization} sent the complete case file to an expert reviewer. He/she has no affiliation with the employer, employee, providers or the claims administrator."
    );
    let list = |items: &[String]| {
        items
            .iter()
            .map(|s| one_line(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let prose = !reviewer.specialties.is_empty()
        && !reviewer.subspecialties.is_empty()
        && !reviewer.licensure.is_empty();
    if prose {
        // The older letters' form, the only one that states subspecialties.
        let credentials = format!(
            "The expert reviewer is Board Certified in {}, has a subspecialty in {} and is licensed to practice in {}.",
            list(&reviewer.specialties),
            list(&reviewer.subspecialties),
            list(&reviewer.licensure),
        );
        return vec![Block::Paragraph(format!(
            "{affiliation} {credentials} {practice} {selection}"
        ))];
    }
    let mut blocks = vec![
        Block::Paragraph(format!("{affiliation} {practice} {selection}")),
        Block::Paragraph("The Expert Reviewer has the following credentials:".to_string()),
        Block::Field {
            label: "State(s) of Licensure".to_string(),
            text: list(&reviewer.licensure),
        },
        Block::Field {
            label: "Certification(s)/Specialty".to_string(),
            text: list(&reviewer.specialties),
        },
    ];
    if !reviewer.subspecialties.is_empty() {
        blocks.push(Block::Field {
            label: "Subspecialty(s)".to_string(),
            text: list(&reviewer.subspecialties),
        });
    }
    blocks
}

fn count(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// The heading, the two guideline lines and the rationale of one item.
fn item_blocks_for(item: &Item, decision: Decision, organization: &Organization) -> Vec<Block> {
    let request = one_line(&item.request);
    let wording = match (item.original_request.as_deref(), item.authorized.as_deref()) {
        (Some(original), Some(authorized)) => {
            let original = one_line(original);
            let authorized = one_line(authorized);
            if original == request {
                // The claims administrator authorized something else; the whole request is decided.
                format!(
                    "{original} was the original request. The Claims Administrator authorized {authorized}, leaving the original request IMR eligible. The original request, {request} is"
                )
            } else {
                format!(
                    "{original} was the original request. {authorized} was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, {request} is"
                )
            }
        }
        _ => request,
    };
    let mut blocks = vec![Block::ItemHeading { wording, decision }];
    if let Some(text) = item.claims_administrator_guideline.as_deref() {
        blocks.push(Block::Field {
            label: "Claims Administrator guideline".to_string(),
            text: one_line(text),
        });
    }
    if let Some(text) = item.imro_guideline.as_deref() {
        blocks.push(Block::Field {
            label: format!("{} guideline", organization.short_name),
            text: one_line(text),
        });
    }
    if let Some(text) = item.rationale.as_deref() {
        // The reader joins a rationale into one paragraph, so its label goes on the first.
        let mut parts = paragraphs(text);
        if let Some(first) = parts.next() {
            blocks.push(Block::Field {
                label: "Decision rationale".to_string(),
                text: first,
            });
        }
        blocks.extend(parts.map(Block::Paragraph));
    }
    blocks
}

/// A field's text on one line: whitespace runs (line breaks included) become one space, and a
/// control character becomes U+FFFD, visibly, rather than reaching a printer or a PDF raw.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// A text's paragraphs (split at blank lines), each on one line.
fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .flat_map(|p| p.split("\r\n\r\n"))
        .map(one_line)
        .filter(|p| !p.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Line breaking

/// What a block's lines must avoid, beyond fitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Running text or a field: no line may look like a field label or an item heading.
    Body,
    /// An item heading: no line but the last may end a sentence (the reader finds a heading's
    /// start by walking back to the line after one that ends a sentence).
    ItemHeading,
}

/// A line the reader would take for the start of a field ("Claims Administrator guideline:",
/// "<IMRO> guideline:", "Decision rationale:") or of a credentials line.
static FIELD_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:claims\s+administrator\s+guideline|decision\s+rationale|[a-z][a-z0-9&.' -]{0,60}?\s+guideline|state\(s\) of licensure|certification\(s\)\s*/\s*specialty|sub-?specialt(?:y|ies)(?:\(s\))?)\s*:",
    )
    .expect("static regex")
});

/// A line the reader would take for the end of an item heading.
static DECISION_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?::\s*(?:upheld|overturned)\s*\.?$)|^(?:is\s*:?\s*)?(?:upheld|overturned)\s*\.?$",
    )
    .expect("static regex")
});

/// A sentence of the partial-authorization wording may end a heading's line.
static PARTIAL_SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:original request|claims administrator|imr eligible)\.$")
        .expect("static regex")
});

/// Breaks `text` (one paragraph) into lines that each satisfy `fits` where possible, at spaces,
/// choosing breaks the letter reader reads back to the same text. A word too long for a line is
/// broken after a letter or digit with a hyphen, which the reader removes again.
pub fn wrap(text: &str, kind: BlockKind, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let words = split_long_words(text.split_whitespace(), &fits);
    let mut lines = Vec::new();
    let mut start = 0;
    while start < words.len() {
        // The longest run of words that fits (at least one word); a piece of a broken word
        // always ends its line.
        let mut longest = start + 1;
        let mut line = words[start].text.clone();
        while longest < words.len() && !words[longest - 1].broken {
            let candidate = format!("{line} {}", words[longest].text);
            if !fits(&candidate) {
                break;
            }
            line = candidate;
            longest += 1;
        }
        // The longest of those whose break the reader reads back correctly.
        let end = (start + 1..=longest)
            .rev()
            .find(|&end| good_break(&words, start, end, kind))
            .unwrap_or(longest);
        let texts: Vec<&str> = words[start..end].iter().map(|w| w.text.as_str()).collect();
        lines.push(texts.join(" "));
        start = end;
    }
    lines
}

/// A word to place, or a piece of a word too long for a line.
struct Word {
    text: String,
    /// A piece that ends in the hyphen [`wrap`] added: it ends its line.
    broken: bool,
}

fn join_words(words: &[Word]) -> String {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    texts.join(" ")
}

/// Whether ending a line after `words[start..end]` keeps the text readable to the reader.
fn good_break(words: &[Word], start: usize, end: usize, kind: BlockKind) -> bool {
    if end == words.len() {
        return true;
    }
    let last = &words[end - 1];
    if last.broken {
        return true;
    }
    // "x-" + "ray" would be rejoined as "xray".
    if ends_with_word_hyphen(&last.text) {
        return false;
    }
    let line = join_words(&words[start..end]);
    let rest = join_words(&words[end..words.len().min(end + 12)]);
    if FIELD_START.is_match(&rest) || DECISION_END.is_match(&line) {
        return false;
    }
    if words.len() - end <= 2 && DECISION_END.is_match(&join_words(&words[end..])) {
        // A line holding only "Upheld." after one ending in a colon reads as a heading's end.
        return kind == BlockKind::ItemHeading && !line.ends_with(':');
    }
    if kind == BlockKind::ItemHeading {
        let trimmed = line.trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
        if trimmed.ends_with(['.', '!', '?', ':']) && !PARTIAL_SENTENCE_END.is_match(trimmed) {
            return false;
        }
    }
    true
}

fn ends_with_word_hyphen(word: &str) -> bool {
    let mut chars = word.chars().rev();
    chars.next() == Some('-') && chars.next().is_some_and(char::is_alphanumeric)
}

/// Splits words that do not fit on a line by themselves, each piece but the last ending in a
/// letter or digit and a hyphen, so that the reader joins them back.
fn split_long_words<'a>(
    words: impl Iterator<Item = &'a str>,
    fits: &impl Fn(&str) -> bool,
) -> Vec<Word> {
    let mut out = Vec::new();
    for word in words {
        if fits(word) {
            out.push(Word {
                text: word.to_string(),
                broken: false,
            });
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        let mut start = 0;
        while start < chars.len() {
            let rest: String = chars[start..].iter().collect();
            if fits(&rest) {
                out.push(Word {
                    text: rest,
                    broken: false,
                });
                break;
            }
            // The longest piece that fits with its hyphen, cut after a letter or digit.
            let mut cut = None;
            let mut piece = String::new();
            for end in start + 1..chars.len() {
                piece.push(chars[end - 1]);
                if !fits(&format!("{piece}-")) {
                    break;
                }
                if chars[end - 1].is_alphanumeric() {
                    cut = Some(end);
                }
            }
            let (text, next) = match cut {
                Some(end) => (chars[start..end].iter().chain(['-'].iter()).collect(), end),
                // Nowhere to cut before a letter or digit: a piece as long as fits, unhyphenated.
                None => (chars[start..=start].iter().collect(), start + 1),
            };
            out.push(Word { text, broken: true });
            start = next;
        }
    }
    out
}
