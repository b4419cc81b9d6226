//! Reviewer assignment (8 CCR 9792.10.4; LC 4610.6): who may review a case, who is excluded and
//! why, and who is chosen.
//!
//! A reviewer qualifies when active, in active practice more than five years, at least 24 hours
//! a week, of the same or a similar specialty, and with no affiliation with any party of the
//! case. Among those qualified the choice prefers the same specialty to a similar one, then the
//! lighter load (open cases), then the identifier (so the choice is deterministic).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::application::Application;
use super::reviewer::{Affiliation, Reviewer, normalize_name};
use super::specialty::Needed;

/// More than this many years in active practice.
pub const MIN_YEARS_EXCLUSIVE: u32 = 5;
/// At least this many hours a week in practice.
pub const MIN_HOURS_PER_WEEK: u32 = 24;

/// A party to the case, for conflict checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Worker,
    Representative,
    Employer,
    ClaimsAdministrator,
    Insurer,
    RequestingProvider,
    ProviderGroup,
    OtherProvider,
}

impl PartyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Worker => "the worker",
            PartyRole::Representative => "the worker's representative",
            PartyRole::Employer => "the employer",
            PartyRole::ClaimsAdministrator => "the claims administrator",
            PartyRole::Insurer => "the insurer",
            PartyRole::RequestingProvider => "the requesting provider",
            PartyRole::ProviderGroup => "the requesting provider's group",
            PartyRole::OtherProvider => "a treating provider",
        }
    }
}

/// Every party of an application, with its role.
pub fn parties(app: &Application) -> Vec<(PartyRole, &str)> {
    let mut out = vec![
        (PartyRole::Worker, app.worker.as_str()),
        (PartyRole::Employer, app.employer.as_str()),
        (
            PartyRole::ClaimsAdministrator,
            app.claims_administrator.as_str(),
        ),
        (
            PartyRole::RequestingProvider,
            app.requesting_provider.name.as_str(),
        ),
    ];
    if let Some(r) = &app.representative {
        out.push((PartyRole::Representative, r));
    }
    if let Some(i) = &app.insurer {
        out.push((PartyRole::Insurer, i));
    }
    if let Some(g) = &app.requesting_provider.group {
        out.push((PartyRole::ProviderGroup, g));
    }
    for p in &app.other_providers {
        out.push((PartyRole::OtherProvider, p));
    }
    out
}

/// Why a reviewer may not take a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "exclusion", rename_all = "snake_case")]
pub enum Exclusion {
    Inactive,
    /// An affiliation with a party of the case.
    Conflict {
        affiliation: Affiliation,
        party: PartyRole,
    },
    TooFewYearsInPractice {
        years: u32,
    },
    TooFewHoursPerWeek {
        hours: u32,
    },
    NoMatchingSpecialty,
}

impl Exclusion {
    pub fn is_conflict(&self) -> bool {
        matches!(self, Exclusion::Conflict { .. })
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::Inactive => f.write_str("inactive"),
            Exclusion::Conflict { affiliation, party } => write!(
                f,
                "conflict of interest: affiliated ({}) with {}",
                affiliation.kind.as_str(),
                party.as_str()
            ),
            Exclusion::TooFewYearsInPractice { years } => write!(
                f,
                "{years} years in active practice; more than {MIN_YEARS_EXCLUSIVE} are required"
            ),
            Exclusion::TooFewHoursPerWeek { hours } => write!(
                f,
                "{hours} hours a week in practice; at least {MIN_HOURS_PER_WEEK} are required"
            ),
            Exclusion::NoMatchingSpecialty => f.write_str(
                "no board certification or subspecialty of the same or a similar specialty",
            ),
        }
    }
}

/// How a reviewer's specialty fits the case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "match", content = "specialty", rename_all = "snake_case")]
pub enum SpecialtyMatch {
    Same(String),
    Similar(String),
}

impl fmt::Display for SpecialtyMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecialtyMatch::Same(s) => write!(f, "same specialty ({s})"),
            SpecialtyMatch::Similar(s) => write!(f, "similar specialty ({s})"),
        }
    }
}

/// One reviewer weighed for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub reviewer_id: String,
    /// Open cases the reviewer holds.
    pub load: u32,
    pub specialty: Option<SpecialtyMatch>,
    /// Empty when the reviewer qualifies.
    pub exclusions: Vec<Exclusion>,
}

