//! Findings named by their signs rather than by their names: a red flag told by a deficit
//! that grows ("dorsiflexion has weakened from 5/5 to 4/5", "progressive left foot drop") or
//! that holds ("no change in his foot drop"), and aberrant drug-related behaviour told by where
//! the drugs came from ("a Norco prescription from an urgent care physician", "taking his
//! wife's Vicodin").

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, FactValue, Polarity, RedFlag};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

/// A deficit measured on examination, as the notes name it (numbness, what the patient
/// feels, is a symptom: "no change in the numbness" says nothing of a deficit).
const DEFICIT: &str = r"(?:weakness|foot\s+drop|drop\s+foot|wrist\s+drop|paresis|atrophy|sensory\s+loss|(?:neurologic(?:al)?\s+)?deficits?)";

/// A strength grade that falls: "(declined) from 4/5 to 3/5", "5/5 -> 4/5", "3/5, down from
/// 4/5". The verb of the fall is in the span, so that "declined" is not read as a refusal.
static FALLING_GRADE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:(?:(?:declined|dropped|decreased|weakened|worsened|deteriorated|fallen|fell|gone|went)\s+)?from\s+(?P<b1>[0-5])[+-]?\s*/\s*5\s*(?:to|->|→)\s*(?P<n1>[0-5])[+-]?\s*/\s*5",
        r"|(?P<b2>[0-5])[+-]?\s*/\s*5\s*(?:->|→)\s*(?P<n2>[0-5])[+-]?\s*/\s*5",
        r"|(?P<n3>[0-5])[+-]?\s*/\s*5(?:\s+[a-z]+){0,2}\s*[,(]?\s*(?:down\s+from|previously|from)\s+(?P<b3>[0-5])[+-]?\s*/\s*5)"
    ))
});

/// A deficit said to grow: "progressive left foot drop", "increasing weakness", "weakness is
/// getting worse", "progression of deficits", "getting weaker".
static GROWING: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        concat!(
            r"(?i)\b(?:(?:progressive|progressively\s+worsening|progressing|worsening|increasing)\s+(?:[\w-]+\s+){{0,2}}?{d}",
            r"|progression\s+of\s+(?:(?:his|her|the|their)\s+)?{d}",
            r"|{d}\s+(?:(?:that|which)\s+)?(?:(?:is|are|has\s+been|have\s+been|keeps|keep)\s+)?(?:getting\s+worse|worsening|progressing)",
            r"|{d}\s+(?:has|have)\s+(?:progressed|worsened)",
            r"|(?:getting|becoming|grown|gotten|growing)\s+weaker)\b"
        ),
        d = DEFICIT
    ))
});

/// A deficit said to hold: "no change in his right foot drop", "stable weakness", "deficits
/// unchanged", "weakness has not progressed".
static HOLDING: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        concat!(
            r"(?i)\b(?:(?:no\s+(?:change|changes|worsening|progression)\s+(?:in|of)|unchanged|stable|non-?progressive)\s+(?:(?:his|her|the|their|left|right|bilateral)\s+){{0,2}}{d}",
            r"|{d}\s+(?:(?:is|are|has\s+been|have\s+been|remains?|remained|has\s+remained|have\s+remained)\s+)(?:unchanged|stable|non-?progressive)",
            r"|{d}\s+(?:has|have)\s+not\s+(?:progressed|worsened|changed))\b"
        ),
        d = DEFICIT
    ))
});

/// Red flags of a deficit that grows or holds, with the polarity they carry when they say it
/// themselves (`Some(Negated)` for a deficit that holds; `None`: the sentence's scopes decide).
pub(super) fn progression(text: &str) -> Vec<(Fact, Option<Polarity>)> {
    let fact = |start: usize, end: usize| {
        Fact::new(
            FactValue::RedFlag(RedFlag::ProgressiveNeurologicDeficit),
            text,
            start,
            end,
        )
    };
    let mut found: Vec<(Fact, Option<Polarity>)> = Vec::new();
    for c in FALLING_GRADE.captures_iter(text) {
        // "4+" is above 4, "4-" below it.
        let grade = |name: &str| {
            let m = c.name(name)?;
            let base = m.as_str().parse::<u8>().ok()? * 3 + 1;
            Some(match text.as_bytes().get(m.end()) {
                Some(b'+') => base + 1,
                Some(b'-') => base - 1,
                _ => base,
            })
        };
        let before = grade("b1").or(grade("b2")).or(grade("b3"));
        let now = grade("n1").or(grade("n2")).or(grade("n3"));
        if let (Some(before), Some(now)) = (before, now)
            && now < before
            && let Some(m) = c.get(0)
        {
            found.push((fact(m.start(), m.end()), None));
        }
    }
    for m in HOLDING.find_iter(text) {
        found.push((fact(m.start(), m.end()), Some(Polarity::Negated)));
    }
    for m in GROWING.find_iter(text) {
        if !found
            .iter()
            .any(|(f, _)| f.start < m.end() && m.start() < f.end)
        {
            found.push((fact(m.start(), m.end()), None));
        }
    }
    found
}

