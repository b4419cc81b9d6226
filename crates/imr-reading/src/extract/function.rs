//! Function as records state it: an activity with a measure of how it goes ("can now carry a
//! laundry basket up the stairs", "still unable to sit more than 20 minutes", "sleeping worse"),
//! and the patient's stance on an operation ("asks whether she is a candidate for a fusion",
//! "declines surgery").

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::value::Activity::{self, *};
use super::{Fact, FactValue, Polarity};

/// Which way a functional measure goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Better than before: a gain.
    Improved,
    /// Limited, without a change stated.
    Limited,
    /// Worse than before.
    Worse,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Improved => "improved",
            Direction::Limited => "limited",
            Direction::Worse => "worse",
        }
    }
}

/// Activities, by the measure they belong to.
const ACTIVITIES: &[(&str, Activity)] = &[
    ("lift", Lifting),
    ("lifts", Lifting),
    ("lifting", Lifting),
    ("carry", Lifting),
    ("carries", Lifting),
    ("carrying", Lifting),
    ("walk", Walking),
    ("walks", Walking),
    ("walking", Walking),
    ("ambulate", Walking),
    ("ambulates", Walking),
    ("ambulating", Walking),
    ("ambulation", Walking),
    ("hike", Walking),
    ("climb", Walking),
    ("climbs", Walking),
    ("climbing", Walking),
    ("stairs", Walking),
    ("sit", Sitting),
    ("sits", Sitting),
    ("sitting", Sitting),
    ("stand", Standing),
    ("stands", Standing),
    ("standing", Standing),
    ("sleep", Sleep),
    ("sleeps", Sleep),
    ("sleeping", Sleep),
    ("drive", Adl),
    ("drives", Adl),
    ("driving", Adl),
    ("dress", Adl),
    ("dresses", Adl),
    ("dressing", Adl),
    ("bathe", Adl),
    ("bathing", Adl),
    ("shower", Adl),
    ("showering", Adl),
    ("cook", Adl),
    ("cooking", Adl),
    ("shop", Adl),
    ("shopping", Adl),
    ("groceries", Adl),
    ("grocery shopping", Adl),
    ("housework", Adl),
    ("household chores", Adl),
    ("chores", Adl),
    ("yard work", Adl),
    ("yardwork", Adl),
    ("gardening", Adl),
    ("laundry", Adl),
    ("shoes", Adl),
    ("asleep", Sleep),
    // Leisure, which records measure as they do housework ("has resumed golfing").
    ("golf", Adl),
    ("golfing", Adl),
    ("jog", Adl),
    ("jogging", Adl),
    ("biking", Adl),
    ("bicycling", Adl),
    ("dancing", Adl),
    ("fishing", Adl),
    ("dishes", Adl),
    ("overhead work", Adl),
    ("work overhead", Adl),
    ("wakes", Sleep),
    ("awakens", Sleep),
    ("socks", Adl),
    ("mows", Adl),
    ("mowing", Adl),
    ("cooks", Adl),
    ("showers", Adl),
    ("bathes", Adl),
    ("shops", Adl),
    ("cleans", Adl),
    ("cleaning", Adl),
    ("vacuums", Adl),
    ("vacuum", Adl),
    ("vacuuming", Adl),
    ("mow", Adl),
    ("self-care", Adl),
    ("self care", Adl),
    ("adls", Adl),
    ("adl", Adl),
    ("activities of daily living", Adl),
    ("daily activities", Adl),
    ("play with", Adl),
    ("bend", Adl),
    ("bending", Adl),
    ("kneel", Adl),
    ("squat", Adl),
    ("reach overhead", Adl),
    ("reaching overhead", Adl),
    ("type", Adl),
    ("typing", Adl),
    ("class", Sitting),
    ("classes", Sitting),
    ("shift", Adl),
    ("shifts", Adl),
    ("full shifts", Adl),
    ("workday", Adl),
    ("work day", Adl),
    ("tablets a day", MedicationUse),
    ("tablets daily", MedicationUse),
    ("tablets per day", MedicationUse),
    ("pills a day", MedicationUse),
    ("pills daily", MedicationUse),
    ("pills per day", MedicationUse),
    ("pill a day", MedicationUse),
    ("tablet a day", MedicationUse),
    ("tablet daily", MedicationUse),
    ("open jars", Adl),
];

