//! The guideline engine: a proposed determination for every disputed item.
//!
//! For each item the engine tries the rules in force on the request's date that apply to the
//! item's service: cross-cutting rules first, then the category rules, each in file order. The
//! first rule whose conditions all hold decides. A rule whose conditions need a number or a body
//! region the request does not state is passed over, and what it needed is kept: if no rule
//! decides, the finding is "needs physician review" naming it. The engine never guesses.
//!
//! Pure: no IO, no clock. The same input and the same rules give byte-identical JSON.

pub mod adapt;
pub mod agreement;
pub mod backtest;
pub mod input;

use serde::Serialize;

use crate::guidelines::{Condition, Guidelines, Outcome, Rule, Subject, Test};
use imr_core::model::Decision;

pub use input::{CaseInput, ClinicalFact, EngineFact, ItemInput, Polarity, Span};
/// The date type of guideline versions, for callers that do not depend on jiff.
pub use jiff::civil::Date;

/// The engine's finding for one disputed item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub request: String,
    pub service: Option<&'static str>,
    pub status: Status,
    pub decision: Option<Decision>,
    /// The rule that decided (or that sent the item to a physician).
    pub rule: Option<String>,
    pub citation: Option<String>,
    /// The guideline family of the citation, for comparing with a reviewer's citation.
    pub family: Option<crate::guidelines::Family>,
    pub rationale: String,
    pub evidence: Vec<Evidence>,
    /// Documentation or request details that are missing.
    pub missing: Vec<String>,
    /// The checklist of the guideline section for this service: every criterion its rules
    /// test, with its state in this record and the spans it rests on. The reviewer sees this,
    /// not only the criterion that decided.
    pub criteria: Vec<Criterion>,
    /// How often the deciding rule's proposals matched the published decisions in the
    /// backtest (see [`agreement`]); `None` for a rule never measured.
    pub agreement: Option<agreement::RuleAgreement>,
}

/// The state of one criterion in the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionState {
    /// Affirmatively documented (a fact stated as present or past; a request detail stated).
    Met,
    /// Affirmatively contradicted (the record states the opposite).
    NotMet,
    /// The record is silent.
    NotDocumented,
}

/// One criterion of a guideline section, as this record stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// The fact or request attribute, as rule files name it ("functional_improvement").
    pub name: String,
    /// In words, for the reviewer ("functional improvement", "visits requested").
    pub label: String,
    pub state: CriterionState,
    /// The request's value, for request details ("12", "lumbar_spine").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The spans the state rests on (affirmed spans when met, negated ones when not met).
    pub evidence: Vec<Evidence>,
    /// Tested by the rule that decided (or that sent the item to a physician).
    pub decisive: bool,
    /// What the deciding rule required of it ("documented", "negated", "at most 6"), for a
    /// decisive criterion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Decided,
    NeedsPhysician,
}

/// A text span a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The clinical fact the span shows.
    pub fact: ClinicalFact,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub text: String,
    pub polarity: Polarity,
}

/// The findings of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseFindings {
    pub case_number: Option<String>,
    /// The guideline version date used.
    pub as_of: Option<jiff::civil::Date>,
    pub items: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// The summary's sentences that report the utilization review's reasons, shown to the
    /// reviewer as "UR's reasoning"; the engine reads no facts from them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ur_reasoning: Vec<Span>,
}

