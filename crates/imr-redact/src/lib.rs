//! The public copy: removing what identifies a person from a letter or a determination.
//!
//! DWC publishes every Final Determination Letter with the people taken out. This module
//! removes, first, every party the case knows ([`KnownParties`], from its application: the
//! worker, the representative, the employer, the claims administrator, the insurer, every
//! provider and provider group, the claim's identifiers, the worker's address, phone number
//! and date of birth) in every form each takes — full name, surname or given name alone,
//! initials, "Surname, Given", possessives, any case or spacing, split over a line; then what
//! patterns find in any letter: names with titles, with credentials, after labels, "Last,
//! First", names without a title found by the census name lists in context (`names`), every
//! later use of a name once it is known, claim and WCAB case numbers, Social Security numbers,
//! phone and fax numbers, street and post-office addresses, email addresses, dates of birth,
//! and employer and provider names. Each is replaced with a bracketed tag ("[NAME]", "[CLAIM
//! NUMBER]", ...). It keeps what the published letters keep: ages, dates of injury, the IMR
//! case number, the guidelines and the clinical facts.
//!
//! Every removal is reported by kind and byte range in the input, never with the removed text,
//! so a report can be logged.

mod detect;
mod known;
pub mod names;
mod second_look;

use serde::Serialize;

pub use known::KnownParties;
pub use second_look::{Lookalike, LooksLike, kept_lookalikes};

use imr_core::model::Determination;

/// What a removed piece of text was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Name,
    ClaimNumber,
    Ssn,
    Phone,
    Address,
    Email,
    DateOfBirth,
    Employer,
    Provider,
    ClaimsAdministrator,
    Insurer,
}

impl Kind {
    /// Every kind, in the report's order.
    pub const ALL: [Kind; 11] = [
        Kind::Name,
        Kind::ClaimNumber,
        Kind::Ssn,
        Kind::Phone,
        Kind::Address,
        Kind::Email,
        Kind::DateOfBirth,
        Kind::Employer,
        Kind::Provider,
        Kind::ClaimsAdministrator,
        Kind::Insurer,
    ];

    /// The tag that replaces the text.
    pub fn tag(self) -> &'static str {
        match self {
            Kind::Name => "[NAME]",
            Kind::ClaimNumber => "[CLAIM NUMBER]",
            Kind::Ssn => "[SSN]",
            Kind::Phone => "[PHONE]",
            Kind::Address => "[ADDRESS]",
            Kind::Email => "[EMAIL]",
            Kind::DateOfBirth => "[DATE OF BIRTH]",
            Kind::Employer => "[EMPLOYER]",
            Kind::Provider => "[PROVIDER]",
            Kind::ClaimsAdministrator => "[CLAIMS ADMINISTRATOR]",
            Kind::Insurer => "[INSURER]",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::ClaimNumber => "claim_number",
            Kind::Ssn => "ssn",
            Kind::Phone => "phone",
            Kind::Address => "address",
            Kind::Email => "email",
            Kind::DateOfBirth => "date_of_birth",
            Kind::Employer => "employer",
            Kind::Provider => "provider",
            Kind::ClaimsAdministrator => "claims_administrator",
            Kind::Insurer => "insurer",
        }
    }
}

/// One removal: its kind and the byte range it covered in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Removal {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// A redacted text and what was removed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    /// In input order, not overlapping.
    pub removals: Vec<Removal>,
}

/// Redacts one text (a letter, a record, a field), removing the `known` parties (none, for a
/// letter of no known case: `&KnownParties::default()`) and what the patterns find.
pub fn redact_text(text: &str, known: &KnownParties) -> Redacted {
    let removals = detect::find(text, &known.compile());
    Redacted {
        text: apply(text, &removals),
        removals,
    }
}

