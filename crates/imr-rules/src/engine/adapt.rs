//! Builds the engine's input from a case: the request reading ([`imr_reading::request`]) gives the
//! service and numbers, the fact extraction ([`imr_reading::extract`]) gives the facts — the one
//! clinical vocabulary of the record — and this module restates them as the guidelines' criteria
//! name them ([`ClinicalFact`]). Keeping the translation in one place lets the rule files speak
//! the guidelines' language ("functional improvement", "neurological deficit") whatever the
//! extraction's finer vocabulary. Facts in sentences that report the utilization review's
//! reasons, and facts only suspected, are not findings and never reach a rule.

use jiff::civil::Date;

use super::input::{CaseInput, ClinicalFact as C, EngineFact, ItemInput, Polarity, Span};
use crate::guidelines::Thresholds;
use imr_core::model::Determination;
use imr_reading::case_file::CaseFile;
use imr_reading::extract::{
    self, Care, ClinicalDocument, Comorbidity, Diagnosis, Direction, Fact, FactKind, FactValue,
    NeurologicFinding, PhysicalFinding, RedFlag, Response, Screen, TestResult, WorkStatus,
};
use imr_reading::request::{self, Acquisition, DrugForm, Request, Service, TimeUnit};
use imr_reading::vocab::anatomy::Laterality;

/// One disputed request of a case: the item, and for a partial authorization what was asked for
/// originally and what was authorized.
#[derive(Debug, Clone, Copy)]
pub struct RequestText<'a> {
    pub item: &'a str,
    pub original_request: Option<&'a str>,
    pub authorized: Option<&'a str>,
}

/// The problem a case without a clinical summary carries: no facts could be read.
pub const NO_SUMMARY: &str = "the case has no clinical summary: no facts could be read";

/// The engine's input for a case file.
pub fn from_case_file(case: &CaseFile, thresholds: &Thresholds) -> CaseInput {
    let requests: Vec<RequestText> = case
        .requests
        .iter()
        .map(|r| RequestText {
            item: &r.item,
            original_request: r.original_request.as_deref(),
            authorized: r.authorized.as_deref(),
        })
        .collect();
    build(
        case.case_number.clone(),
        case.date_of_injury,
        case.ur_denial_date,
        &case.clinical_summary,
        &requests,
        thresholds,
    )
}

/// The engine's input for a published letter, with its decisions and rationales left out: only
/// the header dates, the clinical summary and the requests are read.
pub fn from_letter(letter: &Determination, thresholds: &Thresholds) -> CaseInput {
    let requests: Vec<RequestText> = letter
        .items
        .iter()
        .map(|i| RequestText {
            item: &i.request,
            original_request: i.original_request.as_deref(),
            authorized: i.authorized.as_deref(),
        })
        .collect();
    let summary = letter.clinical_summary.as_deref().unwrap_or_default();
    build(
        letter.case_number.clone(),
        letter.date_of_injury,
        letter.ur_denial_date,
        summary,
        &requests,
        thresholds,
    )
}

/// The engine's input from the parts of a case.
pub fn build(
    case_number: Option<String>,
    date_of_injury: Option<Date>,
    date: Option<Date>,
    clinical_summary: &str,
    requests: &[RequestText],
    thresholds: &Thresholds,
) -> CaseInput {
    let document = extract::read(clinical_summary);
    build_from_document(
        case_number,
        date_of_injury,
        date,
        &document,
        requests,
        thresholds,
    )
}

