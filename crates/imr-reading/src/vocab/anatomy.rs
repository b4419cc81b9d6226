//! Body regions and laterality, shared by the fact reader and the request reader.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

/// A body region as guidelines group them (the MTUS chapters follow these regions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyRegion {
    Head,
    /// Cervical spine; "neck" maps here.
    CervicalSpine,
    ThoracicSpine,
    /// Lumbar, lumbosacral and sacral spine; "low back" maps here.
    LumbarSpine,
    /// The spine without a level ("spine", "back").
    Spine,
    Pelvis,
    Hip,
    Groin,
    Shoulder,
    /// Upper arm or arm without a joint.
    Arm,
    Elbow,
    Forearm,
    Wrist,
    Hand,
    Finger,
    /// Both or either upper limbs as a whole ("upper extremities").
    UpperExtremity,
    Knee,
    /// Lower leg, thigh or leg without a joint.
    Leg,
    Ankle,
    Foot,
    Toe,
    /// Both or either lower limbs as a whole ("lower extremities").
    LowerExtremity,
    Chest,
    Abdomen,
}

impl BodyRegion {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyRegion::Head => "head",
            BodyRegion::CervicalSpine => "cervical_spine",
            BodyRegion::ThoracicSpine => "thoracic_spine",
            BodyRegion::LumbarSpine => "lumbar_spine",
            BodyRegion::Spine => "spine",
            BodyRegion::Pelvis => "pelvis",
            BodyRegion::Hip => "hip",
            BodyRegion::Groin => "groin",
            BodyRegion::Shoulder => "shoulder",
            BodyRegion::Arm => "arm",
            BodyRegion::Elbow => "elbow",
            BodyRegion::Forearm => "forearm",
            BodyRegion::Wrist => "wrist",
            BodyRegion::Hand => "hand",
            BodyRegion::Finger => "finger",
            BodyRegion::UpperExtremity => "upper_extremity",
            BodyRegion::Knee => "knee",
            BodyRegion::Leg => "leg",
            BodyRegion::Ankle => "ankle",
            BodyRegion::Foot => "foot",
            BodyRegion::Toe => "toe",
            BodyRegion::LowerExtremity => "lower_extremity",
            BodyRegion::Chest => "chest",
            BodyRegion::Abdomen => "abdomen",
        }
    }
}

/// Which side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Laterality {
    Left,
    Right,
    Bilateral,
}

impl Laterality {
    pub fn as_str(self) -> &'static str {
        match self {
            Laterality::Left => "left",
            Laterality::Right => "right",
            Laterality::Bilateral => "bilateral",
        }
    }

    /// Left and right together make bilateral.
    pub fn merge(a: Option<Laterality>, b: Laterality) -> Laterality {
        match a {
            None => b,
            Some(a) if a == b => a,
            Some(_) => Laterality::Bilateral,
        }
    }
}

