//! A disputed request read into data: service category, body regions, side, quantity, frequency,
//! duration, drug, purchase or rental, and partial authorization.
//!
//! The request texts are short item names as the letters print them ("Norco 10/325mg #60",
//! "Physical therapy 2 times a week for 4 weeks for the lumbar spine"). For a partially
//! authorized item the letters print the whole sentence ("X was the original request. Y was
//! authorized by the Claims Administrator. The remaining IMR eligible portion of the original
//! request, Z is"); [`read_request`] reads Z as the request and keeps X and Y in [`Partial`].

mod service;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use crate::extract::anatomy::{BodyRegion, Laterality};
pub use service::Service;

use crate::model::Diagnostic;

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

/// Reads one disputed request. Never panics; what it cannot read is left `None` and, where that
/// matters, noted in `diagnostics`.
pub fn read_request(item: &str) -> Request {
    Request {
        text: item.trim().to_string(),
        service: service::classify(item),
        body_regions: Vec::new(),
        laterality: None,
        quantity: None,
        quantity_min: None,
        frequency: None,
        duration: None,
        drug: None,
        acquisition: None,
        partial: None,
        associated_surgical_service: false,
        preoperative: false,
        postoperative: false,
        retrospective: false,
        date_of_service: None,
        additional: false,
        contrast: None,
        quantity_unspecified: false,
        diagnostics: Vec::new(),
    }
}