impl Assessment {
    pub fn qualifies(&self) -> bool {
        self.exclusions.is_empty()
    }
}

impl fmt::Display for Assessment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.qualifies() {
            write!(f, "{}: qualifies", self.reviewer_id)?;
            if let Some(m) = &self.specialty {
                write!(f, "; {m}")?;
            }
            write!(f, "; {} open case(s)", self.load)
        } else {
            let why: Vec<String> = self.exclusions.iter().map(|e| e.to_string()).collect();
            write!(f, "{}: excluded: {}", self.reviewer_id, why.join("; "))
        }
    }
}

/// The conflicts of interest between a reviewer and the parties of a case.
pub fn conflicts(app: &Application, reviewer: &Reviewer) -> Vec<Exclusion> {
    let parties: Vec<(PartyRole, String)> = parties(app)
        .into_iter()
        .map(|(role, name)| (role, normalize_name(name)))
        .filter(|(_, name)| !name.is_empty())
        .collect();
    let mut out = Vec::new();
    for affiliation in &reviewer.affiliations {
        let name = normalize_name(&affiliation.name);
        for (role, party) in &parties {
            if *party == name {
                out.push(Exclusion::Conflict {
                    affiliation: affiliation.clone(),
                    party: *role,
                });
            }
        }
    }
    out
}

fn specialty_match(reviewer: &Reviewer, needed: &Needed) -> Option<SpecialtyMatch> {
    let held = reviewer
        .board_certifications
        .iter()
        .chain(&reviewer.subspecialties);
    let mut best: Option<SpecialtyMatch> = None;
    for s in held {
        let n = normalize_name(s);
        let m = if needed.same.contains(&n) {
            SpecialtyMatch::Same(s.clone())
        } else if needed.similar.contains(&n) {
            SpecialtyMatch::Similar(s.clone())
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|b| m < *b) {
            best = Some(m);
        }
    }
    best
}

/// Weighs one reviewer for a case.
pub fn assess(app: &Application, needed: &Needed, reviewer: &Reviewer, load: u32) -> Assessment {
    let mut exclusions = Vec::new();
    if !reviewer.active {
        exclusions.push(Exclusion::Inactive);
    }
    exclusions.extend(conflicts(app, reviewer));
    if reviewer.years_in_active_practice <= MIN_YEARS_EXCLUSIVE {
        exclusions.push(Exclusion::TooFewYearsInPractice {
            years: reviewer.years_in_active_practice,
        });
    }
    if reviewer.hours_per_week_in_practice < MIN_HOURS_PER_WEEK {
        exclusions.push(Exclusion::TooFewHoursPerWeek {
            hours: reviewer.hours_per_week_in_practice,
        });
    }
    let specialty = specialty_match(reviewer, needed);
    if specialty.is_none() {
        exclusions.push(Exclusion::NoMatchingSpecialty);
    }
    Assessment {
        reviewer_id: reviewer.id.clone(),
        load,
        specialty,
        exclusions,
    }
}