/// [`build`] from a document already read (`extract::read` of the summary), for a caller that
/// shows its findings too. The document is all this module sees of the record: it never reads
/// the words again.
pub fn build_from_document(
    case_number: Option<String>,
    date_of_injury: Option<Date>,
    date: Option<Date>,
    document: &ClinicalDocument,
    requests: &[RequestText],
    thresholds: &Thresholds,
) -> CaseInput {
    let facts = document.facts();
    let mut problems = Vec::new();
    if document.is_empty() {
        problems.push(NO_SUMMARY.to_string());
    }
    let readings: Vec<Request> = requests
        .iter()
        .map(|r| request::read_request(r.item))
        .collect();
    // Without the header's dates, the record's own dates bound the injury's age: the date of
    // injury it states, and its latest date (a visit before the request).
    let injury = date_of_injury.or_else(|| {
        facts
            .iter()
            .find(|f| f.kind == FactKind::DateOfInjury)
            .and_then(|f| f.date)
    });
    let latest_in_record = document
        .dates()
        .iter()
        .copied()
        .filter(|d| injury.is_some_and(|i| *d > i))
        .max();
    let weeks_since_injury = match (injury, date.or(latest_in_record)) {
        (Some(injury), Some(date)) => weeks_between(injury, date),
        _ => None,
    };
    let age = facts
        .iter()
        .find(|f| f.kind == FactKind::Age && !f.ur_reasoning)
        .and_then(|f| match f.value {
            FactValue::Age(years) => Some(f64::from(years)),
            _ => None,
        });
    let planned_procedures = planned_procedures(facts, requests, &readings);
    let on_nsaid = readings.iter().any(|r| r.service == Service::Nsaid)
        || facts.iter().any(|f| {
            f.kind == FactKind::Medication
                && f.about.as_deref() == Some("nsaid")
                && !f.ur_reasoning
                // Taken now or to be taken: an NSAID stopped is no longer a GI risk.
                && matches!(f.polarity, Polarity::Affirmed | Polarity::Planned)
        });
    let surgeries: Vec<&Request> = readings
        .iter()
        .filter(|r| r.service == Service::Surgery)
        .collect();
    let therapies = readings
        .iter()
        .filter(|r| is_physical_or_passive(r.service))
        .count();
    let mut items = Vec::new();
    for (text, reading) in requests.iter().zip(&readings) {
        let mut item = item_input(
            text,
            reading,
            document,
            weeks_since_injury,
            date,
            thresholds,
        );
        item.concurrent_other_therapy = is_physical_or_passive(reading.service) && therapies > 1;
        // a device or supply requested beside an operation, for the same part of the body
        // (or none named), exists to support it, whether or not its wording says "post-op".
        if is_perioperative_device(reading.service)
            && surgeries.iter().any(|s| same_part_of_body(s, reading))
        {
            item.associated = true;
            // ... and is care for the post-operative period, as one named "post-op" is.
            if !item.facts.iter().any(|f| f.name == C::Postoperative) {
                item.facts.push(EngineFact {
                    name: C::Postoperative,
                    polarity: Polarity::Affirmed,
                    span: None,
                    text: "requested with an operation on the same part of the body".to_string(),
                    quote: None,
                });
            }
        }
        item.age = age;
        item.planned_procedures = planned_procedures.clone();
        // CPMTG NSAIDs, GI symptoms and cardiovascular risk: for a patient on NSAIDs, age over
        // 65 and the concurrent use of corticosteroids or an anticoagulant are risk factors for
        // gastrointestinal events.
        if on_nsaid {
            // The CPMTG weighs GI risk for a patient on NSAIDs: the NSAID is the precondition
            // of gastroprotection (PPI-1, PPI-2).
            item.facts.push(EngineFact {
                name: C::NsaidTherapy,
                polarity: Polarity::Affirmed,
                span: None,
                text: "an NSAID is taken or requested in the same case".to_string(),
                quote: None,
            });
            let risk_age = thresholds.nsaid_gi_risk_age;
            if let Some(years) = age.filter(|&a| a > risk_age) {
                item.facts.push(EngineFact {
                    name: C::GiRisk,
                    polarity: Polarity::Affirmed,
                    span: None,
                    text: format!(
                        "age {years:.0} on NSAIDs (over {risk_age:.0}: a risk factor for GI events)"
                    ),
                    quote: None,
                });
            }
            for fact in facts.iter().filter(|f| is_gi_risk_drug(f)) {
                push_all(&mut item.facts, &[C::GiRisk], fact);
            }
        }
        // An opioid requested in the same case is opioid therapy for the items that go with it
        // (a laxative for opioid-induced constipation).
        if reading.service != Service::Opioid
            && readings.iter().any(|r| r.service == Service::Opioid)
        {
            item.facts.push(EngineFact {
                name: C::OpioidTherapy,
                polarity: Polarity::Planned,
                span: None,
                text: "an opioid is requested in the same case".to_string(),
                quote: None,
            });
        }
        items.push(item);
    }
    let ur_reasoning = document
        .ur_notice()
        .into_iter()
        .map(|(start, end, text)| Span {
            start,
            end,
            text: text.to_string(),
        })
        .collect();
    CaseInput {
        case_number,
        date,
        date_of_injury,
        items,
        problems,
        ur_reasoning,
    }
}

fn item_input(
    text: &RequestText,
    reading: &Request,
    document: &ClinicalDocument,
    weeks_since_injury: Option<f64>,
    date: Option<Date>,
    thresholds: &Thresholds,
) -> ItemInput {
    let facts = document.facts();
    let service = (reading.service != Service::Unknown).then(|| reading.service.as_str());
    let partial = text.authorized.is_some() || reading.partial.is_some();
    let quantity = reading
        .partial
        .as_ref()
        .and_then(|p| p.remaining_quantity)
        .or(reading.quantity)
        .map(f64::from);
    let body_regions: Vec<&'static str> = reading.body_regions.iter().map(|r| r.as_str()).collect();
    let compounded = reading.service == Service::CompoundedTopical
        || reading.drug.as_ref().is_some_and(|d| {
            d.ingredients.len() > 1
                || d.form == Some(DrugForm::Suspension)
                || d.form == Some(DrugForm::Solution)
        });
    let associated = reading.associated_surgical_service
        || reading.preoperative
        || reading.postoperative
        || matches!(
            reading.service,
            Service::AssistantSurgeon | Service::PreoperativeClearance | Service::PreoperativeTest
        );
    let mut item = ItemInput {
        request: text.item.to_string(),
        service,
        quantity,
        prior_visits: None,
        frequency_per_week: reading.frequency.map(|f| {
            let times = f64::from(f.times_max.unwrap_or(f.times));
            match f.per {
                TimeUnit::Day => times * 7.0,
                TimeUnit::Week => times,
                TimeUnit::Month => times * 12.0 / 52.0,
            }
        }),
        duration_weeks: reading
            .duration
            .or_else(|| new_course_length(reading, facts))
            .map(|d| {
                let amount = f64::from(d.amount);
                match d.unit {
                    TimeUnit::Day => amount / 7.0,
                    TimeUnit::Week => amount,
                    TimeUnit::Month => amount * 52.0 / 12.0,
                }
            }),
        weeks_since_injury,
        body_regions,
        procedures: Vec::new(),
        planned_procedures: Vec::new(),
        age: None,
        partial_authorization: partial,
        // a course of visits with no number, frequency or duration at all is as unspecified
        // as one that says "unknown".
        quantity_unspecified: reading.quantity_unspecified
            || (is_course_of_visits(reading.service)
                && !partial
                && reading.quantity.is_none()
                && reading.frequency.is_none()
                && reading.duration.is_none()),
        retrospective: reading.retrospective,
        compounded,
        purchase: matches!(reading.acquisition, Some(Acquisition::Purchase)),
        associated,
        bundled_with_denied_service: false,
        concurrent_other_therapy: false,
        facts: Vec::new(),
    };
    item.facts = engine_facts(
        reading,
        document,
        weeks_since_injury,
        date,
        thresholds,
        &mut item.prior_visits,
        &mut item.procedures,
    );
    // Each fact quotes the clause the reader found it in.
    for fact in &mut item.facts {
        fact.quote = fact.span.and_then(|span| {
            let read = facts.iter().find(|f| (f.start, f.end) == span)?;
            document.quote(read).map(str::to_string)
        });
    }
    item
}