/// Reviews every item of a case. `as_of` overrides the date whose guideline version applies.
pub fn review(
    guidelines: &Guidelines,
    case: &CaseInput,
    as_of: Option<jiff::civil::Date>,
) -> CaseFindings {
    let date = as_of.or(case.date);
    let mut items: Vec<Finding> = case
        .items
        .iter()
        .map(|item| review_item(guidelines, item, date))
        .collect();
    // associated services follow the procedure. A second pass re-reviews them once the
    // procedure's finding is known.
    let procedure_denied = items
        .iter()
        .any(|f| f.service == Some("surgery") && f.decision == Some(Decision::Upheld));
    if procedure_denied {
        for (finding, item) in items.iter_mut().zip(&case.items) {
            if item.associated && item.service != Some("surgery") {
                let mut bundled = item.clone();
                bundled.bundled_with_denied_service = true;
                *finding = review_item(guidelines, &bundled, date);
            }
        }
    }
    // An associated service approved while its operation waits for a physician: it follows
    // the operation, so it waits too (X-8 decides it only once the operation is decided).
    let procedure_undecided = items
        .iter()
        .any(|f| f.service == Some("surgery") && f.status == Status::NeedsPhysician);
    if procedure_undecided {
        for (finding, item) in items.iter_mut().zip(&case.items) {
            if item.associated
                && item.service != Some("surgery")
                && finding.decision == Some(Decision::Overturned)
            {
                *finding = needs_physician(
                    item,
                    finding.service,
                    "This service goes with an operation requested in the same review that a physician must decide first; it follows that decision.",
                    vec!["the decision on the operation it goes with".to_string()],
                );
            }
        }
    }
    // Without a clinical summary, what an undecided item lacks first is the record itself.
    if case.problems.iter().any(|p| p == adapt::NO_SUMMARY) {
        for finding in items
            .iter_mut()
            .filter(|f| f.status == Status::NeedsPhysician && f.missing.is_empty())
        {
            finding
                .missing
                .push("the medical records: the case has no clinical summary".to_string());
        }
    }
    CaseFindings {
        case_number: case.case_number.clone(),
        as_of: date,
        items,
        problems: case.problems.clone(),
        ur_reasoning: case.ur_reasoning.clone(),
    }
}

/// Reviews one item. Without a date the latest version of every rule applies.
pub fn review_item(
    guidelines: &Guidelines,
    item: &ItemInput,
    date: Option<jiff::civil::Date>,
) -> Finding {
    let mut finding = decide_item(guidelines, item, date);
    if let Some(service) = finding.service {
        let on = date.unwrap_or(jiff::civil::Date::MAX);
        let decisive = finding.rule.as_deref().and_then(|id| {
            guidelines
                .rules
                .iter()
                .find(|r| r.id == id && r.in_force(on))
        });
        finding.criteria = checklist(guidelines.in_force(service, on), decisive, item);
        if finding.rule.is_some() {
            finding.rationale = with_evidence(&finding.rationale, &finding.criteria, item);
        }
    }
    finding
}

/// The rule's rationale, then what the record says for each criterion the decision rests on:
/// its own words for what is met or contradicted, and what is missing, by name.
fn with_evidence(rationale: &str, criteria: &[Criterion], item: &ItemInput) -> String {
    let mut stated: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for c in criteria.iter().filter(|c| c.decisive) {
        match c.state {
            CriterionState::Met | CriterionState::NotMet => {
                let mut quotes: Vec<String> = Vec::new();
                for quote in c.evidence.iter().filter_map(|e| quote_of(e, item)) {
                    if !quotes.contains(&quote) && quotes.len() < 2 {
                        quotes.push(quote);
                    }
                }
                let verdict = if c.state == CriterionState::Met {
                    "met"
                } else {
                    "contradicted"
                };
                if quotes.is_empty() {
                    if let Some(value) = &c.value {
                        // In words: "lumbar spine", not the rule files' "lumbar_spine".
                        let value = value.replace('_', " ");
                        stated.push(format!("{} {value} ({verdict})", c.label));
                    }
                } else {
                    stated.push(format!("{}: {} ({verdict})", c.label, quotes.join("; ")));
                }
            }
            CriterionState::NotDocumented => missing.push(c.label.clone()),
        }
    }
    let mut evidence = String::new();
    if !stated.is_empty() {
        evidence.push_str(&format!(" The record: {}.", stated.join("; ")));
    }
    if !missing.is_empty() {
        evidence.push_str(&format!(
            " Not found in the record: {}.",
            missing.join(", ")
        ));
    }
    // The evidence goes before the rationale's conclusion, so the letter still ends on it.
    let conclusion = rationale
        .match_indices(". ")
        .map(|(i, _)| i)
        .filter(|&i| rationale[i..].contains("medically necessary"))
        .last();
    match conclusion {
        Some(i) => format!("{}{evidence}{}", &rationale[..=i], &rationale[i + 1..]),
        None => format!("{rationale}{evidence}"),
    }
}

