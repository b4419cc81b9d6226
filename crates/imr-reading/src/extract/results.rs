//! What a test showed: the result words of a study's own clause, attached to the study.
//!
//! A study is a finding only with its result: an MRI that "showed no herniation" does not
//! corroborate a radiculopathy, a drug screen "positive for methamphetamine" is not monitoring
//! that went well. The result is read from the words after the study up to the end of its
//! sentence or the next study named, each result word asserted by the same scopes as any fact
//! ("no herniation" is a negated lesion), and the strongest affirmed one wins.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::negation::{self, Polarity, Trigger};

/// What a test or study showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    /// Imaging: a lesion said to compress, contact or impinge a nerve root or the cord.
    RootCompression,
    /// Imaging: a structural lesion (herniation, stenosis, tear, fracture) without that.
    Lesion,
    /// Imaging: degenerative change only (spondylosis, a bulge, arthritis).
    Degenerative,
    /// Imaging or electrodiagnosis: nothing abnormal.
    Normal,
    /// Electrodiagnosis: abnormal (a neuropathy, a radiculopathy, an entrapment).
    Abnormal,
    /// Drug screen or CURES report: consistent with what is prescribed.
    Consistent,
    /// Drug screen or CURES report: inconsistent (a drug not prescribed, the prescribed one
    /// absent, another prescriber, early fills).
    Inconsistent,
}

impl TestResult {
    pub fn as_str(self) -> &'static str {
        match self {
            TestResult::RootCompression => "root_compression",
            TestResult::Lesion => "lesion",
            TestResult::Degenerative => "degenerative",
            TestResult::Normal => "normal",
            TestResult::Abnormal => "abnormal",
            TestResult::Consistent => "consistent",
            TestResult::Inconsistent => "inconsistent",
        }
    }

    /// The study supports a structural or neural diagnosis (what "corroborated by imaging or
    /// electrodiagnostic testing" asks).
    pub fn corroborates(self) -> bool {
        matches!(
            self,
            TestResult::RootCompression | TestResult::Lesion | TestResult::Abnormal
        )
    }
}

/// The class of a result word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// Impinges, abuts, contacts ... (needs a nerve root or the cord in the clause).
    Compression,
    /// Compresses: said of a root or the cord, or of the thecal sac that holds the roots.
    Compresses,
    /// Root, nerve, cord: what is compressed.
    Neural,
    /// The thecal sac: a bulge that only abuts or indents it touches no root.
    Sac,
    Lesion,
    Degenerative,
    /// Normal, unremarkable, negative: the study as a whole.
    Normal,
    /// An electrodiagnostic abnormality.
    Neuropathy,
    /// The screen agrees with the prescriptions.
    Consistent,
    /// The screen does not.
    Inconsistent,
    /// A substance no prescription explains: positive for it is inconsistent, negative for it
    /// is nothing.
    Illicit,
}