/// A corticosteroid or an anticoagulant taken with an NSAID: a GI risk factor (CPMTG). A bleeding
/// disorder is a bleeding risk, not one of these; aspirin is itself an NSAID in the dictionary,
/// so its concurrent use is not told apart here.
fn is_gi_risk_drug(fact: &Fact) -> bool {
    if fact.ur_reasoning || matches!(fact.polarity, Polarity::Uncertain | Polarity::Other) {
        return false;
    }
    let text = fact.text.to_ascii_lowercase();
    match fact.kind {
        FactKind::Condition => {
            fact.value == FactValue::Condition(Comorbidity::BleedingRisk)
                && text != "bleeding disorder"
        }
        FactKind::Medication => matches!(
            fact.drug.as_ref().and_then(|d| d.generic.as_deref()),
            Some("prednisone" | "methylprednisolone" | "dexamethasone")
        ),
        _ => false,
    }
}

/// The procedures of the surgeries the record plans and of those requested in the case, as
/// `extract::Procedure` names them; a surgery only quoted from UR's reasons is not one.
fn planned_procedures(
    facts: &[Fact],
    requests: &[RequestText],
    readings: &[Request],
) -> Vec<String> {
    let planned = facts.iter().filter(|f| {
        f.kind == FactKind::PlannedSurgery
            && !f.ur_reasoning
            && matches!(f.polarity, Polarity::Planned | Polarity::Affirmed)
    });
    let requested: Vec<Fact> = requests
        .iter()
        .zip(readings)
        .filter(|(_, r)| r.service == Service::Surgery)
        .flat_map(|(t, _)| extract::facts(t.item))
        .filter(|f| matches!(f.kind, FactKind::Surgery | FactKind::PlannedSurgery))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for fact in planned.chain(requested.iter()) {
        if let FactValue::Surgery(procedure) | FactValue::PlannedSurgery(procedure) = fact.value
            && !out.iter().any(|p| p == procedure.as_str())
        {
            out.push(procedure.as_str().to_string());
        }
    }
    out
}

fn is_physical_or_passive(service: Service) -> bool {
    matches!(
        service,
        Service::PhysicalTherapy
            | Service::OccupationalTherapy
            | Service::Chiropractic
            | Service::Acupuncture
            | Service::Massage
            | Service::Tens
            | Service::TherapeuticUltrasound
            | Service::ShockwaveTherapy
            | Service::HeatColdTherapy
            | Service::Traction
    )
}

/// Services that count as the same treatment when looking for prior visits.
fn same_treatment(service: Service, care: Care) -> bool {
    let Care::Service(other) = care else {
        return false;
    };
    service == other
        || matches!(
            (service, other),
            (Service::PhysicalTherapy, Service::OccupationalTherapy)
                | (Service::OccupationalTherapy, Service::PhysicalTherapy)
        )
}

/// A response to `about` speaks of a request for `service`: the same treatment, or, for a drug,
/// "the medications" ("the medications help": the drugs taken, this one among them). Only of a
/// response: "treated with medications" does not say this drug was taken.
fn response_is_about(service: Service, about: Care) -> bool {
    same_treatment(service, about) || (about == Care::AnyMedication && service.is_medication())
}

/// A fact the record states as given, present or past: what "documented" means to a rule.
fn given(p: Polarity) -> bool {
    matches!(p, Polarity::Affirmed | Polarity::Historical)
}

/// The neck and arms, or the low back and legs: a neurologic sign at one end says nothing of
/// the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    Upper,
    Lower,
}