/// Words that set the direction, by kind.
const WORSE: &[&str] = &[
    "worse",
    "dropped",
    "has dropped",
    "worsened",
    "worsening",
    "no longer able",
    "can no longer",
    "no longer",
    "deteriorated",
    "declined",
    "less able",
    "now unable",
    "decreased tolerance",
    "reduced tolerance",
];
const LIMITED: &[&str] = &[
    "off meds",
    "w/o meds",
    "without meds",
    "without medication",
    "without medications",
    "off medication",
    "off medications",
    "unable",
    "could not",
    "couldn't",
    "needed",
    "before treatment",
    "cannot",
    "can't",
    "can not",
    "not able",
    "difficulty",
    "difficult",
    "trouble",
    "limited to",
    "limited",
    "limitation",
    "limitations",
    // A gain denied ("has not helped her sleep", "did not allow her to do housework") is
    // none: what is measured stays limited.
    "has not",
    "have not",
    "had not",
    "did not",
    "does not",
    "hasn't",
    "haven't",
    "didn't",
    "doesn't",
    "never",
    "no more than",
    "not more than",
    "only",
    "less than",
    "restricted",
    "avoids",
    "needs help",
    "needs assistance",
    "requires assistance",
    "requires help",
    "struggles",
    "wakes",
    "waking",
    "awakens",
    "interrupted",
    "poor",
    "poorly",
    "badly",
];
/// A limit stated as a measure, without a change ("sitting tolerance 20 min").
/// "Tolerates standing 10 min" is a capability with its bound: a limit, unless a change is said.
const STATED_LIMIT: &[&str] = &["tolerance", "tolerates", "at a time", "at most", "max"];
const IMPROVED: &[&str] = &[
    "on meds",
    "w/ meds",
    "with meds",
    "instead of",
    "further",
    "farther",
    "more",
    "through",
    "resume",
    "with the medication",
    "with the medications",
    "with medication",
    "with medications",
    "on medication",
    "on the medication",
    "with it",
    "lets him",
    "lets her",
    "let him",
    "let her",
    "allows him",
    "allows her",
    "helps him",
    "helps her",
    "helped him",
    "helped her",
    "fewer",
    "one fewer",
    "entire",
    "the whole",
    "full",
    "by the",
    "now takes",
    "now taking",
    "was taking",
    "now",
    "again",
    "improved",
    "improvement",
    "increased",
    "better",
    "longer",
    "resumed",
    "back to",
    "returned to",
    "without difficulty",
    "independent",
    "independently",
    "allows",
    "allow",
    "enables",
    "enable",
    "helps",
    "able to",
    "progressed",
    "up from",
    "from",
];

/// Less of a measure: a gain in medication use ("down to 2 tablets a day"), a loss in what the
/// worker can do ("lifting has decreased to 5 lb").
const LESS: &[&str] = &[
    "down to",
    "down from",
    "reduced to",
    "decreased to",
    "dropped to",
];

const STANCE_AGAINST: &[&str] = &[
    "declin",
    "rather not",
    "turned down",
    "not wish",
    "never",
    "not pursue",
    "not ready",
    "refus",
    "avoid",
    "not interested",
    "no interest",
    "does not want",
    "doesn't want",
    "did not want",
    "not want",
    "not willing",
    "unwilling",
    "against",
    "opposed",
    "not a candidate",
    "not consider",
    "wouldn't consider",
    "would not consider",
    "reluctant",
    "hesitant",
    "defer",
];
/// The patient's questions about an operation, which may follow its name.
const STANCE_ASKS: &[&str] = &[
    "asks if",
    "asks whether",
    "asked if",
    "asked whether",
    "wonders if",
    "wonders whether",
    "inquir",
];
const STANCE_FOR: &[&str] = &[
    "would consider",
    "wonders if",
    "wonders whether",
    "requesting",
    "go ahead",
    "proceed",
    "keen",
    "ready for",
    "ready to",
    "asks if",
    "asked if",
    "discuss",
    "agreed to",
    "agrees with",
    "wishes to have",
    "wants to have",
    "hoping for",
    "willing to",
    "interested in",
    "wants",
    "would like",
    "wishes to proceed",
    "wish to proceed",
    "like to proceed",
    "proceed with",
    "asks whether",
    "asks about",
    "asked about",
    "asked whether",
    "inquir",
    "candidate",
    "open to",
    "considering",
    "consider",
    "agrees to",
    "desires",
    "hopes to",
    "eager",
    "requests",
    "elect",
    "leaning toward",
    "leans toward",
    "inclined to",
    "anxious to",
    "agreeable to",
    "undecided",
    "thinking about",
    "weighing",
];

static MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| crate::vocab::phrase_matcher(ACTIVITIES.iter().map(|(w, _)| *w)));

/// How far around an activity its measure is looked for, within the clause.
const BEFORE: usize = 60;
const AFTER: usize = 50;

