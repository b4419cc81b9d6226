//! A disputed request read into data: service category, body regions, side, quantity, frequency,
//! duration, drug, purchase or rental, and partial authorization.
//!
//! The request texts are short item names as the letters print them ("Norco 10/325mg #60",
//! "Physical therapy 2 times a week for 4 weeks for the lumbar spine"). For a partially
//! authorized item the letters print the whole sentence ("X was the original request. Y was
//! authorized by the Claims Administrator. The remaining IMR eligible portion of the original
//! request, Z is"); [`read_request`] reads Z as the request and keeps X and Y in [`Partial`].

mod drug;
mod partial;
mod schedule;
mod service;

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;
use serde::{Deserialize, Serialize};

pub use crate::vocab::anatomy::{BodyRegion, Laterality};
pub use service::Service;

use imr_core::model::Diagnostic;

/// One disputed request, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The item as written (for a partial authorization: the remaining portion).
    pub text: String,
    pub service: Service,
    /// Body regions named, in order, without repeats.
    pub body_regions: Vec<BodyRegion>,
    pub laterality: Option<Laterality>,
    /// Total units requested (sessions, visits, tablets, studies): stated ("#8", "12 sessions",
    /// "times 3", "(8)"), or frequency times duration ("2 times a week for 4 weeks" = 8). For a
    /// range ("12-18 sessions", "2-3 times a week for 6 weeks") the upper end.
    pub quantity: Option<u32>,
    /// The lower end when the quantity is a range.
    pub quantity_min: Option<u32>,
    /// "2 times a week", "three times weekly", "2-3 times a week".
    pub frequency: Option<Frequency>,
    /// "for 4 weeks", "x 6 weeks", "7-10 days", "for one week".
    pub duration: Option<Duration>,
    /// For medications.
    pub drug: Option<Drug>,
    /// Purchase or rental, and a rental's length.
    pub acquisition: Option<Acquisition>,
    /// Where the claims administrator authorized part of the original request.
    pub partial: Option<Partial>,
    /// "Associated surgical service:" prefix.
    pub associated_surgical_service: bool,
    /// "Pre-op", "preoperative".
    pub preoperative: bool,
    /// "Post-op", "postoperative".
    pub postoperative: bool,
    /// "Retrospective" or a date of service ("DOS: 11/14/16").
    pub retrospective: bool,
    pub date_of_service: Option<Date>,
    /// "Additional", "continue", "further": more of a treatment already given.
    pub additional: bool,
    /// For imaging: "with contrast" (true) or "without contrast" (false).
    pub contrast: Option<bool>,
    /// The request says its quantity is not known ("unknown quantity", "unspecified quantity",
    /// "Unknown shockwave treatments", "unspecified rental").
    pub quantity_unspecified: bool,
    /// What the reader could not understand (never clinical text).
    pub diagnostics: Vec<Diagnostic>,
}

/// How often: `times` (to `times_max`) per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frequency {
    pub times: u32,
    pub times_max: Option<u32>,
    pub per: TimeUnit,
}

/// How long: `amount` (from `amount_min`) `unit`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duration {
    pub amount: u32,
    pub amount_min: Option<u32>,
    pub unit: TimeUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Day,
    Week,
    Month,
}

/// Buying or renting equipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Acquisition {
    Purchase,
    /// `length` is `None` for an unspecified rental.
    Rental {
        length: Option<Duration>,
    },
}

/// A medication as requested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Drug {
    /// The name as written, lower case, without strength ("norco", "ultram er", "flector").
    /// For a compound of several ingredients, the ingredients joined by " / ".
    pub name: String,
    /// The generic name, where the name is a known brand ("hydrocodone/acetaminophen").
    pub generic: Option<String>,
    /// As written, normalized spacing: "10/325 mg", "5%", "100 mg".
    pub strength: Option<String>,
    /// The first (or only) strength in mg, for dose rules.
    pub strength_mg: Option<f64>,
    pub form: Option<DrugForm>,
    /// Units dispensed: "#60", "QTY: 2", "#1".
    pub count: Option<u32>,
    /// An amount of a cream or the like: "240g".
    pub amount: Option<String>,
    /// The ingredients of a compound, with their percentages.
    pub ingredients: Vec<Ingredient>,
    pub refills: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ingredient {
    /// Lower case.
    pub name: String,
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugForm {
    Tablet,
    Capsule,
    Cream,
    Gel,
    Patch,
    Ointment,
    Solution,
    Suspension,
    Injection,
}

/// The parts of a partially authorized request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// The original request as written; `None` when the letter's wording cut it off.
    pub original: Option<String>,
    /// What the claims administrator authorized, as written.
    pub authorized: Option<String>,
    /// The remaining IMR-eligible portion (the item decided).
    pub remaining: String,
    pub original_quantity: Option<u32>,
    pub authorized_quantity: Option<u32>,
    pub remaining_quantity: Option<u32>,
}

static ASSOCIATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*associated\s+surgical\s+services?\s*:?\s*").expect("static regex")
});
static PREOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:pre-?\s?op|pre-?\s?operative)\b").expect("static regex")
});
static POSTOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:post-?\s?op|post-?\s?operative)\b").expect("static regex")
});
static DOS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bDOS:?\s*(?-u:(\d{1,2}[/-]\d{1,2}[/-]\d{2,4}))").expect("static regex")
});
static CONTRAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(with\s+and\s+without|without|w/o|with|w/)\s+contrast\b")
        .expect("static regex")
});
static UNSPECIFIED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:unknown|unspecified)\b").expect("static regex"));
static ADDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:additional|continue|continued|continuing|further|extension)\b")
        .expect("static regex")
});
static PURCHASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:purchase|purchased|buy)\b").expect("static regex"));
static RENTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:rental|rent|rented)\b").expect("static regex"));
/// Spinal levels ("L4-5", "L5-S1") look like ranges; they are blanked before the schedule.
static LEVELS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[ctl](?-u:\d{1,2})(?:\s*-\s*[ctls]?(?-u:\d{1,2}))?\b").expect("static regex")
});

/// The quantity a schedule in free text states ("three times per week for two weeks" = 6,
/// "2x6" = 12), for the fact reader's treatment counts.
pub(crate) fn schedule_quantity(text: &str) -> Option<u32> {
    let mut blanked = text.to_string();
    for m in LEVELS.find_iter(text) {
        blanked.replace_range(m.start()..m.end(), &" ".repeat(m.end() - m.start()));
    }
    let s = schedule::read(&crate::vocab::numbers::words_to_digits(&blanked), false);
    // Only a schedule counts here, not a stray number ("for the 2 knees").
    if s.frequency.is_some() && s.duration.is_some() {
        s.quantity
    } else {
        None
    }
}

/// Reads a disputed item whose partial authorization is given apart (as the letter reader and
/// the case file give it): `request` is the decided portion, `original` the whole original
/// request, `authorized` what the claims administrator authorized.
pub fn read_parts(request: &str, original: Option<&str>, authorized: Option<&str>) -> Request {
    let mut read = read_request(request);
    if read.partial.is_none() && (original.is_some() || authorized.is_some()) {
        let quantity_of = |t: Option<&str>| t.and_then(|t| read_plain(t, &mut Vec::new()).quantity);
        read.partial = Some(Partial {
            original: original.map(str::to_string),
            authorized: authorized.map(str::to_string),
            remaining: read.text.clone(),
            original_quantity: quantity_of(original),
            authorized_quantity: quantity_of(authorized),
            remaining_quantity: read.quantity,
        });
    }
    read
}

/// Reads one disputed item of a letter (see [`read_parts`]).
pub fn read_item(item: &imr_core::model::Item) -> Request {
    read_parts(
        &item.request,
        item.original_request.as_deref(),
        item.authorized.as_deref(),
    )
}

