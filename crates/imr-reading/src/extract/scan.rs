//! The extraction pass: runs each fact reader over the text, sets polarity, and ties facts to
//! their body region, treatment and count.
//!
//! Every dictionary and pattern is compiled once; one pass of each over the text, then work per
//! fact that looks only at its own sentence, so the time grows linearly with the text.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::anatomy::{self, RegionMention};
use super::lexicon::{AS_REFLEX, ENTRIES, Entry, REFLEX_MUSCLES};
use super::negation::{self, Polarity};
use super::numbers::number_word;
use super::results::{self, Study, TestResult};
use super::sections::{Section, SectionKind, section_at};
use super::sentences::{sentence_of, sentences};
use super::{
    Care, Diagnosis, Fact, FactKind, FactValue, NeurologicFinding, Response, Screen, Sex, UrVerdict,
};
use crate::request::Service;
use crate::request::{Drug, Duration, TimeUnit};
use imr_core::model::Diagnostic;

pub(crate) use crate::vocab::is_word_boundary;

static LEXICON: LazyLock<AhoCorasick> =
    LazyLock::new(|| crate::vocab::phrase_matcher(ENTRIES.iter().map(|e| e.phrase)));
/// Each lexicon entry's value, typed; `None` for an entry naming a value its kind does not have
/// (a test keeps there being none: such an entry reads nothing).
static ENTRY_VALUES: LazyLock<Vec<Option<FactValue>>> = LazyLock::new(|| {
    ENTRIES
        .iter()
        .map(|e| FactValue::parse(e.kind, e.value))
        .collect()
});

/// Short abbreviations that are facts only when written in capitals ("PT", not "pt").
const CAPITALS_ONLY: &[&str] = &[
    "pt", "tens", "ct", "uds", "hep", "esi", "ttd", "rom", "slr", "ddd", "hnp", "crps", "mva",
    "ncs", "ncv", "emg", "mri", "mris", "orif", "ot", "csi", "esis", "rtw", "aj", "kj", "silt",
    "mbb", "mbbs", "cbt", "ctr", "acdf", "br", "tfesi",
];

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

static AGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?-u:(\d{1,3}))[- ]?(?:years?|yrs?)[- ]old\b|\baged?\s*:?\s*(?-u:(\d{1,3}))\b|\b(?-u:(\d{1,3}))\s*(?:y/o|yo)\b",
    )
});
static SEX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(male|female|man|woman|gentleman|lady)\b"));
const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?-u:(\d{{1,2}}[/-]\d{{1,2}}[/-]\d{{2,4}}))\b|\b({MONTHS})\.?\s+(?-u:(\d{{1,2}})),?\s+(?-u:(\d{{4}}))\b"
    ))
});
static INJURY_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:date of injury|doi|injur(?:y|ies|ed)|occupational claim|industrial claim|claim)\b",
    )
});
static PAIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?-u:(\d{1,2}(?:\.\d)?))(?:\s*(?:-|to)\s*(?-u:(\d{1,2}(?:\.\d)?)))?\s*(?:/|out\s+of|of)\s*10\b",
    )
});
static STRENGTH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:\([a-z ]+\)\s*)?(?-u:(\d+(?:\.\d+)?))(?:\s*[/-]\s*(?-u:(\d+(?:\.\d+)?)))?\s*(mg|mcg|%)",
    )
});
static COUNT: LazyLock<Regex> = LazyLock::new(|| re(r"^[^.;#]{0,30}?#\s*(?-u:(\d{1,4}))"));
static FOR_DURATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bfor\s+(?:the\s+(?:past|last)\s+)?(?:about\s+|approximately\s+|over\s+|up\s+to\s+|at\s+most\s+|no\s+more\s+than\s+|not\s+more\s+than\s+|no\s+longer\s+than\s+)?(\w+)\s+(day|week|month|year)s?\b",
    )
});
const COUNT_WORD: &str = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|eighteen|twenty|twenty-four|thirty)(?:\s*\(\d{1,3}\))?";
static COUNT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{COUNT_WORD}\s+(?:[a-z]+\s+)?(?:visits?|sessions?|treatments?)\s+(?:of\s+)?(?:[a-z]+\s+)?$|\b{COUNT_WORD}\s+$"
    ))
});
/// "3x3 physical therapy", "physical therapy 2x4": times a week, for weeks.
static TIMES_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?-u:(\d))\s*x\s*(?-u:(\d{1,2}))\s+(?:[a-z]+\s+)?$"));
static TIMES_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?-u:(\d))\s*x\s*(?-u:(\d{1,2}))\b"));
/// "Completed 6 of 12 authorized visits", "8 of the 10 sessions", "6/6 complete": the first
/// number is what was given, wherever the phrase stands in the clause.
static PART_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^[^.]{{0,60}}?\b{COUNT_WORD}\s+(?:of|out\s+of)\s+(?:the\s+)?\d{{1,3}}\s+(?:[a-z]+\s+)?(?:visits?|sessions?|treatments?)\b|^\s*(?-u:(\d{{1,2}}))/\d{{1,2}}\s+(?:complete|completed|done|attended)\b"
    ))
});
static PART_GIVEN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{COUNT_WORD}\s+(?:of|out\s+of)\s+(?:the\s+)?\d{{1,3}}\s+(?:[a-z]+\s+){{0,2}}$"
    ))
});
/// "A 6-visit PT trial": the count joined to its unit before the treatment.
static JOINED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{COUNT_WORD}-(?:visit|session|treatment)\s+(?:[a-z]+\s+)?$"
    ))
});
/// "Two cervical epidurals", "had 36 prior physical therapy visits": a count with one word
/// between it and the treatment.
static WORD_BETWEEN_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)(?:^|[^-/\w]){COUNT_WORD}\s+(?:[a-z]+\s+)?$")));
/// "ESI L4-5 x2": levels or sides between the injection and its count.
static LEVEL_TIMES_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:bilateral|bilat|left|right|[lcts]\d(?:\s*-\s*[lcts]?\d)?)\s+){1,3}x\s*(?-u:(\d{1,2}))\b",
    )
});
/// "On her own, about 10 visits": the visits told a few words on, in the same clause.
static VISITS_LATER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^[^.;]{{0,30}}?,\s*(?:about|approximately|around|roughly|some|a\s+total\s+of)?\s*{COUNT_WORD}\s+(?:visits|sessions|treatments)\b"
    ))
});
/// "acupuncture therapy sessions lumbar spine #6".
static HASH_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"^[^.;,#]{0,32}#\s*(?-u:(\d{1,3}))\b"));
static COUNT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^\s*(?:x|times|for|,|:|\(|-)?\s*(?:a\s+total\s+of\s+)?{COUNT_WORD}\s*(?:visits?|sessions?|treatments?)\b|^\s*(?:x|times)\s*(\d{{1,3}})\b|^\s*(?:\([^)]{{1,12}}\)\s*)?(visits?|sessions?|treatments?)\b"
    ))
});
/// Pain that travels into a limb, however it is said ("pain down the left leg", "burning from
/// the buttock into the heel", "electric shocks down the leg", "leg pain", "sciatica"):
/// radiating pain.
static RADIATING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:pain|burning|aching|ache|symptoms|shocks?|jolts?|discomfort)\b[^.;]{0,40}?\b(?:down|into|to|toward|towards|extend(?:s|ing|ed)?\s+(?:to|into|down)|travel(?:s|ing|ed|ling)?\s+(?:down|into|to)|shoot(?:s|ing)?\s+(?:down|into|to)|radiat\w*\s+(?:down|into|to))\s+(?:[a-z]+\s+){0,4}?(?:legs?|arms?|foot|feet|calf|calves|thighs?|buttocks?|heels?|toes?|big toe|hands?|fingers?|forearms?|ankles?|extremit(?:y|ies))\b|\b(?:leg|arm|thigh|calf|sciatic|radicular)\s+pain\b|\bsciatica\b",
    )
});
static UR_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:utilization\s+review|UR|non-?certif\w*|claims administrator|determination|(?:was|were)\s+(?:denied|modified|approved|certified)|not\s+medically\s+necessary)\b",
    )
});
static UR_DECISION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(non-?certifi\w*|not\s+certified|not\s+medically\s+necessary|denied|denial|modified|certified|approved|authorized)\b",
    )
});
static MECHANISM_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:injur\w*|accident|mechanism|while|occurred|claim|status post being)\b")
});

/// A fact as read, and how its polarity is to be set.
type Read = (Fact, Assert);

/// How a fact's polarity is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assert {
    /// By the triggers around it.
    Scope,
    /// Already set (by its phrase, or it has none).
    Fixed,
    /// Set by its own phrase ("no better", "did nothing"), unless a condition holds it ("if no
    /// better after PT"): then it has not happened.
    Own,
    /// By the triggers before it only: a qualifier after the phrase ("EHL 4/5", "reflexes
    /// absent") already said it is a finding.
    Before,
}

/// A study named as where a finding is seen: "fracture on today's films", "per the MRI".
static SEEN_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:on|per)\s+(?:[\w']+\s+){0,2}$").expect("a valid pattern")
});

/// Words just before "return to ..." that put the return ahead: the infinitive ("is to",
/// "expected to", "plans to" return) or the future ("will return").
static RETURN_AHEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:to|will|shall)\s*$").expect("a valid pattern"));

/// Where "return" stands in the few words that lead to a work status ending at `end` ("return to
/// her usual occupation without restrictions").
fn return_before(text: &str, from: usize, end: usize) -> Option<usize> {
    let start = anatomy::floor_char(text, end.saturating_sub(70).max(from));
    let lead = text[start..end].to_ascii_lowercase();
    lead.rfind("return ").map(|i| start + i)
}