/// The functional measures of `text`: one per activity named with a direction.
pub(crate) fn measures(text: &str, spans: &[(usize, usize)]) -> Vec<Fact> {
    let bytes = text.as_bytes();
    let mut out: Vec<Fact> = Vec::new();
    for m in MATCHER.find_iter(text) {
        // "heel-walk", "toe-walk" are examination manoeuvres, not activities.
        if !crate::vocab::is_word_boundary(bytes, m.start(), m.end())
            || (m.start() > 0 && bytes[m.start() - 1] == b'-')
        {
            continue;
        }
        let Some(sentence) = super::sentences::sentence_of(spans, m.start()).map(|i| spans[i])
        else {
            continue;
        };
        let word = text[m.start()..m.end()].to_ascii_lowercase();
        let activity = ACTIVITIES[m.pattern().as_usize()].1;
        let around = Around::of(text, sentence, m.start(), m.end());
        if around.is_a_forced_rest(&word) {
            continue;
        }
        let Some(direction) = around.direction(text, sentence, m.end(), &word, activity) else {
            continue;
        };
        // "Can now walk and climb stairs": one gain, named once per activity. "Carry a laundry
        // basket up the stairs", "stand at the sink long enough to wash the dishes": one action
        // named by several activity words, read once, by its first.
        if out.last().is_some_and(|f| {
            f.start >= sentence.0
                && f.end <= m.start()
                && ((m.start() - f.end < 25 && f.value == FactValue::Function(activity))
                    || (f.direction == Some(direction) && one_action(&text[f.end..m.start()])))
        }) {
            continue;
        }
        let mut fact = Fact::new(FactValue::Function(activity), text, m.start(), m.end());
        fact.direction = Some(direction);
        // "Better ADLs": a gain in daily activities named only in general is functional
        // improvement, not a measure of one activity.
        if direction == Direction::Improved && GENERAL_ACTIVITIES.contains(&word.as_str()) {
            fact.set_value(FactValue::Response(super::Response::FunctionalImprovement));
            fact.direction = None;
        }
        out.push(fact);
    }
    out
}

/// No conjunction or punctuation between two activity words: they name one action.
fn one_action(between: &str) -> bool {
    !between.contains([',', ';', ':', '(', ')'])
        && !between.split_whitespace().any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "and" | "or" | "but" | "nor"
            )
        })
}

/// Work restrictions eased ("her restriction has been raised to 25 pounds") and less medication
/// needed ("takes naproxen only on work days instead of twice daily"), which MTUS 9792.20 counts
/// as functional improvement, and a return to work given up ("returned to his regular job but
/// stopped after three days"). Each is read on its own words; the sentence's negation then
/// reads it as any other fact.
pub(crate) fn lessened(text: &str, spans: &[(usize, usize)]) -> Vec<Fact> {
    static RESTRICTION_EASED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\brestrictions?\s+(?:(?:has|have|was|were)\s+)?(?:been\s+)?(?:raised|increased|eased|relaxed|loosened|liberali[sz]ed|upgraded|advanced)\b|\b(?:raised|increased|eased|relaxed|loosened|liberali[sz]ed|upgraded|advanced)\s+(?:(?:her|his|the)\s+)?(?:lifting\s+|work\s+)?(?:restrictions?|limit)\b",
        )
        .expect("a valid pattern")
    });
    static LESS_MEDICATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:only\s+(?:on|as\s+needed|occasionally|at\s+night)\b[^.;]{0,40}\binstead\s+of|(?:less|fewer)\s+(?:pain\s+)?(?:medications?|meds|pills|tablets|doses))\b",
        )
        .expect("a valid pattern")
    });
    // "Reduced his use of Norco", "no longer needs pain medication": the verb here, what is
    // taken less after it, a medication word or a drug of the dictionary.
    static LESS_OF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:reduced|decreased|cut\s+(?:back|down)(?:\s+on)?|tapered|weaned|no\s+longer\s+(?:needs|takes|uses|requires)|able\s+to\s+(?:reduce|decrease|taper|wean|cut\s+(?:back|down)(?:\s+on)?))\s+(?:(?:any|her|his|the)\s+)?(?:use\s+of\s+|intake\s+of\s+|dose\s+of\s+)?(?:pain\s+)?",
        )
        .expect("a valid pattern")
    });
    static RETURN_GIVEN_UP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:returned|went\s+back)\s+to\s+(?:\w+\s+){0,3}?(?:work|job|duty|duties)\b[^.;]{0,60}?\b(?:but|then)\s+(?:\w+\s+){0,2}?(?:stopped|left|quit|could\s+not|couldn't|was\s+unable|failed|lasted\s+only)",
        )
        .expect("a valid pattern")
    });
    let readings: [(&Regex, FactValue, Option<Direction>); 3] = [
        (
            &RESTRICTION_EASED,
            FactValue::WorkStatus(super::WorkStatus::ModifiedDuty),
            Some(Direction::Improved),
        ),
        (
            &LESS_MEDICATION,
            FactValue::Function(MedicationUse),
            Some(Direction::Improved),
        ),
        (
            &RETURN_GIVEN_UP,
            FactValue::WorkStatus(super::WorkStatus::FailedReturnToWork),
            None,
        ),
    ];
    let said = readings.iter().flat_map(|(pattern, value, direction)| {
        pattern
            .find_iter(text)
            .map(move |m| (m.start(), m.end(), value.clone(), *direction))
    });
    let less_of = LESS_OF.find_iter(text).filter_map(|m| {
        let object = medication_named_at(&text[m.end()..])?;
        let value = FactValue::Function(MedicationUse);
        Some((
            m.start(),
            m.end() + object,
            value,
            Some(Direction::Improved),
        ))
    });
    let mut out = Vec::new();
    for (start, end, value, direction) in said.chain(less_of) {
        // "The reduced dose" names a dose; "she reduced her dose" says she takes less.
        let from = super::anatomy::floor_char(text, start.saturating_sub(8));
        let said_of_a_thing = text[from..start]
            .to_ascii_lowercase()
            .trim_end()
            .ends_with(" the");
        if super::sentences::sentence_of(spans, start).is_none() || said_of_a_thing {
            continue;
        }
        let mut fact = Fact::new(value, text, start, end);
        fact.direction = direction;
        out.push(fact);
    }
    out
}

