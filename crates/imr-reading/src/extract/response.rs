//! Responses to treatment said without a response word: a pain score that falls ("pain 7->4",
//! "8/10 without medications and 4/10 with them"), a verb of relief with its symptom ("reduced
//! her headaches", "takes the edge off"), a share ("about 50% better"); and relief that did not
//! last ("only 2 days of relief", "helps for a day or two"), which is improvement that was not
//! sustained. Function in general words ("his function is better", "no change in function").
//!
//! Once every fact has its polarity, [`settle`] keeps only the responses that happened and are
//! responses: not a hope or a guideline's requirement, not "worse at night", not a specific gain
//! ("helped her sleep"), which is a function.

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, FactValue, Polarity, Response};

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

/// A verb of relief with its symptom ("eased her neck pain"), a share of relief, or the symptom
/// said to be better, gone or less ("the tingling in her hands is less bothersome").
static RELIEF: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:(?:reduced|reduces|decreased|decreases|lessened|lessens|eased|eases|relieved|relieves|cut|cuts|lowered|lowers)",
        r"\s+(?:(?:her|his|their|the|its)\s+)?(?:[a-z]+\s+)?(?:pain|symptoms|headaches?|numbness|tingling|spasms?|discomfort)",
        r"|takes?\s+the\s+edge\s+off",
        r"|(?:pain|symptoms|numbness|tingling|headaches?)\s+(?:has\s+|have\s+)?resolved",
        r"|(?:pain|symptoms|numbness|tingling|headaches?|spasms?|paresthesias?|burning|discomfort)(?:\s+[a-z]+){0,3}?",
        r"\s+(?:is|are|has|have|was|were)\s+(?:(?:been|now|much|a\s+lot|a\s+little|a\s+bit|somewhat|slightly|mildly|significantly|considerably|markedly)\s+)*",
        r"(?:resolved|gone|subsided|better|milder|lessened|eased|less\s+(?:bothersome|severe|intense|frequent|constant))",
        r"|(?:feels?|feeling|doing)\s+(?:(?:much|a\s+lot|somewhat|a\s+little)\s+)?better",
        r"|(?:decrease|reduction)\s+in\s+(?:(?:her|his|the)\s+)?(?:[a-z]+\s+){0,2}?(?:pain|symptoms)",
        r"|(?-u:\d{1,3})\s*%\s*(?:better|improved|improvement|relief|reduction|less\s+pain))\b"
    ))
});

/// A symptom that stayed as it was: "pain has remained 7/10 despite the medications", "the
/// symptoms remain the same". Like "no change", a response only with its treatment named.
static STILL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:pain|symptoms)(?:\s+(?:level|levels|score|scores))?\s+(?:has\s+|have\s+)?(?:remained|remains|stayed|stays)\s+(?:at\s+|about\s+|essentially\s+)?(?:(?-u:\d{1,2})/10|the\s+same|unchanged|constant)",
    )
});

/// Words after a symptom that name a medication or a service, not the symptom: "reduced her
/// pain medication" is less medication, not relief.
const NOT_THE_SYMPTOM: &[&str] = &[
    "medication",
    "medications",
    "meds",
    "medicine",
    "pills",
    "management",
    "specialist",
    "clinic",
    "contract",
    "agreement",
    "psychology",
    "pump",
    "measures",
    "options",
    "modalities",
    "techniques",
    "strategies",
    "methods",
];

/// Function in general words, and which way it went: "his function is better", "function is
/// unchanged", "her function has declined", "better ADLs", "no change in function". A specific
/// gain ("walks a mile") is a function measure, read in `function.rs`.
const FUNCTION_WORDS: &str = r"(?:function|functioning|functional\s+(?:status|level|capacity|abilit(?:y|ies))|activity\s+level|activity\s+tolerance|adls|activities\s+of\s+daily\s+living|daily\s+activities)";
static FUNCTION_CHANGED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{FUNCTION_WORDS}(?:\s+[a-z]+){{0,2}}?\s+(?:is|are|has|have|was|were|remains|remained)\s+(?:(?:been|now|much|somewhat|slightly|significantly|markedly|essentially)\s+)*(better|improved|improving|increased|unchanged|the\s+same|no\s+better|declined|worse|worsened|deteriorated|decreased)\b|\b(better|improved|increased|greater)\s+{FUNCTION_WORDS}\b|\b(no\s+change|no\s+improvement|(?:a\s+)?decline|deterioration|(?:a\s+)?decrease)\s+in\s+(?:(?:her|his|their|overall)\s+)?{FUNCTION_WORDS}\b"
    ))
});