const WORDS: &[(&str, Word)] = &[
    ("compress", Word::Compresses),
    ("compresses", Word::Compresses),
    ("compressing", Word::Compresses),
    ("compression", Word::Compresses),
    ("compromise", Word::Compression),
    ("compromising", Word::Compression),
    ("impinge", Word::Compression),
    ("impinges", Word::Compression),
    ("impinging", Word::Compression),
    ("impingement", Word::Compression),
    ("abut", Word::Compression),
    ("abuts", Word::Compression),
    ("abutting", Word::Compression),
    ("contact", Word::Compression),
    ("contacts", Word::Compression),
    ("contacting", Word::Compression),
    ("displace", Word::Compression),
    ("displaces", Word::Compression),
    ("displacing", Word::Compression),
    ("displacement of", Word::Compression),
    ("encroach", Word::Compression),
    ("encroaches", Word::Compression),
    ("encroaching", Word::Compression),
    ("encroachment", Word::Compression),
    ("effacement", Word::Compression),
    ("effaces", Word::Compression),
    ("effacing", Word::Compression),
    ("deforming", Word::Compression),
    ("flattening", Word::Compression),
    ("flattens", Word::Compression),
    ("indenting", Word::Compression),
    ("indents", Word::Compression),
    ("indentation", Word::Compression),
    ("encroaching upon", Word::Compression),
    ("deforms", Word::Compression),
    ("compressed", Word::Compresses),
    ("impinged", Word::Compression),
    ("displaced", Word::Compression),
    ("effaced", Word::Compression),
    ("abutment", Word::Compression),
    ("mass effect", Word::Compression),
    ("deflects", Word::Compression),
    ("deflecting", Word::Compression),
    ("deflection", Word::Compression),
    ("touches", Word::Compression),
    ("touching", Word::Compression),
    ("root", Word::Neural),
    ("roots", Word::Neural),
    ("nerve", Word::Neural),
    ("nerves", Word::Neural),
    ("cord", Word::Neural),
    ("thecal sac", Word::Sac),
    ("dural sac", Word::Sac),
    ("neural", Word::Neural),
    ("herniation", Word::Lesion),
    ("herniations", Word::Lesion),
    ("herniated", Word::Lesion),
    ("hnp", Word::Lesion),
    ("protrusion", Word::Lesion),
    ("protrusions", Word::Lesion),
    ("protruding", Word::Lesion),
    ("extrusion", Word::Lesion),
    ("extruded", Word::Lesion),
    ("sequestered", Word::Lesion),
    ("stenosis", Word::Lesion),
    ("foraminal narrowing", Word::Lesion),
    ("canal narrowing", Word::Lesion),
    ("narrowing of the", Word::Lesion),
    ("tear", Word::Lesion),
    ("tears", Word::Lesion),
    ("torn", Word::Lesion),
    ("rupture", Word::Lesion),
    ("ruptured", Word::Lesion),
    ("fracture", Word::Lesion),
    ("fractures", Word::Lesion),
    ("spondylolisthesis", Word::Lesion),
    ("listhesis", Word::Lesion),
    ("instability", Word::Lesion),
    ("mass", Word::Lesion),
    ("lesion", Word::Lesion),
    ("lesions", Word::Lesion),
    ("cyst", Word::Lesion),
    ("fissure", Word::Lesion),
    ("annular fissure", Word::Lesion),
    ("avascular necrosis", Word::Lesion),
    ("effusion", Word::Lesion),
    ("tumor", Word::Lesion),
    ("tumour", Word::Lesion),
    ("neoplasm", Word::Lesion),
    ("malignancy", Word::Lesion),
    ("metastasis", Word::Lesion),
    ("metastases", Word::Lesion),
    ("metastatic", Word::Lesion),
    ("degenerative", Word::Degenerative),
    ("degeneration", Word::Degenerative),
    ("spondylosis", Word::Degenerative),
    ("desiccation", Word::Degenerative),
    ("bulge", Word::Degenerative),
    ("bulges", Word::Degenerative),
    ("bulging", Word::Degenerative),
    ("arthritis", Word::Degenerative),
    ("arthritic", Word::Degenerative),
    ("arthrosis", Word::Degenerative),
    ("arthropathy", Word::Degenerative),
    ("osteophyte", Word::Degenerative),
    ("osteophytes", Word::Degenerative),
    ("spurring", Word::Degenerative),
    ("ddd", Word::Degenerative),
    ("tendinosis", Word::Degenerative),
    ("tendinopathy", Word::Degenerative),
    ("hypertrophy", Word::Degenerative),
    ("hypertrophic", Word::Degenerative),
    ("joint space narrowing", Word::Degenerative),
    ("disc space narrowing", Word::Degenerative),
    ("disk space narrowing", Word::Degenerative),
    ("loss of disc height", Word::Degenerative),
    ("disc height loss", Word::Degenerative),
    ("chondromalacia", Word::Degenerative),
    ("chondrosis", Word::Degenerative),
    ("normal", Word::Normal),
    ("unremarkable", Word::Normal),
    ("negative", Word::Normal),
    ("within normal limits", Word::Normal),
    ("wnl", Word::Normal),
    ("nl", Word::Normal),
    ("nml", Word::Normal),
    ("neg", Word::Normal),
    ("no acute", Word::Normal),
    ("no significant", Word::Normal),
    ("no abnormality", Word::Normal),
    ("no abnormalities", Word::Normal),
    ("no evidence", Word::Normal),
    ("no findings", Word::Normal),
    ("abnormal", Word::Neuropathy),
    ("radiculopathy", Word::Neuropathy),
    ("neuropathy", Word::Neuropathy),
    ("polyneuropathy", Word::Neuropathy),
    ("entrapment", Word::Neuropathy),
    ("carpal tunnel", Word::Neuropathy),
    ("cts", Word::Neuropathy),
    ("cubital tunnel", Word::Neuropathy),
    ("denervation", Word::Neuropathy),
    ("fibrillation", Word::Neuropathy),
    ("fibrillations", Word::Neuropathy),
    ("sharp waves", Word::Neuropathy),
    ("slowing", Word::Neuropathy),
    ("prolonged", Word::Neuropathy),
    ("plexopathy", Word::Neuropathy),
    ("consistent", Word::Consistent),
    ("appropriate", Word::Consistent),
    ("as expected", Word::Consistent),
    ("expected", Word::Consistent),
    ("compliant", Word::Consistent),
    ("c/w", Word::Consistent),
    ("single prescriber", Word::Consistent),
    ("one prescriber", Word::Consistent),
    ("sole prescriber", Word::Consistent),
    ("no discrepancies", Word::Consistent),
    ("no discrepancy", Word::Consistent),
    ("which is prescribed", Word::Consistent),
    ("as prescribed", Word::Consistent),
    ("prescribed medication", Word::Consistent),
    ("prescribed medications", Word::Consistent),
    ("matches", Word::Consistent),
    ("ok", Word::Consistent),
    ("not been prescribed", Word::Inconsistent),
    ("wasn't prescribed", Word::Inconsistent),
    ("discrepancy", Word::Inconsistent),
    ("discrepancies", Word::Inconsistent),
    ("inconsistent", Word::Inconsistent),
    ("aberrant", Word::Inconsistent),
    ("unexpected", Word::Inconsistent),
    ("not prescribed", Word::Inconsistent),
    ("non-prescribed", Word::Inconsistent),
    ("nonprescribed", Word::Inconsistent),
    ("early refill", Word::Inconsistent),
    ("early refills", Word::Inconsistent),
    ("early fills", Word::Inconsistent),
    ("undisclosed", Word::Inconsistent),
    ("not disclosed", Word::Inconsistent),
    ("had not disclosed", Word::Inconsistent),
    ("outside pain clinic", Word::Inconsistent),
    ("emergency departments", Word::Inconsistent),
    ("illicit", Word::Illicit),
    ("cocaine", Word::Illicit),
    ("methamphetamine", Word::Illicit),
    ("amphetamine", Word::Illicit),
    ("amphetamines", Word::Illicit),
    ("heroin", Word::Illicit),
    ("marijuana", Word::Illicit),
    ("cannabis", Word::Illicit),
    ("thc", Word::Illicit),
    ("cannabinoids", Word::Illicit),
    ("pcp", Word::Illicit),
    ("mdma", Word::Illicit),
    ("alcohol", Word::Illicit),
    ("ethanol", Word::Illicit),
    ("etoh", Word::Illicit),
    // What a report or screen raised no concern about: said with its own "no".
    ("no concerns", Word::Consistent),
    ("no concerning", Word::Consistent),
    ("no issues", Word::Consistent),
    ("no irregularities", Word::Consistent),
    ("no red flags", Word::Consistent),
    ("without concerns", Word::Consistent),
    ("inconsistencies", Word::Inconsistent),
    ("inconsistency", Word::Inconsistent),
    ("pinching", Word::Compression),
    ("pinches", Word::Compression),
    ("pinched", Word::Compression),
    ("increased uptake", Word::Lesion),
];

