//! Builds the engine's input from a case: the request reading ([`crate::request`]) gives the
//! service and numbers, the fact extraction ([`crate::extract`]) gives the facts, and this module
//! restates them in the engine's words (`guidelines::vocab::FACTS`). Keeping the translation in
//! one place lets the rule files speak the guidelines' language ("functional improvement",
//! "neurological deficit") whatever the extraction's finer vocabulary.

use jiff::civil::Date;

use super::input::{CaseInput, EngineFact, ItemInput, Polarity};
use super::lexicon::{Zone, zone_fits, zone_of};
use crate::case_file::CaseFile;
use crate::extract::{self, Fact, FactKind};
use crate::model::Determination;
use crate::request::{self, Acquisition, DrugForm, Request, Service, TimeUnit};

/// One disputed request of a case: the item, and for a partial authorization what was asked for
/// originally and what was authorized.
#[derive(Debug, Clone, Copy)]
pub struct RequestText<'a> {
    pub item: &'a str,
    pub original_request: Option<&'a str>,
    pub authorized: Option<&'a str>,
}

/// The engine's input for a case file.
pub fn from_case_file(case: &CaseFile) -> CaseInput {
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
    )
}

/// The engine's input for a published letter, with its decisions and rationales left out: only
/// the header dates, the clinical summary and the requests are read.
pub fn from_letter(letter: &Determination) -> CaseInput {
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
    )
}

/// The engine's input from the parts of a case.
pub fn build(
    case_number: Option<String>,
    date_of_injury: Option<Date>,
    date: Option<Date>,
    clinical_summary: &str,
    requests: &[RequestText],
) -> CaseInput {
    let mut problems = Vec::new();
    if clinical_summary.trim().is_empty() {
        problems.push("the case has no clinical summary: no facts could be read".to_string());
    }
    let facts = extract::facts(clinical_summary);
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
    let latest_in_record = super::lexicon::dates(clinical_summary)
        .into_iter()
        .filter(|d| injury.is_some_and(|i| *d > i))
        .max();
    let weeks_since_injury = match (injury, date.or(latest_in_record)) {
        (Some(injury), Some(date)) => weeks_between(injury, date),
        _ => None,
    };
    let phrases = super::lexicon::Reading::new(clinical_summary);
    let therapies = readings
        .iter()
        .filter(|r| is_physical_or_passive(r.service))
        .count();
    let mut items = Vec::new();
    for (text, reading) in requests.iter().zip(&readings) {
        let mut item = item_input(
            text,
            reading,
            &facts,
            weeks_since_injury,
            date,
            clinical_summary,
        );
        // The engine's own trigger phrases fill in the engine facts the extraction did not give
        // (while the extraction grows, most of them); a fact the extraction gives is kept as is.
        let drug = reading.drug.as_ref().map(|d| d.name.as_str());
        let found = phrases.item(reading.service.as_str(), drug, &item.body_regions);
        let from_extraction: Vec<&'static str> = item.facts.iter().map(|f| f.name).collect();
        item.facts.extend(
            found
                .facts
                .into_iter()
                .filter(|f| !from_extraction.contains(&f.name)),
        );
        item.prior_visits = item.prior_visits.or(found.prior_visits);
        item.concurrent_other_therapy = is_physical_or_passive(reading.service) && therapies > 1;
        items.push(item);
    }
    CaseInput {
        case_number,
        date,
        date_of_injury,
        items,
        problems,
    }
}

fn item_input(
    text: &RequestText,
    reading: &Request,
    facts: &[Fact],
    weeks_since_injury: Option<f64>,
    date: Option<Date>,
    clinical_summary: &str,
) -> ItemInput {
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
        duration_weeks: reading.duration.map(|d| {
            let amount = f64::from(d.amount);
            match d.unit {
                TimeUnit::Day => amount / 7.0,
                TimeUnit::Week => amount,
                TimeUnit::Month => amount * 52.0 / 12.0,
            }
        }),
        weeks_since_injury,
        body_regions,
        partial_authorization: partial,
        quantity_unspecified: reading.quantity_unspecified,
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
        facts,
        weeks_since_injury,
        date,
        clinical_summary,
        &mut item.prior_visits,
    );
    item
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
fn same_treatment(service: Service, name: &str) -> bool {
    let s = service.as_str();
    s == name
        || matches!(
            (s, name),
            ("physical_therapy", "occupational_therapy")
                | ("occupational_therapy", "physical_therapy")
        )
}