/// The record's own words for an evidence span: the clause it stands in, quoted.
fn quote_of(evidence: &Evidence, item: &ItemInput) -> Option<String> {
    let fact = item.facts.iter().find(|f| {
        f.name == evidence.fact && f.span.map(|s| s.0) == evidence.start && f.span.is_some()
    })?;
    let words = fact.quote.as_deref().unwrap_or(&fact.text);
    Some(format!("\"{words}\""))
}

/// Every criterion the service's rules test (the category's rules, and any rule that decided),
/// once each, in the order the rules name them.
fn checklist<'a>(
    rules: impl Iterator<Item = &'a Rule>,
    decisive: Option<&'a Rule>,
    item: &ItemInput,
) -> Vec<Criterion> {
    let mut subjects: Vec<&Subject> = Vec::new();
    let tested_by_decisive =
        |s: &Subject| decisive.is_some_and(|r| r.when.iter().any(|c| c.subject == *s));
    let section = rules.filter(|r| !r.services.is_empty()).chain(decisive);
    for rule in section {
        for condition in &rule.when {
            let subject = &condition.subject;
            // A word of the request and the procedural flags scope a rule; they are criteria
            // only where they decided.
            let scope = matches!(subject, Subject::Request(a) if matches!(a.as_str(),
                "mentions" | "associated" | "bundled_with_denied_service" | "retrospective"
                | "purchase" | "partial_authorization" | "quantity_unspecified" | "compounded"
                | "concurrent_other_therapy"));
            if (scope && !tested_by_decisive(subject)) || subjects.contains(&subject) {
                continue;
            }
            subjects.push(subject);
        }
    }
    subjects
        .into_iter()
        .map(|subject| {
            let mut c = criterion(subject, item, tested_by_decisive(subject));
            c.required = decisive.and_then(|r| {
                let tests: Vec<String> = r
                    .when
                    .iter()
                    .filter(|c| c.subject == *subject)
                    .map(|c| requirement(&c.test))
                    .collect();
                (!tests.is_empty()).then(|| tests.join(" and "))
            });
            c
        })
        .collect()
}

/// A rule's test in words.
fn requirement(test: &Test) -> String {
    let show = |n: &f64| {
        if n.fract() == 0.0 {
            format!("{n:.0}")
        } else {
            format!("{n}")
        }
    };
    match test {
        Test::Documented => "documented".into(),
        Test::NotDocumented => "not documented".into(),
        Test::Negated => "stated as absent".into(),
        Test::NotNegated => "not stated as absent".into(),
        Test::Unknown => "not stated".into(),
        Test::Known => "stated".into(),
        Test::Yes => "yes".into(),
        Test::No => "no".into(),
        Test::Above(n) => format!("above {}", show(n)),
        Test::AtMost(n) => format!("at most {}", show(n)),
        Test::AnyOf(words) => format!("one of {}", words.join(", ")),
        Test::NoneOf(words) => format!("none of {}", words.join(", ")),
    }
}

fn criterion(subject: &Subject, item: &ItemInput, decisive: bool) -> Criterion {
    let (state, value, evidence) = match subject {
        Subject::Fact(name) => {
            let matching: Vec<&EngineFact> =
                item.facts.iter().filter(|f| f.name == *name).collect();
            let affirmed: Vec<Evidence> = matching
                .iter()
                .filter(|f| affirms(f))
                .map(|f| evidence_of(f))
                .collect();
            let negated: Vec<Evidence> = matching
                .iter()
                .filter(|f| f.polarity == Polarity::Negated)
                .map(|f| evidence_of(f))
                .collect();
            if !affirmed.is_empty() {
                (CriterionState::Met, None, affirmed)
            } else if !negated.is_empty() {
                (CriterionState::NotMet, None, negated)
            } else {
                (CriterionState::NotDocumented, None, Vec::new())
            }
        }
        Subject::Request(attribute) => {
            let value = match attribute.as_str() {
                "body_region" => {
                    (!item.body_regions.is_empty()).then(|| item.body_regions.join(", "))
                }
                "procedure" => (!item.procedures.is_empty()).then(|| item.procedures.join(", ")),
                "planned_procedure" => (!item.planned_procedures.is_empty())
                    .then(|| item.planned_procedures.join(", ")),
                "mentions" => Some(item.request.clone()),
                a => match number(a, item) {
                    Some(n) if n.fract() == 0.0 => Some(format!("{n:.0}")),
                    Some(n) => Some(format!("{n:.1}")),
                    None => match check_request(a, &Test::Yes, item) {
                        Some(true) => Some("yes".to_string()),
                        _ if crate::guidelines::vocab::NUMERIC_ATTRIBUTES.contains(&a) => None,
                        _ => Some("no".to_string()),
                    },
                },
            };
            let state = if value.is_some() {
                CriterionState::Met
            } else {
                CriterionState::NotDocumented
            };
            (state, value, Vec::new())
        }
    };
    Criterion {
        name: subject.name().to_string(),
        label: describe(subject),
        state,
        value,
        evidence,
        decisive,
        required: None,
    }
}