/// More pain: "an increase in low back pain", "increased radicular pain", and its absence said
/// as one ("no increase in pain").
static MORE_PAIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(no\s+(?:further\s+)?)?(?:increase\s+in|increased|increasing)\s+(?:(?:her|his|the)\s+)?(?:[a-z]+\s+){0,2}?(?:pain|symptoms)\b",
    )
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
        r"|\bfor\s+a\s+(?:day|week)\s+or\s+two\b",
        // "Any improvement is short-lived", "the injections help but wear off".
        r"|\b(?:short[- ]lived|wore\s+off|wears?\s+off|wearing\s+off)\b"
    ))
});

/// Response facts of `text` that no response word states. A response said not to have
/// happened ("function is unchanged") comes negated.
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
    for m in RELIEF.find_iter(text) {
        if names_a_medication_after(&text[m.end()..]) {
            continue;
        }
        let mut f = improvement(m);
        // "0% relief" is none.
        let share = m.as_str().split_once('%').map(|(n, _)| n.trim());
        if share.is_some_and(|n| n.parse::<u32>() == Ok(0)) {
            f.polarity = Polarity::Negated;
        }
        out.push(f);
    }
    for m in STILL.find_iter(text) {
        let mut f = improvement(m);
        f.polarity = Polarity::Negated;
        out.push(f);
    }
    out.extend(function_changes(text));
    for c in MORE_PAIN.captures_iter(text) {
        let Some(whole) = c
            .get(0)
            .filter(|m| !names_a_medication_after(&text[m.end()..]))
        else {
            continue;
        };
        let mut f = Fact::new(
            FactValue::Response(Response::Worsening),
            text,
            whole.start(),
            whole.end(),
        );
        if c.get(1).is_some() {
            f.polarity = Polarity::Negated;
        }
        out.push(f);
    }
    out
}

/// "His function is better" (functional improvement), "function is unchanged" (none, so
/// negated), "her function has declined" (worsening).
fn function_changes(text: &str) -> impl Iterator<Item = Fact> + '_ {
    FUNCTION_CHANGED.captures_iter(text).filter_map(move |c| {
        let whole = c.get(0)?;
        if of_an_organ(text, whole.start()) {
            return None;
        }
        let word = (1..=3)
            .find_map(|i| c.get(i))?
            .as_str()
            .to_ascii_lowercase();
        let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
        let (value, polarity) = match word.as_str() {
            "unchanged" | "the same" | "no better" | "no change" | "no improvement" => {
                (Response::FunctionalImprovement, Polarity::Negated)
            }
            "declined" | "worse" | "worsened" | "deteriorated" | "decreased" | "decline"
            | "a decline" | "deterioration" | "decrease" | "a decrease" => {
                (Response::Worsening, Polarity::Affirmed)
            }
            _ => (Response::FunctionalImprovement, Polarity::Affirmed),
        };
        let mut f = Fact::new(FactValue::Response(value), text, whole.start(), whole.end());
        f.polarity = polarity;
        Some(f)
    })
}

/// "Bladder function", "renal function": an organ's function, not the worker's.
fn of_an_organ(text: &str, start: usize) -> bool {
    const ORGANS: &[&str] = &[
        "bowel",
        "bladder",
        "renal",
        "kidney",
        "liver",
        "hepatic",
        "thyroid",
        "sexual",
        "cognitive",
        "pulmonary",
        "lung",
        "cardiac",
        "heart",
        "motor",
        "sensory",
        "nerve",
    ];
    let from = super::anatomy::floor_char(text, start.saturating_sub(12));
    let before = text[from..start].to_ascii_lowercase();
    before
        .split(|c: char| !c.is_ascii_alphabetic())
        .rev()
        .find(|w| !w.is_empty())
        .is_some_and(|w| ORGANS.contains(&w))
}

/// True when the words just after a symptom name a medication or a service for it.
fn names_a_medication_after(rest: &str) -> bool {
    let next = rest
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    rest.starts_with(' ') && NOT_THE_SYMPTOM.contains(&next.as_str())
}