/// Weighs every reviewer; qualified reviewers first, best first, then the excluded ones.
pub fn rank(
    app: &Application,
    needed: &Needed,
    reviewers: &[Reviewer],
    loads: &BTreeMap<String, u32>,
) -> Vec<Assessment> {
    let mut all: Vec<Assessment> = reviewers
        .iter()
        .map(|r| assess(app, needed, r, loads.get(&r.id).copied().unwrap_or(0)))
        .collect();
    all.sort_by(|a, b| {
        let key = |x: &Assessment| {
            (
                !x.qualifies(),
                !matches!(x.specialty, Some(SpecialtyMatch::Same(_))),
                x.load,
                x.reviewer_id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    all
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::application::tests::sample;
    use crate::reviewer::AffiliationKind;
    use crate::reviewer::tests::reviewer;

    pub(crate) fn needed() -> Needed {
        Needed {
            same: ["orthopedic surgery".to_string()].into(),
            similar: ["occupational medicine".to_string()].into(),
            rules: vec!["spine".into()],
        }
    }

    #[test]
    fn the_same_specialty_wins_then_the_lighter_load() {
        let app = sample();
        let reviewers = vec![
            reviewer("occ", "Occupational Medicine"),
            reviewer("ortho-busy", "Orthopedic Surgery"),
            reviewer("ortho-free", "orthopedic surgery"),
            reviewer("psych", "Psychiatry"),
        ];
        let loads = BTreeMap::from([("ortho-busy".to_string(), 3), ("ortho-free".to_string(), 1)]);
        let ranked = rank(&app, &needed(), &reviewers, &loads);
        let ids: Vec<&str> = ranked.iter().map(|a| a.reviewer_id.as_str()).collect();
        assert_eq!(ids, ["ortho-free", "ortho-busy", "occ", "psych"]);
        assert_eq!(
            ranked[2].specialty,
            Some(SpecialtyMatch::Similar("Occupational Medicine".into()))
        );
        assert_eq!(ranked[3].exclusions, [Exclusion::NoMatchingSpecialty]);
        assert_eq!(
            ranked[0].to_string(),
            "ortho-free: qualifies; same specialty (orthopedic surgery); 1 open case(s)"
        );
    }

    #[test]
    fn five_years_is_not_enough_six_is_and_24_hours_is_the_floor() {
        let app = sample();
        let mut r = reviewer("r", "Orthopedic Surgery");
        r.years_in_active_practice = 5;
        r.hours_per_week_in_practice = 23;
        assert_eq!(
            assess(&app, &needed(), &r, 0).exclusions,
            [
                Exclusion::TooFewYearsInPractice { years: 5 },
                Exclusion::TooFewHoursPerWeek { hours: 23 }
            ]
        );
        r.years_in_active_practice = 6;
        r.hours_per_week_in_practice = 24;
        assert!(assess(&app, &needed(), &r, 0).qualifies());
        r.active = false;
        assert_eq!(
            assess(&app, &needed(), &r, 0).exclusions,
            [Exclusion::Inactive]
        );
    }

    #[test]
    fn every_kind_of_affiliation_with_every_party_is_a_conflict() {
        let app = sample();
        let mut app_with_rep = app.clone();
        app_with_rep.representative = Some("Pat Advocate, Esq.".into());
        let cases: [(AffiliationKind, &str, PartyRole); 9] = [
            (
                AffiliationKind::Employer,
                "FICTIONAL FREIGHT CO.",
                PartyRole::Employer,
            ),
            (
                AffiliationKind::ClaimsAdministrator,
                "Imaginary Claims Services",
                PartyRole::ClaimsAdministrator,
            ),
            (
                AffiliationKind::Insurer,
                "Pretend Mutual Insurance",
                PartyRole::Insurer,
            ),
            (
                AffiliationKind::ProviderGroup,
                "Sample Spine Group",
                PartyRole::ProviderGroup,
            ),
            (
                AffiliationKind::Person,
                "Dr Robin Sample",
                PartyRole::RequestingProvider,
            ),
            (AffiliationKind::Person, "Dana Example", PartyRole::Worker),
            (
                AffiliationKind::Person,
                "Pat Advocate Esq",
                PartyRole::Representative,
            ),
            (
                AffiliationKind::Person,
                "Dr. Lee Placeholder",
                PartyRole::OtherProvider,
            ),
            // The kind the reviewer declared does not matter: an employer that is the claims
            // administrator of this case is still a conflict.
            (
                AffiliationKind::Employer,
                "Imaginary Claims Services",
                PartyRole::ClaimsAdministrator,
            ),
        ];
        for (kind, name, role) in cases {
            let mut r = reviewer("r", "Orthopedic Surgery");
            r.affiliations = vec![Affiliation {
                kind,
                name: name.into(),
            }];
            let a = assess(&app_with_rep, &needed(), &r, 0);
            assert_eq!(
                a.exclusions,
                [Exclusion::Conflict {
                    affiliation: r.affiliations[0].clone(),
                    party: role
                }],
                "{kind:?} {name}"
            );
            assert!(a.exclusions[0].is_conflict());
        }
        // An unrelated affiliation is no conflict.
        let mut r = reviewer("r", "Orthopedic Surgery");
        r.affiliations = vec![Affiliation {
            kind: AffiliationKind::Employer,
            name: "Fictional Freight".into(),
        }];
        assert!(assess(&app, &needed(), &r, 0).qualifies());
    }
}