fn zone_of(region: &str) -> Option<Zone> {
    match region {
        "cervical_spine" | "shoulder" | "arm" | "elbow" | "forearm" | "wrist" | "hand"
        | "finger" | "upper_extremity" => Some(Zone::Upper),
        "lumbar_spine" | "pelvis" | "hip" | "groin" | "knee" | "leg" | "ankle" | "foot" | "toe"
        | "lower_extremity" => Some(Zone::Lower),
        _ => None,
    }
}

/// True when the request names no region of a known zone, or one in `zone`.
fn zone_fits(zone: Zone, regions: &[&str]) -> bool {
    let zones: Vec<Zone> = regions.iter().filter_map(|r| zone_of(r)).collect();
    zones.is_empty() || zones.contains(&zone)
}

/// How long the record says a drug it calls new is to be taken ("cyclobenzaprine three times a
/// day for one month"), where the request itself gives no duration: the course requested.
fn new_course_length(reading: &Request, facts: &[Fact]) -> Option<request::Duration> {
    first_course(facts, reading.service)?;
    facts
        .iter()
        .filter(|f| matches!(f.value, FactValue::Medication(_)) && !f.ur_reasoning)
        .filter(|f| f.polarity != Polarity::Historical && f.polarity != Polarity::Negated)
        .filter(|f| same_drug(reading, f))
        .find_map(|f| f.duration)
}

/// Where the record says the requested drug's class is new to the patient.
fn first_course(facts: &[Fact], service: Service) -> Option<&Fact> {
    facts.iter().find(|f| {
        matches!(f.value, FactValue::FirstCourse(_))
            && !f.ur_reasoning
            && f.about.as_deref() == Some(service.as_str())
    })
}

fn weeks_between(from: Date, to: Date) -> Option<f64> {
    from.until(to)
        .ok()
        .and_then(|span| span.total((jiff::Unit::Day, from)).ok())
        .map(|days| (days / 7.0).floor())
}

/// The sentence holding byte `at` names one of `regions` (an extracted body-region fact).
fn sentence_names_region(
    facts: &[Fact],
    sentences: &[(usize, usize)],
    at: usize,
    regions: &[&str],
) -> bool {
    let Some(&(start, end)) = sentences.iter().find(|(a, b)| *a <= at && at < *b) else {
        return false;
    };
    facts.iter().any(|f| {
        f.kind == FactKind::BodyRegion
            && f.start >= start
            && f.end <= end
            && f.body_region.is_some_and(|r| regions.contains(&r.as_str()))
    })
}

/// A past surgery puts a request in the postsurgical period when it was on the region requested
/// (or the record does not say where, or the request names no region) and, where both dates are
/// known, within the presumptive postsurgical period of 6 months (8 CCR 9792.24.3).
fn in_postsurgical_period(
    fact: &Fact,
    context: &Context,
    regions: &[&str],
    side: Option<Laterality>,
    date: Option<Date>,
) -> bool {
    if !same_side(side, fact.laterality) {
        return false;
    }
    let same_region = match fact.body_region {
        Some(region) => {
            let region = region.as_str();
            let spine = |r: &str| r.ends_with("_spine") || r == "spine";
            regions.is_empty()
                || regions
                    .iter()
                    .any(|r| *r == region || (spine(r) && region == "spine"))
        }
        // The fact names no region: the sentence it stands in must name the region requested.
        None => sentence_names_region(context.facts, context.sentences, fact.start, regions),
    };
    let recent = match (fact.date, date) {
        (Some(surgery), Some(date)) => weeks_between(surgery, date)
            .is_none_or(|w| w <= context.thresholds.postsurgical_period_weeks),
        _ => true,
    };
    same_region && recent
}

fn is_deficit(finding: NeurologicFinding) -> bool {
    use NeurologicFinding as N;
    matches!(
        finding,
        N::Weakness
            | N::DecreasedSensation
            | N::DecreasedReflexes
            | N::Atrophy
            | N::NeurologicDeficit
    )
}

/// The fact's sentence also says the condition is worsening.
fn worsening_in_sentence(context: &Context, fact: &Fact) -> bool {
    let Some(&(start, end)) = context
        .sentences
        .iter()
        .find(|(a, b)| *a <= fact.start && fact.start < *b)
    else {
        return false;
    };
    context.facts.iter().any(|f| {
        f.kind == FactKind::Response
            && f.value == FactValue::Response(Response::Worsening)
            && given(f.polarity)
            && !f.ur_reasoning
            && f.start >= start
            && f.end <= end
    })
}

/// What every item of a case reads its facts from.
struct Context<'a> {
    facts: &'a [Fact],
    sentences: &'a [(usize, usize)],
    thresholds: &'a Thresholds,
}