/// The length of the medication named at the start of `text`: a word for medication in general
/// ("medications", "pills") or a drug of the dictionary, by name or class ("Norco", "NSAIDs").
fn medication_named_at(text: &str) -> Option<usize> {
    static MEDICATION_WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:medications?|meds|analgesics?|pills|tablets|doses?)\b")
            .expect("a valid pattern")
    });
    if let Some(m) = MEDICATION_WORD.find(text) {
        return Some(m.end());
    }
    let window = &text[..super::anatomy::floor_char(text, text.len().min(40))];
    super::drugs::mentions_in_record(window)
        .first()
        .filter(|d| d.start == 0)
        .map(|d| d.end)
}

/// The patient's stance on an operation named at `start..end`, from the words around it in its
/// sentence: `Some(true)` would consider it, `Some(false)` declines it.
pub(crate) fn stance(
    text: &str,
    sentence: (usize, usize),
    start: usize,
    end: usize,
) -> Option<bool> {
    let (before, after) = clause_around(text, sentence, start, end);
    let after: String = after.chars().take(30).collect();
    let against = |s: &str| STANCE_AGAINST.iter().any(|w| s.contains(w));
    // "Would rather try acupuncture than have an operation".
    let rather_than = before.contains("rather") && before.contains(" than ");
    // A question put after the operation is named: "read about a fusion and asks if ...".
    let asks_after = STANCE_ASKS.iter().any(|w| after.contains(w));
    // "The provider is requesting a fusion": a clinician's request is no stance of the patient.
    let for_the_patient = !clinician_speaks(&before);
    let turned = stance_after_turn(text, sentence, end);
    if against(&before) || against(&after) || rather_than || turned == Some(false) {
        Some(false)
    } else if (STANCE_FOR.iter().any(|w| before.contains(w)) && for_the_patient)
        || asks_after
        || turned == Some(true)
    {
        Some(true)
    } else {
        None
    }
}

/// Someone who helps the worker ("her husband helps her dress", "his wife has to help with
/// bathing"): the activity needs assistance.
static HELPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:husband|wife|spouse|partner|boyfriend|girlfriend|son|daughter|mother|father|mom|dad|sister|brother|family|children|kids|caregiver|aide|friend|neighbor|roommate|someone|others)\s+(?:(?:has|have|had)\s+to\s+|must\s+|often\s+|usually\s+|now\s+)?(?:helps?|helped|helping|assists?|assisted)\b",
    )
    .expect("a valid pattern")
});

/// True when the words before a "help" name the person who helps.
pub(crate) fn helped_by_someone(before: &str) -> bool {
    static HELPER_LAST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(?:husband|wife|spouse|partner|boyfriend|girlfriend|son|daughter|mother|father|mom|dad|sister|brother|family|children|kids|caregiver|aide|friend|neighbor|roommate|someone|others)\s+(?:(?:has|have|had)\s+to\s+|must\s+|often\s+|usually\s+|now\s+)?$",
        )
        .expect("a valid pattern")
    });
    HELPER_LAST.is_match(before)
}