/// Bowel and bladder said to work: "bowel/bladder: no changes", "bowel and bladder function
/// intact", "continent of bowel and bladder". The red flag negated, whatever word of a normal
/// state follows.
static CONTINENT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:bowel|bladder)(?:\s*(?:and|or|/)\s*(?:bowel|bladder))?(?:\s+(?:function|habits|control))?",
        r"\s*(?::|is|are|remains?)?\s*(?:normal|intact|wnl|within\s+normal\s+limits|unchanged|no\s+changes?|continent|unremarkable)\b",
        r"|\bcontinent\s+of\s+(?:bowel|bladder)(?:\s*(?:and|or|/)\s*(?:bowel|bladder))?\b"
    ))
});

/// Bowel and bladder said to work: the red flag, negated.
pub(super) fn continence(text: &str) -> Vec<Fact> {
    CONTINENT
        .find_iter(text)
        .map(|m| {
            let mut f = Fact::new(
                FactValue::RedFlag(RedFlag::BowelBladderDysfunction),
                text,
                m.start(),
                m.end(),
            );
            f.polarity = Polarity::Negated;
            f
        })
        .collect()
}

/// A source of drugs beside the treating physician: "from an urgent care physician", "two
/// different doctors", "other prescribers", "from an outside pain clinic".
static ELSEWHERE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\bfrom\s+(?:an?\s+|the\s+)?(?:another|other|outside|second|different|multiple|several|urgent\s+care|walk-in)\b",
        r"|\b(?:two|three|four|[2-9]|several|multiple|different|other)\s+(?:different\s+|other\s+)?(?:prescribers|physicians|doctors|providers|pharmacies|clinics)\b"
    ))
});

/// What is got: a prescription or the drugs themselves.
static SUPPLY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:prescriptions?|scripts?|refills?|pills|tablets|medications?|opioids?|narcotics?)\b",
    )
});

/// Drugs bought outside any prescription, or taken beyond it: "buying oxycodone on the
/// street", "taking more Norco than prescribed", "in excess of the prescribed dose".
static OUTSIDE_PRESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:buy|buys|buying|bought|purchas\w*|obtain\w*|gets?|getting|got)\s+(?:[\w-]+\s+){0,3}?(?:on|off|from)\s+the\s+street\b",
        r"|\b(?:more|faster|sooner|quicker)\s+(?:[\w-]+\s+){0,3}?than\s+(?:was\s+|is\s+|what\s+was\s+|what\s+is\s+)?prescribed\b",
        r"|\b(?:in\s+excess\s+of|beyond)\s+(?:the\s+|his\s+|her\s+)?prescribed\b",
        // Running out early, a pill count that comes up short, a broken agreement.
        r"|\b(?:ran|runs|run|running)\s+out\s+(?:[\w-]+\s+){0,4}?early\b",
        r"|\bpill\s+counts?\s+(?:(?:was|were|is|are|has\s+been|have\s+been)\s+)?(?:short|low|inconsistent|incorrect)\b",
        r"|\b(?:violat\w+|breach\w*|broke)\s+(?:(?:his|her|the|their)\s+)?(?:opioid\s+|pain\s+|narcotic\s+|medication\s+|treatment\s+)?(?:agreement|contract)\b"
    ))
});

/// Asking for a drug early is the behaviour itself: "requested early refills", "no requests
/// for early refills", "asks for an early fill".
static ASKED_FOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:requests?|requested|requesting|asks?|asked|asking)\s+(?:for\s+)?(?:an?\s+|more\s+)?$",
    )
});

/// How far before a behaviour its request word may stand.
const ASKED_REACH: usize = 30;

/// Where a behaviour asked for starts: at its request word, so that the word is read as the
/// behaviour rather than as a plan of it.
pub(super) fn asked_for(text: &str, start: usize) -> Option<usize> {
    let from = super::anatomy::floor_char(text, start.saturating_sub(ASKED_REACH));
    ASKED_FOR.find(&text[from..start]).map(|m| from + m.start())
}

/// Someone else's drugs: "his wife's Vicodin", "a friend's oxycodone".
static BORROWED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:his|her|their|a|the)\s+(?:wife|husband|spouse|partner|friend|mother|father|son|daughter|brother|sister|relative|neighbou?r|roommate|co-?worker|family\s+member)'s\s+",
    )
});