fn engine_facts(
    reading: &Request,
    document: &ClinicalDocument,
    weeks: Option<f64>,
    date: Option<Date>,
    thresholds: &Thresholds,
    prior_visits: &mut Option<f64>,
    procedures: &mut Vec<String>,
) -> Vec<EngineFact> {
    let facts = document.facts();
    let context = Context {
        facts,
        sentences: document.sentences(),
        thresholds,
    };
    let mut out = Vec::new();
    let high_dose = facts.iter().any(|f| {
        matches!(f.value, FactValue::MorphineEquivalentDose(mg) if mg > thresholds.opioid_high_dose_med)
            && given(f.polarity)
            && !f.ur_reasoning
    });
    let screen_interval = if high_dose {
        thresholds.high_dose_drug_screen_interval_weeks
    } else {
        thresholds.drug_screen_interval_weeks
    };
    if let Some(weeks) = weeks {
        let polarity = if weeks > thresholds.chronic_pain_weeks {
            Polarity::Affirmed
        } else {
            Polarity::Negated
        };
        out.push(EngineFact {
            name: C::ChronicPain,
            polarity,
            span: None,
            text: format!(
                "injury {weeks:.0} weeks before the request (chronic: more than {:.0})",
                thresholds.chronic_pain_weeks
            ),
            quote: None,
        });
    }
    // Post-operative care, or a service requested with a surgery, is in the postsurgical period.
    if reading.postoperative || reading.associated_surgical_service {
        out.push(EngineFact {
            name: C::Postoperative,
            polarity: Polarity::Affirmed,
            span: None,
            text: "the request is for post-operative care".to_string(),
            quote: None,
        });
    }
    if reading.additional {
        out.push(EngineFact {
            name: C::PriorTreatment,
            polarity: Polarity::Affirmed,
            span: None,
            text: "the request continues a treatment already given".to_string(),
            quote: None,
        });
    }
    let regions: Vec<&str> = reading.body_regions.iter().map(|r| r.as_str()).collect();
    let service = reading.service;
    // The record says the requested drug is new to the patient: its mentions are the course
    // being started, not a prior one (starting is judged apart from continuing).
    let first_course = first_course(facts, service);
    if let Some(fact) = first_course {
        push_as(&mut out, C::PriorTreatment, Polarity::Negated, fact);
    }
    let is_study = matches!(
        service,
        Service::Mri | Service::Ct | Service::XRay | Service::BoneScan | Service::EmgNcv
    );
    for fact in facts {
        // UR's reasons are not findings; a suspicion ("rule out") is not a finding either; a
        // plan is a finding only of a planned surgery (a requested treatment is not a past one).
        let p = fact.polarity;
        let value = &fact.value;
        // Care granted and not used up: the same care requested again is a duplicate;
        // another physical modality stacks on care not yet finished. An earlier
        // certification counts even where UR is quoted.
        if let FactValue::Authorization(care) = *value {
            if same_treatment(service, care) {
                push_as(&mut out, C::AlreadyAuthorized, Polarity::Affirmed, fact);
            } else if care.service().is_some_and(is_physical_medicine)
                && is_physical_medicine(service)
            {
                push_as(&mut out, C::CareInProgress, Polarity::Affirmed, fact);
            }
            continue;
        }
        if fact.ur_reasoning {
            continue;
        }
        // Surgery the patient "would consider" is no plan, but it is ACOEM's criterion for low
        // back imaging ("who would consider surgery an option").
        if fact.kind == FactKind::PlannedSurgery && p == Polarity::Uncertain {
            push_as(&mut out, C::SurgeryConsidered, Polarity::Planned, fact);
            continue;
        }
        // A red flag suspected is what a study is ordered to rule out (ACOEM: imaging at once
        // where a red flag is suspected); for a study, the suspicion is the indication.
        if matches!(value, FactValue::RedFlag(flag) if *flag != RedFlag::Any)
            && p == Polarity::Uncertain
            && is_study
        {
            push_as(&mut out, C::RedFlag, Polarity::Affirmed, fact);
            continue;
        }
        if p == Polarity::Uncertain
            || p == Polarity::Other
            || (p == Polarity::Planned && fact.kind != FactKind::PlannedSurgery)
        {
            continue;
        }
        // A neurologic finding at the other end of the spine says nothing of this request.
        if let FactValue::NeurologicFinding(finding) = *value {
            use NeurologicFinding as N;
            let zone = match finding {
                N::PositiveStraightLegRaise => Some(Zone::Lower),
                N::PositiveSpurling | N::PositiveTinel | N::PositivePhalen => Some(Zone::Upper),
                _ => fact.body_region.and_then(|r| zone_of(r.as_str())),
            };
            if zone.is_some_and(|z| !zone_fits(z, &regions)) {
                continue;
            }
        }
        // What a response is about: the treatment's care, when the text names one.
        let about = fact.about.as_deref().map(Care::parse);
        let about_this = match about {
            None => true,
            Some(care) => care.is_some_and(|c| response_is_about(service, c)),
        };
        let about_conservative = |care: Option<Option<Care>>| {
            care.flatten()
                .and_then(Care::service)
                .is_some_and(is_conservative)
        };
        let names: &[C] = match *value {
            FactValue::Response(Response::FunctionalImprovement) if about_this => {
                &[C::FunctionalImprovement]
            }
            // Relief is of this treatment only when the record says so ("relief from the
            // injection"); an unattributed "some relief" is not.
            FactValue::Response(Response::Improvement)
                if given(p) && about_this && about.is_some() =>
            {
                &[C::PainRelief]
            }
            // No benefit from this treatment; from another conservative treatment, a failure of
            // conservative care. The negated response affirms these facts.
            // Relief that did not last is no benefit either.
            FactValue::Response(response)
                if (response == Response::Improvement && p == Polarity::Negated)
                    || (matches!(
                        response,
                        Response::TemporaryImprovement | Response::TreatmentFailure
                    ) && given(p)) =>
            {
                let name = match about {
                    None => Some(C::NoBenefit),
                    Some(_) if about_this => Some(C::NoBenefit),
                    // Medications that did not help are conservative care that failed.
                    Some(Some(Care::AnyMedication)) => Some(C::FailedConservativeCare),
                    care if about_conservative(care) => Some(C::FailedConservativeCare),
                    Some(_) => None,
                };
                if let Some(name) = name {
                    push_as(&mut out, name, Polarity::Affirmed, fact);
                }
                continue;
            }
            // No functional improvement from another conservative treatment: that care failed.
            FactValue::Response(Response::FunctionalImprovement)
                if p == Polarity::Negated && !about_this && about_conservative(about) =>
            {
                push_as(
                    &mut out,
                    C::FailedConservativeCare,
                    Polarity::Affirmed,
                    fact,
                );
                continue;
            }
            FactValue::Response(Response::FailedConservativeCare) => &[C::FailedConservativeCare],
            FactValue::Response(Response::Intolerance) => &[C::MedicationIntolerance],
            FactValue::Response(Response::Worsening) => &[C::Worsening],
            // Conservative therapy already given, other than the one requested, with the
            // symptoms persisting to this request: conservative care tried and failed.
            // A therapy only requested, planned or quoted from UR never reaches here.
            // Sessions counted ("PT x16") were given: past care, as "completed" says.
            FactValue::Treatment(Care::Service(given_care))
                if !same_treatment(service, Care::Service(given_care))
                    && (p == Polarity::Historical
                        || (p == Polarity::Affirmed && fact.number.is_some_and(|n| n >= 1.0)))
                    && is_conservative(given_care)
                    && !given_care.is_medication() =>
            {
                &[C::FailedConservativeCare]
            }
            FactValue::Treatment(care) => {
                if same_treatment(service, care) {
                    if given(p)
                        && let Some(n) = fact.number
                    {
                        *prior_visits = Some(prior_visits.map_or(n, |m: f64| m.max(n)));
                    }
                    &[C::PriorTreatment]
                } else {
                    &[]
                }
            }
            // "No prior MRI": the same study stated as never done.
            FactValue::Imaging(study) if study == service && same_region(reading, fact) => {
                &[C::PriorImaging]
            }
            FactValue::Medication(_) => {
                let class = fact.about.as_deref().unwrap_or_default();
                let mut names: Vec<C> = Vec::new();
                let the_new_course = first_course.is_some() && p != Polarity::Historical;
                if (class == service.as_str() || same_drug(reading, fact)) && !the_new_course {
                    names.push(C::PriorTreatment);
                }
                if class == "opioid" {
                    names.push(C::OpioidTherapy);
                }
                if matches!(class, "antidepressant" | "anticonvulsant") && given(p) {
                    names.push(C::FailedFirstLineMedication);
                }
                push_all(&mut out, &names, fact);
                continue;
            }
            // An exercise program is a criterion while it goes on; one stopped is past care.
            FactValue::HomeExerciseProgram if p != Polarity::Historical => {
                &[C::HomeExerciseProgram]
            }
            // A measured gain in an activity is functional improvement (MTUS 9792.20).
            FactValue::Function(_) if fact.direction == Some(Direction::Improved) && given(p) => {
                &[C::FunctionalImprovement]
            }
            FactValue::SurgicalConsideration => &[C::SurgeryConsidered],
            // The bare words "red flag(s)" name no condition: mostly a criterion quoted, not found.
            FactValue::RedFlag(RedFlag::Any) if given(p) => &[],
            // Significant trauma is a red flag for fracture while recent (by its own date, or the
            // injury's when it has none), and plain films are the study it calls for first:
            // not CT or MRI, which the published reviewers upheld after such a fall.
            FactValue::RedFlag(RedFlag::SignificantTrauma) => {
                let weeks_ago = match fact.date.zip(date) {
                    Some((then, now)) => weeks_between(then, now),
                    None => weeks,
                };
                let recent = weeks_ago.is_some_and(|w| w <= thresholds.acute_fracture_weeks);
                if given(p) && recent && service == Service::XRay {
                    &[C::RedFlag]
                } else {
                    &[]
                }
            }
            // A red flag is a present danger: one in the patient's history is not, but for a
            // history of cancer, which ACOEM names as a red flag itself.
            FactValue::RedFlag(flag) if p == Polarity::Historical && flag != RedFlag::Tumor => &[],
            FactValue::RedFlag(_) => &[C::RedFlag],
            // A deficit said to be worsening is a progressive neurologic deficit: a red flag
            // (IMG-L2, IMG-L7: severe or progressive deficits warrant imaging at once).
            FactValue::NeurologicFinding(finding)
                if is_deficit(finding) && given(p) && worsening_in_sentence(&context, fact) =>
            {
                &[C::NeurologicalDeficit, C::RedFlag]
            }
            FactValue::NeurologicFinding(finding) => {
                use NeurologicFinding as N;
                match finding {
                    _ if is_deficit(finding) => &[C::NeurologicalDeficit],
                    // A provocative test suggests radiculopathy; it is no deficit.
                    N::PositiveStraightLegRaise | N::PositiveSpurling => &[C::Radiculopathy],
                    N::Radiculopathy => &[C::Radiculopathy, C::NeuropathicPain],
                    N::PositiveTinel | N::PositivePhalen => &[C::CarpalTunnelSigns],
                    N::Numbness | N::Tingling => &[C::SensorySymptoms],
                    N::RadiatingPain => &[C::RadiatingPain],
                    _ => &[],
                }
            }
            FactValue::PhysicalFinding(finding) => {
                use PhysicalFinding as F;
                match finding {
                    F::Spasm => &[C::MuscleSpasm],
                    F::TriggerPoint => &[C::TriggerPoints],
                    F::PositiveMcmurray
                    | F::PositiveLigamentTest
                    | F::PositiveApprehension
                    | F::MechanicalSymptoms
                    | F::JointLineTenderness => &[C::InternalDerangement],
                    _ => &[],
                }
            }
            FactValue::Diagnosis(diagnosis) => match diagnosis {
                Diagnosis::NeuralgiaNeuritisRadiculitis => &[C::NeuropathicPain, C::Radiculopathy],
                Diagnosis::Crps => &[C::Crps, C::NeuropathicPain],
                Diagnosis::Degenerative => &[C::Osteoarthritis],
                // Not every red flag's consequence follows: an acute fracture warrants plain
                // films, not the MRI that other red flags do.
                Diagnosis::Fracture
                    if given(p) && weeks.is_some_and(|w| w <= thresholds.acute_fracture_weeks) =>
                {
                    &[C::AcuteFracture]
                }
                Diagnosis::InternalDerangement => &[C::InternalDerangement],
                Diagnosis::CarpalTunnelSyndrome => &[C::CarpalTunnelSigns],
                Diagnosis::Psychiatric => &[C::PsychologicalSymptoms],
                Diagnosis::ChronicPain if p == Polarity::Affirmed => &[C::ChronicPain],
                Diagnosis::PostSurgical
                    if in_postsurgical_period(
                        fact,
                        &context,
                        &regions,
                        reading.laterality,
                        date,
                    ) =>
                {
                    &[C::Postoperative]
                }
                _ => &[],
            },
            FactValue::Imaging(study) if given(p) => {
                // What the study showed, where it is of the part of the body requested: a lesion
                // or an abnormal study corroborates; a normal one contradicts.
                if same_region(reading, fact) {
                    match fact.result {
                        Some(r) if r.corroborates() => {
                            push_as(&mut out, C::CorroboratingStudy, p, fact);
                        }
                        Some(TestResult::Normal | TestResult::Degenerative) => {
                            push_as(&mut out, C::CorroboratingStudy, Polarity::Negated, fact);
                        }
                        _ => {}
                    }
                }
                // The same study of the same region is imaging of record for a repeat; for a
                // treatment, any study already done is.
                if (study == service && same_region(reading, fact)) || !is_study {
                    &[C::PriorImaging]
                } else {
                    &[]
                }
            }
            FactValue::Surgery(procedure)
                if given(p)
                    && in_postsurgical_period(
                        fact,
                        &context,
                        &regions,
                        reading.laterality,
                        date,
                    ) =>
            {
                if !procedures.iter().any(|p| p == procedure.as_str()) {
                    procedures.push(procedure.as_str().to_string());
                }
                &[C::Postoperative]
            }
            FactValue::PlannedSurgery(_) => &[C::SurgeryPlanned, C::SurgeryConsidered],
            // A return to duty, or restrictions lifted: a reduction in work restrictions is
            // functional improvement (MTUS 9792.20).
            FactValue::WorkStatus(status)
                if fact.direction == Some(Direction::Improved) && given(p) =>
            {
                match status {
                    WorkStatus::FullDuty | WorkStatus::Working => {
                        &[C::ReturnedToWork, C::FunctionalImprovement]
                    }
                    _ => &[C::FunctionalImprovement],
                }
            }
            FactValue::WorkStatus(status) => match status {
                WorkStatus::FullDuty | WorkStatus::Working => &[C::ReturnedToWork],
                WorkStatus::PermanentAndStationary => &[C::MaximumMedicalImprovement],
                WorkStatus::FailedReturnToWork => &[C::FailedReturnToWork],
                _ => &[],
            },
            // A screen that did not match the prescriptions is aberrant behaviour, not
            // monitoring that went well. Monitoring is a urine drug screen; the prescription
            // report (CURES) alone is not one (MTUS 3.3.6), though what it shows counts as any
            // screen's result does.
            FactValue::UrineDrugScreen(screen) if given(p) => match fact.result {
                Some(TestResult::Inconsistent) => &[C::AberrantBehavior],
                _ if screen == Screen::Cures => &[],
                // A screen dated the interval or more before the request is monitoring that
                // has lapsed: the next one is due ("twice a year": 26 weeks on, the next is
                // allowed). At a high daily dose the interval is shorter (four a year).
                _ if fact
                    .date
                    .zip(date)
                    .and_then(|(d, now)| weeks_between(d, now))
                    .is_some_and(|w| w >= screen_interval) =>
                {
                    push_as(&mut out, C::OpioidMonitoring, Polarity::Negated, fact);
                    continue;
                }
                _ => &[C::OpioidMonitoring],
            },
            FactValue::AberrantBehavior => &[C::AberrantBehavior],
            FactValue::Condition(condition) => match condition {
                Comorbidity::GiDisorder => &[C::GiRisk],
                Comorbidity::MedicalComorbidity => &[C::MedicalComorbidity],
                Comorbidity::BleedingRisk => &[C::BleedingRisk],
                Comorbidity::Homebound => &[C::Homebound],
                Comorbidity::ReducedWeightBearing => &[C::ReducedWeightBearing],
                Comorbidity::SeriousAdverseEffect => &[C::SeriousAdverseEffect],
            },
            _ => &[],
        };
        push_all(&mut out, names, fact);
    }
    radiculopathy_on_examination(&mut out);
    out
}