/// Settles the responses of a reading once every fact has its polarity and its treatment:
/// - a response hoped for, planned or conditional ("an EMG would help", "if no better,
///   consider ...") has not happened;
/// - "no change" is a response only of a symptom, with the treatment named in its sentence
///   ("pain is unchanged with the medications"; "no change in his Norco dose" is none);
/// - "worse at night", "aggravated by sitting" tell when a symptom is worse, not its course,
///   and "for the acute flare" is why a drug is given;
/// - a response that names the activity it changed ("helped her sleep", "sleep has gotten
///   worse") is that activity's measure, read as a function.
pub(super) fn settle(
    text: &str,
    triggers: &[super::negation::Trigger],
    spans: &[(usize, usize)],
    facts: &mut Vec<Fact>,
) {
    let mut keep = vec![true; facts.len()];
    for (i, f) in facts.iter().enumerate() {
        if f.kind != super::FactKind::Response {
            continue;
        }
        let sentence =
            super::sentences::sentence_of(spans, f.start).map_or((0, text.len()), |s| spans[s]);
        keep[i] = !(inside_another(facts, i)
            || said_of_nothing_that_acts(f)
            || names_care_or_a_task(text, f)
            || not_yet(text, triggers, sentence, f)
            || required_or_sought(text, sentence, f)
            || unchanged_without_cause(text, sentence, f)
            || worse_when_not_since(text, f)
            || (f.polarity == Polarity::Affirmed && names_its_activity(text, sentence, facts, i)));
    }
    let mut k = keep.into_iter();
    facts.retain(|_| k.next().unwrap_or(true));
}

/// A response inside the span of another ("improved" in "her function has improved"): read
/// once, as the longer.
fn inside_another(facts: &[Fact], i: usize) -> bool {
    let f = &facts[i];
    facts[i.saturating_sub(4)..(i + 5).min(facts.len())]
        .iter()
        .enumerate()
        .any(|(k, o)| {
            k + i.saturating_sub(4) != i
                && o.kind == f.kind
                && o.start <= f.start
                && f.end <= o.end
                && (o.start, o.end) != (f.start, f.end)
        })
}

/// Words that are a response only when said of a treatment in their sentence: "effective 1/1"
/// is a date, "no response from the adjuster" a letter unanswered.
fn said_of_nothing_that_acts(f: &Fact) -> bool {
    const OF_A_TREATMENT: &[&str] = &[
        "effective",
        "efficacy",
        "no response",
        "did not respond",
        "has not responded",
        "have not responded",
        "not responded",
        "failed to respond",
        "unresponsive",
        "responded to",
        "respond to",
        "responds to",
        "responding to",
    ];
    f.about.is_none() && OF_A_TREATMENT.contains(&f.text.to_ascii_lowercase().as_str())
}

/// "Pain relief measures", "pain relief medication": a kind of care, not relief; "help clarify",
/// "please help us obtain the records": a task, not a treatment's effect.
fn names_care_or_a_task(text: &str, f: &Fact) -> bool {
    const TASKS: &[&str] = &[
        "clarify",
        "determine",
        "guide",
        "decide",
        "establish",
        "confirm",
        "identify",
        "evaluate",
        "assess",
        "diagnose",
        "obtain",
        "us",
        "me",
    ];
    let word = f.text.to_ascii_lowercase();
    let next = text[f.end..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(|c: char| !c.is_ascii_alphabetic())
        .to_ascii_lowercase();
    (word.contains("relief") && names_a_medication_after(&text[f.end..]))
        || (word.starts_with("help") && TASKS.contains(&next.as_str()))
}

/// Hoped for, planned or conditional: by its own polarity, or, for a response that states its
/// own ("no better"), by the words before it ("if no better").
fn not_yet(
    text: &str,
    triggers: &[super::negation::Trigger],
    sentence: (usize, usize),
    f: &Fact,
) -> bool {
    let ahead = |p: Polarity| matches!(p, Polarity::Uncertain | Polarity::Planned);
    ahead(f.polarity)
        || purpose_or_expectation(text, f)
        || (f.polarity == Polarity::Negated
            && ahead(super::negation::polarity(text, triggers, sentence, f.start, f.end).0))
}

/// "Expected to improve", "the goal is to improve function", "likely to benefit": the verb
/// after "to" is what is sought; "continues to improve" and "failed to help" report.
fn purpose_or_expectation(text: &str, f: &Fact) -> bool {
    let word = f.text.to_ascii_lowercase();
    if ![
        "improve",
        "help",
        "benefit",
        "respond to",
        "make a difference",
    ]
    .contains(&word.as_str())
    {
        return false;
    }
    let from = super::anatomy::floor_char(text, f.start.saturating_sub(24));
    let before = text[from..f.start].to_ascii_lowercase();
    let mut words = before.split_whitespace().rev();
    words.next() == Some("to")
        && !words
            .next()
            .is_some_and(|w| w.starts_with("continu") || w.starts_with("fail"))
}

/// A response a guideline requires or a plan seeks, or one in doubt: "repeat blocks require
/// 50% pain relief", "continued when there is functional improvement", "treatment goals:
/// decrease pain", "unclear whether the medication has helped", "relief should last 6 weeks".
fn required_or_sought(text: &str, sentence: (usize, usize), f: &Fact) -> bool {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:require[sd]?|requiring|should|must|whether|goals?|criteria|criterion|unclear|uncertain|(?:when|if)\s+there\s+is|to\s+(?:assess|evaluate|determine))\b",
        )
    });
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(?:should|must|would\s+(?:warrant|require|support|justify))\b")
    });
    let (a, b) = clause_of(text, sentence, f.start, f.end);
    BEFORE.is_match(&text[a..f.start]) || AFTER.is_match(&text[f.end..b])
}

