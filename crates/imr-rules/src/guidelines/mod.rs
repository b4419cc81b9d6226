//! Guidelines as data: rule files (TOML, one per guideline topic) read into validated rules.
//!
//! A rule says which services it applies to, the conditions over the facts and the request under
//! which it decides, the outcome, the citation (guideline, section, pages), a rationale template
//! and the documentation that would be needed to change the outcome. The loader refuses a bad
//! file with its name, line and reason: an unknown key, a missing citation, an unknown service,
//! fact or placeholder, a bad date, or two versions of one rule in force on the same day.

pub mod check;
mod embedded;
mod load;
pub mod thresholds;
pub mod vocab;

use std::fmt;

use jiff::civil::Date;
use serde::Serialize;

pub use embedded::EMBEDDED;
pub use load::{GuidelineError, load_file, load_files};
pub use thresholds::Thresholds;

/// Every rule of every file, in the order the engine tries them: cross-cutting rules first, then
/// the category rules, each in file order.
#[derive(Debug, Clone)]
pub struct Guidelines {
    pub rules: Vec<Rule>,
    /// The clinical thresholds (`[[threshold]]` in the rule files): a rule set loads only with
    /// every one set.
    pub thresholds: Thresholds,
}

/// One rule file as read: its rules and the thresholds it sets.
#[derive(Debug, Clone, Default)]
pub struct RuleFile {
    pub rules: Vec<Rule>,
    pub thresholds: Vec<(String, f64)>,
}

impl Guidelines {
    /// The rules shipped inside the binary (the `guidelines/` folder at build time).
    pub fn embedded() -> Result<Guidelines, GuidelineError> {
        load_files(EMBEDDED.iter().map(|(name, text)| (*name, *text)))
    }

    /// Rules in force on `date` that apply to `service`, in the order the engine tries them.
    pub fn in_force<'a>(
        &'a self,
        service: &'a str,
        date: Date,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules
            .iter()
            .filter(move |rule| rule.in_force(date) && rule.applies_to(service))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Rules every request must pass (guidelines.md §2): run before the category rules.
    CrossCutting,
    Category,
}

/// What a rule concludes when all its conditions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Upheld,
    Overturned,
    /// The guideline leaves the decision to the physician's judgment.
    NeedsPhysician,
}

/// The guideline families, used to compare the engine's citation with a reviewer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// MTUS Chronic Pain Medical Treatment Guidelines (8 CCR 9792.24.2).
    Cpmtg,
    /// MTUS Acupuncture Medical Treatment Guidelines (8 CCR 9792.24.1).
    Acupuncture,
    /// MTUS Postsurgical Treatment Guidelines (8 CCR 9792.24.3).
    Postsurgical,
    /// MTUS Opioids Treatment Guidelines (8 CCR 9792.24.4).
    Opioids,
    /// MTUS ACOEM chapters (body-part complaints, General Approaches).
    Acoem,
    /// Official Disability Guidelines, outside the MTUS.
    Odg,
    /// Any other source (Medicare, textbooks, payer policies).
    Other,
}

impl Family {
    pub const ALL: [Family; 7] = [
        Family::Cpmtg,
        Family::Acupuncture,
        Family::Postsurgical,
        Family::Opioids,
        Family::Acoem,
        Family::Odg,
        Family::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Cpmtg => "cpmtg",
            Family::Acupuncture => "acupuncture",
            Family::Postsurgical => "postsurgical",
            Family::Opioids => "opioids",
            Family::Acoem => "acoem",
            Family::Odg => "odg",
            Family::Other => "other",
        }
    }

    pub fn parse(word: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == word)
    }

    /// The family of a guideline as a letter names it ("MTUS Chronic Pain Medical Treatment",
    /// "Official Disability Guidelines (ODG) ...", "ACOEM ..."). The more specific names are
    /// tested first: "Chronic Pain Treatment Guidelines Post-Surgical" is postsurgical.
    pub fn of_guideline_name(name: &str) -> Family {
        let name = name.to_ascii_lowercase();
        let has = |word: &str| name.contains(word);
        if has("acupuncture") {
            Family::Acupuncture
        } else if has("postsurgical") || has("post-surgical") || has("post surgical") {
            Family::Postsurgical
        } else if has("opioid") {
            Family::Opioids
        } else if has("chronic pain") {
            Family::Cpmtg
        } else if has("complaints") || has("general approaches") || has("acoem") || has("chapter") {
            Family::Acoem
        } else if has("odg") || has("official disability") {
            Family::Odg
        } else {
            Family::Other
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's citation, as the letters cite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCitation {
    pub family: Family,
    pub guideline: String,
    pub section: Option<String>,
    pub pages: Option<String>,
}

impl fmt::Display for RuleCitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.guideline)?;
        if let Some(section) = &self.section {
            write!(f, ", {section}")?;
        }
        if let Some(pages) = &self.pages {
            let prefix = if pages.contains(['-', ',']) {
                "pp."
            } else {
                "p."
            };
            write!(f, ", {prefix} {pages}")?;
        }
        Ok(())
    }
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A clinical fact read from the record.
    Fact(vocab::ClinicalFact),
    /// An attribute of the disputed request (a name from [`vocab::REQUEST_ATTRIBUTES`]).
    Request(String),
}

impl Subject {
    pub fn name(&self) -> &str {
        match self {
            Subject::Fact(fact) => fact.as_str(),
            Subject::Request(name) => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// The fact is affirmed in the record.
    Documented,
    /// The fact is negated or not mentioned at all.
    NotDocumented,
    /// The record states the opposite ("no functional improvement").
    Negated,
    /// Affirmed, or not mentioned: the record does not state the opposite.
    NotNegated,
    /// The record does not mention the fact, or the request does not state the number.
    Unknown,
    /// The request states the number.
    Known,
    /// A yes/no request attribute.
    Yes,
    No,
    Above(f64),
    AtMost(f64),
    AnyOf(Vec<String>),
    NoneOf(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub subject: Subject,
    pub test: Test,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// The rule file it came from (for messages).
    pub file: String,
    pub line: usize,
    pub stage: Stage,
    pub effective: Date,
    pub until: Option<Date>,
    /// Service categories, or empty for every service.
    pub services: Vec<String>,
    pub citation: RuleCitation,
    pub when: Vec<Condition>,
    pub outcome: Outcome,
    pub rationale: String,
    /// Documentation that would change the outcome ("document functional improvement after the
    /// first 6 acupuncture visits").
    pub missing: Vec<String>,
}

impl Rule {
    pub fn in_force(&self, date: Date) -> bool {
        self.effective <= date && self.until.is_none_or(|until| date < until)
    }

    pub fn applies_to(&self, service: &str) -> bool {
        self.services.is_empty() || self.services.iter().any(|s| s == service)
    }
}
