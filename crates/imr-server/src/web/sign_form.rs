//! The sign form's fields: read from a request by item index, shown again as the reviewer left
//! them with each problem at its field, carried through the preview, kept as a draft, and read
//! into the draft that is checked for signing.

use imr_case::{Case, FieldError, SignProblem};
use imr_core::model::Decision;
use imr_rules::engine::CaseFindings;
use maud::{Markup, html};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// The sign form read into a draft, with the engine's rationale taken where the reviewer
/// ticked "use the proposed rationale", and the problems only the form can have.
pub(super) fn draft_of(
    case: &Case,
    findings: &CaseFindings,
    form: &SignFields,
) -> (imr_case::Draft, Vec<SignProblem>) {
    let mut problems = Vec::new();
    let mut decisions = Vec::new();
    let none = ItemFields::default();
    for (i, item) in case.application.ur_decision.items.iter().enumerate() {
        let finding = findings.items.get(i);
        let fields = form.items.get(i).unwrap_or(&none);
        let mut rationale = fields.rationale.clone();
        let mut guideline = fields.guideline.clone();
        if fields.use_proposed {
            let problem = match finding {
                Some(f) if f.decision.is_some() && rationale.trim().is_empty() => {
                    rationale = f.rationale.clone();
                    if guideline.trim().is_empty() {
                        guideline = f.citation.clone().unwrap_or_default();
                    }
                    None
                }
                Some(f) if f.decision.is_some() => Some(
                    "you wrote a rationale and ticked \"use the proposed rationale\": keep one",
                ),
                _ => Some("the engine proposed no rationale for this item; write your own"),
            };
            if let Some(message) = problem {
                problems.push(SignProblem::Field(FieldError {
                    field: format!("decisions[{i}].rationale"),
                    message: message.into(),
                }));
            }
        }
        decisions.push(imr_case::DraftDecision {
            request: item.request.clone(),
            decision: Decision::parse(&fields.decision),
            guideline: Some(guideline),
            rationale,
        });
    }
    let draft = imr_case::Draft {
        decisions,
        clinical_summary: form.clinical_summary.clone(),
    };
    (draft, problems)
}

/// What the reviewer left in the sign form, and what was wrong with it, for showing the form
/// again exactly as it was.
#[derive(Default)]
pub(super) struct SignForm<'a> {
    pub(super) values: Option<&'a SignFields>,
    pub(super) problems: &'a [SignProblem],
    /// A message about the whole form (the case changed since the preview, ...).
    pub(super) notice: Option<String>,
    /// The form was filled from the reviewer's draft saved then.
    pub(super) restored_at: Option<jiff::civil::DateTime>,
}

impl SignForm<'_> {
    pub(super) fn clinical_summary(&self) -> &str {
        self.values.map_or("", |v| v.clinical_summary.as_str())
    }

    /// What was left in an item's fields (all empty on a first view).
    pub(super) fn item(&self, index: usize) -> ItemFields {
        self.values
            .and_then(|v| v.items.get(index))
            .cloned()
            .unwrap_or_default()
    }

    /// The message for a field, by its path in the draft (`decisions[0].rationale`).
    pub(super) fn error(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field() == Some(field))
            .map(SignProblem::message)
    }
}

pub(super) fn field_error(message: Option<&str>) -> Markup {
    html! { @if let Some(e) = message { div.field-error role="alert" { (e) } } }
}

