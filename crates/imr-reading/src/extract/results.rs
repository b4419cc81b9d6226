//! What a test showed: the result words of a study's own clause, attached to the study.
//!
//! A study is a finding only with its result: an MRI that "showed no herniation" does not
//! corroborate a radiculopathy, a drug screen "positive for methamphetamine" is not monitoring
//! that went well. The result is read from the words after the study up to the end of its
//! sentence or the next study named, each result word asserted by the same scopes as any fact
//! ("no herniation" is a negated lesion), and the strongest affirmed one wins.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
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
    /// Compresses, impinges, abuts ... (needs a neural structure in the clause).
    Compression,
    /// Root, nerve, cord, thecal sac: what is compressed.
    Neural,
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
    ("compress", Word::Compression),
    ("compresses", Word::Compression),
    ("compressing", Word::Compression),
    ("compression", Word::Compression),
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
    ("root", Word::Neural),
    ("roots", Word::Neural),
    ("nerve", Word::Neural),
    ("nerves", Word::Neural),
    ("cord", Word::Neural),
    ("thecal sac", Word::Neural),
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
    ("another prescriber", Word::Inconsistent),
    ("other prescribers", Word::Inconsistent),
    ("second prescriber", Word::Inconsistent),
    ("multiple prescribers", Word::Inconsistent),
    ("different prescriber", Word::Inconsistent),
    ("early refill", Word::Inconsistent),
    ("early refills", Word::Inconsistent),
    ("early fills", Word::Inconsistent),
    ("undisclosed", Word::Inconsistent),
    ("not disclosed", Word::Inconsistent),
    ("had not disclosed", Word::Inconsistent),
    ("not been prescribed", Word::Inconsistent),
    ("outside pain clinic", Word::Inconsistent),
    ("outside prescriber", Word::Inconsistent),
    ("another provider", Word::Inconsistent),
    ("other providers", Word::Inconsistent),
    ("different pharmacies", Word::Inconsistent),
    ("multiple pharmacies", Word::Inconsistent),
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
];

static MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| crate::vocab::phrase_matcher(WORDS.iter().map(|(w, _)| *w)));

/// The kind of test whose result is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Study {
    Imaging,
    Electrodiagnosis,
    DrugScreen,
}

/// How far before a study its result may stand ("normal EMG", "a herniation on MRI").
const BEFORE: usize = 100;

/// The result of the study at `start..end`, read after it up to `until` (the end of its
/// sentence, or the next study named there), else in the few words before it from `from`
/// (its sentence's start, or the previous study).
pub(crate) fn result(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    (from, start, end, until): (usize, usize, usize, usize),
    study: Study,
) -> Option<TestResult> {
    // After the study, up to the end of its clause (';' starts another).
    let until = text
        .get(end..until)
        .and_then(|reach| reach.find(';'))
        .map_or(until, |i| end + i);
    let after = read(text, triggers, sentence, end, until, study);
    // Before it, only its own clause: not across ';', ',' or ':' into another finding.
    let from = super::anatomy::floor_char(text, from.max(start.saturating_sub(BEFORE)));
    let lead = &text[from..start];
    let from = lead
        .rfind([';', ',', ':', '(', ')'])
        .map_or(from, |i| from + i + 1);
    let before = read(text, triggers, sentence, from, start, study);
    // The more specific result wins: "degenerative disc disease on MRI, without herniation" is
    // degenerative change, not a normal study.
    match (after, before) {
        (Some(a), Some(b)) if strength(b) > strength(a) => Some(b),
        (a, b) => a.or(b),
    }
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
) -> Option<TestResult> {
    let reach = text.get(end..until)?;
    let bytes = text.as_bytes();
    let mut seen: Vec<(Word, Polarity)> = Vec::new();
    for m in MATCHER.find_iter(reach) {
        let (a, b) = (end + m.start(), end + m.end());
        if !crate::vocab::is_word_boundary(bytes, a, b) {
            continue;
        }
        let word = WORDS[m.pattern().as_usize()].1;
        // The normal words carry their own sense ("no acute", "negative"): the scope of a
        // "no" before them is theirs, not a negation of normality.
        let polarity = if word == Word::Normal {
            Polarity::Affirmed
        } else {
            negation::polarity(text, triggers, sentence, a, b).0
        };
        seen.push((word, polarity));
    }
    let affirmed = |w: Word| seen.iter().any(|&(x, p)| x == w && p == Polarity::Affirmed);
    let negated = |w: Word| seen.iter().any(|&(x, p)| x == w && p == Polarity::Negated);
    match study {
        Study::Imaging => {
            if affirmed(Word::Compression) && seen.iter().any(|&(w, _)| w == Word::Neural) {
                Some(TestResult::RootCompression)
            } else if affirmed(Word::Lesion) {
                Some(TestResult::Lesion)
            } else if affirmed(Word::Degenerative) {
                Some(TestResult::Degenerative)
            } else if affirmed(Word::Normal) || negated(Word::Lesion) || negated(Word::Compression)
            {
                Some(TestResult::Normal)
            } else {
                None
            }
        }
        Study::Electrodiagnosis => {
            if affirmed(Word::Neuropathy) {
                Some(TestResult::Abnormal)
            } else if affirmed(Word::Normal) || negated(Word::Neuropathy) {
                Some(TestResult::Normal)
            } else {
                None
            }
        }
        Study::DrugScreen => {
            if affirmed(Word::Inconsistent) || affirmed(Word::Illicit) {
                Some(TestResult::Inconsistent)
            } else if !affirmed(Word::Consistent) && misses_a_named_drug(reach) {
                // "Negative for tramadol": the drug the patient is said to take is not there.
                Some(TestResult::Inconsistent)
            } else if affirmed(Word::Consistent)
                || negated(Word::Illicit)
                || negated(Word::Inconsistent)
            {
                Some(TestResult::Consistent)
            } else {
                None
            }
        }
    }
}

/// "negative for tramadol", "no hydrocodone detected": a named drug the screen did not find.
fn misses_a_named_drug(reach: &str) -> bool {
    let lower = reach.to_ascii_lowercase();
    [
        "negative for ",
        "no ",
        "did not detect ",
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
        // The drug just after, or named in what follows ("negative for all substances,
        // including the Norco she takes").
        crate::vocab::drugs::mentions(next)
            .first()
            .is_some_and(|m| m.start <= 4 || next[..m.start].contains("including"))
    })
}