/// More than one source of a drug: "three different physicians", "other prescribers".
const SEVERAL: &[&str] = &[
    "other",
    "another",
    "different",
    "multiple",
    "several",
    "second",
    "outside",
    "two",
    "three",
    "two other",
    "two different",
    "three different",
    "2",
    "3",
    "4",
    "5",
];
const SOURCES: &[&str] = &[
    "prescriber",
    "prescribers",
    "physician",
    "physicians",
    "doctor",
    "doctors",
    "provider",
    "providers",
    "pharmacy",
    "pharmacies",
];

/// The result words: the table, and every source of a drug beside the treating physician.
static PHRASES: LazyLock<Vec<(String, Word)>> = LazyLock::new(|| {
    let mut phrases: Vec<(String, Word)> = WORDS.iter().map(|(w, k)| (w.to_string(), *k)).collect();
    for several in SEVERAL {
        for source in SOURCES {
            phrases.push((format!("{several} {source}"), Word::Inconsistent));
        }
    }
    phrases
});

static MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| crate::vocab::phrase_matcher(PHRASES.iter().map(|(w, _)| w)));

/// The kind of test whose result is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Study {
    Imaging,
    Electrodiagnosis,
    DrugScreen,
}

/// How far before a study its result may stand ("normal EMG", "a herniation on MRI").
const BEFORE: usize = 100;