/// "Told he needs surgery", "will require a repeat MRI": a need stated just before the care.
fn needed_before(text: &str, from: usize, at: usize) -> bool {
    static NEED: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:needs|need|requires|require)\s+(?:an?\s+|the\s+|further\s+|more\s+|another\s+|repeat\s+)?(?:[a-z]+\s+)?$",
        )
    });
    let from = anatomy::floor_char(text, at.saturating_sub(40).max(from));
    NEED.is_match(&text[from..at])
}

/// What the patient feels of a nerve root: pain into a limb, numbness, tingling.
fn is_symptom(value: &FactValue) -> bool {
    matches!(
        value,
        FactValue::NeurologicFinding(
            NeurologicFinding::RadiatingPain
                | NeurologicFinding::Numbness
                | NeurologicFinding::Tingling
        )
    )
}

/// Whether the words around a symptom speak of its course, which presumes it: relief of it or
/// a change in it before ("no improvement in the arm pain", "would fix the numbness"), or a
/// verb of lasting or changing after ("the leg pain persists", "does not settle", "worsens").
/// A symptom that would come anew ("should weakness develop") is not among them.
fn course_of_symptom(text: &str, sentence: (usize, usize), start: usize, end: usize) -> bool {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:relief\s+(?:of|from|for)|improvement\s+(?:in|of)|change\s+in|worsening\s+of|fix|treat)\s+(?:the\s+|her\s+|his\s+)?(?:[a-z]+\s+){0,2}$",
        )
    });
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s+(?:[a-z]+\s+){0,4}?(?:persists?|persisted|continues?|worsens?|makes|(?:does|do|has|have)\s+not\s+(?:settle|improve|improved|resolve|resolved|subside|subsided|go\s+away|settled))\b",
        )
    });
    let from = anatomy::floor_char(text, start.saturating_sub(60).max(sentence.0));
    let mut to = (end + 60).min(sentence.1.max(end));
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    BEFORE.is_match(&text[from..start]) || AFTER.is_match(&text[end..to])
}

/// "Underwent a fusion", "s/p laminectomy": the few words before an operation say it was done.
fn done_just_before(text: &str, from: usize, at: usize) -> bool {
    static DONE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:underwent|underwent an?|had|has had|had an?|has had an?|s/p|status post|history of|prior|previous|after)\s+(?:\S+\s+){0,3}$",
        )
    });
    let from = anatomy::floor_char(text, at.saturating_sub(40).max(from));
    DONE.is_match(&text[from..at])
}

/// Kinds for which "history of" / "prior" mean something (a past treatment or condition);
/// for the others the fact is simply affirmed.
fn can_be_historical(kind: FactKind) -> bool {
    matches!(
        kind,
        FactKind::Diagnosis
            | FactKind::Treatment
            | FactKind::Surgery
            | FactKind::Medication
            | FactKind::Imaging
            | FactKind::UrineDrugScreen
            | FactKind::WorkStatus
            | FactKind::HomeExerciseProgram
    )
}

/// Kinds that take the nearest body region of their sentence.
fn takes_region(kind: FactKind) -> bool {
    matches!(
        kind,
        FactKind::Diagnosis
            | FactKind::Imaging
            | FactKind::Surgery
            | FactKind::NeurologicFinding
            | FactKind::PhysicalFinding
            | FactKind::Treatment
    )
}

/// How far a quoted clause reaches on either side of its fact.
const CLAUSE_REACH: usize = 160;

/// The clause around `start..end`: its sentence cut at ';' and at the turns "but", "however",
/// at most [`CLAUSE_REACH`] bytes on either side, on word boundaries.
fn clause_of(text: &str, sentence: (usize, usize), start: usize, end: usize) -> (usize, usize) {
    let lower = |i: usize| anatomy::floor_char(text, i);
    let mut from = lower(start.saturating_sub(CLAUSE_REACH).max(sentence.0));
    let mut to = (end + CLAUSE_REACH).min(sentence.1.max(end));
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    let marks = ["; ", " but ", " however", " although ", " whereas "];
    if let Some(i) = marks
        .iter()
        .filter_map(|m| last_in(&text[from..start], m).map(|i| from + i + m.len()))
        .max()
    {
        from = i;
    } else if from > sentence.0 {
        // Start at a word.
        from = text[from..start].find(' ').map_or(from, |i| from + i + 1);
    }
    if let Some(i) = marks
        .iter()
        .filter_map(|m| occurrences(&text[end..to], m).next().map(|i| end + i))
        .min()
    {
        to = i;
    } else if to < sentence.1 {
        to = text[end..to].rfind(' ').map_or(to, |i| end + i);
    }
    let slice = &text[from..to];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    (from + lead, (to - trail).max(from + lead))
}

/// Where `needle` occurs in a short `window`, by direct comparison: the windows a fact is read
/// in are a few hundred bytes, where setting up a substring searcher per word costs more than
/// the search (it was a tenth of the facts-and-engine bench).
pub(super) fn occurrences<'a>(
    window: &'a str,
    needle: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let (hay, pin) = (window.as_bytes(), needle.as_bytes());
    let first = pin.first().copied();
    (0..(hay.len() + 1).saturating_sub(pin.len()))
        .filter(move |&i| first.is_none_or(|b| hay[i] == b) && hay[i..].starts_with(pin))
}

/// The last place `needle` occurs in a short `window`.
fn last_in(window: &str, needle: &str) -> Option<usize> {
    let (hay, pin) = (window.as_bytes(), needle.as_bytes());
    let first = pin.first().copied();
    (0..(hay.len() + 1).saturating_sub(pin.len()))
        .rev()
        .find(|&i| first.is_none_or(|b| hay[i] == b) && hay[i..].starts_with(pin))
}

/// Kinds that name care given or to be given, which a plan orders rather than reports.
fn is_care(kind: FactKind) -> bool {
    matches!(
        kind,
        FactKind::Treatment
            | FactKind::Imaging
            | FactKind::Surgery
            | FactKind::PlannedSurgery
            | FactKind::Medication
            | FactKind::UrineDrugScreen
    )
}

/// "Continue Norco", "refill gabapentin", "taper the tramadol": care already given goes on.
fn continued(text: &str, sentence: (usize, usize), at: usize) -> bool {
    let before = text
        .get(sentence.0..at)
        .unwrap_or_default()
        .to_ascii_lowercase();
    [
        "continue",
        "refill",
        "renew",
        "resume",
        "remain on",
        "maintain",
        "taper",
        "wean",
    ]
    .iter()
    .any(|w| before.contains(w))
}

/// The sentences that report the utilization review: by their words, or by standing under a
/// UR heading.
pub(super) fn ur_sentences(
    text: &str,
    spans: &[(usize, usize)],
    sections: &[Section],
) -> Vec<(usize, usize)> {
    spans
        .iter()
        .copied()
        .filter(|&(a, b)| {
            reports_ur_reasoning(&text[a..b])
                || section_at(sections, a) == Some(SectionKind::UrNotice)
                || section_at(sections, text[a..b].len() / 2 + a) == Some(SectionKind::UrNotice)
        })
        .collect()
}

/// Fewer letters than this share of the text: not prose.
const MIN_LETTER_SHARE: f64 = 0.5;

/// Everything one pass over a text finds: its sentences, sections, the UR notice's sentences
/// and the facts.
pub(super) struct Reading {
    pub sentences: Vec<(usize, usize)>,
    pub sections: Vec<Section>,
    pub ur_sentences: Vec<(usize, usize)>,
    pub facts: Vec<Fact>,
    pub diagnostics: Vec<Diagnostic>,
}