/// Reads one disputed request. Never panics; what it cannot read is left `None` and, where that
/// matters, noted in `diagnostics`.
pub fn read_request(item: &str) -> Request {
    let text = item.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut diagnostics = Vec::new();
    let split = partial::split(&text);
    let decided = split
        .as_ref()
        .map_or(text.as_str(), |p| p.remaining.as_str());
    let mut request = read_plain(decided, &mut diagnostics);
    if request.service == Service::Unknown
        && let Some(p) = &split
    {
        // "with open carpal tunnel release": the remaining portion may need the original's words.
        for other in [&p.original, &p.authorized].into_iter().flatten() {
            let service = read_plain(other, &mut Vec::new()).service;
            if service != Service::Unknown {
                request.service = service;
                break;
            }
        }
    }
    if let Some(p) = split {
        if p.original.is_none() {
            diagnostics.push(Diagnostic::warning(
                "partial.original",
                "the original request is cut off in the item's wording",
            ));
        }
        let quantity_of = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| read_plain(t, &mut Vec::new()).quantity)
        };
        request.partial = Some(Partial {
            original_quantity: quantity_of(&p.original),
            authorized_quantity: quantity_of(&p.authorized),
            remaining_quantity: request.quantity,
            original: p.original,
            authorized: p.authorized,
            remaining: p.remaining,
        });
    }
    if request.service == Service::Unknown {
        diagnostics.push(Diagnostic::warning(
            "service",
            "no service category matches the item",
        ));
    }
    request.diagnostics = diagnostics;
    request
}

/// Reads an item without partial-authorization wording.
fn read_plain(item: &str, diagnostics: &mut Vec<Diagnostic>) -> Request {
    let text = item.trim();
    let mut body = text;
    let associated = match ASSOCIATED.find(body) {
        Some(m) => {
            body = &body[m.end()..];
            true
        }
        None => false,
    };
    let preoperative = PREOP.is_match(body);
    let postoperative = POSTOP.is_match(body);
    let date_of_service = DOS
        .captures(body)
        .and_then(|c| c.get(1))
        .and_then(|m| imr_core::text::parse_us_date(m.as_str(), None));
    if DOS.is_match(body) && date_of_service.is_none() {
        diagnostics.push(Diagnostic::warning("date_of_service", "not a valid date"));
    }
    let retrospective =
        date_of_service.is_some() || body.to_ascii_lowercase().contains("retrospective");

    // The drug first: its strength must not be read as a quantity.
    let drug_read = drug::read(body);
    let mut blanked = body.to_string();
    let mut blank = |a: usize, b: usize| {
        if b <= blanked.len() && blanked.is_char_boundary(a) && blanked.is_char_boundary(b) {
            blanked.replace_range(a..b, &" ".repeat(b - a));
        }
    };
    if let Some(reading) = &drug_read {
        for &(a, b) in &reading.used {
            blank(a, b);
        }
    }
    for m in DOS.find_iter(body).chain(LEVELS.find_iter(body)) {
        blank(m.start(), m.end());
    }
    // "3 in 1 commode" names a kind of commode, not a count.
    for (i, _) in body.to_ascii_lowercase().match_indices(" in 1 ") {
        blank(i.saturating_sub(2), i + 5);
    }
    let digits = crate::vocab::numbers::words_to_digits(&blanked);
    let is_drug = drug_read.is_some();
    let sched = schedule::read(&digits, is_drug);

    let acquisition = if RENTAL.is_match(body) {
        Some(Acquisition::Rental {
            length: sched.duration,
        })
    } else if PURCHASE.is_match(body) {
        Some(Acquisition::Purchase)
    } else {
        None
    };
    let contrast = CONTRAST.captures(body).and_then(|c| c.get(1)).map(|m| {
        let w = m.as_str().to_ascii_lowercase();
        !(w == "without" || w == "w/o")
    });
    let ctx = service::Context {
        drug: drug_read.as_ref().map(|r| r.service),
        perioperative: associated || preoperative,
        scheduled: sched.frequency.is_some(),
    };
    let service = service::classify(body, ctx);
    let drug = drug_read.map(|r| {
        let mut d = r.drug;
        d.count = sched.count;
        d.refills = sched.refills;
        d
    });
    let regions = crate::vocab::anatomy::distinct_regions(body);
    Request {
        text: text.to_string(),
        service,
        body_regions: regions,
        laterality: crate::vocab::anatomy::laterality_in(body),
        quantity: sched.quantity,
        quantity_min: sched.quantity_min,
        frequency: sched.frequency,
        duration: sched.duration,
        drug,
        acquisition,
        partial: None,
        associated_surgical_service: associated,
        preoperative,
        postoperative,
        retrospective,
        date_of_service,
        additional: ADDITIONAL.is_match(body),
        contrast,
        quantity_unspecified: UNSPECIFIED.is_match(body),
        diagnostics: Vec::new(),
    }
}
