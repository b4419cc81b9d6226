//! Reading and validating rule files. Every check names the file, the line and what is wrong.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use super::thresholds::{self, Thresholds};
use super::vocab::{
    BODY_REGIONS, FACTS, LIST_ATTRIBUTES, NUMERIC_ATTRIBUTES, PLACEHOLDERS, REQUEST_ATTRIBUTES,
    is_service, service_names,
};
use super::{
    Condition, Family, Guidelines, Outcome, Rule, RuleCitation, RuleFile, Stage, Subject, Test,
};

/// A rule file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(.file, *.line, .message))]
pub struct GuidelineError {
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
}

/// "file:line: message", or "file: message" when no line is to blame.
fn describe(file: &str, line: usize, message: &str) -> String {
    if line == 0 {
        format!("{file}: {message}")
    } else {
        format!("{file}:{line}: {message}")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The guideline topic the file covers, for people reading it.
    #[allow(dead_code)]
    topic: String,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    threshold: Vec<Spanned<RawThreshold>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    name: Spanned<String>,
    value: f64,
    /// The guideline that sets it, for people reading the file.
    #[allow(dead_code)]
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    #[serde(default)]
    stage: Option<Spanned<String>>,
    effective: Spanned<String>,
    #[serde(default)]
    until: Option<Spanned<String>>,
    /// Required, so that "every service" is written out as `services = []`.
    services: Spanned<Vec<String>>,
    citation: Option<Spanned<RawCitation>>,
    #[serde(default)]
    when: Vec<Spanned<RawCondition>>,
    outcome: Spanned<String>,
    rationale: Spanned<String>,
    #[serde(default)]
    missing: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    family: Spanned<String>,
    guideline: String,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    pages: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(default)]
    fact: Option<String>,
    #[serde(default)]
    request: Option<String>,
    #[serde(default)]
    is: Option<String>,
    #[serde(default)]
    above: Option<f64>,
    #[serde(default)]
    at_most: Option<f64>,
    #[serde(default)]
    any_of: Option<Vec<String>>,
    #[serde(default)]
    none_of: Option<Vec<String>>,
}

/// Reads several rule files (name, text) into one rule set, checking that no rule id is in force
/// twice on the same day across files.
pub fn load_files<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Guidelines, GuidelineError> {
    let mut rules = Vec::new();
    let mut values = Vec::new();
    for (name, text) in files {
        let file = load_file(name, text)?;
        rules.extend(file.rules);
        values.extend(file.thresholds);
    }
    check_versions(&rules)?;
    // Stable sort: file order is kept within each stage.
    rules.sort_by_key(|rule| rule.stage);
    let thresholds = Thresholds::from_values(&values).map_err(|message| GuidelineError {
        // No one file is wrong: the set lacks a threshold.
        file: "the rule files".to_string(),
        line: 0,
        message,
    })?;
    Ok(Guidelines { rules, thresholds })
}

/// Reads one rule file.
pub fn load_file(name: &str, text: &str) -> Result<RuleFile, GuidelineError> {
    let error = |span: Option<Range<usize>>, message: String| GuidelineError {
        file: name.to_string(),
        line: span.map_or(0, |s| line_of(text, s.start)),
        message,
    };
    let raw: RawFile =
        toml::from_str(text).map_err(|e| error(e.span(), e.message().trim().to_string()))?;
    let mut rules = Vec::new();
    for raw_rule in raw.rule {
        let span = raw_rule.span();
        let rule = read_rule(name, text, raw_rule.into_inner(), span)?;
        rules.push(rule);
    }
    check_versions(&rules)?;
    let mut values = Vec::new();
    for threshold in raw.threshold {
        let span = threshold.span();
        let threshold = threshold.into_inner();
        let key = threshold.name.get_ref();
        if !thresholds::NAMES.contains(&key.as_str()) {
            return Err(error(
                Some(span),
                format!(
                    "unknown threshold \"{key}\" (known: {})",
                    thresholds::NAMES.join(", ")
                ),
            ));
        }
        if !(threshold.value.is_finite() && threshold.value > 0.0) {
            return Err(error(
                Some(span),
                format!("threshold {key}: the value must be a positive number"),
            ));
        }
        values.push((key.clone(), threshold.value));
    }
    Ok(RuleFile {
        rules,
        thresholds: values,
    })
}