/// "Sleeps 7 hours on trazodone", "gets 6 hours of sleep with the Ambien": a measure with a
/// drug named as what it is taken with, which is what the drug makes possible.
fn with_a_drug(near: &str) -> bool {
    const BEFORE_A_DRUG: &[&str] = &["with", "on", "with the", "on the", "using", "taking"];
    if ![" with ", " on ", "using ", "taking "]
        .iter()
        .any(|w| near.contains(w))
    {
        return false;
    }
    super::drugs::mentions_in_record(near).iter().any(|d| {
        let head = near[..d.start].trim_end();
        BEFORE_A_DRUG
            .iter()
            .any(|w| head.ends_with(&format!(" {w}")) || head == *w)
    })
}

/// The words around an activity, lower case, within its clause.
struct Around {
    /// A short heading before a colon, which sets the frame of what follows: "On meds: walks
    /// 30 min", "Since PT: overhead work 20 min at a time".
    label: String,
    before: String,
    /// After the activity, or after its colon ("Sleep: 4-5 hrs/night, interrupted").
    after: String,
}

impl Around {
    fn of(text: &str, sentence: (usize, usize), start: usize, end: usize) -> Around {
        let (before, mut after) = clause_around(text, sentence, start, end);
        let rest = &text[end..sentence.1.max(end)];
        if let Some(colon) = rest.trim_start().strip_prefix(':') {
            let at = sentence.1.max(end) - colon.len();
            after = clause_around(text, sentence, at, at).1;
        }
        let label = label_before(text, sentence, start).unwrap_or_default();
        Around {
            label,
            before,
            after,
        }
    }

    /// "Has to sit down after 5 minutes", "before needing to sit": a rest that another
    /// activity forces.
    fn is_a_forced_rest(&self, word: &str) -> bool {
        const FORCED: &[&str] = &[
            "needing to",
            "needs to",
            "need to",
            "has to",
            "have to",
            "must",
            "forced to",
        ];
        ["sit", "sits", "lie", "lies"].contains(&word)
            && (self.after.trim_start().starts_with("down")
                || FORCED.iter().any(|w| self.before.trim_end().ends_with(w)))
    }

    /// Which way the measure goes; `None` when nothing says.
    fn direction(
        &self,
        text: &str,
        sentence: (usize, usize),
        end: usize,
        word: &str,
        activity: Activity,
    ) -> Option<Direction> {
        let near = format!("{} {} {}", self.label, self.before, self.after);
        let has = |words: &[&str]| words.iter().any(|w| contains_word(&near, w));
        let could_not_before = || {
            let told = format!(
                "{} {word}{}",
                self.before,
                clause_after(text, sentence, end)
            );
            // Most measures say nothing of before: the pattern runs only where it may.
            ["before", "previously", "prior"]
                .iter()
                .any(|w| told.contains(w))
                && CAN_NOW_COULD_NOT_BEFORE.is_match(&told)
        };
        Some(if let Some(change) = measured_change(&self.after) {
            change
        } else if could_not_before() {
            Direction::Improved
        } else if has(LESS) {
            if activity == MedicationUse {
                Direction::Improved
            } else {
                Direction::Worse
            }
        } else if has(WORSE) || GIVEN_UP.is_match(&self.before) {
            Direction::Worse
        } else if has(LIMITED)
            || LIMITED_BY.is_match(&near)
            // Waking at night is itself poor sleep.
            || ["wakes", "awakens"].contains(&word)
            || HELPER.is_match(&self.before)
        {
            Direction::Limited
        } else if has(IMPROVED) || AFTER_TREATMENT.is_match(&near) {
            Direction::Improved
        } else if has(STATED_LIMIT) || bare_bound(&self.after) {
            Direction::Limited
        } else if with_a_drug(&near) {
            Direction::Improved
        } else {
            return None;
        })
    }
}

/// "Has stopped gardening", "gave up golf": an activity given up.
static GIVEN_UP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:stopped|quit|gave\s+up|given\s+up|give\s+up)\s+(?:(?:her|his|the)\s+)?$")
        .expect("a valid pattern")
});

/// A limit by its cause or its end: "because of the back pain", "due to leg pain", "before
/// stopping", "takes breaks", "with a cane".
static LIMITED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?:due\s+to|because\s+of|secondary\s+to)\s+(?:(?:her|his|the)\s+)?(?:[a-z]+\s+){0,2}?(?:pain|symptoms|numbness)|before\s+(?:stopping|needing|having)|takes?\s+(?:frequent\s+)?breaks|needs\s+to|with\s+(?:a\s+)?(?:cane|walker|crutches)|uses\s+(?:a\s+)?(?:cane|walker|crutches|wheelchair))\b",
    )
    .expect("a valid pattern")
});