pub(super) fn read(text: &str) -> Reading {
    let mut diagnostics = Vec::new();
    if text.trim().is_empty() {
        diagnostics.push(Diagnostic::warning(
            "text",
            "the text is empty: no facts to read",
        ));
        return Reading {
            sentences: Vec::new(),
            sections: Vec::new(),
            ur_sentences: Vec::new(),
            facts: Vec::new(),
            diagnostics,
        };
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let chars = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
    if (letters as f64) < MIN_LETTER_SHARE * chars as f64 {
        diagnostics.push(Diagnostic::warning(
            "text",
            format!(
                "the text does not look like prose ({}% letters): facts may be missing",
                letters * 100 / chars
            ),
        ));
    }
    let spans = sentences(text);
    let sections = super::sections::sections(text);
    let ur_sentences = ur_sentences(text, &spans, &sections);
    let triggers = negation::triggers(text);
    let regions = anatomy::regions(text);
    let mut facts: Vec<Read> = Vec::new();

    dictionary_facts(text, &spans, &mut facts);
    demographics(text, &mut facts);
    pain_scores(text, &mut facts);
    morphine_equivalents(text, &mut facts);
    radiating_pain(text, &mut facts);
    shared_deficits(text, &mut facts);
    limb_asleep(text, &mut facts);
    exercise_at_home(text, &mut facts);
    medications(text, &spans, &mut facts);
    for f in super::trauma::events(text, &spans) {
        facts.push((f, Assert::Scope));
    }
    signs(text, &spans, &mut facts);
    more_of_the_same(text, &mut facts);
    ur_decisions(text, &spans, &mut facts);
    for f in super::function::measures(text, &spans) {
        facts.push((f, Assert::Fixed));
    }
    // Said as an event ("has not reduced his medications"): the sentence's triggers read it.
    for f in super::function::lessened(text, &spans) {
        facts.push((f, Assert::Scope));
    }
    // A response said not to have happened ("function is unchanged") keeps its polarity.
    for f in super::response::responses(text) {
        let assert = if f.polarity == Polarity::Negated {
            Assert::Fixed
        } else {
            Assert::Scope
        };
        facts.push((f, assert));
    }
    for m in &regions {
        let mut f = Fact::new(FactValue::BodyRegion(m.region), text, m.start, m.end);
        f.laterality = m.laterality;
        f.body_region = Some(m.region);
        facts.push((f, Assert::Scope));
    }

    let mut out = Vec::with_capacity(facts.len());
    for (mut fact, assert) in facts {
        let sentence = sentence_of(&spans, fact.start).map_or((0, text.len()), |i| spans[i]);
        if assert == Assert::Own && negation::in_condition(&triggers, sentence, fact.start) {
            fact.polarity = Polarity::Planned;
        }
        if !matches!(assert, Assert::Fixed | Assert::Own) {
            let (mut p, via) = if assert == Assert::Before {
                negation::polarity_before(text, &triggers, sentence, fact.start, fact.end)
            } else {
                negation::polarity(text, &triggers, sentence, fact.start, fact.end)
            };
            let care = !matches!(fact.kind, FactKind::Diagnosis | FactKind::WorkStatus);
            let past_care = via == negation::Via::PastCare;
            // Care that stopped was given; a symptom or a status that stopped is absent now.
            if p == Polarity::Historical
                && via == negation::Via::Ended
                && !(is_care(fact.kind) || fact.kind == FactKind::HomeExerciseProgram)
            {
                p = Polarity::Negated;
            } else if p == Polarity::Historical
                && (!can_be_historical(fact.kind) || (past_care && !care))
            {
                p = Polarity::Affirmed;
            }
            if is_care(fact.kind) {
                p = negation::of_care(text, fact.end, sentence.1, p);
            }
            // "Possible fracture on today's films": the study a suspicion is seen on was done.
            if p == Polarity::Uncertain
                && fact.kind == FactKind::Imaging
                && SEEN_ON.is_match(
                    &text[anatomy::floor_char(text, fact.start.saturating_sub(30).max(sentence.0))
                        ..fact.start],
                )
            {
                p = Polarity::Affirmed;
            }
            fact.polarity = p;
        }
        // "No longer uses the TENS unit": care stopped was given.
        if matches!(
            fact.kind,
            FactKind::Treatment | FactKind::HomeExerciseProgram
        ) && fact.polarity == Polarity::Negated
            && taken_by_the_words_before(text, sentence.0, fact.start)
        {
            fact.polarity = Polarity::Affirmed;
        }
        // "If the leg pain persists", "no relief of the arm numbness": a symptom whose course
        // is doubted or denied is there now; the trigger speaks of the course.
        if is_symptom(&fact.value)
            && matches!(
                fact.polarity,
                Polarity::Negated | Polarity::Uncertain | Polarity::Planned
            )
            && course_of_symptom(text, sentence, fact.start, fact.end)
        {
            fact.polarity = Polarity::Affirmed;
        }
        // "Needs surgery", "will require an MRI": care needed is not yet given.
        if fact.polarity == Polarity::Affirmed
            && is_care(fact.kind)
            && needed_before(text, sentence.0, fact.start)
        {
            fact.polarity = Polarity::Planned;
        }
        // Care named under "Plan:" is ordered, not given, unless it is continued.
        if fact.polarity == Polarity::Affirmed
            && is_care(fact.kind)
            && section_at(&sections, fact.start) == Some(SectionKind::Plan)
            && !continued(text, sentence, fact.start)
        {
            fact.polarity = Polarity::Planned;
        }
        // A return to work ahead ("may return to regular duty", "is to return", "Plan: return
        // to modified work") is a plan, not the work status now.
        if fact.kind == FactKind::WorkStatus
            && let Some(at) = return_before(text, sentence.0, fact.end)
            && (fact.polarity == Polarity::Uncertain
                || (fact.polarity == Polarity::Affirmed
                    && (section_at(&sections, fact.start) == Some(SectionKind::Plan)
                        || RETURN_AHEAD.is_match(&text[sentence.0..at]))))
        {
            fact.polarity = Polarity::Planned;
        }
        // Who holds a plan: the patient's own stance on an operation not yet done. One the
        // patient wants is not done, though a past ("failed PT and wants surgery") reaches it,
        // unless the words just before it say it was ("wished to proceed and underwent a fusion").
        // Someone else's operation says nothing of the patient's own stance.
        if matches!(fact.kind, FactKind::Surgery | FactKind::PlannedSurgery)
            && fact.polarity != Polarity::Other
            && let Some(would) = super::function::stance(text, sentence, fact.start, fact.end)
            && (fact.polarity != Polarity::Historical
                || (would && !done_just_before(text, sentence.0, fact.start)))
        {
            if fact.polarity == Polarity::Historical {
                fact.polarity = Polarity::Planned;
            }
            let mut stance = super::function::stance_fact(&fact, would);
            stance.ur_reasoning = ur_sentences.contains(&sentence);
            out.push(stance);
            // "Would not consider surgery": the refusal settles what "consider" left open; an
            // operation the patient wants is not yet done.
            if !would {
                fact.polarity = Polarity::Negated;
            } else if fact.polarity == Polarity::Affirmed {
                fact.polarity = Polarity::Planned;
            }
        }
        if let FactValue::Surgery(procedure) = fact.value
            && matches!(fact.polarity, Polarity::Uncertain | Polarity::Planned)
        {
            fact.set_value(FactValue::PlannedSurgery(procedure));
        }
        // Candidacy ("surgical candidate") is a plan unless negated ("not a surgical candidate").
        if fact.kind == FactKind::PlannedSurgery && fact.polarity == Polarity::Affirmed {
            fact.polarity = Polarity::Planned;
        }
        fact.ur_reasoning = ur_sentences.contains(&sentence);
        fact.clause = Some(clause_of(text, sentence, fact.start, fact.end));
        // Relief that lasted only a short while was not sustained.
        if fact.value == FactValue::Response(Response::Improvement)
            && fact.polarity == Polarity::Affirmed
            && let Some((a, b)) = fact.clause
            && super::response::short_lived(&text[a..b])
        {
            fact.value = FactValue::Response(Response::TemporaryImprovement);
        }
        if (takes_region(fact.kind) || fact.kind == FactKind::PlannedSurgery)
            && let Some(m) = nearest_region(&regions, sentence, fact.start, fact.end)
        {
            fact.body_region = Some(m.region);
            fact.laterality = m.laterality;
        }
        if fact.kind == FactKind::UrineDrugScreen {
            fact.date = latest_date_after(text, sentence, fact.end);
        }
        if fact.kind == FactKind::Treatment {
            fact.number = treatment_count(text, sentence, fact.start, fact.end).map(f64::from);
        }
        if fact.kind == FactKind::Surgery {
            fact.date = date_after(text, sentence, fact.end);
            if matches!(fact.polarity, Polarity::Historical | Polarity::Affirmed) {
                // A surgery done makes the worker a post-surgical case (its own guideline class).
                let mut post = fact.clone();
                post.set_value(FactValue::Diagnosis(Diagnosis::PostSurgical));
                post.about = Some(fact.value.to_string());
                post.polarity = Polarity::Affirmed;
                out.push(post);
            }
        }
        out.push(fact);
    }
    authorizations(text, &spans, &mut out);
    out.sort_by_key(|f| (f.start, f.end));
    drop_repeated_abbreviations(text, &mut out);
    attach_results(text, &triggers, &spans, &mut out);
    link_responses(text, &mut out, &spans);
    super::response::settle(text, &triggers, &spans, &mut out);
    Reading {
        sentences: spans,
        sections,
        ur_sentences,
        facts: out,
        diagnostics,
    }
}

/// Red flags and aberrant behaviour named by their signs, where no phrase of the dictionary
/// already named them (for a behaviour: in its sentence).
fn signs(text: &str, spans: &[(usize, usize)], facts: &mut Vec<Read>) {
    for (f, _) in facts.iter_mut() {
        if f.kind == FactKind::AberrantBehavior
            && let Some(start) = super::signs::asked_for(text, f.start)
        {
            f.start = start;
            f.text = text[start..f.end].to_string();
        }
    }
    let named = |facts: &[Read], f: &Fact| {
        let sentence = sentence_of(spans, f.start);
        facts.iter().any(|(g, _)| {
            g.value == f.value
                && ((g.start < f.end && f.start < g.end)
                    || (f.kind == FactKind::AberrantBehavior
                        && sentence_of(spans, g.start) == sentence))
        })
    };
    for (mut fact, polarity) in super::signs::progression(text) {
        if !named(facts, &fact) {
            let assert = polarity.map_or(Assert::Scope, |p| {
                fact.polarity = p;
                Assert::Fixed
            });
            facts.push((fact, assert));
        }
    }
    // A function said to be normal replaces the red flag its name gave.
    for fact in super::signs::continence(text) {
        facts.retain(|(g, _)| !(g.value == fact.value && g.start < fact.end && fact.start < g.end));
        facts.push((fact, Assert::Fixed));
    }
    let misuse = super::signs::misuse(text);
    for fact in misuse.into_iter().chain(super::signs::wasting(text)) {
        if !named(facts, &fact) {
            facts.push((fact, Assert::Scope));
        }
    }
}

fn dictionary_facts(text: &str, spans: &[(usize, usize)], facts: &mut Vec<Read>) {
    let bytes = text.as_bytes();
    // Whether a sentence tells the injury, asked once per sentence, not once per word in it.
    let mut tells_injury: Option<((usize, usize), bool)> = None;
    for m in LEXICON.find_iter(text) {
        if !is_word_boundary(bytes, m.start(), m.end()) {
            continue;
        }
        let mut entry: &Entry = &ENTRIES[m.pattern().as_usize()];
        let Some(mut value) = ENTRY_VALUES[m.pattern().as_usize()].as_ref() else {
            continue;
        };
        if REFLEX_MUSCLES.contains(&entry.phrase) && graded_as_reflex(text, m.end()) {
            entry = &AS_REFLEX;
            value = &REFLEX_VALUE;
        }
        let written = &text[m.start()..m.end()];
        // "PT" is therapy, "Pt has not had ..." the patient: every letter a capital (a plural's
        // "s" aside: "MRIs").
        if CAPITALS_ONLY.contains(&entry.phrase)
            && !written
                .strip_suffix('s')
                .unwrap_or(written)
                .bytes()
                .all(|b| !b.is_ascii_lowercase())
        {
            continue;
        }
        // "Showers without help", "needs help with dressing": assistance, not a response.
        // "Her husband helps her dress": a person's help, not a treatment's.
        let helps = ["helps", "helped", "helping"].contains(&entry.phrase);
        if (entry.phrase == "help" && is_assistance(text, m.start(), m.end()))
            || (helps && someone_helps(text, m.start()))
        {
            continue;
        }
        let sentence = sentence_of(spans, m.start()).map_or((0, text.len()), |i| spans[i]);
        // Common words ("fell", "lifting") name a mechanism only where the injury is told.
        let plain_word = !entry.phrase.contains(' ') && !CAPITALS_ONLY.contains(&entry.phrase);
        if entry.kind == FactKind::Mechanism
            && plain_word
            && !["punched", "assaulted"].contains(&entry.phrase)
        {
            let told = match tells_injury {
                Some((s, told)) if s == sentence => told,
                _ => MECHANISM_CUE.is_match(&text[sentence.0..sentence.1]),
            };
            tells_injury = Some((sentence, told));
            if !told {
                continue;
            }
        }
        if entry.kind == FactKind::Surgery
            && !names_an_operation(text, sentence, m.start(), m.end())
        {
            continue;
        }
        if *value == FactValue::Treatment(Care::AnyInjection)
            && into_a_joint(text, sentence, m.end())
        {
            value = &JOINT_INJECTION;
        }
        let mut fact = Fact::new(value.clone(), text, m.start(), m.end());
        let mut assert = Assert::Scope;
        if let Some(p) = entry.polarity {
            fact.polarity = p;
            assert = Assert::Own;
        }
        if let Some(q) = entry.qualifier {
            match qualify(text, sentence, m.start(), m.end(), q.affirm, q.deny) {
                Some(Qualified::Affirmed) if q.settles => assert = Assert::Fixed,
                Some(Qualified::Affirmed) => assert = Assert::Before,
                Some(Qualified::Denied) => {
                    fact.polarity = Polarity::Negated;
                    assert = Assert::Fixed;
                }
                Some(Qualified::Unsure) => {
                    fact.polarity = Polarity::Uncertain;
                    assert = Assert::Fixed;
                }
                None => continue,
            }
        }
        // A return to duty, or restrictions lifted, is a change: fewer work restrictions.
        // "Work restrictions" or "with restrictions" is a state, not a change.
        let eased = ["fewer", "decreased", "reduction in", "reduced"]
            .iter()
            .any(|w| entry.phrase.starts_with(w))
            || ["lifted", "reduced"]
                .iter()
                .any(|w| entry.phrase.ends_with(w));
        let returned = ["return", "rtw", "back to", "released to", "went back"]
            .iter()
            .any(|w| entry.phrase.starts_with(w));
        if entry.kind == FactKind::WorkStatus && (eased || returned) {
            fact.direction = Some(super::Direction::Improved);
        }
        facts.push((fact, assert));
    }
}

/// Whether a word for an operation names one here: not a heading ("Surgery: wants to
/// proceed with a fusion" names a topic) and not a release from care, to work or of papers
/// ("a full release", "release to regular duty", "a release of medical records").
fn names_an_operation(text: &str, sentence: (usize, usize), start: usize, end: usize) -> bool {
    let heading = text[sentence.0..start].trim().is_empty() && text[end..].starts_with(':');
    if heading {
        return false;
    }
    if !text[start..end].eq_ignore_ascii_case("release") {
        return true;
    }
    let from = anatomy::floor_char(text, start.saturating_sub(12).max(sentence.0));
    let before = text[from..start].to_ascii_lowercase();
    let mut to = (end + 24).min(sentence.1.max(end));
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let after = text[end..to].to_ascii_lowercase();
    let of_care = ["full ", "medical ", "work ", "duty "]
        .iter()
        .any(|w| before.ends_with(w));
    // "A release of medical records", "of information", "of liability": a document.
    let of_papers = after.starts_with(" of ")
        && ["information", "records", "medical", "liability", "claim"]
            .iter()
            .any(|w| after[4..].trim_start_matches("the ").starts_with(w));
    !of_care && !of_papers && !after.starts_with(" to ") && !after.starts_with(" from ")
}

static JOINT_INJECTION: FactValue = FactValue::Treatment(Care::Service(Service::JointInjection));

/// "Injections into the left knee", "an injection to the shoulder": an injection named by the
/// joint it goes into, after it.
fn into_a_joint(text: &str, sentence: (usize, usize), end: usize) -> bool {
    static INTO: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s+(?:in|into|to|of)\s+(?:the\s+|his\s+|her\s+)?(?:(?:left|right|bilateral)\s+)?(?:knee|shoulder|hip|ankle|elbow|wrist|si\s+joint|sacroiliac\s+joint|ac\s+joint|joint)s?\b",
        )
    });
    let mut to = (end + 40).min(sentence.1.max(end));
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    INTO.is_match(&text[end..to])
}