/// Words that name a symptom, whose lack of change is a response to what treats it.
const SYMPTOMS: &[&str] = &[
    "pain",
    "symptoms",
    "numbness",
    "tingling",
    "headache",
    "headaches",
    "spasm",
    "spasms",
    "paresthesias",
    "burning",
    "discomfort",
    "aching",
];

/// "No change" or "unchanged" of something not a symptom, or with no treatment in its
/// sentence: a course noted, not a response.
fn unchanged_without_cause(text: &str, sentence: (usize, usize), f: &Fact) -> bool {
    let word = f.text.to_ascii_lowercase();
    if f.value != FactValue::Response(Response::Improvement) {
        return false;
    }
    // "Made no difference" names no symptom ("PT made no difference"), but needs its cause.
    if ["no difference", "little difference"].contains(&word.as_str()) {
        return f.about.is_none();
    }
    let stayed = STILL.is_match(&f.text);
    if stayed {
        return f.about.is_none();
    }
    if !["no change", "no changes", "unchanged", "same pain"].contains(&word.as_str()) {
        return false;
    }
    let (a, b) = clause_of(text, sentence, f.start, f.end);
    let clause = text[a..b].to_ascii_lowercase();
    let of_a_symptom = clause
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| SYMPTOMS.contains(&w));
    !of_a_symptom || f.about.is_none()
}

/// The clause around a span: from the last ',', ';' or ':' before it to the next after it.
fn clause_of(text: &str, sentence: (usize, usize), start: usize, end: usize) -> (usize, usize) {
    // A clause reaches no more than this either side: an unpunctuated run is no one clause, and
    // a response costs no more to read in a long sentence.
    const REACH: usize = 240;
    let marks = [',', ';', ':'];
    let first = super::anatomy::floor_char(text, start.saturating_sub(REACH).max(sentence.0));
    let last = super::anatomy::floor_char(text, (end + REACH).min(sentence.1.max(end)));
    let from = text[first..start]
        .rfind(marks)
        .map_or(first, |i| first + i + 1);
    let to = text[end..last].find(marks).map_or(last, |i| end + i);
    (from, to)
}