fn read_rule(
    file: &str,
    text: &str,
    raw: RawRule,
    span: Range<usize>,
) -> Result<Rule, GuidelineError> {
    let at = |span: Range<usize>, message: String| GuidelineError {
        file: file.to_string(),
        line: line_of(text, span.start),
        message,
    };
    let id = raw.id.get_ref().trim().to_string();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        return Err(at(
            raw.id.span(),
            format!("rule id \"{id}\" must be lower-case words joined by '.', '-' or '_'"),
        ));
    }
    let in_rule = |message: String| format!("rule {id}: {message}");

    let stage = match raw.stage.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("category") => Stage::Category,
        Some("cross_cutting") => Stage::CrossCutting,
        Some(other) => {
            let span = raw.stage.as_ref().map_or(span.clone(), Spanned::span);
            return Err(at(
                span,
                in_rule(format!(
                    "unknown stage \"{other}\" (expected \"cross_cutting\" or \"category\")"
                )),
            ));
        }
    };
    let effective = parse_date(&raw.effective).map_err(|m| at(raw.effective.span(), in_rule(m)))?;
    let until = match &raw.until {
        Some(until) => Some(parse_date(until).map_err(|m| at(until.span(), in_rule(m)))?),
        None => None,
    };
    if let Some(until) = until
        && until <= effective
    {
        let until_span = raw.until.as_ref().map_or(span.clone(), Spanned::span);
        return Err(at(
            until_span,
            in_rule(format!(
                "\"until\" ({until}) must come after \"effective\" ({effective})"
            )),
        ));
    }

    for service in raw.services.get_ref() {
        if !is_service(service) {
            return Err(at(
                raw.services.span(),
                in_rule(format!(
                    "unknown service \"{service}\"{}",
                    suggestion(service, &service_names())
                )),
            ));
        }
    }

    let Some(citation) = raw.citation else {
        return Err(at(
            span,
            in_rule("has no citation: every rule must name its guideline".into()),
        ));
    };
    let citation_span = citation.span();
    let citation = citation.into_inner();
    let family = Family::parse(citation.family.get_ref()).ok_or_else(|| {
        let names: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
        at(
            citation.family.span(),
            in_rule(format!(
                "unknown guideline family \"{}\" (expected one of: {})",
                citation.family.get_ref(),
                names.join(", ")
            )),
        )
    })?;
    if citation.guideline.trim().is_empty() {
        return Err(at(
            citation_span,
            in_rule("the citation names no guideline".into()),
        ));
    }

    let mut when = Vec::new();
    for condition in &raw.when {
        let read =
            read_condition(condition.get_ref()).map_err(|m| at(condition.span(), in_rule(m)))?;
        when.push(read);
    }

    let outcome = match raw.outcome.get_ref().as_str() {
        "Upheld" => Outcome::Upheld,
        "Overturned" => Outcome::Overturned,
        "needs_physician" => Outcome::NeedsPhysician,
        other => {
            return Err(at(
                raw.outcome.span(),
                in_rule(format!(
                    "unknown outcome \"{other}\" (expected \"Upheld\", \"Overturned\" or \"needs_physician\")"
                )),
            ));
        }
    };

    let rationale = raw
        .rationale
        .get_ref()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if rationale.is_empty() {
        return Err(at(
            raw.rationale.span(),
            in_rule("the rationale is empty".into()),
        ));
    }
    check_placeholders(&rationale).map_err(|m| at(raw.rationale.span(), in_rule(m)))?;

    Ok(Rule {
        id,
        file: file.to_string(),
        line: line_of(text, span.start),
        stage,
        effective,
        until,
        services: raw.services.into_inner(),
        citation: RuleCitation {
            family,
            guideline: citation.guideline.trim().to_string(),
            section: citation
                .section
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            pages: citation
                .pages
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        },
        when,
        outcome,
        rationale,
        missing: raw.missing,
    })
}