/// Pain that radiates into a limb, with a neurological deficit there, is radiculopathy found on
/// examination: neuropathic pain, the condition CPMTG's sections on TENS and anticonvulsants
/// name. The deficit is the evidence (a sign at the other end of the spine never reaches here).
fn radiculopathy_on_examination(out: &mut Vec<EngineFact>) {
    let affirmed = |out: &[EngineFact], name: C| {
        out.iter()
            .position(|f| f.name == name && f.polarity == Polarity::Affirmed)
    };
    if affirmed(out, C::NeuropathicPain).is_none()
        && affirmed(out, C::RadiatingPain).is_some()
        && let Some(i) = affirmed(out, C::NeurologicalDeficit)
    {
        let mut neuropathic = out[i].clone();
        neuropathic.name = C::NeuropathicPain;
        out.push(neuropathic);
    }
}

fn push_as(out: &mut Vec<EngineFact>, name: C, polarity: Polarity, fact: &Fact) {
    out.push(EngineFact {
        name,
        polarity,
        span: Some((fact.start, fact.end)),
        text: fact.text.clone(),
        quote: None,
    });
}

fn push_all(out: &mut Vec<EngineFact>, names: &[C], fact: &Fact) {
    for name in names {
        push_as(out, *name, fact.polarity, fact);
    }
}