/// The reviewer's own fields for one item. Nothing is pre-set: the decision is chosen, the
/// rationale written, or the engine's rationale taken by ticking a box (only where the engine
/// decided).
pub(super) fn decision_fields(
    index: usize,
    finding: Option<&imr_rules::engine::Finding>,
    form: &SignForm<'_>,
) -> Markup {
    let key = |k: &str| item_field_name(k, index);
    let path = |k: &str| format!("decisions[{index}].{k}");
    let fields = form.item(index);
    let decision = fields.decision.as_str();
    let decision_error = form.error(&path("decision"));
    let guideline_error = form.error(&path("guideline"));
    let rationale_error = form.error(&path("rationale"));
    let decided = finding.is_some_and(|f| f.decision.is_some());
    html! {
        fieldset.decision {
            legend { "Your decision" }
            @for (value, label) in [("Upheld", "Upheld (not medically necessary)"), ("Overturned", "Overturned (medically necessary)")] {
                label {
                    input type="radio" name=(key("decision")) value=(value) checked[decision == value] required;
                    " " (label)
                }
            }
            (field_error(decision_error))
        }
        label for=(key("guideline")) { "Guideline relied on" }
        input type="text" id=(key("guideline")) name=(key("guideline")) value=(fields.guideline) class=[guideline_error.map(|_| "invalid")];
        (field_error(guideline_error))
        label for=(key("rationale")) { "Rationale" }
        textarea id=(key("rationale")) name=(key("rationale")) class=[rationale_error.map(|_| "invalid")] { (fields.rationale) }
        @if decided {
            label {
                input type="checkbox" id=(key("use_proposed")) name=(key("use_proposed")) value="yes" checked[fields.use_proposed];
                " Use the proposed rationale (and its citation, if the guideline field is empty)"
            }
        } @else if finding.is_some() {
            p.muted { "The engine could not decide this item: it needs your own rationale." }
        }
        (field_error(rationale_error))
    }
}

/// The sign form as sent. Each item's fields are named `<field>_<index>` (`decision_0`,
/// `use_proposed_0`): a radio group and a checkbox send nothing when left empty, so repeated
/// names read into lists would shift one item's answers onto the next; an index cannot.
#[derive(Debug, Default)]
pub(super) struct SignFields {
    pub(super) csrf: String,
    pub(super) step: Step,
    /// The case's version the preview showed (absent before the preview).
    pub(super) version: Option<i64>,
    pub(super) clinical_summary: String,
    /// By item index; an item the form did not mention has empty fields.
    pub(super) items: Vec<ItemFields>,
}

/// One item's fields in the sign form, as the reviewer left them.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct ItemFields {
    /// "Upheld" or "Overturned" when chosen; kept as sent so that the form shows it again.
    pub(super) decision: String,
    pub(super) guideline: String,
    pub(super) rationale: String,
    /// The "use the proposed rationale" box.
    pub(super) use_proposed: bool,
}

/// Which button sent the form: preview is the default (and what Enter in a field does).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    #[default]
    Preview,
    Edit,
    Sign,
}

const ITEM_FIELDS: [&str; 4] = ["decision", "guideline", "rationale", "use_proposed"];

fn item_field_name(field: &str, index: usize) -> String {
    format!("{field}_{index}")
}

impl SignFields {
    /// The fields the preview carries back unchanged in hidden inputs (the CSRF token, the
    /// step and the version are the preview's own).
    pub(super) fn carried(&self) -> Vec<(String, String)> {
        let mut out = vec![(
            "clinical_summary".to_string(),
            self.clinical_summary.clone(),
        )];
        for (i, item) in self.items.iter().enumerate() {
            for (field, value) in [
                ("decision", &item.decision),
                ("guideline", &item.guideline),
                ("rationale", &item.rationale),
            ] {
                if !value.is_empty() {
                    out.push((item_field_name(field, i), value.clone()));
                }
            }
            if item.use_proposed {
                out.push((item_field_name("use_proposed", i), "yes".to_string()));
            }
        }
        out
    }

    /// One field of the form, by its name.
    fn set(&mut self, name: &str, value: String) -> Result<(), String> {
        match name {
            "csrf" => self.csrf = value,
            "clinical_summary" => self.clinical_summary = value,
            "version" => self.version = value.parse().ok(),
            "step" => {
                self.step = match value.as_str() {
                    "edit" => Step::Edit,
                    "sign" => Step::Sign,
                    _ => Step::Preview,
                }
            }
            _ => match self.item_field(name)? {
                Some(("decision", item)) => item.decision = value,
                Some(("guideline", item)) => item.guideline = value,
                Some(("rationale", item)) => item.rationale = value,
                Some((_, item)) => item.use_proposed = true,
                // Fields of no meaning here are left alone, as browsers may add some.
                None => {}
            },
        }
        Ok(())
    }

    /// What the reviewer typed, URL-encoded as a browser sends it: what a draft keeps (no
    /// CSRF token, step or version).
    pub(super) fn typed(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.carried() {
            out.append_pair(&name, &value);
        }
        out.finish()
    }

