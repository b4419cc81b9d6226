//! The application for IMR as it arrives (DWC Form IMR and what comes with it), read from JSON.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use imr_core::model::Priority;

/// An application for Independent Medical Review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The injured worker.
    pub worker: String,
    /// The worker's representative (attorney, parent, guardian), when one filed.
    #[serde(default)]
    pub representative: Option<String>,
    pub employer: String,
    pub claims_administrator: String,
    #[serde(default)]
    pub insurer: Option<String>,
    pub requesting_provider: Provider,
    /// Other treating providers named in the application.
    #[serde(default)]
    pub other_providers: Vec<String>,
    pub claim_number: String,
    /// Other identifiers of the claim (WCAB case numbers, policy numbers), when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_identifiers: Vec<String>,
    /// The worker's address, phone number and date of birth, when the application gives them.
    /// No letter shows them; the public copy removes them wherever a text repeats them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_date_of_birth: Option<Date>,
    pub date_of_injury: Date,
    /// The condition under treatment, as the form states it (diagnosis, body part).
    pub condition: String,
    pub ur_decision: UrDecision,
    /// The signature of the worker or the representative; `None` when the form is unsigned.
    #[serde(default)]
    pub signature: Option<Signature>,
    /// The date the application was filed (received by the Administrative Director).
    pub filed: Date,
    pub priority: Priority,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub name: String,
    #[serde(default)]
    pub specialty: Option<String>,
    /// The provider group or practice, when there is one.
    #[serde(default)]
    pub group: Option<String>,
}

/// The utilization review decision the application disputes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrDecision {
    /// The date of the UR decision.
    pub date: Date,
    /// The date the written UR decision was served on the worker; when absent the decision date
    /// is used, which can only make the filing window shorter, never longer.
    #[serde(default)]
    pub served: Option<Date>,
    /// Whether a copy of the UR decision came with the application.
    pub attached: bool,
    /// A conditional non-certification: a denial because requested information was not sent.
    #[serde(default)]
    pub conditional_non_certification: bool,
    /// The items UR denied or modified: the disputed items of the case.
    pub items: Vec<DisputedService>,
}