/// Two requests are for the same part of the body when they share a region, or when either
/// names none.
fn same_part_of_body(a: &Request, b: &Request) -> bool {
    a.body_regions.is_empty()
        || b.body_regions.is_empty()
        || a.body_regions.iter().any(|r| b.body_regions.contains(r))
}

/// The treatments given as a course of visits, which the guidelines count.
fn is_course_of_visits(service: Service) -> bool {
    matches!(
        service,
        Service::PhysicalTherapy
            | Service::OccupationalTherapy
            | Service::Chiropractic
            | Service::Acupuncture
            | Service::Massage
            | Service::PsychologicalTreatment
            | Service::ShockwaveTherapy
            | Service::Biofeedback
    )
}

/// The devices and supplies that are ordered to go with an operation: a brace or sling, a cold
/// therapy unit, a stimulator, equipment and supplies for the recovery at home.
fn is_perioperative_device(service: Service) -> bool {
    matches!(
        service,
        Service::Orthosis
            | Service::HeatColdTherapy
            | Service::DurableMedicalEquipment
            | Service::MedicalSupplies
            | Service::Tens
    )
}

/// Therapy given in visits by a therapist or practitioner (CPMTG Physical Medicine, Manual
/// therapy, Acupuncture, Massage).
fn is_physical_medicine(service: Service) -> bool {
    matches!(
        service,
        Service::PhysicalTherapy
            | Service::OccupationalTherapy
            | Service::Chiropractic
            | Service::Acupuncture
            | Service::Massage
    )
}