/// Words naming a region, longest first wins (aho-corasick leftmost-longest).
const REGION_WORDS: &[(&str, BodyRegion)] = &[
    ("head", BodyRegion::Head),
    ("skull", BodyRegion::Head),
    ("cervical", BodyRegion::CervicalSpine),
    ("cervical spine", BodyRegion::CervicalSpine),
    ("thoracic spine", BodyRegion::ThoracicSpine),
    ("lumbosacral spine", BodyRegion::LumbarSpine),
    ("sacral spine", BodyRegion::LumbarSpine),
    ("c-spine", BodyRegion::CervicalSpine),
    ("neck", BodyRegion::CervicalSpine),
    ("cervicothoracic", BodyRegion::CervicalSpine),
    ("thoracic", BodyRegion::ThoracicSpine),
    ("mid back", BodyRegion::ThoracicSpine),
    ("upper back", BodyRegion::ThoracicSpine),
    ("thoracolumbar", BodyRegion::LumbarSpine),
    ("lumbar", BodyRegion::LumbarSpine),
    ("lumbosacral", BodyRegion::LumbarSpine),
    ("lumbar spine", BodyRegion::LumbarSpine),
    ("l-spine", BodyRegion::LumbarSpine),
    ("low back", BodyRegion::LumbarSpine),
    ("lower back", BodyRegion::LumbarSpine),
    ("sacral", BodyRegion::LumbarSpine),
    ("sacroiliac", BodyRegion::LumbarSpine),
    ("spine", BodyRegion::Spine),
    ("spinal", BodyRegion::Spine),
    ("back", BodyRegion::Spine),
    ("pelvis", BodyRegion::Pelvis),
    ("pelvic", BodyRegion::Pelvis),
    ("hip", BodyRegion::Hip),
    ("hips", BodyRegion::Hip),
    ("groin", BodyRegion::Groin),
    ("inguinal", BodyRegion::Groin),
    ("shoulder", BodyRegion::Shoulder),
    ("shoulders", BodyRegion::Shoulder),
    ("rotator cuff", BodyRegion::Shoulder),
    ("arm", BodyRegion::Arm),
    ("arms", BodyRegion::Arm),
    ("upper arm", BodyRegion::Arm),
    ("elbow", BodyRegion::Elbow),
    ("elbows", BodyRegion::Elbow),
    ("forearm", BodyRegion::Forearm),
    ("wrist", BodyRegion::Wrist),
    ("wrists", BodyRegion::Wrist),
    ("carpal", BodyRegion::Wrist),
    ("hand", BodyRegion::Hand),
    ("hands", BodyRegion::Hand),
    ("finger", BodyRegion::Finger),
    ("fingers", BodyRegion::Finger),
    ("thumb", BodyRegion::Finger),
    ("upper extremity", BodyRegion::UpperExtremity),
    ("upper extremities", BodyRegion::UpperExtremity),
    ("upper limb", BodyRegion::UpperExtremity),
    ("rue", BodyRegion::UpperExtremity),
    ("lue", BodyRegion::UpperExtremity),
    ("knee", BodyRegion::Knee),
    ("knees", BodyRegion::Knee),
    ("leg", BodyRegion::Leg),
    ("legs", BodyRegion::Leg),
    ("lower leg", BodyRegion::Leg),
    ("thigh", BodyRegion::Leg),
    ("calf", BodyRegion::Leg),
    ("ankle", BodyRegion::Ankle),
    ("ankles", BodyRegion::Ankle),
    ("foot", BodyRegion::Foot),
    ("feet", BodyRegion::Foot),
    ("heel", BodyRegion::Foot),
    ("toe", BodyRegion::Toe),
    ("toes", BodyRegion::Toe),
    ("lower extremity", BodyRegion::LowerExtremity),
    ("lower extremities", BodyRegion::LowerExtremity),
    ("lower limb", BodyRegion::LowerExtremity),
    ("rle", BodyRegion::LowerExtremity),
    ("lle", BodyRegion::LowerExtremity),
    ("chest", BodyRegion::Chest),
    ("abdomen", BodyRegion::Abdomen),
    ("abdominal", BodyRegion::Abdomen),
];

static REGIONS: LazyLock<AhoCorasick> =
    LazyLock::new(|| super::phrase_matcher(REGION_WORDS.iter().map(|(w, _)| w)));

/// A region named in the text, with its span and the side stated just before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionMention {
    pub region: BodyRegion,
    pub laterality: Option<Laterality>,
    /// Span of the region word, or of the side word and the region word together.
    pub start: usize,
    pub end: usize,
}

/// Every region named in `text`, at word boundaries, in order.
pub fn regions(text: &str) -> Vec<RegionMention> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for m in REGIONS.find_iter(text) {
        if !super::is_word_boundary(bytes, m.start(), m.end()) {
            continue;
        }
        let (_, region) = REGION_WORDS[m.pattern().as_usize()];
        let word = &text[m.start()..m.end()];
        // "RUE", "LLE": the side is in the abbreviation itself.
        let own_side = match word.to_ascii_lowercase().as_str() {
            "rue" | "rle" => Some(Laterality::Right),
            "lue" | "lle" => Some(Laterality::Left),
            _ => None,
        };
        let (side, side_start) = match own_side {
            Some(s) => (Some(s), m.start()),
            None => side_before(text, m.start()),
        };
        out.push(RegionMention {
            region,
            laterality: side,
            start: side_start,
            end: m.end(),
        });
    }
    out
}