static REFLEX_VALUE: FactValue = FactValue::NeurologicFinding(NeurologicFinding::DecreasedReflexes);

/// Whether the first grade after a muscle's name (across a list of names: "biceps/triceps 2+")
/// is a reflex grade ("2+", "1/4", "0") rather than a strength grade ("4/5").
fn graded_as_reflex(text: &str, end: usize) -> bool {
    static GRADE: LazyLock<Regex> = LazyLock::new(|| {
        re(r"^[a-zA-Z/ ,]{0,30}?(?:(\d[+-]?\s*/\s*5\b)|(\d\s*\+|\b\d\s*/\s*4\b|\b0\b))")
    });
    let mut to = (end + 40).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    GRADE
        .captures(&text[end..to])
        .is_some_and(|c| c.get(2).is_some())
}

/// What the qualifier word nearest a phrase says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualified {
    Affirmed,
    Denied,
    /// Neither: "SLR equivocal", "questionable Spurling's".
    Unsure,
}

/// Words that leave a qualified finding open: neither found nor ruled out.
const UNSURE: &[&str] = &["equivocal", "questionable", "borderline", "indeterminate"];

/// Looks for a qualifier word near the phrase, in its sentence (the nearest wins); `None` when
/// none is said (then the phrase is no finding).
fn qualify(
    text: &str,
    sentence: (usize, usize),
    start: usize,
    end: usize,
    affirm: &[&str],
    deny: &[&str],
) -> Option<Qualified> {
    let from = anatomy::floor_char(text, start.saturating_sub(40).max(sentence.0));
    let mut to = (end + 50).min(sentence.1);
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    let window = text[from..to].to_ascii_lowercase();
    let phrase_at = start - from;
    let found = |words: &[&str]| -> Option<usize> {
        words
            .iter()
            .filter_map(|w| {
                occurrences(&window, w).find(|&i| {
                    let b = window.as_bytes();
                    let end = i + w.len();
                    let word_start = i == 0
                        || !b[i - 1].is_ascii_alphanumeric()
                        || !w.as_bytes()[0].is_ascii_alphanumeric();
                    let word_end = end >= b.len()
                        || !b[end].is_ascii_alphanumeric()
                        || !w.as_bytes()[w.len() - 1].is_ascii_alphanumeric();
                    // "Weakened from 5/5 to 4/5": the grade before the change no longer holds.
                    let former =
                        window[..i].ends_with("from ") && window[end..].starts_with(" to ");
                    word_start && word_end && !former
                })
            })
            .map(|i| i.abs_diff(phrase_at))
            .min()
    };
    [
        (found(UNSURE), Qualified::Unsure),
        (found(affirm), Qualified::Affirmed),
        (found(deny), Qualified::Denied),
    ]
    .into_iter()
    .filter_map(|(at, q)| at.map(|d| (d, q)))
    .min_by_key(|&(d, _)| d)
    .map(|(_, q)| q)
}

fn demographics(text: &str, facts: &mut Vec<Read>) {
    if let Some(c) = AGE.captures(text) {
        let m = c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
        let years = (1..=3)
            .find_map(|i| c.get(i))
            .and_then(|g| g.as_str().parse::<u32>().ok());
        if let Some(years) = years.filter(|y| (14..=110).contains(y)) {
            let mut f = Fact::new(FactValue::Age(years), text, m.0, m.1);
            f.number = Some(f64::from(years));
            facts.push((f, Assert::Fixed));
        }
    }
    if let Some(m) = SEX.find(text) {
        let value = match m.as_str().to_ascii_lowercase().as_str() {
            "male" | "man" | "gentleman" => Sex::Male,
            _ => Sex::Female,
        };
        facts.push((
            Fact::new(FactValue::Sex(value), text, m.start(), m.end()),
            Assert::Fixed,
        ));
    }
    // The date of injury: the first date within a short reach after an injury cue.
    for cue in INJURY_CUE.find_iter(text) {
        let mut to = (cue.end() + 90).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let reach = &text[cue.end()..to];
        let reach = reach.split(['.', ';']).next().unwrap_or(reach);
        if let Some(c) = DATE.captures(reach)
            && let Some(date) = date_of(&c)
            && let Some(m) = c.get(0)
        {
            let (a, b) = (cue.end() + m.start(), cue.end() + m.end());
            let mut f = Fact::new(FactValue::DateOfInjury(date), text, a, b);
            f.date = Some(date);
            facts.push((f, Assert::Fixed));
            break;
        }
    }
}