/// A criterion in words, for the reviewer.
fn describe(subject: &Subject) -> String {
    match subject.name() {
        "quantity" => "visits, sessions or units requested".into(),
        "prior_visits" => "visits already completed".into(),
        "total_visits" => "visits in all (completed and requested)".into(),
        "frequency_per_week" => "visits per week requested".into(),
        "duration_weeks" => "weeks requested".into(),
        "weeks_since_injury" => "weeks since the injury".into(),
        "body_region" => "body region requested".into(),
        "procedure" => "surgery done within the postsurgical period".into(),
        "planned_procedure" => "surgery planned or requested".into(),
        "age" => "the patient's age".into(),
        "mentions" => "the request's wording".into(),
        other => other.replace('_', " "),
    }
}

fn decide_item(
    guidelines: &Guidelines,
    item: &ItemInput,
    date: Option<jiff::civil::Date>,
) -> Finding {
    // X-8 applies whatever the service, even one the request reading could not classify.
    let service = match item.service {
        None if item.bundled_with_denied_service => Some("unknown"),
        other => other,
    };
    let date = date.unwrap_or(jiff::civil::Date::MAX);
    let Some(service) = service else {
        // A rule may still name what no category holds ("unknown": a gym membership): the words
        // of the request are all it can test.
        for rule in guidelines
            .in_force("unknown", date)
            .filter(|r| r.services.iter().any(|s| s == "unknown"))
        {
            if let Evaluation::Holds(evidence) = evaluate(rule, item) {
                return finding_of(rule, item, evidence);
            }
        }
        return needs_physician(
            item,
            None,
            "The request could not be matched to a service category the guidelines address; a physician must review it.",
            vec!["a service the guidelines name (the request could not be classified)".to_string()],
        );
    };
    let mut missing: Vec<String> = Vec::new();
    let mut any_in_force = false;
    for rule in guidelines.in_force(service, date) {
        any_in_force = true;
        match evaluate(rule, item) {
            Evaluation::Holds(evidence) => return finding_of(rule, item, evidence),
            Evaluation::Fails => {}
            Evaluation::Needs(what) => {
                for w in what {
                    if !missing.contains(&w) {
                        missing.push(w);
                    }
                }
            }
        }
    }
    if !any_in_force
        && guidelines
            .rules
            .iter()
            .any(|r| r.applies_to(service) && !r.services.is_empty())
    {
        return needs_physician(
            item,
            Some(service),
            &format!(
                "No version of the guideline rules for this service is in force on {date}; a physician must review it."
            ),
            Vec::new(),
        );
    }
    let rationale = if missing.is_empty() {
        "No guideline rule decides this request on the facts of record; a physician must review it."
    } else {
        "The guideline rules for this service need details the request or the record does not state; a physician must review it."
    };
    needs_physician(item, Some(service), rationale, missing)
}

fn needs_physician(
    item: &ItemInput,
    service: Option<&'static str>,
    rationale: &str,
    missing: Vec<String>,
) -> Finding {
    Finding {
        request: item.request.clone(),
        service: service.or(item.service),
        status: Status::NeedsPhysician,
        decision: None,
        rule: None,
        citation: None,
        family: None,
        rationale: rationale.to_string(),
        evidence: Vec::new(),
        missing,
        criteria: Vec::new(),
        agreement: None,
    }
}

