//! Which reviewer specialties suit a case: a data file maps words of the condition and of the
//! disputed services to the same and to similar specialties (`data/specialty-map.toml`).

use std::collections::BTreeSet;

use serde::Deserialize;

use super::reviewer::normalize_name;

/// One spelling of a board specialty, so that the letters' variants count as one: "&" is
/// "and", spaces are single, and each word is capitalized but the small ones ("Physical
/// Medicine & Rehabilitation" and "physical medicine and rehabilitation" are both "Physical
/// Medicine and Rehabilitation"). Short abbreviations in capitals stay so ("ENT").
pub fn canonical_specialty(name: &str) -> String {
    const SMALL: [&str; 6] = ["and", "of", "in", "the", "for", "with"];
    name.replace('&', " and ")
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                lower
            } else if (2..=3).contains(&word.len()) && word.chars().all(|c| c.is_uppercase()) {
                word.to_string()
            } else {
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
        .trim_matches(|c: char| c == ',' || c == ';' || c == '.')
        .to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialtyMap {
    /// Specialties suitable when no rule matches.
    pub default: Vec<String>,
    #[serde(rename = "rule", default)]
    pub rules: Vec<SpecialtyRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialtyRule {
    pub name: String,
    /// Words or phrases; a rule matches when one occurs as whole words in the condition or a
    /// disputed service.
    pub keywords: Vec<String>,
    pub same: Vec<String>,
    #[serde(default)]
    pub similar: Vec<String>,
}

/// The specialties a case needs, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Needed {
    pub same: BTreeSet<String>,
    pub similar: BTreeSet<String>,
    /// The rules that matched (empty when the default applied).
    pub rules: Vec<String>,
}

impl SpecialtyMap {
    /// Reads the map; a bad file is refused with its line and reason.
    pub fn from_toml(text: &str) -> Result<SpecialtyMap, String> {
        let map: SpecialtyMap = toml::from_str(text).map_err(|e| e.to_string())?;
        if map.default.is_empty() {
            return Err("`default` must list at least one specialty".into());
        }
        for rule in &map.rules {
            if rule.keywords.is_empty() || rule.same.is_empty() {
                return Err(format!(
                    "rule {:?} needs at least one keyword and one `same` specialty",
                    rule.name
                ));
            }
        }
        Ok(map)
    }

    /// The specialties for a condition and its disputed services.
    pub fn needed<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Needed {
        let haystack: Vec<String> = texts
            .into_iter()
            .map(|t| format!(" {} ", normalize_name(t)))
            .collect();
        let mut needed = Needed::default();
        for rule in &self.rules {
            let hit = rule.keywords.iter().any(|k| {
                let k = format!(" {} ", normalize_name(k));
                haystack.iter().any(|h| h.contains(&k))
            });
            if hit {
                needed.rules.push(rule.name.clone());
                needed
                    .same
                    .extend(rule.same.iter().map(|s| normalize_name(s)));
                needed
                    .similar
                    .extend(rule.similar.iter().map(|s| normalize_name(s)));
            }
        }
        if needed.rules.is_empty() {
            needed
                .same
                .extend(self.default.iter().map(|s| normalize_name(s)));
        }
        // A specialty that is "same" for one rule is not merely similar.
        let same = needed.same.clone();
        needed.similar.retain(|s| !same.contains(s));
        needed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_of_a_specialty_are_one_name() {
        for variant in [
            "Physical Medicine & Rehabilitation",
            "Physical Medicine and Rehabilitation",
            "physical  medicine &rehabilitation",
            "PHYSICAL MEDICINE and Rehabilitation",
        ] {
            assert_eq!(
                canonical_specialty(variant),
                "Physical Medicine and Rehabilitation",
                "{variant}"
            );
        }
        assert_eq!(
            canonical_specialty("Public Health & General Preventive Medicine"),
            "Public Health and General Preventive Medicine"
        );
        assert_eq!(canonical_specialty("Family Practice"), "Family Practice");
        assert_eq!(canonical_specialty(" "), "");
    }

    const MAP: &str = r#"
default = ["Occupational Medicine"]
[[rule]]
name = "spine"
keywords = ["lumbar", "spinal cord stimulator"]
same = ["Orthopedic Surgery"]
similar = ["Physical Medicine and Rehabilitation", "Orthopedic Surgery"]
[[rule]]
name = "mental health"
keywords = ["depression"]
same = ["Psychiatry"]
"#;

    #[test]
    fn keywords_match_whole_words_in_any_text() {
        let map = SpecialtyMap::from_toml(MAP).expect("valid map");
        let n = map.needed(["Chronic LUMBAR pain", "trial of a spinal cord stimulator"]);
        assert_eq!(n.rules, ["spine"]);
        assert!(n.same.contains("orthopedic surgery"));
        assert!(n.similar.contains("physical medicine and rehabilitation"));
        assert!(!n.similar.contains("orthopedic surgery"));
        // "lumbarization" is not the word "lumbar".
        let n = map.needed(["lumbarization"]);
        assert!(n.rules.is_empty());
        assert_eq!(n.same.iter().collect::<Vec<_>>(), ["occupational medicine"]);
    }

    #[test]
    fn a_bad_map_is_refused() {
        assert!(SpecialtyMap::from_toml("default = []").is_err());
        let err =
            SpecialtyMap::from_toml("default = [\"x\"]\n[[rule]]\nname = 1").expect_err("bad");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn the_projects_map_reads() {
        let text = include_str!("../../../data/specialty-map.toml");
        let map = SpecialtyMap::from_toml(text).expect("data/specialty-map.toml");
        let n = map.needed([
            "right shoulder impingement",
            "arthroscopic subacromial decompression",
        ]);
        assert!(!n.rules.is_empty());
    }
}
