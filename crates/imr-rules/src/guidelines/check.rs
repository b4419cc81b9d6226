//! The rules lint: rules that can never decide because an earlier rule always decides first
//! (shadowed), and rules that reach opposite outcomes on the same conditions (contradictions).
//!
//! The engine tries rules in order and the first that holds decides, so a later rule whose
//! conditions imply an earlier rule's, for the same services and dates, is dead: a reader of the
//! rule files would believe it does something.

use serde::Serialize;

use super::{Condition, Guidelines, Outcome, Rule, Test};

/// What the lint found about one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The rule that cannot decide, or the second of two that contradict.
    pub rule: String,
    pub file: String,
    pub line: usize,
    pub kind: ProblemKind,
    /// The earlier rule it is measured against.
    pub by: String,
    pub by_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Whenever this rule holds, the earlier one holds too and decides first.
    Shadowed,
    /// The same conditions as the earlier rule, with the opposite outcome.
    Contradicts,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            ProblemKind::Shadowed => {
                "never decides: whenever it holds, an earlier rule holds and decides first"
            }
            ProblemKind::Contradicts => {
                "contradicts an earlier rule: the same conditions, the opposite outcome"
            }
        };
        write!(
            f,
            "{}:{}: rule {} {what} ({} at line {})",
            self.file, self.line, self.rule, self.by, self.by_line
        )
    }
}

/// Every shadowed or contradicting rule, in the order of the rule files.
pub fn check(guidelines: &Guidelines) -> Vec<Problem> {
    let rules = &guidelines.rules;
    let mut problems = Vec::new();
    for (i, later) in rules.iter().enumerate() {
        let earlier = rules[..i].iter().find(|earlier| {
            covers_services(earlier, later)
                && covers_dates(earlier, later)
                && implies(later, earlier)
        });
        if let Some(earlier) = earlier {
            let same = implies(earlier, later);
            let opposite = matches!(
                (earlier.outcome, later.outcome),
                (Outcome::Upheld, Outcome::Overturned) | (Outcome::Overturned, Outcome::Upheld)
            );
            problems.push(Problem {
                rule: later.id.clone(),
                file: later.file.clone(),
                line: later.line,
                kind: if same && opposite {
                    ProblemKind::Contradicts
                } else {
                    ProblemKind::Shadowed
                },
                by: earlier.id.clone(),
                by_line: earlier.line,
            });
        }
    }
    problems
}

/// The earlier rule is tried for every service the later one is.
fn covers_services(earlier: &Rule, later: &Rule) -> bool {
    earlier.services.is_empty()
        || (!later.services.is_empty()
            && later.services.iter().all(|s| earlier.services.contains(s)))
}

/// The earlier rule is in force whenever the later one is.
fn covers_dates(earlier: &Rule, later: &Rule) -> bool {
    earlier.effective <= later.effective
        && match (earlier.until, later.until) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => b <= a,
        }
}

/// Whenever `a`'s conditions hold, `b`'s hold: each of `b`'s conditions follows from one of `a`'s.
fn implies(a: &Rule, b: &Rule) -> bool {
    b.when
        .iter()
        .all(|needed| a.when.iter().any(|given| condition_implies(given, needed)))
}

fn condition_implies(given: &Condition, needed: &Condition) -> bool {
    if given.subject != needed.subject {
        return false;
    }
    match (&given.test, &needed.test) {
        (g, n) if g == n => true,
        // Stated as absent, or not mentioned: in both cases it is not documented.
        (Test::Negated | Test::Unknown, Test::NotDocumented) => true,
        (Test::Documented, Test::NotNegated) => true,
        (Test::AtMost(g), Test::AtMost(n)) => g <= n,
        (Test::Above(g), Test::Above(n)) => g >= n,
        (Test::AnyOf(g), Test::AnyOf(n)) => g.iter().all(|w| n.contains(w)),
        (Test::NoneOf(g), Test::NoneOf(n)) => n.iter().all(|w| g.contains(w)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guidelines::load_files;

    fn rules(text: &str) -> Guidelines {
        let thresholds = include_str!("../../../../guidelines/thresholds.toml");
        load_files([("thresholds.toml", thresholds), ("test.toml", text)]).expect("test rules load")
    }

    const HEAD: &str = "topic = \"t\"\n";

    fn rule(id: &str, when: &str, outcome: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\neffective = \"2009-07-18\"\nservices = [\"acupuncture\"]\ncitation = {{ family = \"acupuncture\", guideline = \"MTUS Acupuncture Medical Treatment Guidelines\" }}\nwhen = [{when}]\noutcome = \"{outcome}\"\nrationale = \"r\"\n"
        )
    }

    #[test]
    fn a_rule_whose_conditions_imply_an_earlier_one_is_shadowed() {
        let text = format!(
            "{HEAD}{}{}",
            rule(
                "a",
                "{ fact = \"functional_improvement\", is = \"not_documented\" }",
                "Upheld"
            ),
            rule(
                "b",
                "{ fact = \"functional_improvement\", is = \"negated\" }, { request = \"quantity\", at_most = 6 }",
                "Overturned"
            ),
        );
        let problems = check(&rules(&text));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].rule, "b");
        assert_eq!(problems[0].kind, ProblemKind::Shadowed);
    }

    #[test]
    fn the_same_conditions_with_the_opposite_outcome_contradict() {
        let when = "{ request = \"quantity\", above = 6 }";
        let text = format!(
            "{HEAD}{}{}",
            rule("a", when, "Upheld"),
            rule("b", when, "Overturned")
        );
        let problems = check(&rules(&text));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::Contradicts);
    }

    #[test]
    fn a_narrower_earlier_rule_shadows_nothing() {
        let text = format!(
            "{HEAD}{}{}",
            rule("a", "{ request = \"quantity\", above = 12 }", "Upheld"),
            rule("b", "{ request = \"quantity\", above = 6 }", "Upheld"),
        );
        assert!(check(&rules(&text)).is_empty());
    }
}