/// "..., which was confirmed on CURES", "tumor was excluded by the MRI": the study is the
/// agent of a verdict on what was said before it, across a comma.
static VERDICT_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:confirmed|excluded|ruled out|seen|shown|noted|demonstrated|visualized|documented|corroborated|verified|evident|identified)\s+(?:on|by|per)\s+(?:[\w'/.-]+\s+){0,3}$",
    )
    .expect("static regex")
});

/// A study reported as done: "MRI showed", "an MRI that showed", "EMG on 3/4 revealed".
static REPORTED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[^,;:.]{0,50}?\b(?:showed|revealed|demonstrated|disclosed|confirmed|identified|documented|was notable for|was significant for|was read as|was interpreted as|came back|returned)\b",
    )
    .expect("static regex")
});

/// Words that keep a study ahead even when a showing verb follows ("MRI to see whether it
/// showed", "if the EMG came back").
static AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:if|to|will|would|should|ordered|requested|planned|pending|when|once|whether)\b",
    )
    .expect("static regex")
});

/// A finding seen on the study: "fracture on today's films", "confirmed by CURES".
static SEEN_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:on|by|per)\s+(?:[\w'/.-]+\s+){0,3}$").expect("static regex")
});

/// Whether a study named under a plan or a doubt ("concern for ... was ruled out by an MRI
/// that showed", "possible fracture on today's films") is reported as done: a showing verb
/// just after it, or, when only its finding is in doubt, a finding said to be on it.
pub(crate) fn done(
    text: &str,
    sentence: (usize, usize),
    (start, end): (usize, usize),
    doubted: bool,
) -> bool {
    let after = text
        .get(end..reach_after(text, sentence, end))
        .unwrap_or_default();
    if let Some(m) = REPORTED_AFTER.find(after)
        && !AHEAD.is_match(m.as_str())
    {
        return true;
    }
    let from = super::anatomy::floor_char(text, sentence.0.max(start.saturating_sub(BEFORE)));
    let lead = text.get(from..start).unwrap_or_default();
    let lead = lead
        .rfind([';', ',', ':', '(', ')'])
        .map_or(lead, |i| &lead[i + 1..]);
    doubted && SEEN_ON.is_match(lead) && !AHEAD.is_match(lead)
}

/// How far from a study its result may be said: a long unpunctuated sentence is not one
/// clause, and each study costs no more to read in it.
const REACH: usize = 300;

/// The end of what is read after a study ending at `end`: its sentence's end, or `REACH` on.
fn reach_after(text: &str, sentence: (usize, usize), end: usize) -> usize {
    super::anatomy::floor_char(text, (end + REACH).min(sentence.1.max(end)))
}

/// The result of the study at `start..end`, read after it up to `until` (the end of its
/// sentence, or the next study named there), else in the few words before it from `from`
/// (its sentence's start, or the previous study).
pub(crate) fn result(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    (from, start, end, until): (usize, usize, usize, usize),
    study: Study,
) -> Option<Found> {
    // After the study, up to the end of its clause (';' starts another).
    let until = until.min(reach_after(text, sentence, end));
    let until = text
        .get(end..until)
        .and_then(|reach| reach.find(';'))
        .map_or(until, |i| end + i);
    // The study's words are asserted in its own clause: what is said before its comma ("no
    // early refills, and CURES confirms a single prescriber") or after the reach ("..., and
    // strength was normal") is of something else; "no electrodiagnostic evidence of" is its.
    let first = super::anatomy::floor_char(text, sentence.0.max(start.saturating_sub(REACH)));
    let own = text
        .get(first..start)
        .and_then(|lead| lead.rfind([',', ';', ':']))
        .map_or(first, |i| first + i + 1);
    let after = read(text, triggers, (own, until), end, until, study);
    // Before it, only its own clause: not across ';', ',' or ':' into another finding, unless
    // the study is the agent of a verdict on what came before the comma.
    let from = super::anatomy::floor_char(text, from.max(start.saturating_sub(BEFORE)));
    let lead = &text[from..start];
    let cut = |marks: &[char]| lead.rfind(marks).map_or(from, |i| from + i + 1);
    let clause = cut(&[';', ',', ':', '(', ')']);
    let from = if VERDICT_BY.is_match(&text[clause..start]) {
        cut(&[';', ':', '(', ')'])
    } else {
        clause
    };
    let before = read(text, triggers, sentence, from, start, study);
    // The more specific result wins: "degenerative disc disease on MRI, without herniation" is
    // degenerative change, not a normal study.
    match (after, before) {
        (Some(a), Some(b)) if strength(b.result) > strength(a.result) => Some(b),
        (a, b) => a.or(b),
    }
}