fn polarity(p: extract::Polarity) -> Option<Polarity> {
    match p {
        extract::Polarity::Affirmed | extract::Polarity::Historical => Some(Polarity::Affirmed),
        extract::Polarity::Negated => Some(Polarity::Negated),
        extract::Polarity::Uncertain => None,
    }
}

/// The record's facts in the engine's words, for one item.
fn weeks_between(from: Date, to: Date) -> Option<f64> {
    from.until(to)
        .ok()
        .and_then(|span| span.total((jiff::Unit::Day, from)).ok())
        .map(|days| (days / 7.0).floor())
}

/// A past surgery puts a request in the postsurgical period when it was on the region requested
/// (or the record does not say where, or the request names no region) and, where both dates are
/// known, within the presumptive postsurgical period of 6 months (8 CCR 9792.24.3).
fn in_postsurgical_period(
    fact: &Fact,
    summary: &str,
    regions: &[&str],
    date: Option<Date>,
) -> bool {
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
        None => super::lexicon::sentence_names_region(summary, fact.start, regions),
    };
    let recent = match (fact.date, date) {
        (Some(surgery), Some(date)) => weeks_between(surgery, date).is_none_or(|w| w <= 26.0),
        _ => true,
    };
    same_region && recent
}

fn engine_facts(
    reading: &Request,
    facts: &[Fact],
    weeks: Option<f64>,
    date: Option<Date>,
    clinical_summary: &str,
    prior_visits: &mut Option<f64>,
) -> Vec<EngineFact> {
    let mut out = Vec::new();
    if let Some(weeks) = weeks {
        let polarity = if weeks > 12.0 {
            Polarity::Affirmed
        } else {
            Polarity::Negated
        };
        out.push(EngineFact {
            name: "chronic_pain",
            polarity,
            span: None,
            text: format!("injury {weeks:.0} weeks before the request (chronic: more than 12)"),
        });
    }
    // Post-operative care, or a service requested with a surgery, is in the postsurgical period.
    if reading.postoperative || reading.associated_surgical_service {
        out.push(EngineFact {
            name: "postoperative",
            polarity: Polarity::Affirmed,
            span: None,
            text: "the request is for post-operative care".to_string(),
        });
    }
    if reading.additional {
        out.push(EngineFact {
            name: "prior_treatment",
            polarity: Polarity::Affirmed,
            span: None,
            text: "the request continues a treatment already given".to_string(),
        });
    }
    let regions: Vec<&str> = reading.body_regions.iter().map(|r| r.as_str()).collect();
    let service = reading.service;
    for fact in facts {
        let Some(p) = polarity(fact.polarity) else {
            continue;
        };
        // A neurologic finding at the other end of the spine says nothing of this request.
        if fact.kind == FactKind::NeurologicFinding {
            let zone = match fact.value.as_str() {
                "positive_straight_leg_raise" => Some(Zone::Lower),
                "positive_spurling" | "positive_tinel" | "positive_phalen" => Some(Zone::Upper),
                _ => fact.body_region.and_then(|r| zone_of(r.as_str())),
            };
            if zone.is_some_and(|z| !zone_fits(z, &regions)) {
                continue;
            }
        }
        let value = fact.value.as_str();
        let about_this = fact
            .about
            .as_deref()
            .is_none_or(|a| same_treatment(service, a));
        let names: &[&'static str] = match fact.kind {
            FactKind::Response if value == "functional_improvement" && about_this => {
                &["functional_improvement"]
            }
            FactKind::Response
                if value == "improvement" && p == Polarity::Negated && about_this =>
            {
                &["no_benefit"]
            }
            FactKind::Response if value == "worsening" => &["worsening"],
            FactKind::Treatment => {
                let mut names: Vec<&'static str> = Vec::new();
                if same_treatment(service, value) {
                    names.push("prior_treatment");
                    if p == Polarity::Affirmed
                        && let Some(n) = fact.number
                    {
                        *prior_visits = Some(prior_visits.map_or(n, |m: f64| m.max(n)));
                    }
                }
                if p == Polarity::Affirmed && is_conservative(value) {
                    names.push("failed_conservative_care");
                }
                push_all(&mut out, &names, fact, p);
                continue;
            }
            FactKind::Medication => {
                let class = fact.about.as_deref().unwrap_or_default();
                let mut names: Vec<&'static str> = Vec::new();
                if class == service.as_str() || same_drug(reading, fact) {
                    names.push("prior_treatment");
                }
                if class == "opioid" {
                    names.push("opioid_therapy");
                }
                if matches!(class, "antidepressant" | "anticonvulsant") && p == Polarity::Affirmed {
                    names.push("failed_first_line_medication");
                }
                if p == Polarity::Affirmed {
                    names.push("failed_conservative_care");
                }
                push_all(&mut out, &names, fact, p);
                continue;
            }
            FactKind::HomeExerciseProgram => &["home_exercise_program"],
            // The bare words "red flag(s)" name no condition: mostly a criterion quoted, not found.
            FactKind::RedFlag if value == "red_flag" && p == Polarity::Affirmed => &[],
            // A red flag is a present danger: one in the patient's history is not.
            FactKind::RedFlag if fact.polarity == extract::Polarity::Historical => &[],
            FactKind::RedFlag if value == "instability" => &["red_flag", "internal_derangement"],
            FactKind::RedFlag => &["red_flag"],
            FactKind::NeurologicFinding => match value {
                "weakness" | "decreased_sensation" | "decreased_reflexes" | "atrophy" => {
                    &["neurological_deficit"]
                }
                "positive_straight_leg_raise" | "positive_spurling" => {
                    &["neurological_deficit", "radiculopathy"]
                }
                "radiculopathy" => &["radiculopathy", "neuropathic_pain"],
                "positive_tinel" | "positive_phalen" => &["carpal_tunnel_signs"],
                "numbness" | "tingling" => &["sensory_symptoms"],
                _ => &[],
            },
            FactKind::PhysicalFinding => match value {
                "spasm" => &["muscle_spasm"],
                "positive_mcmurray" => &["internal_derangement"],
                _ => &[],
            },
            FactKind::Diagnosis => match value {
                "neuralgia_neuritis_radiculitis" => &["neuropathic_pain", "radiculopathy"],
                "crps" => &["crps", "neuropathic_pain"],
                "degenerative" => &["osteoarthritis"],
                "internal_derangement" => &["internal_derangement"],
                "carpal_tunnel_syndrome" => &["carpal_tunnel_signs"],
                "psychiatric" => &["psychological_symptoms"],
                "post_surgical"
                    if in_postsurgical_period(fact, clinical_summary, &regions, date) =>
                {
                    &["postoperative"]
                }
                _ => &[],
            },
            FactKind::Imaging if value == service.as_str() && same_region(reading, fact) => {
                &["prior_imaging"]
            }
            FactKind::Imaging
                if service == Service::EpiduralSteroidInjection && p == Polarity::Affirmed =>
            {
                &["prior_imaging"]
            }
            FactKind::Surgery
                if p == Polarity::Affirmed
                    && in_postsurgical_period(fact, clinical_summary, &regions, date) =>
            {
                &["postoperative"]
            }
            FactKind::PlannedSurgery => &["surgery_planned"],
            FactKind::WorkStatus => match value {
                "full_duty" | "working" => &["returned_to_work"],
                _ => &[],
            },
            FactKind::UrineDrugScreen if p == Polarity::Affirmed => &["opioid_monitoring"],
            _ => &[],
        };
        push_all(&mut out, names, fact, p);
    }
    out
}

fn push_all(out: &mut Vec<EngineFact>, names: &[&'static str], fact: &Fact, polarity: Polarity) {
    for name in names {
        out.push(EngineFact {
            name,
            polarity,
            span: Some((fact.start, fact.end)),
            text: fact.text.clone(),
        });
    }
}

fn is_conservative(service: &str) -> bool {
    matches!(
        service,
        "physical_therapy"
            | "occupational_therapy"
            | "chiropractic"
            | "acupuncture"
            | "massage"
            | "tens"
            | "epidural_steroid_injection"
            | "facet_injection"
            | "joint_injection"
            | "trigger_point_injection"
            | "nsaid"
            | "muscle_relaxant"
            | "opioid"
    )
}

fn same_drug(reading: &Request, fact: &Fact) -> bool {
    let Some(drug) = &reading.drug else {
        return false;
    };
    let name = drug.name.split_whitespace().next().unwrap_or_default();
    !name.is_empty()
        && (fact.value.contains(name) || fact.drug.as_ref().is_some_and(|d| d.name.contains(name)))
}

fn same_region(reading: &Request, fact: &Fact) -> bool {
    match fact.body_region {
        Some(region) => reading.body_regions.is_empty() || reading.body_regions.contains(&region),
        None => true,
    }
}