/// A date within a few words after `end` in the sentence ("arthroscopy on 01/05/2016").
fn date_after(text: &str, sentence: (usize, usize), end: usize) -> Option<jiff::civil::Date> {
    let mut to = (end + 40).min(sentence.1.max(end));
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let c = DATE.captures(text.get(end..to)?)?;
    date_of(&c)
}

/// The latest of the dates listed just after a test ("screens in 03/2016, 06/2016 and 10/2016"):
/// the last one done is what an interval runs from. A month and year alone stand for the middle
/// of the month, the nearest day to any the record could mean.
fn latest_date_after(
    text: &str,
    sentence: (usize, usize),
    end: usize,
) -> Option<jiff::civil::Date> {
    static MONTH_YEAR: LazyLock<Regex> =
        LazyLock::new(|| re(r"\b(?-u:(0?[1-9]|1[0-2])/(\d{4}))\b"));
    let to = anatomy::floor_char(text, (end + 60).min(sentence.1.max(end)));
    let after = text.get(end..to)?;
    let full = DATE.captures_iter(after).filter_map(|c| date_of(&c));
    let months = MONTH_YEAR.captures_iter(after).filter_map(|c| {
        // Not the day and year of a full date ("10/05/2016").
        let start = c.get(0)?.start();
        if after[..start].ends_with('/') {
            return None;
        }
        let month: i8 = c.get(1)?.as_str().parse().ok()?;
        let year: i16 = c.get(2)?.as_str().parse().ok()?;
        jiff::civil::Date::new(year, month, 15).ok()
    });
    full.chain(months).max()
}

fn date_of(c: &regex::Captures<'_>) -> Option<jiff::civil::Date> {
    if let Some(us) = c.get(1) {
        return imr_core::text::parse_us_date(us.as_str(), None);
    }
    let month_name = c.get(2)?.as_str().to_ascii_lowercase();
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| month_name.starts_with(m))? as i8
        + 1;
    let day: i8 = c.get(3)?.as_str().parse().ok()?;
    let year: i16 = c.get(4)?.as_str().parse().ok()?;
    jiff::civil::Date::new(year, month, day).ok()
}

/// "About 90 mg morphine equivalent a day", "MED 120 mg/day", "a morphine equivalent dose of
/// 60": the daily opioid dose as the record states it.
fn morphine_equivalents(text: &str, facts: &mut Vec<Read>) {
    static MED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(\d{1,4}(?:\.\d+)?)\s*(?:mg\s*)?(?:/\s*(?:day|d)\s*)?(?:of\s+)?(?:oral\s+)?(?:morphine[- ]equivalents?(?:\s+(?:daily\s+)?dose)?|morphine[- ]milligram[- ]equivalents?|(?-i:MEDD?|MME))\b|\b(?:(?-i:MEDD?|MME)|morphine[- ](?:milligram[- ])?equivalents?(?:\s+(?:daily\s+)?dose)?)\s*(?:of|is|was|=|:|at)?\s*(?:about|approximately|approx\.?|~)?\s*(\d{1,4}(?:\.\d+)?)",
        )
        .expect("a valid pattern")
    });
    for c in MED.captures_iter(text) {
        let (Some(m), Some(number)) = (c.get(0), c.get(1).or_else(|| c.get(2))) else {
            continue;
        };
        let Some(value) = FactValue::parse(FactKind::MorphineEquivalentDose, number.as_str())
        else {
            continue;
        };
        let mut f = Fact::new(value, text, m.start(), m.end());
        f.number = number.as_str().parse().ok();
        facts.push((f, Assert::Scope));
    }
}

/// Pain into a limb in free words ([`RADIATING`]). A long phrase spans its first word ("pain" of
/// "pain and numbness down the arm"), so that the findings inside it stay findings of their
/// own; "leg pain" spans itself. A phrase that turns between the pain and the limb ("pain is
/// axial, with no radiation to the legs") is left to the words inside it; the search goes on
/// after its first word ("back pain but no pain into the legs").
fn radiating_pain(text: &str, facts: &mut Vec<Read>) {
    static TURN: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)\b(?:no|not|without|denies|radiat\w*|but|however)\b"));
    let mut at = 0;
    while at <= text.len() {
        let Some(m) = RADIATING.find_at(text, at) else {
            break;
        };
        let first = m.as_str().find(char::is_whitespace);
        let turns = first.is_some_and(|i| TURN.is_match(&m.as_str()[i..]));
        if turns {
            at = m.start() + first.unwrap_or(m.len());
            continue;
        }
        let end = match first {
            Some(first) if m.len() > 20 => m.start() + first,
            _ => m.end(),
        };
        let value = FactValue::NeurologicFinding(NeurologicFinding::RadiatingPain);
        facts.push((Fact::new(value, text, m.start(), end), Assert::Scope));
        at = m.end();
    }
}

/// "No motor or sensory deficit": modifiers joined before one head noun each name a deficit.
/// (The dictionary may read the last with its head as well: the same finding twice.)
fn shared_deficits(text: &str, facts: &mut Vec<Read>) {
    static JOINED: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b((?:(?:motor|sensory|reflex)\s*(?:,|/|,?\s+or|,?\s+and|,?\s+nor)\s*){1,2}(?:motor|sensory|reflex))\s+(?:deficits?|loss|changes?|abnormalit(?:y|ies))\b",
        )
    });
    static MODIFIER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(motor|sensory|reflex)\b"));
    // A look for the words' tails (any case of their first letter) spares most texts the scan.
    if !["otor", "ensory", "eflex"].iter().any(|w| text.contains(w)) {
        return;
    }
    for c in JOINED.captures_iter(text) {
        let Some(lead) = c.get(1) else { continue };
        for m in MODIFIER.find_iter(lead.as_str()) {
            let deficit = match m.as_str().to_ascii_lowercase().as_str() {
                "motor" => NeurologicFinding::Weakness,
                "sensory" => NeurologicFinding::DecreasedSensation,
                _ => NeurologicFinding::DecreasedReflexes,
            };
            let (a, b) = (lead.start() + m.start(), lead.start() + m.end());
            let fact = Fact::new(FactValue::NeurologicFinding(deficit), text, a, b);
            facts.push((fact, Assert::Scope));
        }
    }
}

/// "Acupuncture: 12 sessions to date. Provider requests 6 additional sessions.", "had one ESI
/// and is scheduled for another next week": more sessions of the treatment named last before
/// them (within a short reach), or another one, are that treatment again, read where they are
/// said, with their own assertion and count.
fn more_of_the_same(text: &str, facts: &mut Vec<Read>) {
    static MORE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:(additional|more|further)\s+(?:sessions|visits|treatments)\b|(another)(?:\s+(?:one|session|injection|round|course|visit|series|trial|block))?(?:\s+(?:next|in|on|at|this|soon|today|tomorrow|when|if|after)\b|\s*[.,;]|\s*$))",
        )
    });
    const REACH: usize = 200;
    if !["dditional", "ore ", "urther", "nother"]
        .iter()
        .any(|w| text.contains(w))
    {
        return;
    }
    let mut named: Vec<&Fact> = facts
        .iter()
        .map(|(f, _)| f)
        .filter(|f| f.kind == FactKind::Treatment)
        .collect();
    if named.is_empty() {
        return;
    }
    named.sort_by_key(|f| f.end);
    let mut again = Vec::new();
    for c in MORE.captures_iter(text) {
        let (Some(all), Some(word)) = (c.get(0), c.get(1).or_else(|| c.get(2))) else {
            continue;
        };
        // The treatment may follow ("more sessions of PT"): then it is named already.
        let k = named.partition_point(|f| f.end <= all.start());
        let next_named = named.get(k).is_some_and(|f| f.start < all.end() + 20);
        let Some(last) = k.checked_sub(1).map(|i| named[i]) else {
            continue;
        };
        if next_named || all.start() - last.end > REACH {
            continue;
        }
        let mut f = Fact::new(last.value.clone(), text, word.start(), word.end());
        f.about = last.about.clone();
        again.push((f, Assert::Scope));
    }
    facts.extend(again);
}

/// "Her left foot 'falls asleep'", "the hand goes to sleep": numbness, in the patient's words.
fn limb_asleep(text: &str, facts: &mut Vec<Read>) {
    static ASLEEP: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)\b(?:hands?|feet|foot|legs?|arms?|fingers?|toes?)\s+['"]?((?:falls?|fell|falling|goes|go|going|went)\s+(?:asleep|to\s+sleep))\b"#,
        )
    });
    if !text.contains("sleep") {
        return;
    }
    for c in ASLEEP.captures_iter(text) {
        let Some(m) = c.get(1) else { continue };
        let value = FactValue::NeurologicFinding(NeurologicFinding::Numbness);
        facts.push((Fact::new(value, text, m.start(), m.end()), Assert::Scope));
    }
}