/// A bound right after the activity, without a change: "sitting 30 min", "walking 2 blocks",
/// "sleep: 4-5 hrs/night", a measured limit; "walks for 30 minutes five days a week" is a
/// habit.
fn bare_bound(after: &str) -> bool {
    static HABIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:a\s+day|a\s+week|daily|per\s+(?:day|week)|each\s+day|every\s+day|\w+\s+(?:days|times)\s+a\s+week|\w+\s+times)\b")
            .expect("a valid pattern")
    });
    BARE_BOUND
        .find(after)
        .is_some_and(|m| !HABIT.is_match(&after[m.end()..]))
}

static BARE_BOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:for\s+)?(?:about\s+|approximately\s+|~)?\d+(?:\.\d+)?(?:\s*-\s*\d+)?\s*(?:min|mins|minutes|hrs?|hours|blocks?|lbs?|pounds|feet|ft|yards|miles?)\b",
    )
    .expect("a valid pattern")
});

/// Activities named only in general: a gain in them is functional improvement.
const GENERAL_ACTIVITIES: &[&str] = &[
    "adls",
    "adl",
    "activities of daily living",
    "daily activities",
];

/// "Which she could not do before aquatic therapy": what was not possible before is a gain.
static CAN_NOW_COULD_NOT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:could\s*n[o']t|was\s+unable\s+to|were\s+unable\s+to|was\s+not\s+able\s+to)\b[^;]{0,30}?\b(?:before|previously|prior\s+to)\b",
    )
    .expect("a valid pattern")
});

/// The lower-cased rest of the clause after `end`, up to 120 bytes (cut at ';' and ':').
fn clause_after(text: &str, sentence: (usize, usize), end: usize) -> String {
    let mut to = (end + 120).min(sentence.1.max(end));
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    let rest = text[end..to].to_ascii_lowercase();
    rest.split([';', ':'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Whether the clause before an operation has a clinician for its last subject ("the provider
/// is requesting", "Dr. Ruiz discussed") and no patient after it; a clinician as an object ("a
/// referral to a spine surgeon to discuss") is no subject.
fn clinician_speaks(before: &str) -> bool {
    static CLINICIAN_ACTS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(?:provider|physician|surgeon|doctor|dr\.|ptp|orthopedist|clinician)(?:\s+[a-z]+)?\s+(?:is|has|was|had|recommends|recommended|requests|requested|requesting|discussed|discusses|offered|offers|proposed|proposes|plans|planned|feels|felt|states|stated|notes|noted|would|will|wants|believes)\b",
        )
        .expect("a valid pattern")
    });
    const PATIENT: &[&str] = &[
        "he ",
        "she ",
        "patient",
        "worker",
        "applicant",
        "claimant",
        "mr.",
        "ms.",
        "mrs.",
        "pt ",
    ];
    let Some(clinician) = CLINICIAN_ACTS.find_iter(before).last() else {
        return false;
    };
    let patient = PATIENT.iter().filter_map(|w| before.rfind(w)).max();
    patient.is_none_or(|p| clinician.start() > p)
}

/// "A candidate for arthroscopy but declines.", "scared of the operation but says she will go
/// ahead if ...": a stance with no object of its own, after the turn, is a stance on the
/// operation named before it. `Some(false)` a refusal, `Some(true)` an assent.
fn stance_after_turn(text: &str, sentence: (usize, usize), end: usize) -> Option<bool> {
    static TURNED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^[^.;]{0,30}?\bbut\s+(?:(?:says|states|feels)\s+)?(?:(?:he|she|the\s+patient|patient)\s+)?(?:(?:says|states|feels)\s+)?(?:(?:he|she)\s+)?(?:(declines|declined|refuses|refused|does\s+not\s+want|doesn't\s+want|is\s+not\s+interested)(?:\s+(?:it|this|that|for\s+now|at\s+this\s+time))?|(?:will|would)\s+(?:go\s+ahead|proceed|consider\s+it|have\s+it|do\s+it))\s*(?:[.;,]|$|\s+(?:if|once|when|after|unless)\b)",
        )
        .expect("a valid pattern")
    });
    let mut to = (end + 90).min(sentence.1.max(end));
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    TURNED.captures(&text[end..to]).map(|c| c.get(1).is_none())
}