fn read_condition(raw: &RawCondition) -> Result<Condition, String> {
    let subject = match (&raw.fact, &raw.request) {
        (Some(fact), None) => {
            let Some(known) = super::vocab::ClinicalFact::parse(fact) else {
                return Err(format!(
                    "unknown fact \"{fact}\"{}",
                    suggestion(fact, FACTS)
                ));
            };
            Subject::Fact(known)
        }
        (None, Some(attribute)) => {
            if !REQUEST_ATTRIBUTES.contains(&attribute.as_str()) {
                return Err(format!(
                    "unknown request attribute \"{attribute}\"{}",
                    suggestion(attribute, REQUEST_ATTRIBUTES)
                ));
            }
            Subject::Request(attribute.clone())
        }
        _ => return Err("a condition names exactly one of \"fact\" or \"request\"".into()),
    };
    let tests = [
        raw.is.is_some(),
        raw.above.is_some(),
        raw.at_most.is_some(),
        raw.any_of.is_some(),
        raw.none_of.is_some(),
    ];
    if tests.iter().filter(|t| **t).count() != 1 {
        return Err(format!(
            "the condition on \"{}\" needs exactly one test: is, above, at_most, any_of or none_of",
            subject.name()
        ));
    }
    let name = subject.name().to_string();
    let numeric =
        matches!(&subject, Subject::Request(a) if NUMERIC_ATTRIBUTES.contains(&a.as_str()));
    let list = matches!(&subject, Subject::Request(a) if LIST_ATTRIBUTES.contains(&a.as_str()));
    let yes_no = matches!(&subject, Subject::Request(_)) && !numeric && !list;
    let test = if let Some(is) = &raw.is {
        let test = match is.as_str() {
            "documented" => Test::Documented,
            "not_documented" => Test::NotDocumented,
            "negated" => Test::Negated,
            "not_negated" => Test::NotNegated,
            "unknown" => Test::Unknown,
            "known" => Test::Known,
            "yes" => Test::Yes,
            "no" => Test::No,
            other => return Err(format!("unknown test is = \"{other}\" on \"{name}\"")),
        };
        let fits = match &subject {
            Subject::Fact(_) => matches!(
                test,
                Test::Documented
                    | Test::NotDocumented
                    | Test::Negated
                    | Test::NotNegated
                    | Test::Unknown
            ),
            Subject::Request(_) if numeric => matches!(test, Test::Unknown | Test::Known),
            Subject::Request(_) => yes_no && matches!(test, Test::Yes | Test::No),
        };
        if !fits {
            let expected = match (&subject, numeric) {
                (Subject::Fact(_), _) => {
                    "documented, not_documented, negated, not_negated or unknown"
                }
                (_, true) => "known or unknown (or use above / at_most)",
                _ if list => "any_of or none_of",
                _ => "yes or no",
            };
            return Err(format!(
                "is = \"{is}\" does not fit \"{name}\": expected {expected}"
            ));
        }
        test
    } else if let Some(n) = raw.above.or(raw.at_most) {
        if !numeric {
            return Err(format!(
                "\"{name}\" is not a number: above / at_most do not apply"
            ));
        }
        if !n.is_finite() || n < 0.0 {
            return Err(format!(
                "the limit on \"{name}\" must be a number 0 or more"
            ));
        }
        if raw.above.is_some() {
            Test::Above(n)
        } else {
            Test::AtMost(n)
        }
    } else {
        // Exactly one test is present (counted above), so here it is any_of or none_of.
        let (words, none) = match &raw.any_of {
            Some(words) => (words.clone(), false),
            None => (raw.none_of.clone().unwrap_or_default(), true),
        };
        if !list {
            return Err(format!(
                "\"{name}\" is not a list: any_of / none_of do not apply"
            ));
        }
        if words.is_empty() {
            return Err(format!("the list of words for \"{name}\" is empty"));
        }
        if name == "body_region"
            && let Some(bad) = words.iter().find(|w| !BODY_REGIONS.contains(&w.as_str()))
        {
            return Err(format!(
                "unknown body region \"{bad}\"{}",
                suggestion(bad, BODY_REGIONS)
            ));
        }
        if (name == "procedure" || name == "planned_procedure")
            && let Some(bad) = words
                .iter()
                .find(|w| imr_reading::extract::Procedure::parse(w).is_none())
        {
            return Err(format!(
                "unknown procedure \"{bad}\"{}",
                suggestion(bad, &super::vocab::procedures())
            ));
        }
        let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        if none {
            Test::NoneOf(words)
        } else {
            Test::AnyOf(words)
        }
    };
    Ok(Condition { subject, test })
}