/// How far around a source the drug or prescription may be named.
const SUPPLY_REACH: usize = 60;

/// Aberrant behaviour told by where the drugs came from, or by taking more than prescribed.
pub(super) fn misuse(text: &str) -> Vec<Fact> {
    let aberrant =
        |start: usize, end: usize| Fact::new(FactValue::AberrantBehavior, text, start, end);
    let mut found = Vec::new();
    for m in ELSEWHERE.find_iter(text) {
        if supplied(text, m.start(), m.end()) {
            found.push(aberrant(m.start(), m.end()));
        }
    }
    for m in OUTSIDE_PRESCRIPTION.find_iter(text) {
        found.push(aberrant(m.start(), m.end()));
    }
    for m in BORROWED.find_iter(text) {
        let after = &text[m.end()..];
        if crate::vocab::drugs::mentions(after)
            .first()
            .is_some_and(|d| d.start == 0)
        {
            found.push(aberrant(m.start(), m.end()));
        }
    }
    found
}

/// Whether drugs or a prescription are named in the clause around `start..end` (not across a
/// sentence or a ';'): "a Norco prescription from an urgent care physician", "other
/// prescribers of opioids".
fn supplied(text: &str, start: usize, end: usize) -> bool {
    let from = super::anatomy::floor_char(text, start.saturating_sub(SUPPLY_REACH));
    let lead = &text[from..start];
    let lead = lead.rfind(['.', ';']).map_or(lead, |i| &lead[i + 1..]);
    let to = super::anatomy::floor_char(text, (end + SUPPLY_REACH).min(text.len()));
    let tail = &text[end..to.max(end)];
    let tail = tail.find(['.', ';']).map_or(tail, |i| &tail[..i]);
    [lead, tail]
        .iter()
        .any(|s| SUPPLY.is_match(s) || !crate::vocab::drugs::mentions(s).is_empty())
}

/// Weight lost beside another constitutional sign ("night pain and weight loss", "denies
/// fevers, chills or weight loss"): a sign of a tumor. Alone it may be a goal ("encouraged
/// weight loss").
static WEIGHT_LOSS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bweight[\s-]+loss\b"));
static CONSTITUTIONAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:night\s+pain|pain\s+at\s+night|night\s+sweats|fevers?|chills|malaise|anorexia|loss\s+of\s+appetite)\b",
    )
});

/// How far a constitutional sign may stand from the weight loss it goes with.
const CONSTITUTIONAL_REACH: usize = 60;