/// "Worse at night", "worse on the right", "aggravated by sitting", "worse after prolonged
/// standing": when the symptom is worse, not that it has worsened; "work-aggravated": what
/// made it worse; "Medrol for the acute flare", "extra tablets for a flare": why care was given.
fn worse_when_not_since(text: &str, f: &Fact) -> bool {
    static WHEN: LazyLock<Regex> = LazyLock::new(|| {
        re(concat!(
            r"^ (?:(?:especially|mainly|mostly|particularly|typically|usually|generally)\s+)?",
            r"(?:(?:at|on|with|when|while|upon|by|toward|towards|whenever)\b",
            r"|(?:in|during)\s+(?:the\s+)?(?:morning|evening|night|day|cold)",
            r"|(?:after|following)\s+(?:prolonged|long|extended|any|activity|activities|exertion|use|work|[a-z]+ing)\b)"
        ))
    });
    static BY: LazyLock<Regex> = LazyLock::new(|| {
        re(r"^ (?:(?:by|with)\b|(?:after|following)\s+(?:prolonged|long|extended)\b)")
    });
    static FOR_A_FLARE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b(?:for|during|prn|with\s+occasional)\s+(?:(?:a|an|the|his|her|any|acute|recent|occasional|severe|pain|painful|periodic)\s+)*$",
        )
    });
    if f.value != FactValue::Response(Response::Worsening) {
        return false;
    }
    let word = f.text.to_ascii_lowercase();
    let to = super::anatomy::floor_char(text, (f.end + 40).min(text.len()));
    let after = text[f.end..to].to_ascii_lowercase();
    let from = super::anatomy::floor_char(text, f.start.saturating_sub(40));
    let before = text[from..f.start].to_ascii_lowercase();
    let a_noun = word.starts_with("flare") && !word.starts_with("flared")
        || word.starts_with("exacerbation");
    // "Work-aggravated", "industrially aggravated": what caused it, not a course.
    let a_cause = before.ends_with('-') || before.trim_end().ends_with("industrially");
    // "Flared when the dose was lowered" tells an event; "worsened by bending", a trigger.
    let a_pattern = if word.ends_with("ed") {
        BY.is_match(&after)
    } else {
        WHEN.is_match(&after)
    };
    a_pattern || a_cause || (a_noun && FOR_A_FLARE.is_match(&before))
}