/// "The stretching routine she does at home", "exercises daily at home": a home program,
/// however the exercise and the home are worded apart.
fn exercise_at_home(text: &str, facts: &mut Vec<Read>) {
    static AT_HOME: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(?:exercis\w*|stretch\w*|strengthening)\b[^.;:]{0,40}?\bat home\b")
    });
    if !text.contains("t home") {
        return;
    }
    for m in AT_HOME.find_iter(text) {
        let word = m.as_str().find(char::is_whitespace).unwrap_or(m.len());
        let fact = Fact::new(
            FactValue::HomeExerciseProgram,
            text,
            m.start(),
            m.start() + word,
        );
        facts.push((fact, Assert::Scope));
    }
}

fn pain_scores(text: &str, facts: &mut Vec<Read>) {
    let bytes = text.as_bytes();
    for c in PAIN.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        // "3/10/2016" is a date, "5/10-" a ratio in a list: not scores.
        if matches!(bytes.get(m.end()), Some(b'/' | b'-'))
            || (m.start() > 0 && bytes[m.start() - 1] == b'/')
        {
            continue;
        }
        let low: Option<f64> = c.get(1).and_then(|v| v.as_str().parse().ok());
        let high: Option<f64> = c.get(2).and_then(|v| v.as_str().parse().ok());
        let Some(low) = low else { continue };
        let top = high.unwrap_or(low);
        if top > 10.0 || low > 10.0 {
            continue;
        }
        let value = FactValue::PainScore { low, high: top };
        let mut f = Fact::new(value, text, m.start(), m.end());
        f.number = Some(top);
        facts.push((f, Assert::Scope));
    }
}

fn medications(text: &str, spans: &[(usize, usize)], facts: &mut Vec<Read>) {
    for m in super::drugs::mentions_in_record(text) {
        let sentence = sentence_of(spans, m.start).map_or((0, text.len()), |i| spans[i]);
        let rest = &text[m.end..sentence.1.max(m.end)];
        let mut end = m.end;
        let mut drug = Drug {
            name: m.name().to_string(),
            generic: Some(m.generic().to_string()),
            ..Drug::default()
        };
        if let Some(c) = STRENGTH.captures(rest) {
            let unit = c.get(3).map_or("", |u| u.as_str()).to_ascii_lowercase();
            let a = c.get(1).map_or("", |v| v.as_str());
            let value = match c.get(2) {
                Some(b) => format!("{a}/{}", b.as_str()),
                None => a.to_string(),
            };
            drug.strength = Some(if unit == "%" {
                format!("{value}%")
            } else {
                format!("{value} {unit}")
            });
            drug.strength_mg = match unit.as_str() {
                "mg" => a.parse().ok(),
                "mcg" => a.parse::<f64>().ok().map(|v| v / 1000.0),
                _ => None,
            };
            end = m.end + c.get(0).map_or(0, |g| g.end());
        }
        let after = &text[end..sentence.1.max(end)];
        if let Some(c) = COUNT.captures(after)
            && !after[..c.get(0).map_or(0, |g| g.start())].contains(',')
        {
            drug.count = c.get(1).and_then(|v| v.as_str().parse().ok());
            end += c.get(0).map_or(0, |g| g.end());
        }
        let mut f = Fact::new(
            FactValue::Medication(m.name().to_string()),
            text,
            m.start,
            end,
        );
        f.about = Some(m.class_in_record(text).to_string());
        // How long it is taken is said in the drug's clause, not anywhere later in the sentence.
        let tail_end = anatomy::floor_char(text, (end + CLAUSE_REACH).min(sentence.1.max(end)));
        let tail = &text[end..tail_end];
        if let Some(c) = FOR_DURATION.captures(tail)
            && let Some(n) = c.get(1).and_then(|w| number_word(w.as_str()))
        {
            let unit = c.get(2).map_or("", |u| u.as_str()).to_ascii_lowercase();
            f.duration = Some(match unit.as_str() {
                "day" => Duration {
                    amount: n,
                    amount_min: None,
                    unit: TimeUnit::Day,
                },
                "week" => Duration {
                    amount: n,
                    amount_min: None,
                    unit: TimeUnit::Week,
                },
                "year" => Duration {
                    amount: n.saturating_mul(12),
                    amount_min: None,
                    unit: TimeUnit::Month,
                },
                _ => Duration {
                    amount: n,
                    amount_min: None,
                    unit: TimeUnit::Month,
                },
            });
        }
        f.drug = Some(drug);
        // "Negative for the prescribed oxycodone": the screen's result does not reach the drug,
        // which the words before it say the patient is given.
        let assert = if taken_by_the_words_before(text, sentence.0, m.start) {
            Assert::Fixed
        } else {
            Assert::Scope
        };
        facts.push((f, assert));
    }
}

/// Words just before a drug (or other care) that say the patient takes or took it, whatever
/// the sentence's triggers say of the rest: "negative for the prescribed oxycodone", "taper him off the Norco",
/// "early refill of Norco", "no longer requires opioid medication", "taking his wife's Vicodin".
fn taken_by_the_words_before(text: &str, from: usize, at: usize) -> bool {
    static TAKEN: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)(?:\b(?:the|his|her|their|currently)\s+prescribed|\b(?:taper|tapered|tapering|wean|weaned|weaning)\s+(?:him\s+|her\s+|them\s+)?off(?:\s+of)?|\brefills?\s+of|\bno\s+longer\s+(?:takes|taking|requires|required|needs|needed|uses|using|on|attends|attending|does|doing|receives|receiving|goes\s+to)|\b(?:taking|took|takes|using|used)\s+(?:his|her)\s+[a-z]+'s)\s+(?:the\s+|his\s+|her\s+)?$",
        )
    });
    let from = anatomy::floor_char(text, at.saturating_sub(50).max(from));
    TAKEN.is_match(&text[from..at])
}

fn ur_decisions(text: &str, spans: &[(usize, usize)], facts: &mut Vec<Read>) {
    for &(a, b) in spans {
        let sentence = &text[a..b];
        if !UR_CUE.is_match(sentence) {
            continue;
        }
        let Some(m) = UR_DECISION.find(sentence) else {
            continue;
        };
        let word = m.as_str().to_ascii_lowercase();
        let value = if word.starts_with("non") || word.starts_with("not") || word.starts_with("den")
        {
            UrVerdict::Denied
        } else if word == "modified" {
            UrVerdict::Modified
        } else {
            UrVerdict::Certified
        };
        let mut f = Fact::new(
            FactValue::UrDecision(value),
            text,
            a + m.start(),
            a + m.end(),
        );
        // The decision's date: the first after the decision word, else the last before it.
        let dates: Vec<_> = DATE.captures_iter(sentence).collect();
        let after = dates
            .iter()
            .find(|c| c.get(0).is_some_and(|d| d.start() >= m.end()));
        let before = dates
            .iter()
            .rev()
            .find(|c| c.get(0).is_some_and(|d| d.end() <= m.start()));
        f.date = after.or(before).and_then(|c| date_of(c));
        facts.push((f, Assert::Fixed));
    }
}