/// Tumor red flags told by weight loss among constitutional signs.
pub(super) fn wasting(text: &str) -> Vec<Fact> {
    WEIGHT_LOSS
        .find_iter(text)
        .filter(|m| {
            let from =
                super::anatomy::floor_char(text, m.start().saturating_sub(CONSTITUTIONAL_REACH));
            let to =
                super::anatomy::floor_char(text, (m.end() + CONSTITUTIONAL_REACH).min(text.len()));
            let near = &text[from..to.max(m.end())];
            // Only within the sentence of the weight loss.
            let (a, b) = (m.start() - from, m.end() - from);
            let lead = near[..a].rfind('.').map_or(&near[..a], |i| &near[i + 1..a]);
            let tail = near[b..].find('.').map_or(&near[b..], |i| &near[b..b + i]);
            CONSTITUTIONAL.is_match(lead) || CONSTITUTIONAL.is_match(tail)
        })
        .map(|m| Fact::new(FactValue::RedFlag(RedFlag::Tumor), text, m.start(), m.end()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{FactKind, facts};

    /// The red flags and aberrant behaviour read in `text`, with their polarity.
    fn flags(text: &str) -> Vec<(String, Polarity)> {
        facts(text)
            .into_iter()
            .filter(|f| matches!(f.kind, FactKind::RedFlag | FactKind::AberrantBehavior))
            .map(|f| (f.value.to_string(), f.polarity))
            .collect()
    }

    #[test]
    fn red_flags_and_misuse_named_by_their_signs() {
        // A past cancer is a red flag now.
        assert_eq!(
            flags("Past history of prostate cancer."),
            [("tumor".to_string(), Polarity::Affirmed)]
        );
        assert_eq!(
            flags("He reports unexplained weight loss of 15 pounds."),
            [("tumor".to_string(), Polarity::Affirmed)]
        );
        assert_eq!(
            flags("She has had urinary urgency since the fall."),
            [("bowel_bladder_dysfunction".to_string(), Polarity::Affirmed)]
        );
        assert_eq!(
            flags("Labs show leukocytosis and an elevated CRP."),
            [
                ("infection".to_string(), Polarity::Affirmed),
                ("infection".to_string(), Polarity::Affirmed)
            ]
        );
        assert_eq!(
            flags("Rectal exam shows poor rectal tone."),
            [("cauda_equina".to_string(), Polarity::Affirmed)]
        );
        assert_eq!(
            flags("No difficulty voiding."),
            [("bowel_bladder_dysfunction".to_string(), Polarity::Negated)]
        );
        for normal in [
            "Bowel/bladder: no changes.",
            "Bladder function is normal.",
            "She is continent of bowel and bladder.",
            "GU: denies incontinence.",
        ] {
            assert_eq!(
                flags(normal),
                [("bowel_bladder_dysfunction".to_string(), Polarity::Negated)],
                "{normal}"
            );
        }
        assert_eq!(
            flags("ROS: negative for fevers."),
            [("infection".to_string(), Polarity::Negated)]
        );
        assert_eq!(
            flags("There are no aberrant drug-related behaviours."),
            [("aberrant_behavior".to_string(), Polarity::Negated)]
        );
    }

    fn progressions(text: &str) -> Vec<Option<Polarity>> {
        progression(text).into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn a_falling_grade_is_a_deficit_that_grows() {
        assert_eq!(
            progressions("Wrist extension went from 5/5 to 4-/5 since March."),
            [None]
        );
        assert_eq!(progressions("EHL 4/5 -> 3/5 over two visits."), [None]);
        assert_eq!(progressions("Biceps dropped from 4+/5 to 4-/5."), [None]);
        assert_eq!(progressions("Triceps 3/5 today, down from 4/5."), [None]);
        assert!(progressions("Grip 5/5, previously 4/5.").is_empty());
        // A grade that rises, or a range in one exam, is no progression.
        assert!(progressions("Grip improved from 3/5 to 4/5 with therapy.").is_empty());
        assert!(progressions("Hip flexion 4/5 to 5/5 bilaterally.").is_empty());
    }

    #[test]
    fn a_deficit_called_growing_or_holding() {
        assert_eq!(progressions("Progressive right wrist drop."), [None]);
        assert_eq!(progressions("His leg weakness is getting worse."), [None]);
        assert_eq!(progressions("Arm weakness that is worsening."), [None]);
        assert_eq!(
            progressions("The weakness has remained stable."),
            [Some(Polarity::Negated)]
        );
        assert_eq!(
            progressions("Deltoid has declined from 5/5 to 4/5."),
            [None]
        );
        assert_eq!(progressions("She feels the arm getting weaker."), [None]);
        assert_eq!(
            progressions("Stable left foot drop since the fusion."),
            [Some(Polarity::Negated)]
        );
        assert_eq!(
            progressions("The deficits have not progressed."),
            [Some(Polarity::Negated)]
        );
        assert!(progressions("Increasing pain in the knee.").is_empty());
        assert!(progressions("No change in the tingling of her fingers.").is_empty());
    }

    #[test]
    fn drugs_from_elsewhere_or_someone_else() {
        assert_eq!(
            misuse("She filled a tramadol script from a different dentist last week.").len(),
            1
        );
        assert_eq!(misuse("Admits using her brother's Percocet.").len(), 1);
        // A referral from another office carries no drugs.
        assert!(misuse("He was referred from another clinic for the shoulder.").is_empty());
        assert!(misuse("His wife's car was rear-ended.").is_empty());
        assert_eq!(
            misuse("CURES lists Norco fills from two different doctors.").len(),
            1
        );
        assert!(misuse("She has seen several physicians for the knee.").is_empty());
        assert_eq!(misuse("Opioid fills from 3 pharmacies this year.").len(), 1);
        assert_eq!(misuse("He bought hydrocodone off the street.").len(), 1);
        assert_eq!(
            misuse("She took more of the Norco than prescribed.").len(),
            1
        );
    }

    #[test]
    fn asking_for_early_refills_is_the_behaviour() {
        let read = |text: &str| {
            facts(text)
                .into_iter()
                .find(|f| f.kind == FactKind::AberrantBehavior)
                .map(|f| f.polarity)
        };
        assert_eq!(
            read("He has asked for early refills twice."),
            Some(Polarity::Affirmed)
        );
        assert_eq!(
            read("There have been no requests for an early refill."),
            Some(Polarity::Negated)
        );
    }

    #[test]
    fn weight_loss_among_constitutional_signs() {
        assert_eq!(wasting("He reports night sweats and weight loss.").len(), 1);
        assert_eq!(wasting("ROS: no fevers, chills or weight loss.").len(), 1);
        assert!(wasting("Weight loss was encouraged. No fevers.").is_empty());
    }
}