/// "Since PT", "after the six visits", "following the injection": what is said of an activity
/// after a treatment is what the treatment changed.
static AFTER_TREATMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:since|after|following)\s+(?:the\s+|her\s+|his\s+)?(?:\w+\s+){0,2}?(?:pt|therapy|visits|sessions|treatments?|injections?|block|acupuncture|chiropractic|course|program|surgery|procedure)\b",
    )
    .expect("a valid pattern")
});

/// A measure given with what it was before: "20 min at a time (was <5 min)", "walks 1 mile
/// (was 3 blocks)". More than before is better; less, worse. Measures in units of different
/// kinds (minutes against blocks) say nothing.
fn measured_change(after: &str) -> Option<Direction> {
    static WAS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^[^()]{0,30}?(\d+(?:\.\d+)?)\s*([a-z]*)[^()\d]{0,25}\((?:was|previously|prior|from|before)\s*[<>~]?\s*(\d+(?:\.\d+)?)\s*([a-z]*)",
        )
        .expect("a valid pattern")
    });
    let c = WAS.captures(after)?;
    let amount = |number: usize, unit: usize| -> Option<(f64, Option<(&str, f64)>)> {
        let n: f64 = c.get(number)?.as_str().parse().ok()?;
        let unit = c.get(unit).map_or("", |u| u.as_str());
        Some((n, unit_of(unit)))
    };
    let (now, now_unit) = amount(1, 2)?;
    let (was, was_unit) = amount(3, 4)?;
    // Without a unit the earlier figure is in the same one ("20 min (was 5)").
    let (now, was) = match (now_unit, was_unit) {
        (Some((a, x)), Some((b, y))) if a == b => (now * x, was * y),
        (Some(_), Some(_)) => return None,
        _ => (now, was),
    };
    match now.partial_cmp(&was)? {
        std::cmp::Ordering::Greater => Some(Direction::Improved),
        std::cmp::Ordering::Less => Some(Direction::Worse),
        std::cmp::Ordering::Equal => None,
    }
}

/// A unit's kind and its size in that kind's smallest unit; `None` for a word that is no unit.
fn unit_of(word: &str) -> Option<(&'static str, f64)> {
    Some(match word {
        "min" | "mins" | "minute" | "minutes" => ("time", 1.0),
        "h" | "hr" | "hrs" | "hour" | "hours" => ("time", 60.0),
        "ft" | "feet" | "foot" => ("distance", 1.0),
        "yard" | "yards" | "yd" | "yds" => ("distance", 3.0),
        "block" | "blocks" => ("distance", 264.0),
        "mile" | "miles" | "mi" => ("distance", 5280.0),
        "lb" | "lbs" | "pound" | "pounds" => ("weight", 1.0),
        "kg" => ("weight", 2.2),
        _ => return None,
    })
}

/// The heading of a line or clause that ends in a colon before `start`, lower case, when it is
/// a few words ("Function on meds", "Since PT"); `None` otherwise.
fn label_before(text: &str, sentence: (usize, usize), start: usize) -> Option<String> {
    let head = text.get(sentence.0..start)?;
    let colon = head.rfind(':')?;
    let from = head[..colon]
        .rfind(['\n', '.', ';', ':'])
        .map_or(0, |i| i + 1);
    let label = head[from..colon].trim();
    let words = label.split_whitespace().count();
    (1..=4).contains(&words).then(|| label.to_ascii_lowercase())
}

/// The lower-cased words before and after a span, within its clause (cut at ';', ':' and the
/// turns "but", "however", "although").
fn clause_around(
    text: &str,
    sentence: (usize, usize),
    start: usize,
    end: usize,
) -> (String, String) {
    let from = super::anatomy::floor_char(text, start.saturating_sub(BEFORE).max(sentence.0));
    let mut to = (end + AFTER).min(sentence.1.max(end));
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    let before = text[from..start].to_ascii_lowercase();
    let after = text[end..to].to_ascii_lowercase();
    let cut = |s: &str, last: bool| -> String {
        let marks = [
            ";",
            ":",
            " but ",
            " however",
            " although",
            " though ",
            " whereas ",
        ];
        let positions = marks.iter().filter_map(|m| {
            if last {
                s.rfind(m).map(|i| i + m.len())
            } else {
                s.find(m)
            }
        });
        if last {
            positions
                .max()
                .map_or(s.to_string(), |i| s[i..].to_string())
        } else {
            positions
                .min()
                .map_or(s.to_string(), |i| s[..i].to_string())
        }
    };
    (cut(&before, true), cut(&after, false))
}

fn contains_word(haystack: &str, needle: &str) -> bool {
    super::scan::occurrences(haystack, needle)
        .any(|i| crate::vocab::is_word_boundary(haystack.as_bytes(), i, i + needle.len()))
}