impl UrDecision {
    /// The date the filing window starts from.
    pub fn service_date(&self) -> Date {
        self.served.unwrap_or(self.date)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputedService {
    /// The treatment requested, as the request for authorization wrote it.
    pub request: String,
    pub ur_outcome: UrOutcome,
    /// For a modification: what UR authorized of the request.
    #[serde(default)]
    pub authorized: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrOutcome {
    Denied,
    Modified,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub signer: Signer,
    pub date: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signer {
    Worker,
    Representative,
}

/// One thing wrong with one field of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field, as a JSON path (`ur_decision.items[1].request`).
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    /// The text is not an application at all (bad JSON, a missing or unknown field).
    #[error(
        "the application is not valid JSON for an IMR application: {message} (line {line}, column {column})"
    )]
    Malformed {
        message: String,
        line: usize,
        column: usize,
    },
    /// The application reads, but fields hold impossible values.
    #[error("the application has {} invalid field(s): {}", .0.len(), describe(.0))]
    Invalid(Vec<FieldError>),
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The longest name of a person, company or provider, in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// The longest claim number, in characters.
pub const CLAIM_NUMBER_MAX_CHARS: usize = 100;
/// The longest one-line description (condition, disputed item, what UR authorized).
pub const LINE_MAX_CHARS: usize = 1_000;
/// The longest address, in characters.
pub const ADDRESS_MAX_CHARS: usize = 300;
/// The most disputed items, other providers and other identifiers one application may list.
pub const ITEMS_MAX: usize = 50;
pub const OTHER_PROVIDERS_MAX: usize = 50;
pub const OTHER_IDENTIFIERS_MAX: usize = 20;

/// Whether a text field is one line (a name) or may hold paragraphs (a rationale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// What is wrong with a text field's characters or length, if anything: characters that are
/// not drawn as themselves — control characters (tab and line breaks only in multi-line
/// fields), bidirectional overrides and other format characters (zero-width spaces, the byte
/// order mark), private-use characters and noncharacters (`text::unseen_character`) — which
/// can make a signed letter read differently from what was typed, are refused. The message
/// names the character by its code point and never quotes the text.
pub fn text_problem(value: &str, max_chars: usize, lines: Lines) -> Option<String> {
    for (at, c) in value.chars().enumerate() {
        let allowed_break = lines == Lines::Many && matches!(c, '\t' | '\n' | '\r');
        if let Some(what) = imr_core::text::unseen_character(c).filter(|_| !allowed_break) {
            return Some(format!(
                "contains {what} (U+{:04X}) at character {}; remove it",
                c as u32,
                at + 1
            ));
        }
        if at >= max_chars {
            let len = value.chars().count();
            return Some(format!(
                "is {len} characters long; at most {max_chars} are allowed"
            ));
        }
    }
    None
}

/// The earliest date any application field may hold.
pub fn earliest_date() -> Date {
    jiff::civil::date(1900, 1, 1)
}

impl Application {
    /// Reads an application from JSON and checks its fields against `today`.
    pub fn from_json(text: &str, today: Date) -> Result<Application, ApplicationError> {
        let app: Application =
            serde_json::from_str(text).map_err(|e| ApplicationError::Malformed {
                message: e.to_string(),
                line: e.line(),
                column: e.column(),
            })?;
        let errors = app.validate(today);
        if errors.is_empty() {
            Ok(app)
        } else {
            Err(ApplicationError::Invalid(errors))
        }
    }

    /// Every field that holds an impossible value. Eligibility (late, unsigned, ...) is not
    /// checked here: an ineligible application is still a valid one and gets a case.
    pub fn validate(&self, today: Date) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.to_string(),
                message,
            })
        };
        for (field, value) in [
            ("worker", &self.worker),
            ("employer", &self.employer),
            ("claims_administrator", &self.claims_administrator),
            ("requesting_provider.name", &self.requesting_provider.name),
            ("claim_number", &self.claim_number),
            ("condition", &self.condition),
        ] {
            if value.trim().is_empty() {
                err(field, "must not be empty".into());
            }
        }
        let mut texts: Vec<(String, &str, usize)> = vec![
            ("worker".into(), &self.worker, NAME_MAX_CHARS),
            ("employer".into(), &self.employer, NAME_MAX_CHARS),
            (
                "claims_administrator".into(),
                &self.claims_administrator,
                NAME_MAX_CHARS,
            ),
            (
                "requesting_provider.name".into(),
                &self.requesting_provider.name,
                NAME_MAX_CHARS,
            ),
            (
                "claim_number".into(),
                &self.claim_number,
                CLAIM_NUMBER_MAX_CHARS,
            ),
            ("condition".into(), &self.condition, LINE_MAX_CHARS),
        ];
        for (field, value) in [
            ("representative", &self.representative),
            ("insurer", &self.insurer),
            (
                "requesting_provider.specialty",
                &self.requesting_provider.specialty,
            ),
            ("requesting_provider.group", &self.requesting_provider.group),
        ] {
            if let Some(v) = value {
                texts.push((field.into(), v, NAME_MAX_CHARS));
            }
        }
        if let Some(v) = &self.worker_address {
            texts.push(("worker_address".into(), v, ADDRESS_MAX_CHARS));
        }
        if let Some(v) = &self.worker_phone {
            texts.push(("worker_phone".into(), v, CLAIM_NUMBER_MAX_CHARS));
        }
        for (i, p) in self.other_providers.iter().enumerate() {
            texts.push((format!("other_providers[{i}]"), p, NAME_MAX_CHARS));
        }
        for (i, p) in self.other_identifiers.iter().enumerate() {
            texts.push((format!("other_identifiers[{i}]"), p, CLAIM_NUMBER_MAX_CHARS));
        }
        for (i, item) in self.ur_decision.items.iter().enumerate() {
            texts.push((
                format!("ur_decision.items[{i}].request"),
                &item.request,
                LINE_MAX_CHARS,
            ));
            if let Some(a) = &item.authorized {
                texts.push((
                    format!("ur_decision.items[{i}].authorized"),
                    a,
                    LINE_MAX_CHARS,
                ));
            }
        }
        for (field, value, max) in texts {
            if let Some(problem) = text_problem(value, max, Lines::One) {
                err(&field, problem);
            }
        }
        if self.other_providers.len() > OTHER_PROVIDERS_MAX {
            err(
                "other_providers",
                format!(
                    "lists {} providers; at most {OTHER_PROVIDERS_MAX} are allowed",
                    self.other_providers.len()
                ),
            );
        }
        if self.other_identifiers.len() > OTHER_IDENTIFIERS_MAX {
            err(
                "other_identifiers",
                format!(
                    "lists {} identifiers; at most {OTHER_IDENTIFIERS_MAX} are allowed",
                    self.other_identifiers.len()
                ),
            );
        }
        if self.ur_decision.items.len() > ITEMS_MAX {
            err(
                "ur_decision.items",
                format!(
                    "lists {} disputed items; at most {ITEMS_MAX} are allowed",
                    self.ur_decision.items.len()
                ),
            );
        }
        let mut dates = vec![
            ("date_of_injury", self.date_of_injury),
            ("ur_decision.date", self.ur_decision.date),
            ("filed", self.filed),
        ];
        if let Some(served) = self.ur_decision.served {
            dates.push(("ur_decision.served", served));
        }
        if let Some(sig) = &self.signature {
            dates.push(("signature.date", sig.date));
        }
        if let Some(born) = self.worker_date_of_birth {
            dates.push(("worker_date_of_birth", born));
        }
        for (field, date) in &dates {
            if *date < earliest_date() {
                err(field, format!("{date} is before 1900"));
            } else if *date > today {
                err(field, format!("{date} is in the future (today is {today})"));
            }
        }
        if self.date_of_injury > self.ur_decision.date {
            err(
                "date_of_injury",
                format!(
                    "{} is after the UR decision of {}",
                    self.date_of_injury, self.ur_decision.date
                ),
            );
        }
        if let Some(born) = self.worker_date_of_birth
            && born > self.date_of_injury
        {
            err(
                "worker_date_of_birth",
                format!("{born} is after the date of injury {}", self.date_of_injury),
            );
        }
        if self.filed < self.ur_decision.date {
            err(
                "filed",
                format!(
                    "{} is before the UR decision of {} it disputes",
                    self.filed, self.ur_decision.date
                ),
            );
        }
        if let Some(served) = self.ur_decision.served
            && served < self.ur_decision.date
        {
            err(
                "ur_decision.served",
                format!(
                    "{served} is before the UR decision date {}",
                    self.ur_decision.date
                ),
            );
        }
        if self.ur_decision.items.is_empty() {
            err(
                "ur_decision.items",
                "lists no disputed item: at least one denied or modified item is needed".into(),
            );
        }
        for (i, item) in self.ur_decision.items.iter().enumerate() {
            if item.request.trim().is_empty() {
                err(
                    &format!("ur_decision.items[{i}].request"),
                    "must not be empty".into(),
                );
            }
        }
        errors
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jiff::civil::date;

    /// A complete, eligible application about fictional people.
    pub(crate) fn sample() -> Application {
        Application {
            worker: "Dana Example".into(),
            representative: None,
            employer: "Fictional Freight Co".into(),
            claims_administrator: "Imaginary Claims Services".into(),
            insurer: Some("Pretend Mutual Insurance".into()),
            requesting_provider: Provider {
                name: "Dr. Robin Sample".into(),
                specialty: Some("Orthopedic Surgery".into()),
                group: Some("Sample Spine Group".into()),
            },
            other_providers: vec!["Dr. Lee Placeholder".into()],
            claim_number: "CLM-000-111".into(),
            other_identifiers: Vec::new(),
            worker_address: None,
            worker_phone: None,
            worker_date_of_birth: None,
            date_of_injury: date(2025, 3, 1),
            condition: "Lumbar strain with radiculopathy".into(),
            ur_decision: UrDecision {
                date: date(2026, 1, 5),
                served: Some(date(2026, 1, 6)),
                attached: true,
                conditional_non_certification: false,
                items: vec![
                    DisputedService {
                        request: "MRI of the lumbar spine".into(),
                        ur_outcome: UrOutcome::Denied,
                        authorized: None,
                    },
                    DisputedService {
                        request: "Physical therapy 12 sessions".into(),
                        ur_outcome: UrOutcome::Modified,
                        authorized: Some("6 sessions".into()),
                    },
                ],
            },
            signature: Some(Signature {
                signer: Signer::Worker,
                date: date(2026, 1, 20),
            }),
            filed: date(2026, 1, 20),
            priority: Priority::Standard,
        }
    }

    #[test]
    fn a_sample_round_trips_through_json() {
        let app = sample();
        let json = serde_json::to_string_pretty(&app).expect("serializes");
        assert_eq!(Application::from_json(&json, date(2026, 2, 1)), Ok(app));
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = Application::from_json("{\n  \"worker\": 12\n}", date(2026, 2, 1))
            .expect_err("not an application");
        let ApplicationError::Malformed { line, .. } = &err else {
            panic!("expected Malformed, got {err:?}")
        };
        assert_eq!(*line, 2);
        let unknown = serde_json::to_string(&sample()).expect("json").replacen(
            "{",
            "{\"colour\":\"red\",",
            1,
        );
        let err = Application::from_json(&unknown, date(2026, 2, 1)).expect_err("unknown field");
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn dates_in_the_future_or_before_1900_are_refused() {
        let mut app = sample();
        app.filed = date(2026, 3, 1);
        app.date_of_injury = date(1899, 12, 31);
        let errors = app.validate(date(2026, 2, 1));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["date_of_injury", "filed"], "{errors:?}");
        assert!(errors[0].message.contains("before 1900"));
        assert!(errors[1].message.contains("in the future"));
        // Today itself is allowed.
        let mut app = sample();
        app.filed = date(2026, 2, 1);
        assert_eq!(app.validate(date(2026, 2, 1)), vec![]);
    }

    #[test]
    fn empty_fields_and_no_items_are_refused() {
        let mut app = sample();
        app.worker = "  ".into();
        app.ur_decision.items.clear();
        let fields: Vec<String> = app
            .validate(date(2026, 2, 1))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["worker", "ur_decision.items"]);
    }

    #[test]
    fn control_characters_and_overlong_fields_are_refused_by_name() {
        let mut app = sample();
        app.worker = "Dana\u{202E}elpmaxE".into();
        app.employer = "Fictional\0Freight".into();
        app.insurer = Some("x".repeat(NAME_MAX_CHARS + 1));
        app.claim_number = "CLM\t1".into();
        app.other_providers = vec!["Dr. Lee\u{85}Placeholder".into()];
        app.ur_decision.items[1].authorized = Some("6 sessions\n".into());
        let errors = app.validate(date(2026, 2, 1));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "worker",
                "employer",
                "claim_number",
                "insurer",
                "other_providers[0]",
                "ur_decision.items[1].authorized"
            ],
            "{errors:?}"
        );
        assert_eq!(
            errors[0].message,
            "contains a bidirectional override (U+202E) at character 5; remove it"
        );
        assert!(errors[1].message.contains("control character (U+0000)"));
        assert_eq!(
            errors[3].message,
            format!("is 201 characters long; at most {NAME_MAX_CHARS} are allowed")
        );
        // The limit itself is allowed, and so is any script or accent.
        let mut app = sample();
        app.insurer = Some("é".repeat(NAME_MAX_CHARS));
        app.worker = "Ñandú Ørsted 王".into();
        assert_eq!(app.validate(date(2026, 2, 1)), vec![]);
    }

    #[test]
    fn multi_line_text_may_hold_tabs_and_line_breaks_only() {
        assert_eq!(text_problem("a\tb\r\nc", 10, Lines::Many), None);
        assert!(text_problem("a\nb", 10, Lines::One).is_some());
        assert!(text_problem("a\u{7F}b", 10, Lines::Many).is_some());
        assert!(text_problem("a\u{9F}b", 10, Lines::Many).is_some());
        assert!(text_problem("a\u{2066}b", 10, Lines::Many).is_some());
        assert!(text_problem("\u{1F}", 10, Lines::Many).is_some());
        assert_eq!(text_problem("\u{A0}é—", 10, Lines::One), None);
        // Characters that draw nothing, or something else than themselves.
        for (text, kind) in [
            ("a\u{200F}", "a format character (U+200F) at character 2"),
            ("\u{FEFF}a", "a format character (U+FEFF) at character 1"),
            ("a\u{200B}b", "a format character (U+200B) at character 2"),
            (
                "ab\u{E000}",
                "a private-use character (U+E000) at character 3",
            ),
            ("\u{FDD0}", "a noncharacter (U+FDD0) at character 1"),
            ("a\u{10FFFF}", "a noncharacter (U+10FFFF) at character 2"),
        ] {
            let problem = text_problem(text, 10, Lines::Many).unwrap_or_default();
            assert_eq!(problem, format!("contains {kind}; remove it"), "{text:?}");
        }
        assert!(text_problem("abc", 2, Lines::One).is_some());
    }

    #[test]
    fn too_many_items_are_refused() {
        let mut app = sample();
        let item = app.ur_decision.items[0].clone();
        app.ur_decision.items = vec![item; ITEMS_MAX + 1];
        let errors = app.validate(date(2026, 2, 1));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "ur_decision.items");
    }

    #[test]
    fn the_workers_details_are_optional_and_checked() {
        // An application without them reads, and writes back without them.
        let json = serde_json::to_string(&sample()).expect("json");
        assert!(!json.contains("worker_address") && !json.contains("other_identifiers"));
        let mut app = sample();
        app.worker_address = Some("12 Fictional Way\nFresno".into());
        app.worker_phone = Some("(559) 555-0100".into());
        app.worker_date_of_birth = Some(date(2025, 6, 1));
        app.other_identifiers = vec!["ADJ0000001".into(); OTHER_IDENTIFIERS_MAX + 1];
        let errors = app.validate(date(2026, 2, 1));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "worker_address",
                "other_identifiers",
                "worker_date_of_birth"
            ],
            "{errors:?}"
        );
        app.worker_address = Some("12 Fictional Way, Fresno, CA 93701".into());
        app.worker_date_of_birth = Some(date(1970, 6, 1));
        app.other_identifiers.truncate(2);
        assert_eq!(app.validate(date(2026, 2, 1)), vec![]);
        let json = serde_json::to_string(&app).expect("json");
        assert_eq!(Application::from_json(&json, date(2026, 2, 1)), Ok(app));
    }

    #[test]
    fn filing_before_the_ur_decision_is_impossible() {
        let mut app = sample();
        app.filed = date(2026, 1, 4);
        let errors = app.validate(date(2026, 2, 1));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "filed");
    }
}