fn is_conservative(service: Service) -> bool {
    is_physical_medicine(service)
        || matches!(
            service,
            Service::Tens
                | Service::EpiduralSteroidInjection
                | Service::FacetInjection
                | Service::JointInjection
                | Service::TriggerPointInjection
                | Service::Nsaid
                | Service::MuscleRelaxant
                | Service::Opioid
        )
}

fn same_drug(reading: &Request, fact: &Fact) -> bool {
    let Some(drug) = &reading.drug else {
        return false;
    };
    let name = drug.name.split_whitespace().next().unwrap_or_default();
    !name.is_empty()
        && (matches!(&fact.value, FactValue::Medication(drug) if drug.contains(name))
            || fact.drug.as_ref().is_some_and(|d| d.name.contains(name)))
}

/// A request for one side and a fact of the other: a left knee surgery says nothing of the
/// right knee. Bilateral or unstated sides match either.
fn same_side(request: Option<Laterality>, fact: Option<Laterality>) -> bool {
    !matches!(
        (request, fact),
        (Some(Laterality::Left), Some(Laterality::Right))
            | (Some(Laterality::Right), Some(Laterality::Left))
    )
}

fn same_region(reading: &Request, fact: &Fact) -> bool {
    if !same_side(reading.laterality, fact.laterality) {
        return false;
    }
    match fact.body_region {
        Some(region) => reading.body_regions.is_empty() || reading.body_regions.contains(&region),
        None => true,
    }
}