    /// A form read back from [`SignFields::typed`].
    pub(super) fn from_typed(text: &str) -> Result<SignFields, String> {
        let mut form = SignFields::default();
        for (name, value) in form_urlencoded::parse(text.as_bytes()) {
            form.set(&name, value.into_owned())?;
        }
        Ok(form)
    }

    /// An item field by its name in the form, or `None` for a name that is not one.
    fn item_field(
        &mut self,
        name: &str,
    ) -> Result<Option<(&'static str, &mut ItemFields)>, String> {
        let Some((field, index)) = name.rsplit_once('_') else {
            return Ok(None);
        };
        let (Some(field), Ok(index)) = (
            ITEM_FIELDS.into_iter().find(|f| *f == field),
            index.parse::<usize>(),
        ) else {
            return Ok(None);
        };
        if index >= imr_case::application::ITEMS_MAX {
            return Err(format!(
                "sign form: field {name}: an application has at most {} items",
                imr_case::application::ITEMS_MAX
            ));
        }
        if self.items.len() <= index {
            self.items.resize_with(index + 1, ItemFields::default);
        }
        Ok(Some((field, &mut self.items[index])))
    }
}

impl<'de> Deserialize<'de> for SignFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SignFieldsVisitor)
    }
}

struct SignFieldsVisitor;

impl<'de> Visitor<'de> for SignFieldsVisitor {
    type Value = SignFields;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the sign form's fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SignFields, A::Error> {
        let mut form = SignFields::default();
        while let Some((name, value)) = map.next_entry::<String, String>()? {
            form.set(&name, value).map_err(de::Error::custom)?;
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body read as `Form` reads it (both use serde_urlencoded).
    fn read(body: &str) -> Result<SignFields, String> {
        let uri: axum::http::Uri = format!("/?{body}").parse().map_err(|e| format!("{e}"))?;
        axum::extract::Query::<SignFields>::try_from_uri(&uri)
            .map(|q| q.0)
            .map_err(|e| e.body_text())
    }

    #[test]
    fn item_fields_are_read_by_their_index() {
        let form = read(
            "csrf=t&step=sign&version=7&clinical_summary=S&decision_1=Upheld&rationale_1=R%26D\
             &use_proposed_0=yes&guideline_1=MTUS&other=x",
        )
        .expect("a form");
        assert_eq!(
            (form.csrf.as_str(), form.step, form.version),
            ("t", Step::Sign, Some(7))
        );
        assert_eq!(form.clinical_summary, "S");
        assert_eq!(form.items.len(), 2);
        assert!(form.items[0].use_proposed && form.items[0].decision.is_empty());
        assert_eq!(
            form.items[1],
            ItemFields {
                decision: "Upheld".into(),
                guideline: "MTUS".into(),
                rationale: "R&D".into(),
                use_proposed: false,
            }
        );
    }

    #[test]
    fn the_preview_carries_back_what_was_read() {
        let body = "clinical_summary=S&decision_0=Overturned&use_proposed_0=yes&rationale_2=R";
        let form = read(body).expect("a form");
        let again = form
            .carried()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(read(&again).expect("again").items, form.items);
        assert_eq!(form.step, Step::Preview);
        assert_eq!(form.version, None);
    }

    #[test]
    fn a_draft_keeps_what_was_typed_and_nothing_else() {
        let form = read(
            "csrf=t&step=sign&version=3&clinical_summary=A+%26+B%0Ac\
             &decision_0=Upheld&use_proposed_1=yes&rationale_2=%C3%BC%3D",
        )
        .expect("a form");
        let typed = form.typed();
        assert!(!typed.contains("csrf") && !typed.contains("step") && !typed.contains("version"));
        let back = SignFields::from_typed(&typed).expect("read back");
        assert_eq!(back.items, form.items);
        assert_eq!(back.clinical_summary, "A & B\nc");
        assert_eq!((back.step, back.version), (Step::Preview, None));
    }

    #[test]
    fn an_index_past_the_item_limit_is_refused_by_name() {
        let e = read("rationale_999999999=x").expect_err("refused");
        assert!(e.contains("rationale_999999999"), "{e}");
    }
}