/// A stance fact for the operation `fact` names.
pub(crate) fn stance_fact(fact: &Fact, would_consider: bool) -> Fact {
    let mut f = fact.clone();
    f.set_value(FactValue::SurgicalConsideration);
    f.polarity = if would_consider {
        Polarity::Affirmed
    } else {
        Polarity::Negated
    };
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The directions of the function measures `text` reads, in text order.
    fn directions(text: &str) -> Vec<Direction> {
        crate::extract::facts(text)
            .into_iter()
            .filter(|f| f.kind == super::super::FactKind::Function)
            .filter_map(|f| f.direction)
            .collect()
    }

    #[test]
    fn waking_at_night_and_sleeping_poorly_are_limits() {
        use Direction::Limited;
        assert_eq!(
            directions("Wakes three times a night from arm pain."),
            [Limited]
        );
        assert_eq!(
            directions("He sleeps badly because of the shoulder."),
            [Limited]
        );
        assert_eq!(directions("Her son has to help her shower."), [Limited]);
    }

    #[test]
    fn a_capability_with_its_bound_is_a_limit() {
        use Direction::Limited;
        assert_eq!(directions("Tolerates standing 15 min."), [Limited]);
        assert_eq!(
            directions("Tolerates standing 15 min before needing to sit."),
            [Limited]
        );
        assert_eq!(
            directions("Sleeps about 4 hours a night due to pain."),
            [Limited]
        );
        assert_eq!(
            directions("Tolerates sitting 40 minutes, up from 10 at the first visit."),
            [Direction::Improved]
        );
    }

    #[test]
    fn a_measure_with_a_drug_is_what_the_drug_allows() {
        assert_eq!(
            directions("Gets about 6 hours of sleep with the zolpidem."),
            [Direction::Improved]
        );
        assert_eq!(
            directions("Has resumed golfing twice a month."),
            [Direction::Improved]
        );
    }

    #[test]
    fn less_is_a_loss_of_capacity_and_a_gain_in_medication() {
        assert_eq!(
            directions("Lifting has decreased to 5 lb."),
            [Direction::Worse]
        );
        assert_eq!(
            directions("He has been able to reduce his Norco to 2 a day."),
            [Direction::Improved]
        );
    }

    #[test]
    fn a_bound_a_cause_a_device_or_an_activity_given_up_is_a_limit() {
        use Direction::{Limited, Worse};
        assert_eq!(
            directions("Tolerances: standing 20 min, walking 3 blocks."),
            [Limited, Limited]
        );
        assert_eq!(directions("Sleep: 5 hrs, broken."), [Limited]);
        assert_eq!(
            directions("Walks about a mile before stopping because of calf pain."),
            [Limited]
        );
        assert_eq!(directions("Walks with crutches."), [Limited]);
        assert_eq!(
            directions("Reports limitations with standing at the counter."),
            [Limited]
        );
        assert_eq!(
            directions("Walks for 40 minutes four days a week."),
            Vec::<Direction>::new()
        );
        assert_eq!(directions("Has trouble staying asleep."), [Limited]);
        assert_eq!(directions("She quit jogging last spring."), [Worse]);
    }

    #[test]
    fn a_gain_denied_is_none() {
        use Direction::Limited;
        assert_eq!(directions("The patch has not helped her sleep."), [Limited]);
        assert_eq!(
            directions("Tramadol did not allow him to do yard work."),
            [Limited]
        );
        assert_eq!(directions("Sleep has not improved."), [Limited]);
        assert_eq!(
            directions("She never walks farther than the corner."),
            [Limited]
        );
    }

    #[test]
    fn what_could_not_be_done_before_is_a_gain() {
        assert_eq!(
            directions("He could not tie his shoes before surgery and now can."),
            [Direction::Improved]
        );
        assert_eq!(
            directions("Now drives to the store, which he could not do before the injections."),
            [Direction::Improved]
        );
    }

    #[test]
    fn having_to_sit_down_is_no_sitting_measure() {
        assert_eq!(
            directions(
                "Standing tolerance has worsened; she now has to sit down after 10 minutes."
            ),
            [Direction::Worse]
        );
    }

    #[test]
    fn a_gain_in_daily_activities_in_general_is_functional_improvement() {
        let facts = crate::extract::facts("Better ADLs since the brace was fitted.");
        assert!(
            facts
                .iter()
                .all(|f| f.kind != super::super::FactKind::Function)
        );
        assert!(
            facts
                .iter()
                .any(|f| f.value
                    == FactValue::Response(super::super::Response::FunctionalImprovement))
        );
    }
}