/// What a study showed, and whether that rests only on a finding said to be absent ("no
/// herniation"), which a negation of the study itself may have made ("has not had an MRI to
/// look for a herniation").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub result: TestResult,
    pub by_negation: bool,
}

/// Whether a study negated from before it was not done ("has not had an MRI to look for a
/// herniation", "no EMG documenting radiculopathy"), rather than done and negative ("no MRI
/// evidence of herniation", "a negative MRI").
pub(crate) fn not_done(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    (start, end): (usize, usize),
) -> bool {
    let next = text
        .get(end..reach_after(text, sentence, end))
        .unwrap_or_default()
        .trim_start()
        .to_ascii_lowercase();
    let adjective = ["evidence", "findings", "signs"]
        .iter()
        .any(|w| next.starts_with(w));
    // "No herniation on the MRI": the study is where it was looked for.
    let lead = text.get(sentence.0..start).unwrap_or_default();
    let seen_on = SEEN_ON.is_match(lead);
    !adjective
        && !seen_on
        && negation::polarity_before(text, triggers, sentence, start, end).0 == Polarity::Negated
}

/// How much a result says, for choosing between two readings of one study.
fn strength(result: TestResult) -> u8 {
    match result {
        TestResult::RootCompression => 4,
        TestResult::Lesion | TestResult::Abnormal | TestResult::Inconsistent => 3,
        TestResult::Degenerative => 2,
        TestResult::Normal | TestResult::Consistent => 1,
    }
}

fn read(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    end: usize,
    until: usize,
    study: Study,
) -> Option<Found> {
    let reach = text.get(end..until)?;
    let bytes = text.as_bytes();
    let mut seen: Vec<(Word, Polarity)> = Vec::new();
    for m in MATCHER.find_iter(reach) {
        let (a, b) = (end + m.start(), end + m.end());
        if !crate::vocab::is_word_boundary(bytes, a, b) {
            continue;
        }
        let (phrase, word) = &PHRASES[m.pattern().as_usize()];
        let word = *word;
        // The normal words carry their own sense ("no acute", "negative"), as do those that
        // hold their own "no" or "not" ("had not been prescribed", "no concerns"): the scope
        // of that word is theirs, not a negation of the result.
        let polarity = if word == Word::Normal || says_its_own_negation(phrase) {
            Polarity::Affirmed
        } else {
            negation::polarity(text, triggers, sentence, a, b).0
        };
        // A past finding is a finding ("had been receiving opioids from an outside clinic").
        let polarity = match polarity {
            Polarity::Historical => Polarity::Affirmed,
            p => p,
        };
        seen.push((word, polarity));
    }
    let affirmed = |w: Word| seen.iter().any(|&(x, p)| x == w && p == Polarity::Affirmed);
    let negated = |w: Word| seen.iter().any(|&(x, p)| x == w && p == Polarity::Negated);
    let said = |result: TestResult| {
        Some(Found {
            result,
            by_negation: false,
        })
    };
    // Nothing found where something was looked for: "no herniation", "no illicit drugs".
    let by_negation = |result: TestResult| {
        Some(Found {
            result,
            by_negation: true,
        })
    };
    match study {
        Study::Imaging => {
            // A root said to be spared ("without nerve root impingement") is no root pressed.
            let root = seen
                .iter()
                .any(|&(w, p)| w == Word::Neural && p != Polarity::Negated);
            let sac = seen.iter().any(|&(w, _)| w == Word::Sac);
            let pressed = affirmed(Word::Compression) || affirmed(Word::Compresses);
            if (pressed && root) || (affirmed(Word::Compresses) && sac) {
                said(TestResult::RootCompression)
            } else if affirmed(Word::Lesion) {
                said(TestResult::Lesion)
            } else if affirmed(Word::Degenerative) {
                said(TestResult::Degenerative)
            } else if affirmed(Word::Normal) {
                said(TestResult::Normal)
            } else if negated(Word::Lesion)
                || negated(Word::Compression)
                || negated(Word::Compresses)
            {
                by_negation(TestResult::Normal)
            } else {
                None
            }
        }
        Study::Electrodiagnosis => {
            if affirmed(Word::Neuropathy) {
                said(TestResult::Abnormal)
            } else if affirmed(Word::Normal) {
                said(TestResult::Normal)
            } else if negated(Word::Neuropathy) {
                by_negation(TestResult::Normal)
            } else {
                None
            }
        }
        Study::DrugScreen => {
            if affirmed(Word::Inconsistent) || affirmed(Word::Illicit) {
                said(TestResult::Inconsistent)
            } else if !affirmed(Word::Consistent)
                && (misses_a_named_drug(reach) || a_named_drug_was_absent(reach))
            {
                // "Negative for tramadol": the drug the patient is said to take is not there.
                said(TestResult::Inconsistent)
            } else if affirmed(Word::Consistent) {
                said(TestResult::Consistent)
            } else if negated(Word::Illicit) || negated(Word::Inconsistent) {
                by_negation(TestResult::Consistent)
            } else {
                None
            }
        }
    }
}

