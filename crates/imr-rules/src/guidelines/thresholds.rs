//! The clinical thresholds the criteria use (chronic pain, the postsurgical period, ...), read
//! from the rule files (`[[threshold]]`, with the guideline that sets each) so that no clinical
//! number is written in the code.

use serde::Serialize;

/// Every threshold the reader and the engine use. A rule set is complete only with all of them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Pain lasting more than this many weeks since the injury is chronic.
    pub chronic_pain_weeks: f64,
    /// A fracture within this many weeks of the injury is acute (a red flag).
    pub acute_fracture_weeks: f64,
    /// The postsurgical period, in weeks from the surgery (8 CCR 9792.24.3).
    pub postsurgical_period_weeks: f64,
    /// Over this age, a patient taking NSAIDs is at risk of GI events.
    pub nsaid_gi_risk_age: f64,
    /// A urine drug screen older than this many weeks is no longer recent monitoring (MTUS:
    /// at least twice a year on chronic opioids).
    pub drug_screen_interval_weeks: f64,
    /// Opioids above this many mg of morphine equivalent a day put a patient at higher risk
    /// (MTUS: drug screens up to four times a year).
    pub opioid_high_dose_med: f64,
    /// At such a dose, a screen older than this many weeks is no longer recent monitoring.
    pub high_dose_drug_screen_interval_weeks: f64,
}

/// The names rule files may set.
pub const NAMES: &[&str] = &[
    "chronic_pain_weeks",
    "acute_fracture_weeks",
    "postsurgical_period_weeks",
    "nsaid_gi_risk_age",
    "drug_screen_interval_weeks",
    "opioid_high_dose_med",
    "high_dose_drug_screen_interval_weeks",
];

impl Thresholds {
    /// The thresholds from (name, value) pairs; `Err` names the first one missing.
    pub fn from_values(values: &[(String, f64)]) -> Result<Thresholds, String> {
        let get = |name: &str| {
            values
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    format!("the threshold `{name}` is not set in any rule file ([[threshold]])")
                })
        };
        Ok(Thresholds {
            chronic_pain_weeks: get("chronic_pain_weeks")?,
            acute_fracture_weeks: get("acute_fracture_weeks")?,
            postsurgical_period_weeks: get("postsurgical_period_weeks")?,
            nsaid_gi_risk_age: get("nsaid_gi_risk_age")?,
            drug_screen_interval_weeks: get("drug_screen_interval_weeks")?,
            opioid_high_dose_med: get("opioid_high_dose_med")?,
            high_dose_drug_screen_interval_weeks: get("high_dose_drug_screen_interval_weeks")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_threshold_is_named() {
        let values = vec![("chronic_pain_weeks".to_string(), 12.0)];
        let error = Thresholds::from_values(&values).expect_err("incomplete");
        assert!(error.contains("acute_fracture_weeks"), "{error}");
    }

    #[test]
    fn the_shipped_file_sets_every_threshold() {
        let text = include_str!("../../../../guidelines/thresholds.toml");
        let file = crate::guidelines::load_file("thresholds.toml", text).expect("loads");
        let names: Vec<&str> = file.thresholds.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, NAMES);
        assert!(Thresholds::from_values(&file.thresholds).is_ok());
    }
}
