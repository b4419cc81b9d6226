//! The drug of a medication request: name, strength, form, count, compound ingredients.

use std::sync::LazyLock;

use regex::Regex;

use super::{Drug, DrugForm, Ingredient};
use crate::request::Service;
use crate::vocab::drugs::{self, DrugEntry};

/// "10/325mg", "7.5-325mg", "100mg", "37.5 mg", "5%", "0.025%", "1.3%", "20 mcg".
static STRENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?-u:(\d+(?:\.\d+)?))(?:\s*[/-]\s*(?-u:(\d+(?:\.\d+)?)))?\s*(mg|mcg|%)")
        .expect("static regex")
});

/// "240g", "120 gm", "30 ml".
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?-u:(\d+(?:\.\d+)?))\s*(g|gm|grams|ml)\b").expect("static regex")
});

/// Extended-release marks after a drug name.
static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\s+(?:hcl|citrate|sodium|potassium|er|xr|sr|cr|la|extended release))*")
        .expect("static regex")
});

/// The drug of a request, its class, and the byte ranges of the text it used (strength,
/// amount), so the schedule reader does not read "10/325" as a quantity.
pub(super) struct DrugReading {
    pub drug: Drug,
    pub service: Service,
    pub used: Vec<(usize, usize)>,
}

/// `None` when no known drug is named.
pub(super) fn read(text: &str) -> Option<DrugReading> {
    let mentions = drugs::mentions(text);
    let first = mentions.first()?;
    let mut used = Vec::new();

    let strengths: Vec<_> = STRENGTH.captures_iter(text).collect();
    for c in &strengths {
        if let Some(m) = c.get(0) {
            used.push((m.start(), m.end()));
        }
    }
    // Ingredients: each drug followed by a percentage.
    let mut ingredients = Vec::new();
    for m in &mentions {
        let after = &text[m.end..];
        let pct = STRENGTH.captures(after).filter(|c| {
            c.get(0).is_some_and(|s| s.start() <= 3) && c.get(3).is_some_and(|u| u.as_str() == "%")
        });
        if let Some(c) = pct {
            ingredients.push(Ingredient {
                name: m.name().to_string(),
                percent: c.get(1).and_then(|v| v.as_str().parse().ok()),
            });
        }
    }
    let lower = text.to_ascii_lowercase();
    let cream_base = lower.contains("cream base") || lower.contains("compound");
    let form = form_of(&lower);
    let topical_form = matches!(
        form,
        Some(DrugForm::Cream | DrugForm::Gel | DrugForm::Patch | DrugForm::Ointment)
    ) || lower.contains("topical");
    let entry: &DrugEntry = first.entry;
    // A fentanyl or buprenorphine patch delivers an opioid to the whole body: an opioid, not a
    // topical analgesic.
    let systemic_patch =
        form == Some(DrugForm::Patch) && entry.class == Service::Opioid && !entry.topical;

    let is_compound = ingredients.len() >= 2 || (cream_base && !ingredients.is_empty());
    let service = if is_compound || (entry.compound && entry.topical) {
        Service::CompoundedTopical
    } else if (topical_form || entry.topical) && !systemic_patch {
        Service::TopicalAnalgesic
    } else {
        entry.class
    };
    if !is_compound {
        ingredients.clear();
    }

    let name = if ingredients.len() >= 2 {
        ingredients
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    } else {
        // The name plus its release mark ("ultram er"); salts are dropped.
        let rest = &text[first.end..];
        let marks = RELEASE
            .find(rest)
            .map_or("", |m| m.as_str())
            .to_ascii_lowercase();
        let mut name = first.name().to_string();
        for word in marks.split_whitespace() {
            if matches!(word, "er" | "xr" | "sr" | "cr" | "la") {
                name.push(' ');
                name.push_str(word);
            }
        }
        name
    };
    let generic = if ingredients.len() >= 2 {
        None
    } else {
        Some(first.generic().to_string())
    };

    // The strength: the first one after the drug's name.
    let strength_caps = if ingredients.len() >= 2 {
        None
    } else {
        strengths
            .iter()
            .find(|c| c.get(0).is_some_and(|m| m.start() >= first.start))
    };
    let strength = strength_caps.map(|c| {
        let unit = c.get(3).map_or("", |u| u.as_str()).to_ascii_lowercase();
        let a = c.get(1).map_or("", |v| v.as_str());
        let value = match c.get(2) {
            Some(b) => format!("{a}/{}", b.as_str()),
            None => a.to_string(),
        };
        if unit == "%" {
            format!("{value}%")
        } else {
            format!("{value} {unit}")
        }
    });
    let strength_mg = strength_caps.and_then(|c| {
        let unit = c.get(3).map_or("", |u| u.as_str()).to_ascii_lowercase();
        let v: f64 = c.get(1)?.as_str().parse().ok()?;
        match unit.as_str() {
            "mg" => Some(v),
            "mcg" => Some(v / 1000.0),
            _ => None,
        }
    });
    let amount = AMOUNT.captures(text).and_then(|c| {
        let m = c.get(0)?;
        used.push((m.start(), m.end()));
        Some(format!(
            "{}{}",
            c.get(1).map_or("", |v| v.as_str()),
            c.get(2).map_or("", |u| u.as_str()).to_ascii_lowercase()
        ))
    });
    let drug = Drug {
        name,
        generic,
        strength,
        strength_mg,
        form,
        count: None,
        amount,
        ingredients,
        refills: None,
    };
    Some(DrugReading {
        drug,
        service,
        used,
    })
}

fn form_of(lower: &str) -> Option<DrugForm> {
    let has = |w: &str| {
        lower
            .match_indices(w)
            .any(|(i, _)| crate::vocab::is_word_boundary(lower.as_bytes(), i, i + w.len()))
    };
    if has("cream") || has("cream base") {
        Some(DrugForm::Cream)
    } else if has("gel") {
        Some(DrugForm::Gel)
    } else if has("patch") || has("patches") || has("pad") || has("transdermal") {
        Some(DrugForm::Patch)
    } else if has("ointment") {
        Some(DrugForm::Ointment)
    } else if has("suspension") {
        Some(DrugForm::Suspension)
    } else if has("solution") {
        Some(DrugForm::Solution)
    } else if has("injection") {
        Some(DrugForm::Injection)
    } else if has("capsule") || has("capsules") || has("cap") || has("caps") {
        Some(DrugForm::Capsule)
    } else if has("tablet") || has("tablets") || has("tab") || has("tabs") {
        Some(DrugForm::Tablet)
    } else {
        None
    }
}