/// Replaces each removal's range with its tag.
fn apply(text: &str, removals: &[Removal]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for removal in removals {
        out.push_str(&text[at..removal.start]);
        out.push_str(removal.kind.tag());
        at = removal.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A removal from one field of a determination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRemoval {
    /// e.g. "clinical_summary" or "items[2].rationale".
    pub field: String,
    pub kind: Kind,
    /// Byte range in the field's original text.
    pub start: usize,
    pub end: usize,
}

/// Separates the fields of a determination while they are redacted together (so that a name
/// learnt in one field is removed from all). No detector matches across it.
const FIELD_SEPARATOR: &str = "\n\n\u{1e}\n\n";

/// Redacts every text field of a determination, removing the `known` parties and what the
/// patterns find. Names found anywhere are removed everywhere. The header (case number and
/// dates), the decisions and the reviewer's credentials stay: the published letters keep them.
/// The source path is dropped (a file name may hold a name).
pub fn redact_determination(
    determination: &Determination,
    known: &KnownParties,
) -> (Determination, Vec<FieldRemoval>) {
    let mut redacted = determination.clone();
    redacted.source = None;

    // Every text field, with its name, in one document.
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(summary) = &determination.clinical_summary {
        fields.push(("clinical_summary".to_string(), summary.clone()));
    }
    for (i, item) in determination.items.iter().enumerate() {
        let mut push = |name: &str, value: &Option<String>| {
            if let Some(value) = value {
                fields.push((format!("items[{i}].{name}"), value.clone()));
            }
        };
        push("request", &Some(item.request.clone()));
        push("original_request", &item.original_request);
        push("authorized", &item.authorized);
        push(
            "claims_administrator_guideline",
            &item.claims_administrator_guideline,
        );
        push("imro_guideline", &item.imro_guideline);
        push("rationale", &item.rationale);
    }
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(fields.len());
    for (k, (_, value)) in fields.iter().enumerate() {
        if k > 0 {
            joined.push_str(FIELD_SEPARATOR);
        }
        starts.push(joined.len());
        joined.push_str(&value.replace('\u{1e}', " "));
    }
    let removals = detect::find(&joined, &known.compile());

    let mut report = Vec::new();
    let mut values: Vec<String> = Vec::with_capacity(fields.len());
    for (k, (name, value)) in fields.iter().enumerate() {
        let start = starts[k];
        let end = start + value.len();
        let local: Vec<Removal> = removals
            .iter()
            .filter(|r| r.start >= start && r.end <= end)
            .map(|r| Removal {
                kind: r.kind,
                start: r.start - start,
                end: r.end - start,
            })
            .collect();
        report.extend(local.iter().map(|r| FieldRemoval {
            field: name.clone(),
            kind: r.kind,
            start: r.start,
            end: r.end,
        }));
        values.push(apply(&joined[start..end], &local));
    }

    let mut values = values.into_iter();
    if redacted.clinical_summary.is_some() {
        redacted.clinical_summary = values.next();
    }
    for item in &mut redacted.items {
        if let Some(request) = values.next() {
            item.request = request;
        }
        for slot in [
            &mut item.original_request,
            &mut item.authorized,
            &mut item.claims_administrator_guideline,
            &mut item.imro_guideline,
            &mut item.rationale,
        ] {
            if slot.is_some() {
                *slot = values.next();
            }
        }
    }
    (redacted, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A complete application about fictional people (tests/data/application.json).
    pub(crate) fn sample_application() -> imr_case::Application {
        serde_json::from_str(include_str!("../tests/data/application.json"))
            .expect("tests/data/application.json is an application")
    }

    /// Checks that each `(identifier, kind)` is removed with that kind and each `kept` string
    /// survives.
    fn check(text: &str, removed: &[(&str, Kind)], kept: &[&str]) {
        let redacted = redact_text(text, &KnownParties::default());
        for (identifier, kind) in removed {
            assert!(
                text.contains(identifier),
                "{identifier:?} is not in the text"
            );
            for (start, _) in text.match_indices(identifier) {
                let end = start + identifier.len();
                let covered = redacted
                    .removals
                    .iter()
                    .any(|r| r.start <= start && r.end >= end && r.kind == *kind);
                assert!(
                    covered,
                    "{identifier:?} at {start} not removed as {kind:?}: {}\n{:?}",
                    redacted.text, redacted.removals
                );
            }
        }
        for keep in kept {
            assert!(
                redacted.text.contains(keep),
                "{keep:?} lost: {}",
                redacted.text
            );
        }
    }

    #[test]
    fn names_in_their_forms() {
        check(
            "Mr. Tobias Wren, a 58-year-old, was seen by Dr. Helena V. Marsh. Wren reported pain. Marsh, Helena signed.",
            &[
                ("Tobias Wren", Kind::Name),
                ("Helena V. Marsh", Kind::Name),
                ("Wren", Kind::Name),
                ("Marsh, Helena", Kind::Name),
            ],
            &["58-year-old", "Mr. ", "Dr. ", " reported pain."],
        );
        check(
            "Patient: Okafor, Chidi. Requesting physician: Lena Strand, M.D. Ms. R. T. Vance called.",
            &[
                ("Okafor, Chidi", Kind::Name),
                ("Lena Strand", Kind::Name),
                ("R. T. Vance", Kind::Name),
            ],
            &["Patient:", "Requesting physician:"],
        );
    }

    #[test]
    fn numbers_and_addresses() {
        check(
            "Claim number: 07-4471-22B. WCAB ADJ10458821. SSN 512-44-9087. Call (559) 555-0142 or 559.555.0199 ext. 12. Email tw.ren@example.org. Lives at 1432 North Alder Street, Apt 4B, Fresno, CA 93701. Mail to P.O. Box 3380. DOB: 04/12/1971, born on March 3, 1965.",
            &[
                ("07-4471-22B", Kind::ClaimNumber),
                ("ADJ10458821", Kind::ClaimNumber),
                ("512-44-9087", Kind::Ssn),
                ("(559) 555-0142", Kind::Phone),
                ("559.555.0199 ext. 12", Kind::Phone),
                ("tw.ren@example.org", Kind::Email),
                (
                    "1432 North Alder Street, Apt 4B, Fresno, CA 93701",
                    Kind::Address,
                ),
                ("P.O. Box 3380", Kind::Address),
                ("04/12/1971", Kind::DateOfBirth),
                ("March 3, 1965", Kind::DateOfBirth),
            ],
            &["Claim number:", "DOB:"],
        );
    }

    #[test]
    fn employers_and_providers() {
        check(
            "The applicant is employed by Sierra Crest Produce LLC as a packer and was treated at Bayview Orthopedic Medical Group and Harbor Point Physical Therapy.",
            &[
                ("Sierra Crest Produce LLC", Kind::Employer),
                ("Bayview Orthopedic Medical Group", Kind::Provider),
                ("Harbor Point Physical Therapy", Kind::Provider),
            ],
            &["employed by", "as a packer"],
        );
    }

    #[test]
    fn clinical_content_and_the_letter_structure_stay() {
        let text = "Case Number: CM26-0001042\nDate of Injury: 03/21/2024\nThe applicant is a 47-year-old male injured on 03/21/2024. Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines 2016, Section(s): Physical Therapy, Page(s): 98-99. MAXIMUS guideline: Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Low Back Chapter. Norco 10/325 mg #90. Physical therapy 2 times a week for 6 weeks. Pain 6/10. L5-S1. Decision rationale: Upheld.";
        let redacted = redact_text(text, &KnownParties::default());
        assert!(
            redacted.removals.is_empty(),
            "{:?}: {}",
            redacted.removals,
            redacted.text
        );
        assert_eq!(redacted.text, text);
    }

    #[test]
    fn names_without_a_title_are_found_by_the_census_lists_in_context() {
        check(
            "Juniper said little. Robert Gonzales was injured at work. Gonzales reported pain. \
             Whitfield, Patricia signed the form. Mary Ann Holloway and John Q.\nCastellano came.",
            &[
                ("Robert Gonzales", Kind::Name),
                ("Gonzales", Kind::Name),
                ("Whitfield, Patricia", Kind::Name),
                ("Mary Ann Holloway", Kind::Name),
                ("John Q.\nCastellano", Kind::Name),
            ],
            // A given name alone is no name to the model (the known parties find those).
            &[
                "Juniper said little.",
                " was injured at work.",
                " reported pain.",
            ],
        );
    }

    #[test]
    fn clinical_words_drugs_body_parts_months_and_ages_survive_the_name_model() {
        let text = "ACOEM Low Back Complaints, Knee Complaints and Hand Surgery chapters. Norco, \
                    Lyrica, Gabapentin and Flexeril were refilled in May Stone? No: a kidney stone. \
                    Hope Walker: the walker was given. Will Hand therapy help? Major Depressive \
                    Disorder. Carpal Tunnel Syndrome. Bill Review. June Back pain flared. The \
                    applicant is 47 years old; age 47; a 47-year-old, injured May 3, 2024. \
                    Grant of authorization. Mark Hill ranges? Rose Bengal stain. Official \
                    Disability Guidelines, Chronic Pain Medical Treatment Guidelines.";
        let redacted = redact_text(text, &KnownParties::default());
        assert!(
            redacted.removals.is_empty(),
            "{:?}: {}",
            redacted.removals,
            redacted.text
        );
    }

    #[test]
    fn the_known_parties_are_removed_with_their_kinds_and_the_rest_stays() {
        let app = crate::tests::sample_application();
        let known = KnownParties::of_application(&app);
        let text = "Dana Example, 47, works for Fictional Freight. Dana's MRI was read at Sample \
                    Spine Group; Robin Sample and LEE PLACEHOLDER agree. Imaginary Claims \
                    Services sent claim CLM000111 to Pretend Mutual Insurance. Example's pain \
                    is 6/10; physical therapy 12 sessions.";
        let redacted = redact_text(text, &known);
        assert_eq!(
            redacted.text,
            "[NAME], 47, works for [EMPLOYER]. [NAME]'s MRI was read at [PROVIDER]; [NAME] \
             and [NAME] agree. [CLAIMS ADMINISTRATOR] sent claim [CLAIM NUMBER] to [INSURER]. \
             [NAME]'s pain is 6/10; physical therapy 12 sessions."
        );
        // Without them, the untitled worker and the claims administrator stay: the patterns
        // alone cannot know them.
        let plain = redact_text(text, &KnownParties::default());
        assert!(
            plain.text.contains("Dana Example") && plain.text.contains("Imaginary Claims"),
            "{}",
            plain.text
        );
    }

    #[test]
    fn a_determination_is_redacted_field_by_field_with_names_shared() {
        let mut determination = Determination {
            clinical_summary: Some("Ms. Ines Carvalho reported neck pain.".to_string()),
            source: Some("/letters/carvalho.txt".to_string()),
            ..Determination::default()
        };
        let mut item = imr_core::model::Item::new("Consultation with Dr. Amos Pike");
        item.rationale = Some("Carvalho has not tried therapy; Pike's note is brief.".to_string());
        item.decision = Some(imr_core::Decision::Upheld);
        determination.items.push(item);
        let (redacted, report) = redact_determination(&determination, &KnownParties::default());
        assert_eq!(redacted.source, None);
        assert_eq!(
            redacted.clinical_summary.as_deref(),
            Some("Ms. [NAME] reported neck pain.")
        );
        assert_eq!(redacted.items[0].request, "Consultation with Dr. [NAME]");
        assert_eq!(
            redacted.items[0].rationale.as_deref(),
            Some("[NAME] has not tried therapy; [NAME]'s note is brief.")
        );
        assert_eq!(redacted.items[0].decision, Some(imr_core::Decision::Upheld));
        assert!(
            report
                .iter()
                .any(|r| r.field == "items[0].rationale" && r.start == 0 && r.end == 8)
        );
    }
}