fn check_placeholders(template: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("the rationale has a '{' with no closing '}'".into());
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "unknown placeholder {{{name}}} in the rationale{}",
                suggestion(name, PLACEHOLDERS)
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

fn parse_date(value: &Spanned<String>) -> Result<Date, String> {
    value.get_ref().trim().parse::<Date>().map_err(|_| {
        format!(
            "\"{}\" is not a date (expected YYYY-MM-DD)",
            value.get_ref()
        )
    })
}

/// Two versions of one rule must not be in force on the same day.
fn check_versions(rules: &[Rule]) -> Result<(), GuidelineError> {
    let mut by_id: BTreeMap<&str, Vec<&Rule>> = BTreeMap::new();
    for rule in rules {
        by_id.entry(rule.id.as_str()).or_default().push(rule);
    }
    for versions in by_id.values() {
        for (i, a) in versions.iter().enumerate() {
            for b in &versions[i + 1..] {
                let a_ends_before_b = a.until.is_some_and(|u| u <= b.effective);
                let b_ends_before_a = b.until.is_some_and(|u| u <= a.effective);
                if !a_ends_before_b && !b_ends_before_a {
                    return Err(GuidelineError {
                        file: b.file.clone(),
                        line: b.line,
                        message: format!(
                            "rule {}: this version overlaps the one at {}:{}; give the earlier one an \"until\" date",
                            b.id, a.file, a.line
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// ", did you mean \"x\"?" when a known word is a small edit away.
fn suggestion(word: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean \"{k}\"?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
topic = "Test"

[[rule]]
id = "test.rule"
effective = "2009-07-18"
services = ["physical_therapy"]
citation = { family = "cpmtg", guideline = "MTUS Chronic Pain Medical Treatment Guidelines", section = "Physical Medicine", pages = "98-99" }
when = [ { request = "quantity", above = 6 } ]
outcome = "Upheld"
rationale = "The request for {request} exceeds the trial."
"#;

    fn error_of(text: &str) -> GuidelineError {
        match load_file("t.toml", text) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    #[test]
    fn reads_a_good_rule() {
        let g = load_file("t.toml", GOOD).expect("loads");
        assert_eq!(g.rules.len(), 1);
        assert_eq!(
            g.rules[0].citation.to_string(),
            "MTUS Chronic Pain Medical Treatment Guidelines, Physical Medicine, pp. 98-99"
        );
    }

    #[test]
    fn refuses_a_typo_with_its_line() {
        let e = error_of(&GOOD.replace("physical_therapy", "physcal_therapy"));
        assert_eq!(e.line, 7);
        assert!(
            e.message.contains("did you mean \"physical_therapy\""),
            "{e}"
        );
        let e = error_of(&GOOD.replace("rationale =", "rationle ="));
        assert!(e.message.contains("rationle"), "{e}");
        let e = error_of(&GOOD.replace("\"2009-07-18\"", "\"2009-13-18\""));
        assert_eq!(e.line, 6);
        let e = error_of(&GOOD.replace("{request}", "{reqest}"));
        assert!(e.message.contains("placeholder"), "{e}");
    }
}
