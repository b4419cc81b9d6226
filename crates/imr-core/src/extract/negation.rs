//! Polarity of a fact: NegEx/ConText in Rust.
//!
//! A trigger phrase ("no", "denies", "without any documentation of", "possible", "history of")
//! opens a scope that runs forward (or, for post-triggers such as "was not noted", backward) up
//! to a terminator: the end of the sentence, a conjunction that turns the sentence ("but",
//! "however", "although"), or a fixed number of words. A fact whose span lies in the scope takes
//! the trigger's polarity. Pseudo-triggers ("not only", "no change in", "no longer") are matched
//! first so they cannot trigger.

use serde::{Deserialize, Serialize};

/// Whether the text asserts the fact.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Stated as present now ("has radiating pain").
    #[default]
    Affirmed,
    /// Stated as absent or not documented ("denies numbness", "no documented functional
    /// improvement", "there is no evidence of", "was not noted").
    Negated,
    /// Stated as possible, suspected, planned or to be ruled out ("possible", "rule out",
    /// "consideration of", "may").
    Uncertain,
    /// Stated as past ("history of", "status post", "previously", "prior").
    Historical,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Affirmed => "affirmed",
            Polarity::Negated => "negated",
            Polarity::Uncertain => "uncertain",
            Polarity::Historical => "historical",
        }
    }
}