/// A response whose words name the activity it changed: "helped her sleep through the night",
/// "allows her to do light housework", "helps with lifting" (the response, then the activity),
/// "sleep improved", "standing tolerance has worsened" (the activity, then the response). Only
/// an affirmed one: a gain denied ("has not helped her sleep") stays a response, no benefit.
fn names_its_activity(text: &str, sentence: (usize, usize), facts: &[Fact], i: usize) -> bool {
    static THEN_ACTIVITY: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^\s+(?:(?:her|him|them|me|the\s+patient)\s+)?(?:(?:ability|capacity)\s+)?(?:to\s+|with\s+)?(?:(?:do|go|resume|get\s+back\s+to|return\s+to|go\s+back\s+to)\s+)?(?:(?:her|his|the|their|own|light|some|more|all|most)\s+){0,2}$",
        )
    });
    static ACTIVITY_THEN: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^\s+(?:tolerance\s+)?(?:(?:has|have|is|are|was|were)\s+)?(?:(?:gotten|become|been|now)\s+)?(?:(?:much|significantly|markedly|somewhat|slightly)\s+)?$",
        )
    });
    let r = &facts[i];
    let near = facts[i.saturating_sub(6)..(i + 7).min(facts.len())]
        .iter()
        .filter(|g| {
            g.kind == super::FactKind::Function && g.start >= sentence.0 && g.end <= sentence.1
        });
    near.into_iter().any(|g| {
        let gap = |a: usize, b: usize| text.get(a..b).map(str::to_ascii_lowercase);
        (g.start >= r.end && gap(r.end, g.start).is_some_and(|s| THEN_ACTIVITY.is_match(&s)))
            || (r.start >= g.end && gap(g.end, r.start).is_some_and(|s| ACTIVITY_THEN.is_match(&s)))
    })
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

    /// The responses `text` reads, as (value, polarity), in text order.
    fn read(text: &str) -> Vec<(String, Polarity)> {
        crate::extract::facts(text)
            .into_iter()
            .filter(|f| f.kind == crate::extract::FactKind::Response)
            .map(|f| (f.value.to_string(), f.polarity))
            .collect()
    }

    fn one(value: &str, polarity: Polarity) -> Vec<(String, Polarity)> {
        vec![(value.to_string(), polarity)]
    }

    #[test]
    fn a_symptom_said_better_gone_or_less_is_improvement() {
        use Polarity::Affirmed;
        assert_eq!(
            read("The burning in his feet is much milder since starting duloxetine."),
            one("improvement", Affirmed)
        );
        assert_eq!(
            read("After the carpal tunnel release the tingling at night is gone."),
            one("improvement", Affirmed)
        );
        assert_eq!(
            read("The brace eased his wrist pain."),
            one("improvement", Affirmed)
        );
        assert_eq!(read("She cut her pain medication in half."), vec![]);
    }

    #[test]
    fn a_hope_a_plan_or_a_condition_is_no_response() {
        assert_eq!(read("A knee brace would help with stability."), vec![]);
        assert_eq!(
            read("If still no better after the injection, refer to a surgeon."),
            vec![]
        );
        assert_eq!(
            read("He will try the patch and hopes it will help."),
            vec![]
        );
    }

    #[test]
    fn no_change_is_a_response_only_of_a_symptom_to_a_treatment() {
        assert_eq!(
            read("Pain remains unchanged despite three weeks of meloxicam."),
            one("improvement", Polarity::Negated)
        );
        assert_eq!(read("No change in her gabapentin dose."), vec![]);
        assert_eq!(read("No change in his neck pain since last month."), vec![]);
        assert_eq!(read("No change in her work restrictions."), vec![]);
    }

    #[test]
    fn a_symptom_that_stayed_or_a_share_of_nothing_is_no_improvement() {
        use Polarity::Negated;
        assert_eq!(
            read("Her pain has remained 6/10 despite the naproxen."),
            one("improvement", Negated)
        );
        assert_eq!(read("Pain remains 6/10."), vec![]);
        assert_eq!(
            read("He reported 0% relief from the facet blocks."),
            one("improvement", Negated)
        );
        assert_eq!(
            read("The tingling is a little better since the brace."),
            one("improvement", Polarity::Affirmed)
        );
    }

    #[test]
    fn no_difference_and_a_plateau_are_no_improvement() {
        use Polarity::Negated;
        assert_eq!(
            read("Physical therapy made no difference."),
            one("improvement", Negated)
        );
        assert_eq!(
            read("Naproxen did not make a difference."),
            one("improvement", Negated)
        );
        assert_eq!(
            read("Progress in therapy has plateaued after ten visits."),
            one("improvement", Negated)
        );
        assert_eq!(
            read("No difference in grip strength between the hands."),
            vec![]
        );
    }

    #[test]
    fn gains_benefit_and_response_said_of_a_course_of_care() {
        use Polarity::{Affirmed, Negated};
        assert_eq!(
            read("Minimal gains after eight PT visits."),
            one("improvement", Negated)
        );
        assert_eq!(
            read("Amitriptyline was stopped as ineffective."),
            one("improvement", Negated)
        );
        assert_eq!(
            read("She did not respond to the facet blocks."),
            one("improvement", Negated)
        );
        assert_eq!(
            read("He has benefited from the home program."),
            one("improvement", Affirmed)
        );
        assert_eq!(
            read("She reports a reduction in her low back pain with the brace."),
            one("improvement", Affirmed)
        );
        assert_eq!(
            read("Increased radicular pain since the last visit."),
            one("worsening", Affirmed)
        );
        assert_eq!(
            read("Reports improved ability to walk with the brace."),
            vec![]
        );
    }

    #[test]
    fn a_response_a_guideline_requires_or_a_plan_seeks_is_none() {
        assert_eq!(
            read("A second block requires at least 50% pain relief from the first."),
            vec![]
        );
        assert_eq!(
            read("Opioids are continued when there is documented functional improvement."),
            vec![]
        );
        assert_eq!(read("Relief should last six weeks or more."), vec![]);
        assert_eq!(read("It is unclear whether the patch has helped."), vec![]);
        assert_eq!(read("Goals: less pain, better sleep."), vec![]);
    }

    #[test]
    fn words_of_a_claim_or_a_task_are_no_response() {
        assert_eq!(
            read("Her disability benefits were stopped in March."),
            vec![]
        );
        assert_eq!(
            read("The work restrictions are effective 2/1/2017."),
            vec![]
        );
        assert_eq!(read("There was no response from the carrier."), vec![]);
        assert_eq!(read("Please help us obtain the operative report."), vec![]);
        assert_eq!(read("Pain relief options were reviewed."), vec![]);
        assert_eq!(
            read("Celecoxib was not effective."),
            one("improvement", Polarity::Negated)
        );
    }

    #[test]
    fn what_care_is_meant_to_do_is_no_response() {
        assert_eq!(
            read("The patient is likely to benefit from a TENS trial."),
            vec![]
        );
        assert_eq!(read("He is expected to improve with time."), vec![]);
        assert_eq!(
            read("The brace is meant to help with lifting at work."),
            vec![]
        );
        assert_eq!(
            read("Her walking continues to improve."),
            one("improvement", Polarity::Affirmed)
        );
    }

    #[test]
    fn when_a_symptom_is_worse_is_not_that_it_worsened() {
        assert_eq!(
            read("Her pain worsened after she went back to work."),
            one("worsening", Polarity::Affirmed)
        );
        assert_eq!(read("Her back pain is worse in the evening."), vec![]);
        assert_eq!(read("Aching in the arm, worse on the left."), vec![]);
        assert_eq!(read("Neck pain aggravated by looking down."), vec![]);
        assert_eq!(read("Bilateral knee arthritis, work-aggravated."), vec![]);
        assert_eq!(read("Tramadol was given for the recent flare."), vec![]);
        use Polarity::Affirmed;
        assert_eq!(
            read("She had a flare after the second chiropractic visit."),
            one("worsening", Affirmed)
        );
        assert_eq!(
            read("Her headaches flared when the dose was lowered."),
            one("worsening", Affirmed)
        );
        assert_eq!(
            read("His overall condition has deteriorated."),
            one("worsening", Affirmed)
        );
        assert_eq!(
            read("The aquatic program exacerbated his back pain."),
            one("worsening", Affirmed)
        );
        assert_eq!(
            read("No increase in arm pain after the trigger point injections."),
            one("worsening", Polarity::Negated)
        );
    }

    #[test]
    fn function_in_general_words_is_functional_improvement() {
        use Polarity::{Affirmed, Negated};
        assert_eq!(
            read("Her overall function is better on the current program."),
            one("functional_improvement", Affirmed)
        );
        assert_eq!(
            read("Functional status remains the same despite eight therapy visits."),
            one("functional_improvement", Negated)
        );
        assert_eq!(
            read("No change in function after the facet blocks."),
            one("functional_improvement", Negated)
        );
        assert_eq!(
            read("She reports better ADLs since the brace was fitted."),
            one("functional_improvement", Affirmed)
        );
        assert_eq!(
            read("His function has deteriorated this winter."),
            one("worsening", Affirmed)
        );
        assert_eq!(read("Bladder function is unchanged."), vec![]);
    }

    #[test]
    fn a_response_that_names_its_activity_is_a_function() {
        assert_eq!(read("Acupuncture helped him walk to the mailbox."), vec![]);
        assert_eq!(
            read("Acupuncture has not helped him sleep."),
            one("improvement", Polarity::Negated)
        );
        assert_eq!(
            read("Sleep has gotten worse since stopping trazodone."),
            vec![]
        );
        assert_eq!(read("The patch allows her to do the dishes again."), vec![]);
        assert_eq!(
            read("Tried cyclobenzaprine without help."),
            one("improvement", Polarity::Negated)
        );
        assert_eq!(read("Dresses without her daughter's help."), vec![]);
        assert_eq!(read("Her partner helps with the cooking."), vec![]);
        assert_eq!(read("The knee sleeve helps with climbing ladders."), vec![]);
        assert_eq!(read("Tramadol allows him to do some yard work."), vec![]);
        assert_eq!(
            read("Returned to work on 3/2 with no restrictions."),
            vec![]
        );
    }

    #[test]
    fn a_response_is_about_the_treatment_of_its_own_clause() {
        let about: Vec<Option<String>> = crate::extract::facts(
            "He had an epidural injection in 2016 with three weeks of relief, and has taken \
             ibuprofen since.",
        )
        .into_iter()
        .filter(|f| f.kind == crate::extract::FactKind::Response)
        .map(|f| f.about)
        .collect();
        assert_eq!(about, [Some("epidural_steroid_injection".to_string())]);
    }

    #[test]
    fn relief_for_a_short_while_did_not_last() {
        assert!(short_lived("provided only 2 days of relief"));
        assert!(short_lived("helps for a day or two"));
        assert!(short_lived("helped for about three weeks"));
        assert!(short_lived(
            "an epidural injection in 04/2016 with two weeks of relief"
        ));
        assert!(short_lived("any benefit was short-lived"));
        assert!(short_lived("the relief wore off within days"));
        assert!(!short_lived("helped for about six months"));
        assert!(!short_lived("relief lasting 8 weeks"));
    }
}