fn finding_of(rule: &Rule, item: &ItemInput, evidence: Vec<Evidence>) -> Finding {
    let (status, decision) = match rule.outcome {
        Outcome::Upheld => (Status::Decided, Some(Decision::Upheld)),
        Outcome::Overturned => (Status::Decided, Some(Decision::Overturned)),
        Outcome::NeedsPhysician => (Status::NeedsPhysician, None),
    };
    let missing = if decision == Some(Decision::Overturned) {
        Vec::new()
    } else {
        rule.missing.clone()
    };
    Finding {
        request: item.request.clone(),
        service: item.service,
        status,
        decision,
        rule: Some(rule.id.clone()),
        citation: Some(rule.citation.to_string()),
        family: Some(rule.citation.family),
        rationale: fill(&rule.rationale, item),
        evidence,
        missing,
        criteria: Vec::new(),
        agreement: agreement::of(&rule.id),
    }
}

enum Evaluation {
    /// Every condition holds; the evidence is the spans the fact conditions rest on.
    Holds(Vec<Evidence>),
    Fails,
    /// No condition fails, but some cannot be checked: what the request or record must state.
    Needs(Vec<String>),
}

fn evaluate(rule: &Rule, item: &ItemInput) -> Evaluation {
    let mut evidence = Vec::new();
    let mut needs = Vec::new();
    for condition in &rule.when {
        match check(condition, rule.outcome, item, &mut evidence) {
            Some(true) => {}
            Some(false) => return Evaluation::Fails,
            None => needs.push(describe_unknown(&condition.subject)),
        }
    }
    if needs.is_empty() {
        evidence.sort_by(|a: &Evidence, b: &Evidence| {
            (a.start, a.end, a.fact).cmp(&(b.start, b.end, b.fact))
        });
        evidence.dedup();
        Evaluation::Holds(evidence)
    } else {
        Evaluation::Needs(needs)
    }
}

/// `Some(holds)`, or `None` when the request does not state what the condition tests.
fn check(
    condition: &Condition,
    outcome: Outcome,
    item: &ItemInput,
    evidence: &mut Vec<Evidence>,
) -> Option<bool> {
    match &condition.subject {
        Subject::Fact(name) => {
            let matching = item.facts.iter().filter(|f| f.name == *name);
            let affirmed: Vec<&EngineFact> = matching.clone().filter(|f| affirms(f)).collect();
            let negated: Vec<&EngineFact> = matching
                .filter(|f| f.polarity == Polarity::Negated)
                .collect();
            let (holds, used) = match condition.test {
                Test::Documented => (!affirmed.is_empty(), affirmed),
                Test::NotDocumented => (affirmed.is_empty(), negated),
                Test::Negated => (affirmed.is_empty() && !negated.is_empty(), negated),
                // One standard of evidence: a criterion of an approving path must be documented;
                // silence does not approve.
                Test::NotNegated if outcome == Outcome::Overturned => {
                    (!affirmed.is_empty(), affirmed)
                }
                Test::NotNegated => (!affirmed.is_empty() || negated.is_empty(), affirmed),
                Test::Unknown => (affirmed.is_empty() && negated.is_empty(), Vec::new()),
                _ => (false, Vec::new()),
            };
            if holds {
                evidence.extend(used.into_iter().map(evidence_of));
            }
            Some(holds)
        }
        Subject::Request(attribute) => check_request(attribute, &condition.test, item),
    }
}

/// The record states the fact: as present or past, or, for a fact that is itself a plan, as
/// planned.
fn affirms(fact: &EngineFact) -> bool {
    match fact.polarity {
        Polarity::Affirmed | Polarity::Historical => true,
        Polarity::Planned => matches!(
            fact.name,
            ClinicalFact::SurgeryPlanned
                | ClinicalFact::SurgeryConsidered
                | ClinicalFact::OpioidTherapy
        ),
        Polarity::Negated | Polarity::Uncertain | Polarity::Other => false,
    }
}

fn evidence_of(fact: &EngineFact) -> Evidence {
    Evidence {
        fact: fact.name,
        start: fact.span.map(|s| s.0),
        end: fact.span.map(|s| s.1),
        text: fact.text.clone(),
        polarity: fact.polarity,
    }
}