/// The region named closest to the fact in its sentence: after it within 60 bytes ("MRI of the
/// lumbar spine"), else before it within 40 ("lumbar spine tenderness").
fn nearest_region(
    regions: &[RegionMention],
    sentence: (usize, usize),
    start: usize,
    end: usize,
) -> Option<RegionMention> {
    let i = regions.partition_point(|r| r.start < end);
    // Only the regions of the fact's own sentence are looked at, so the work stays linear.
    let after = regions[i..]
        .iter()
        .take_while(|r| r.start < sentence.1)
        .find(|r| r.start.saturating_sub(end) <= 60)
        .copied();
    let before = regions[..i]
        .iter()
        .rev()
        .take_while(|r| r.start >= sentence.0)
        .find(|r| r.end <= start && start - r.end <= 40)
        .copied();
    match (after, before) {
        (Some(a), Some(b)) => Some(if a.start - end <= start - b.end { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn treatment_count(text: &str, sentence: (usize, usize), start: usize, end: usize) -> Option<u32> {
    let from = anatomy::floor_char(text, start.saturating_sub(45).max(sentence.0));
    let before = &text[from..start];
    let mut to = (end + 45).min(sentence.1.max(end));
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let after = &text[end..to];
    let product = |c: regex::Captures<'_>| -> Option<u32> {
        let a: u32 = c.get(1)?.as_str().parse().ok()?;
        let b: u32 = c.get(2)?.as_str().parse().ok()?;
        Some(a * b)
    };
    let first = |c: regex::Captures<'_>| -> Option<u32> {
        c.get(1)
            .or_else(|| c.get(2))
            .and_then(|w| number_word(w.as_str()))
    };
    let clause_after = &text[end..sentence.1.max(end)];
    // Each pattern runs only where its telling characters are (the reader reads many
    // treatments; a capture costs more than a look for a byte).
    let near_after =
        &clause_after[..anatomy::floor_char(clause_after, clause_after.len().min(100))];
    if before.contains(" of ")
        && let Some(n) = PART_GIVEN_BEFORE.captures(before).and_then(first)
    {
        return Some(n);
    }
    if (near_after.contains(" of ") || near_after.contains('/'))
        && let Some(n) = PART_GIVEN.captures(near_after).and_then(first)
    {
        return Some(n);
    }
    if before.contains('-')
        && let Some(n) = JOINED_BEFORE.captures(before).and_then(first)
    {
        return Some(n);
    }
    if let Some(n) = TIMES_BEFORE.captures(before).and_then(product) {
        return Some(n);
    }
    if after.bytes().any(|b| b == b'x' || b == b'X')
        && let Some(n) = LEVEL_TIMES_AFTER.captures(after).and_then(first)
    {
        return Some(n);
    }
    if let Some(n) = TIMES_AFTER.captures(after).and_then(product) {
        return Some(n);
    }
    if let Some(c) = COUNT_BEFORE.captures(before) {
        let word = c.get(1).or_else(|| c.get(2))?;
        let is_bare = c.get(2).is_some();
        if !is_bare {
            return number_word(word.as_str());
        }
        // "12 PT sessions": a bare number before needs the unit after.
        let after = &text[end..sentence.1.max(end)];
        if COUNT_AFTER
            .captures(after)
            .is_some_and(|a| a.get(3).is_some())
        {
            return number_word(word.as_str());
        }
    }
    if let Some(c) = COUNT_AFTER.captures(after)
        && let Some(n) = c
            .get(1)
            .or_else(|| c.get(2))
            .and_then(|w| number_word(w.as_str()))
    {
        return Some(n);
    }
    // A count with a word between: an injection is its own unit ("two cervical epidurals",
    // "one ESI"); other care needs its unit after ("36 prior physical therapy visits").
    let named = &text[start..end];
    let injection = ["injection", "epidural", "esi", "block"].iter().any(|w| {
        named
            .as_bytes()
            .windows(w.len())
            .any(|b| b.eq_ignore_ascii_case(w.as_bytes()))
    });
    if (injection
        || COUNT_AFTER
            .captures(clause_after)
            .is_some_and(|a| a.get(3).is_some()))
        && let Some(n) = WORD_BETWEEN_BEFORE.captures(before).and_then(first)
    {
        return Some(n);
    }
    if after.contains(',')
        && let Some(n) = VISITS_LATER.captures(after).and_then(first)
    {
        return Some(n);
    }
    if let Some(n) = HASH_AFTER
        .captures(after)
        .and_then(|c| c.get(1))
        .and_then(|w| w.as_str().parse().ok())
    {
        return Some(n);
    }
    // "physical therapy three times per week for two weeks": the request reader's schedule.
    crate::request::schedule_quantity(after)
}

/// Each study and screen takes the result words of its own clause: after it up to the next
/// study of its sentence, else just before it.
fn attach_results(
    text: &str,
    triggers: &[negation::Trigger],
    spans: &[(usize, usize)],
    facts: &mut [Fact],
) {
    let study = |f: &Fact| match f.kind {
        FactKind::Imaging if f.value == FactValue::Imaging(Service::EmgNcv) => {
            Some(Study::Electrodiagnosis)
        }
        FactKind::Imaging => Some(Study::Imaging),
        FactKind::UrineDrugScreen => Some(Study::DrugScreen),
        _ => None,
    };
    let studies: Vec<(usize, usize, usize)> = facts
        .iter()
        .enumerate()
        .filter(|(_, f)| study(f).is_some())
        .map(|(i, f)| (i, f.start, f.end))
        .collect();
    for (k, &(i, start, end)) in studies.iter().enumerate() {
        let Some(kind) = study(&facts[i]) else {
            continue;
        };
        let sentence = sentence_of(spans, start).map_or((0, text.len()), |s| spans[s]);
        let next = studies
            .get(k + 1)
            .map_or(sentence.1, |n| n.1.clamp(end, sentence.1.max(end)));
        let previous = k
            .checked_sub(1)
            .map_or(sentence.0, |p| studies[p].2.clamp(sentence.0, start));
        let next = next.min(another_clause(text, facts, end, next));
        let mut found = results::result(
            text,
            triggers,
            sentence,
            (previous, start, end, next.max(end)),
            kind,
        );
        let fact = &mut facts[i];
        // A study under a plan or a doubt was done when it is reported so ("ruled out by an MRI
        // that showed ..."); else it is still ahead and has shown nothing ("EMG requested to
        // tell a radiculopathy from an entrapment", "if the EMG comes back negative").
        if matches!(fact.polarity, Polarity::Planned | Polarity::Uncertain) {
            let doubted = fact.polarity == Polarity::Uncertain;
            if results::done(text, sentence, (start, end), doubted) {
                fact.polarity = Polarity::Affirmed;
            } else {
                found = None;
            }
        }
        // "The MRI was negative", "x-rays were unremarkable": a result says the study was done;
        // the words negate what it looked for, not the study. But a study not done, and what it
        // would have looked for, are negated by one "no" ("no EMG documenting radiculopathy").
        if let Some(f) = found
            && fact.polarity == Polarity::Negated
        {
            if f.by_negation && results::not_done(text, triggers, sentence, (start, end)) {
                found = None;
            } else {
                fact.polarity = Polarity::Affirmed;
            }
        }
        let found = found.map(|f| f.result);
        fact.result = found;
        if fact.kind == FactKind::UrineDrugScreen
            && fact.value != FactValue::UrineDrugScreen(Screen::Cures)
        {
            fact.value = FactValue::UrineDrugScreen(match found {
                Some(TestResult::Consistent) => Screen::Consistent,
                Some(TestResult::Inconsistent) => Screen::Inconsistent,
                _ => Screen::Performed,
            });
        }
    }
    // "Nerve conduction velocities and needle EMG were unremarkable", "EMG/NCV: no
    // electrodiagnostic evidence of ...": studies of one kind named together share the result
    // said after the last of them.
    for w in studies.windows(2).rev() {
        let ((i, _, end), (j, start, _)) = (w[0], w[1]);
        let joined = text
            .get(end..start)
            .is_some_and(|gap| gap.len() <= 40 && !gap.contains(['.', ';']));
        if joined
            && facts[i].result.is_none()
            && facts[i].kind == facts[j].kind
            && facts[i].value == facts[j].value
            && facts[i].polarity == facts[j].polarity
            && facts[j].kind == FactKind::Imaging
        {
            facts[i].result = facts[j].result;
        }
    }
}

/// Where a study's result words end before `until`: at ", and" opening a clause about another
/// finding ("the MRI showed only mild desiccation, and strength and sensation were normal").
fn another_clause(text: &str, facts: &[Fact], end: usize, until: usize) -> usize {
    let from = facts.partition_point(|f| f.start < end);
    facts[from..]
        .iter()
        .take_while(|f| f.start < until)
        .find(|f| {
            matches!(
                f.kind,
                FactKind::NeurologicFinding
                    | FactKind::PhysicalFinding
                    | FactKind::WorkStatus
                    | FactKind::Treatment
                    | FactKind::Function
                    | FactKind::PainScore
            ) && text[end..f.start].rfind(',').is_some_and(|i| {
                let gap = text[end + i + 1..f.start].trim().to_ascii_lowercase();
                let gap = gap.strip_prefix("and").map(str::trim_start);
                gap.is_some_and(|g| ["", "the", "his", "her", "their"].contains(&g))
            })
        })
        .map_or(until, |f| f.start)
}

/// A response is about the nearest treatment or medication of its sentence.
fn link_responses(text: &str, facts: &mut [Fact], spans: &[(usize, usize)]) {
    let anchors: Vec<(usize, usize, usize, String)> = facts
        .iter()
        .filter(|f| matches!(f.kind, FactKind::Treatment | FactKind::Medication))
        .map(|f| {
            let s = sentence_of(spans, f.start).unwrap_or(usize::MAX);
            let value = if f.kind == FactKind::Medication {
                "medication".to_string()
            } else {
                f.value.to_string()
            };
            (s, f.start, f.end, value)
        })
        .collect();
    // Where a clause ends, found once: asking the text between a response and each treatment
    // of a long sentence cost the cube of its length.
    let clause_ends = clause_ends(text);
    let longest_anchor = anchors.iter().map(|a| a.2 - a.1).max().unwrap_or(0);
    for f in facts.iter_mut().filter(|f| f.kind == FactKind::Response) {
        let s = sentence_of(spans, f.start).unwrap_or(usize::MAX - 1);
        // The anchors are in text order: those of this sentence are one run.
        let from = anchors.partition_point(|a| a.0 < s);
        let to = anchors.partition_point(|a| a.0 <= s);
        let anchors = &anchors[from..to];
        // "improved function due to acupuncture": the cause named after the response wins.
        let cause = anchors.iter().find(|a| {
            a.0 == s && a.1 >= f.end && a.1 - f.end <= 16 && {
                let gap = text
                    .get(f.end..a.1)
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                ["due to", "with", "from", "after", "following", "of", "to"]
                    .iter()
                    .any(|w| {
                        gap == *w
                            || gap
                                .strip_prefix(w)
                                .is_some_and(|r| r.trim() == "the" || r.trim() == "prior")
                    })
            }
        });
        let gap = |a: &&(usize, usize, usize, String)| {
            if a.2 <= f.start {
                (a.2, f.start)
            } else {
                (f.end, a.1.max(f.end))
            }
        };
        // "An injection with two weeks of relief, and has taken naproxen": the treatment of the
        // response's own clause, before a nearer one across a clause's end.
        let across_a_clause = |a: &&(usize, usize, usize, String)| {
            let (x, y) = gap(a);
            let first = clause_ends.partition_point(|&(at, _)| at < x);
            clause_ends[first..]
                .iter()
                .take_while(|&&(at, _)| at < y)
                .any(|&(at, len)| at + len <= y)
        };
        // The nearest treatment on either side, in its clause first. Farther ones on a side are
        // never nearer nor in a nearer clause, so only the first after the response and those
        // before it that could still end nearest are weighed (in text order, as ties go).
        let nearest = || {
            let after = anchors.partition_point(|a| a.1 < f.start);
            let mut before = after;
            let mut nearest_end: Option<usize> = None;
            while before > 0 {
                let a = &anchors[before - 1];
                if nearest_end.is_some_and(|e| a.1 + longest_anchor < e) {
                    break;
                }
                if a.2 <= f.start {
                    nearest_end = nearest_end.max(Some(a.2));
                }
                before -= 1;
            }
            anchors[before..(after + 1).min(anchors.len())]
                .iter()
                .filter(|a| a.0 == s)
                .min_by_key(|a| (across_a_clause(a), gap(a).1 - gap(a).0))
        };
        f.about = cause.or_else(nearest).map(|a| a.3.clone());
    }
}

/// Every place a clause ends (";", ", and ", ", but ", " but "), with the mark's length, in
/// text order.
fn clause_ends(text: &str) -> Vec<(usize, usize)> {
    static MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::new([";", ", and ", ", but ", " but "]).expect("the marks build a matcher")
    });
    let mut ends: Vec<(usize, usize)> = MARKS
        .find_overlapping_iter(text)
        .map(|m| (m.start(), m.len()))
        .collect();
    ends.sort_unstable();
    ends
}

