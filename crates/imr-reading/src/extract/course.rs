//! A first course: the record says a medication is new to the patient. The guidelines judge
//! starting a drug apart from continuing it (CPMTG: muscle relaxants and benzodiazepines for a
//! short course only; MTUS Opioids: initiating against maintaining), and a record names the
//! drug being started in the same words as one long taken, so the difference is read here:
//! - a drug stated as not taken before ("has never taken a benzodiazepine", "no prior opioid
//!   use", "has not tried a muscle relaxant before");
//! - a drug planned as a start ("a two-week trial of tramadol", "will start gabapentin",
//!   "initiate Norco"), not a restart or a continuation;
//! - a patient naive to a class ("opioid-naive").
//!
//! Each gives a [`FactValue::FirstCourse`] on the drug's span, `about` its class.

use super::{Fact, FactValue, Polarity, drugs};

/// Words that put a denial of a drug in the past: it was never taken, not merely stopped.
const NEVER_BEFORE: &[&str] = &["before", "previously", "ever", "never"];

/// Words that do the same only just before the drug ("no prior opioid use"): elsewhere in the
/// clause they qualify something else ("a prior determination ... the use of Norflex").
const PRIOR: &[&str] = &["prior", "previous"];

/// Words that make a planned drug a new one.
const STARTS: &[&str] = &[
    "trial",
    "start",
    "starting",
    "begin",
    "initiate",
    "initiating",
    "initiation",
    "new",
    "newly",
];

/// Words that make a planned drug an old one, whatever else the clause says.
const CONTINUES: &[&str] = &[
    "continue",
    "continued",
    "continuing",
    "continuation",
    "refill",
    "refills",
    "renew",
    "resume",
    "restart",
    "another",
    "again",
    "repeat",
    "second",
    "further",
    "ongoing",
    "current",
    "currently",
];

/// The first courses a text states, given the facts already read from it.
pub(super) fn first_courses(text: &str, facts: &[Fact]) -> Vec<Fact> {
    let mut out: Vec<Fact> = facts
        .iter()
        .filter(|f| f.value.kind() == super::FactKind::Medication && !f.ur_reasoning)
        .filter(|f| {
            let words = clause_words(text, f);
            let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
            let prior = word_before(text, f.start).is_some_and(|w| PRIOR.contains(&w.as_str()));
            !has(CONTINUES)
                && match f.polarity {
                    Polarity::Negated => has(NEVER_BEFORE) || prior,
                    Polarity::Planned | Polarity::Uncertain => has(STARTS),
                    _ => false,
                }
        })
        .map(|f| first_course(text, f.start, f.end, f.about.clone()))
        .collect();
    out.extend(naive_classes(text));
    out
}

/// The words of the clause a fact stands in, lower case.
fn clause_words(text: &str, fact: &Fact) -> Vec<String> {
    let (a, b) = fact.clause.unwrap_or((fact.start, fact.end));
    text.get(a..b)
        .unwrap_or_default()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The word just before `at`, lower case.
fn word_before(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at)?.trim_end();
    let start = before
        .rfind(|c: char| !c.is_alphanumeric())
        .map_or(0, |i| i + 1);
    let word = &before[start..];
    (!word.is_empty()).then(|| word.to_lowercase())
}

/// "Opioid-naive", "narcotic naïve": the class word just before "naive".
fn naive_classes(text: &str) -> Vec<Fact> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for word in ["naive", "naïve"] {
        for (at, _) in lower.match_indices(word) {
            // The class word ends one hyphen or space before "naive".
            let Some(end) = at.checked_sub(1) else {
                continue;
            };
            if !matches!(lower.as_bytes()[end], b'-' | b' ') {
                continue;
            }
            let start = lower[..end]
                .rfind(|c: char| !c.is_ascii_alphabetic())
                .map_or(0, |i| i + 1);
            let Some(class) = drugs::mentions_in_record(&text[start..end])
                .first()
                .map(|d| d.entry.class.as_str().to_string())
            else {
                continue;
            };
            out.push(first_course(text, start, end, Some(class)));
        }
    }
    out
}

fn first_course(text: &str, start: usize, end: usize, about: Option<String>) -> Fact {
    let name = text
        .get(start..end)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut fact = Fact::new(FactValue::FirstCourse(name), text, start, end);
    fact.about = about;
    fact
}

#[cfg(test)]
mod tests {
    use crate::extract::{FactValue, read};

    fn first_courses(text: &str) -> Vec<String> {
        read(text)
            .facts()
            .iter()
            .filter(|f| matches!(f.value, FactValue::FirstCourse(_)))
            .map(|f| f.about.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_drug_never_taken_before_is_a_first_course() {
        assert_eq!(
            first_courses("He has not taken a muscle relaxant before."),
            ["muscle_relaxant"]
        );
        assert_eq!(
            first_courses("Patient is opioid-naive and has tried ibuprofen."),
            ["opioid"]
        );
        assert_eq!(
            first_courses("Plan: a two-week trial of tramadol."),
            ["opioid"]
        );
    }

    #[test]
    fn a_bounded_course_has_its_length() {
        let doc = read("Diazepam was started for no more than three weeks.");
        let diazepam = doc
            .facts()
            .iter()
            .find(|f| matches!(f.value, FactValue::Medication(_)))
            .expect("the drug is read");
        let length = diazepam.duration.expect("its length is read");
        assert_eq!(
            (length.amount, length.unit),
            (3, crate::request::TimeUnit::Week)
        );
    }

    #[test]
    fn a_drug_stopped_or_continued_is_not() {
        assert!(first_courses("He is not taking Norco at present.").is_empty());
        assert!(first_courses("He stopped Norco last year.").is_empty());
        assert!(first_courses("Plan: continue the trial of gabapentin.").is_empty());
        assert!(first_courses("Will restart cyclobenzaprine at night.").is_empty());
        assert!(first_courses("He is not currently taking Norco.").is_empty());
        assert!(
            first_courses("A prior review found no support for the ongoing use of Norflex.")
                .is_empty()
        );
        assert_eq!(first_courses("No prior opioid use."), ["opioid"]);
    }
}