fn number(attribute: &str, item: &ItemInput) -> Option<f64> {
    match attribute {
        "quantity" => item.quantity,
        "prior_visits" => item.prior_visits,
        // Without a stated prior count, a request with no prior treatment of record counts alone.
        "total_visits" => match (item.quantity, item.prior_visits) {
            (Some(q), Some(p)) => Some(q + p),
            (Some(q), None) if !has_prior_treatment(item) => Some(q),
            _ => None,
        },
        "frequency_per_week" => item.frequency_per_week,
        "duration_weeks" => item.duration_weeks,
        "weeks_since_injury" => item.weeks_since_injury,
        "age" => item.age,
        _ => None,
    }
}

fn has_prior_treatment(item: &ItemInput) -> bool {
    item.facts
        .iter()
        .any(|f| f.name == ClinicalFact::PriorTreatment && affirms(f))
}

fn check_request(attribute: &str, test: &Test, item: &ItemInput) -> Option<bool> {
    match test {
        Test::Above(limit) => number(attribute, item).map(|n| n > *limit),
        Test::AtMost(limit) => number(attribute, item).map(|n| n <= *limit),
        Test::Known => Some(number(attribute, item).is_some()),
        Test::Unknown => Some(number(attribute, item).is_none()),
        Test::Yes | Test::No => {
            let value = match attribute {
                "partial_authorization" => item.partial_authorization,
                "quantity_unspecified" => item.quantity_unspecified,
                "retrospective" => item.retrospective,
                "compounded" => item.compounded,
                "purchase" => item.purchase,
                "concurrent_other_therapy" => item.concurrent_other_therapy,
                "bundled_with_denied_service" => item.bundled_with_denied_service,
                "associated" => item.associated,
                _ => false,
            };
            Some(value == matches!(test, Test::Yes))
        }
        Test::AnyOf(words) | Test::NoneOf(words) => {
            let any = match attribute {
                "body_region" => {
                    if item.body_regions.is_empty() {
                        return None;
                    }
                    item.body_regions
                        .iter()
                        .any(|r| words.iter().any(|w| w == r))
                }
                "procedure" => {
                    if item.procedures.is_empty() {
                        return None;
                    }
                    item.procedures.iter().any(|p| words.contains(p))
                }
                "planned_procedure" => {
                    if item.planned_procedures.is_empty() {
                        return None;
                    }
                    item.planned_procedures.iter().any(|p| words.contains(p))
                }
                _ => {
                    let request = item.request.to_lowercase();
                    words.iter().any(|w| contains_word(&request, w))
                }
            };
            Some(any == matches!(test, Test::AnyOf(_)))
        }
        Test::Documented | Test::NotDocumented | Test::Negated | Test::NotNegated => None,
    }
}

/// `needle` in `haystack` at word boundaries.
fn contains_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn describe_unknown(subject: &Subject) -> String {
    match subject.name() {
        "quantity" => "the number of visits, sessions or units requested".into(),
        "prior_visits" | "total_visits" => "the number of visits already completed".into(),
        "frequency_per_week" => "the frequency requested (visits per week)".into(),
        "duration_weeks" => "the duration requested (weeks)".into(),
        "weeks_since_injury" => "the date of injury".into(),
        "body_region" => "the body region requested".into(),
        "procedure" => "the surgery performed and its date".into(),
        "planned_procedure" => "the surgery planned".into(),
        "age" => "the patient's age".into(),
        other => other.replace('_', " "),
    }
}

/// Fills a rationale template's placeholders from the item.
fn fill(template: &str, item: &ItemInput) -> String {
    let show = |n: Option<f64>| match n {
        Some(n) if n.fract() == 0.0 => format!("{n:.0}"),
        Some(n) => format!("{n}"),
        None => "an unstated number of".to_string(),
    };
    template
        .replace("{request}", &item.request)
        .replace("{quantity}", &show(item.quantity))
        .replace("{prior_visits}", &show(item.prior_visits))
        .replace("{total_visits}", &show(number("total_visits", item)))
        .replace("{weeks_since_injury}", &show(item.weeks_since_injury))
}