/// "physical therapy (PT)": the abbreviation in parentheses repeats the fact before it; and a
/// fact inside the span of another of its kind ("Mobic" in "Meloxicam (Mobic) 7.5mg") is part
/// of it.
fn drop_repeated_abbreviations(text: &str, facts: &mut Vec<Fact>) {
    let bytes = text.as_bytes();
    let mut keep = vec![true; facts.len()];
    for i in 1..facts.len() {
        let inside =
            facts[..i].iter().rev().take(4).any(|o| {
                o.kind == facts[i].kind && o.start <= facts[i].start && facts[i].end <= o.end
            });
        if inside {
            keep[i] = false;
            continue;
        }
        let (prev, cur) = (&facts[i - 1], &facts[i]);
        let in_parens =
            cur.start > 0 && bytes[cur.start - 1] == b'(' && bytes.get(cur.end) == Some(&b')');
        // "EMG-NCS", "EMG/NCV": one study.
        let joined = matches!(text.get(prev.end..cur.start), Some("-" | "/"));
        if (in_parens || joined)
            && cur.kind == prev.kind
            && cur.value == prev.value
            && cur.start.saturating_sub(prev.end) <= 3
        {
            keep[i] = false;
        }
    }
    let mut k = keep.into_iter();
    facts.retain(|_| k.next().unwrap_or(true));
}

/// A sentence that reports the utilization review's decision or its reasons ("the request was
/// denied as there is no evidence of ...", "UR non-certified the request"): what the reviewer
/// of the first level thought, not a finding of the record.
static UR_REASONING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?i:utilization review|peer review(?:er)?|non-?certifi(?:ed|cation)|not certified|(?:was|were|is|are|been) non-?certified|(?:denial|modification) (?:was|of)|prior review(?:er)?|the reviewer|adverse determination|per the review(?:er)?|claims administrator)\b|\bUR\b|\b(?i:denied|non-?certified|modified):",
    )
});

/// "Was denied" or "were modified" is UR's only of a request ("the request for therapy was
/// modified"); "her work tasks were modified" is a finding.
static UR_VERDICT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?i:(?:was|were|is|are|been) (?:denied|modified))\b"));
static REQUEST_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?i:requests?|requested|authori[sz]ation|authori[sz]ed|rfa|certif\w*|approv\w*)\b")
});

pub(super) fn reports_ur_reasoning(sentence: &str) -> bool {
    UR_REASONING.is_match(sentence)
        || (UR_VERDICT.is_match(sentence) && REQUEST_WORD.is_match(sentence))
}

/// Every date the text states, in order (dates of visits, of injury, of studies).
pub(super) fn dates(text: &str) -> Vec<jiff::civil::Date> {
    DATE.captures_iter(text)
        .filter_map(|c| date_of(&c))
        .collect()
}

/// Care called authorized, certified or approved in a sentence that says it is not used up.
static AUTHORIZED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:authori[sz]ed|certified|approved)\b"));
static NOT_USED_UP: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:not\s+yet\s+(?:been\s+)?(?:used|started|begun|scheduled|attended|done|completed|received)",
        r"|has(?:n't|\s+not)\s+(?:yet\s+)?(?:started|begun|used|attended|been\s+scheduled)",
        r"|yet\s+to\s+(?:start|begin|attend|be\s+(?:used|scheduled|done))",
        r"|so\s+far|midway|in\s+progress|ongoing|remaining|still\s+has)\b"
    ))
});
/// "6 of 12 authorized visits": fewer given than granted.
static PART_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?-u:(\d{1,3}))\s+of\s+(?:the\s+|her\s+|his\s+)?(?-u:(\d{1,3}))\s+(?:authori[sz]ed|certified|approved)\b",
    )
});

fn authorizations(text: &str, spans: &[(usize, usize)], facts: &mut Vec<Fact>) {
    // Whether a sentence grants care not yet used up, read once per sentence.
    let grants = |i: usize| {
        let sentence = &text[spans[i].0..spans[i].1];
        let part_left = PART_OF.captures_iter(sentence).any(|c| {
            let n = |k: usize| c.get(k).and_then(|m| m.as_str().parse::<u32>().ok());
            matches!((n(1), n(2)), (Some(a), Some(b)) if a < b)
        });
        AUTHORIZED.is_match(sentence) && (NOT_USED_UP.is_match(sentence) || part_left)
    };
    let mut last: Option<(usize, bool)> = None;
    let mut found = Vec::new();
    for f in facts.iter() {
        let FactValue::Treatment(care) = f.value else {
            continue;
        };
        let Some(i) = sentence_of(spans, f.start) else {
            continue;
        };
        let granted = match last {
            Some((j, granted)) if j == i => granted,
            _ => grants(i),
        };
        last = Some((i, granted));
        if granted {
            let mut a = f.clone();
            a.set_value(FactValue::Authorization(care));
            a.polarity = Polarity::Affirmed;
            found.push(a);
        }
    }
    facts.extend(found);
}

/// A person named just before "helps" ("his wife helps with bathing").
fn someone_helps(text: &str, start: usize) -> bool {
    let from = anatomy::floor_char(text, start.saturating_sub(40));
    super::function::helped_by_someone(&text[from..start].to_ascii_lowercase())
}

/// "help" as assistance given to the patient rather than a treatment's effect.
fn is_assistance(text: &str, start: usize, end: usize) -> bool {
    // A few words either side, so a long text costs no more per match.
    let from = anatomy::floor_char(text, start.saturating_sub(24));
    let mut to = (end + 24).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let before = text[from..start].trim_end().to_ascii_lowercase();
    let after = text[end..to].trim_start().to_ascii_lowercase();
    // "Tried without help", "tried cyclobenzaprine without help": a trial that did not help;
    // "walks without help", assistance.
    let tried = before.ends_with("without") && {
        let from = anatomy::floor_char(text, start.saturating_sub(48));
        let clause = text[from..start].to_ascii_lowercase();
        let clause = clause.rsplit([',', ';', '.']).next().unwrap_or_default();
        clause
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| ["tried", "trialed", "taken", "used", "attempted", "given"].contains(&w))
    };
    // "Without her husband's help": someone's help.
    let someones = before
        .rsplit(' ')
        .next()
        .is_some_and(|w| w.ends_with("'s") || w.ends_with("s'"));
    if tried {
        return false;
    }
    someones
        || [
            "without", "needs", "need", "needed", "requires", "required", "with", "for", "some",
        ]
        .iter()
        .any(|w| before.ends_with(w))
        || ["with", "from", "of"].iter().any(|w| {
            after
                .strip_prefix(w)
                .is_some_and(|r| r.starts_with(|c: char| !c.is_alphanumeric()))
        })
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::extract::FactKind;

    /// The count of each treatment read, in order.
    fn counts(text: &str) -> Vec<(String, Option<f64>)> {
        read(text)
            .facts
            .iter()
            .filter(|f| f.kind == FactKind::Treatment)
            .map(|f| (f.value.to_string(), f.number))
            .collect()
    }

    /// A count of care however it is put: part of what was granted, joined to its unit, a word
    /// between, levels between, a few words on, or more of the same said later.
    #[test]
    fn treatment_counts_in_other_words() {
        let cases: &[(&str, &str, f64)] = &[
            (
                "She attended 5 of 8 approved chiropractic visits.",
                "chiropractic",
                5.0,
            ),
            ("Acupuncture, 4 of the 6 sessions done.", "acupuncture", 4.0),
            ("Chiropractic 3/3 completed.", "chiropractic", 3.0),
            ("Plan: an 8-session acupuncture trial.", "acupuncture", 8.0),
            (
                "Three lumbar epidurals since 2014.",
                "epidural_steroid_injection",
                3.0,
            ),
            (
                "He had 20 earlier acupuncture sessions.",
                "acupuncture",
                20.0,
            ),
            (
                "Facet injection bilat L4-5 x3 last year.",
                "facet_injection",
                3.0,
            ),
            (
                "Massage at a spa, roughly 5 visits, no benefit.",
                "massage",
                5.0,
            ),
        ];
        for (text, value, n) in cases {
            let read = counts(text);
            assert!(
                read.iter().any(|(v, c)| v == value && *c == Some(*n)),
                "{text}: {read:?}"
            );
        }
        let more = counts("Chiropractic: 6 visits to date. Two more visits are requested.");
        assert_eq!(
            more,
            vec![
                ("chiropractic".to_string(), Some(6.0)),
                ("chiropractic".to_string(), Some(2.0))
            ]
        );
    }

    /// A spinal level is no count of injections.
    #[test]
    fn a_level_is_no_count() {
        assert_eq!(
            counts("Right L4-5 ESI helped."),
            vec![("epidural_steroid_injection".to_string(), None)]
        );
    }
}