/// A result phrase with its own negation word: "not prescribed", "wasn't prescribed", "no
/// concerns", "without concerns".
fn says_its_own_negation(phrase: &str) -> bool {
    phrase.contains("not ")
        || phrase.contains("n't")
        || phrase.starts_with("no ")
        || phrase.starts_with("without ")
}

/// Words that may stand between "negative for" and the drug it names.
const NAMING_WORDS: &[&str] = &[
    "the",
    "his",
    "her",
    "their",
    "any",
    "prescribed",
    "current",
    "currently",
    "expected",
];

/// "negative for tramadol", "no hydrocodone detected": a named drug the screen did not find.
fn misses_a_named_drug(reach: &str) -> bool {
    let lower = reach.to_ascii_lowercase();
    [
        "negative for ",
        "no ",
        "did not detect ",
        "did not show ",
        "did not reveal ",
        "did not find ",
        "did not contain ",
        "does not contain ",
        "failed to detect ",
        "absence of ",
        "without ",
    ]
    .iter()
    .filter_map(|w| lower.find(w).map(|i| i + w.len()))
    .any(|at| {
        let mut to = reach.len().min(at + 60);
        while !reach.is_char_boundary(to) {
            to -= 1;
        }
        let next = &reach[at..to];
        // A class ("no opioids") names what is missing only where the drug is said to be
        // prescribed; a drug's name says it by itself.
        let drugs = if lower.contains("prescribed") {
            crate::vocab::drugs::mentions_in_record(next)
        } else {
            crate::vocab::drugs::mentions(next)
        };
        // The drug just after ("negative for the prescribed oxycodone"), or named in what
        // follows ("negative for all substances, including the Norco she takes").
        drugs.first().is_some_and(|m| {
            let lead = &next[..m.start];
            lead.contains("including")
                || lead
                    .split_whitespace()
                    .all(|w| NAMING_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        })
    })
}

/// "Hydrocodone was not detected", "the prescribed tramadol was absent".
fn a_named_drug_was_absent(reach: &str) -> bool {
    crate::vocab::drugs::mentions(reach).iter().any(|m| {
        let after = reach[m.end..].trim_start().to_ascii_lowercase();
        [
            "was not detected",
            "were not detected",
            "not detected",
            "was not present",
            "was absent",
            "was negative",
            "was not found",
        ]
        .iter()
        .any(|w| after.starts_with(w))
    })
}

#[cfg(test)]
mod tests {
    use crate::extract::{FactKind, Polarity, TestResult, facts};

    /// The polarity and result of the first study or screen read in `text`.
    fn study(text: &str) -> (Polarity, Option<TestResult>) {
        let found = facts(text);
        let f = found
            .iter()
            .find(|f| matches!(f.kind, FactKind::Imaging | FactKind::UrineDrugScreen))
            .unwrap_or_else(|| panic!("no study in {text:?}: {found:#?}"));
        (f.polarity, f.result)
    }

    #[test]
    fn a_study_still_ahead_has_shown_nothing() {
        assert_eq!(
            study("A cervical MRI is planned to look for a herniated disc."),
            (Polarity::Planned, None)
        );
        assert_eq!(
            study(
                "If the nerve conduction study comes back abnormal, she will see a hand surgeon."
            ),
            (Polarity::Planned, None)
        );
    }

    #[test]
    fn a_study_not_done_has_no_result() {
        assert_eq!(
            study("She has not had a CT to look for a fracture."),
            (Polarity::Negated, None)
        );
        assert_eq!(
            study("There is no nerve conduction study documenting neuropathy."),
            (Polarity::Negated, None)
        );
        // Done, and negative.
        assert_eq!(
            study("There was no MRI evidence of a tear."),
            (Polarity::Affirmed, Some(TestResult::Normal))
        );
        assert_eq!(
            study("No fracture or dislocation on today's wrist films."),
            (Polarity::Affirmed, Some(TestResult::Normal))
        );
        assert_eq!(
            study("A negative bone scan in 2015."),
            (Polarity::Affirmed, Some(TestResult::Normal))
        );
    }

    #[test]
    fn a_study_under_a_doubt_that_reports_a_result_was_done() {
        assert_eq!(
            study("Concern for a fracture was ruled out by x-rays that showed no acute findings."),
            (Polarity::Affirmed, Some(TestResult::Normal))
        );
        assert_eq!(
            study("Possible pars defect on the oblique films.").0,
            Polarity::Affirmed
        );
    }

    #[test]
    fn a_study_that_confirms_what_came_before_it() {
        assert_eq!(
            study(
                "She gets oxycodone from other prescribers as well, which was confirmed by CURES."
            ),
            (Polarity::Affirmed, Some(TestResult::Inconsistent))
        );
        assert_eq!(
            study("A neoplasm was excluded by the bone scan."),
            (Polarity::Affirmed, Some(TestResult::Normal))
        );
    }

    #[test]
    fn a_screen_inconsistent_by_what_it_found_or_missed() {
        assert_eq!(
            study("Her last drug screen detected alprazolam that she had not been prescribed.").1,
            Some(TestResult::Inconsistent)
        );
        assert_eq!(
            study("The drug screen was negative for her prescribed tramadol.").1,
            Some(TestResult::Inconsistent)
        );
        assert_eq!(
            study("The urine screen showed no opiates though Percocet is prescribed.").1,
            Some(TestResult::Inconsistent)
        );
        assert_eq!(
            study("On the drug screen of 4/2, her buprenorphine was not detected.").1,
            Some(TestResult::Inconsistent)
        );
        assert_eq!(
            study("Her drug screen did not contain the tapentadol she is prescribed.").1,
            Some(TestResult::Inconsistent)
        );
        assert_eq!(
            study("The UDS showed her prescribed medications only.").1,
            Some(TestResult::Consistent)
        );
        assert_eq!(
            study("PDMP checked today: no concerns.").1,
            Some(TestResult::Consistent)
        );
    }

    #[test]
    fn a_root_is_pressed_only_where_it_is_said_so() {
        assert_eq!(
            study("MRI: a 3 mm bulge indenting the thecal sac, no nerve root impingement.").1,
            Some(TestResult::Degenerative)
        );
        assert_eq!(
            study("CT showed severe stenosis compressing the thecal sac at L3-4.").1,
            Some(TestResult::RootCompression)
        );
    }

    #[test]
    fn studies_named_in_other_words() {
        assert_eq!(
            study("MR imaging of the neck demonstrated a C6-7 protrusion compressing the C7 root.")
                .1,
            Some(TestResult::RootCompression)
        );
        assert_eq!(
            study("Her ulnar neuropathy was confirmed electrodiagnostically.").1,
            Some(TestResult::Abnormal)
        );
        assert_eq!(
            study("No CURES reports are in the file.").0,
            Polarity::Negated
        );
    }

    #[test]
    fn a_result_ends_where_a_clause_about_another_finding_begins() {
        assert_eq!(
            study("The CT showed mild facet arthropathy, and reflexes were normal.").1,
            Some(TestResult::Degenerative)
        );
        assert_eq!(
            study("She denies using street drugs, and her UDS is appropriate.").1,
            Some(TestResult::Consistent)
        );
    }
}