/// Spinal levels name their region: "L4-5", "L5-S1", "C5-6", "T12".
static SPINAL_LEVEL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"\b([CcTtLl])(?-u:\d{1,2})(?:\s*-\s*(?:[CcTtLlSs])?(?-u:\d{1,2}))?\b")
        .expect("static regex")
});

/// Regions named in `text`, with spinal levels, in order of first mention, without repeats;
/// "spine" alone is dropped when a level of the spine is named.
pub fn distinct_regions(text: &str) -> Vec<BodyRegion> {
    let mut found: Vec<(usize, BodyRegion)> = regions(text)
        .into_iter()
        .map(|m| (m.start, m.region))
        .collect();
    for m in SPINAL_LEVEL.captures_iter(text) {
        let region = match m.get(1).map(|l| l.as_str().to_ascii_lowercase()) {
            Some(l) if l == "c" => BodyRegion::CervicalSpine,
            Some(l) if l == "t" => BodyRegion::ThoracicSpine,
            _ => BodyRegion::LumbarSpine,
        };
        found.push((m.get(0).map_or(0, |g| g.start()), region));
    }
    found.sort_by_key(|(at, _)| *at);
    let mut out: Vec<BodyRegion> = Vec::new();
    for (_, r) in found {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    let has_level = out.iter().any(|r| {
        matches!(
            r,
            BodyRegion::CervicalSpine | BodyRegion::ThoracicSpine | BodyRegion::LumbarSpine
        )
    });
    if has_level {
        out.retain(|r| *r != BodyRegion::Spine);
    }
    out
}

/// The side word ("left", "right", "bilateral", "both") in the few words before `at`.
fn side_before(text: &str, at: usize) -> (Option<Laterality>, usize) {
    let window_start = floor_char(text, at.saturating_sub(24));
    let window = &text[window_start..at];
    let lower = window.to_ascii_lowercase();
    // The nearest side word wins; stop at punctuation that ends the phrase.
    let cut = lower
        .rfind(['.', ';', ',', ':', '(', ')'])
        .map_or(0, |i| i + 1);
    let phrase = &lower[cut..];
    let mut best: Option<(usize, Laterality)> = None;
    for (word, side) in [
        ("left", Laterality::Left),
        ("right", Laterality::Right),
        ("bilateral", Laterality::Bilateral),
        ("bilaterally", Laterality::Bilateral),
        ("both", Laterality::Bilateral),
    ] {
        if let Some(i) = find_word(phrase, word)
            && best.is_none_or(|(j, _)| i > j)
        {
            best = Some((i, side));
        }
    }
    match best {
        Some((i, side)) => (Some(side), window_start + cut + i),
        None => (None, at),
    }
}

/// The last whole-word occurrence of `word` in `hay` (both lower case).
fn find_word(hay: &str, word: &str) -> Option<usize> {
    let bytes = hay.as_bytes();
    hay.rmatch_indices(word)
        .map(|(i, _)| i)
        .find(|&i| super::is_word_boundary(bytes, i, i + word.len()))
}

/// The largest char boundary at or below `i`.
pub(crate) fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The side named anywhere in `text` ("left", "right", "bilateral"); both sides make bilateral.
pub fn laterality_in(text: &str) -> Option<Laterality> {
    let lower = text.to_ascii_lowercase();
    let mut side = None;
    for (word, s) in [
        ("left", Laterality::Left),
        ("right", Laterality::Right),
        ("bilateral", Laterality::Bilateral),
        ("bilaterally", Laterality::Bilateral),
        ("both", Laterality::Bilateral),
        ("rue", Laterality::Right),
        ("rle", Laterality::Right),
        ("lue", Laterality::Left),
        ("lle", Laterality::Left),
    ] {
        if find_word(&lower, word).is_some() {
            side = Some(Laterality::merge(side, s));
        }
    }
    side
}
