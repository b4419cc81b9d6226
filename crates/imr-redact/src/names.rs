//! The name model: given names and surnames from the 1990 census (`data/names/`, built in), and
//! the stop list of words that are never taken for a name however they are capitalized —
//! clinical terms, body parts, drugs, months, days and common words, many of which are also
//! census names ("May", "Hope", "Back", "Hand", "Stone").
//!
//! A list word alone is never a name; `detect` finds a name where a given name is followed by a
//! surname ("Juniper Ashcombe") or a surname by a comma and a given name ("Ashcombe, Juniper").

use std::collections::HashSet;
use std::sync::LazyLock;

const GIVEN_LIST: &str = include_str!("../../../data/names/given.txt");
const SURNAME_LIST: &str = include_str!("../../../data/names/surnames.txt");

static GIVEN: LazyLock<HashSet<&'static str>> = LazyLock::new(|| list(GIVEN_LIST));
static SURNAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| list(SURNAME_LIST));
static STOP: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());
static ORDINARY: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ORDINARY_WORDS.iter().copied().collect());
static ABBREVIATIONS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| CLINICAL_ABBREVIATIONS.iter().copied().collect());

fn list(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Looks a word up in a lower-case list without allocating for the usual short word.
fn lookup(set: &HashSet<&'static str>, word: &str) -> bool {
    if word.is_empty() || word.len() > 40 {
        return false;
    }
    let mut buf = [0u8; 40];
    for (i, b) in word.bytes().enumerate() {
        if !b.is_ascii() {
            return false;
        }
        buf[i] = b.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..word.len()]).is_ok_and(|w| set.contains(w))
}

/// A given name of the census lists (any case).
pub(super) fn is_given(word: &str) -> bool {
    lookup(&GIVEN, word)
}

/// A surname of the census list above the frequency cut (any case). A hyphenated surname is
/// one when either part is.
pub(super) fn is_surname(word: &str) -> bool {
    lookup(&SURNAMES, word)
        || (word.contains('-')
            && word
                .split('-')
                .any(|part| part.len() >= 2 && lookup(&SURNAMES, part)))
}

/// A word that is never a name, whatever its case: a clinical term, body part, drug, month,
/// day or common word.
pub(super) fn is_stop_word(word: &str) -> bool {
    let word = word.trim_end_matches(['.', '\'', '’']);
    lookup(&STOP, word)
}

/// A word that is also an ordinary one: a stop word, or a surname that is an English word.
/// Such a word of a known party is taken alone only capitalized or in capitals.
pub(super) fn is_ordinary_word(word: &str) -> bool {
    is_stop_word(word) || lookup(&ORDINARY, word.trim_end_matches(['.', '\'', '’']))
}

/// A clinical or administrative abbreviation ("OT", "MRI", "PTP"): bare initials that spell one
/// are not taken for a person's initials.
pub(super) fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains(word)
}

/// Lower case. Months and days; clinical words, body parts and drugs; the letters' own
/// vocabulary; common English words that are also census names.
const STOP_WORDS: &[&str] = &[
    // Months and days.
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "sept",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    // Body parts and regions.
    "abdomen",
    "ankle",
    "ankles",
    "arm",
    "arms",
    "back",
    "bone",
    "bones",
    "brain",
    "breast",
    "buttock",
    "calf",
    "carpal",
    "cervical",
    "chest",
    "disc",
    "disk",
    "ear",
    "elbow",
    "elbows",
    "eye",
    "eyes",
    "face",
    "facet",
    "femur",
    "finger",
    "fingers",
    "foot",
    "feet",
    "forearm",
    "groin",
    "hand",
    "hands",
    "head",
    "heart",
    "heel",
    "hip",
    "hips",
    "jaw",
    "joint",
    "joints",
    "knee",
    "knees",
    "leg",
    "legs",
    "ligament",
    "lumbar",
    "lung",
    "muscle",
    "muscles",
    "nail",
    "neck",
    "nerve",
    "nerves",
    "nose",
    "palm",
    "pelvis",
    "rib",
    "ribs",
    "root",
    "roots",
    "sacral",
    "shin",
    "shoulder",
    "shoulders",
    "skin",
    "skull",
    "spine",
    "tendon",
    "thigh",
    "thoracic",
    "thumb",
    "toe",
    "toes",
    "tunnel",
    "wrist",
    "wrists",
    // Clinical words.
    "acute",
    "block",
    "blocks",
    "brace",
    "cast",
    "chronic",
    "cold",
    "cone",
    "cough",
    "cramp",
    "cure",
    "cyst",
    "disease",
    "dose",
    "fever",
    "flex",
    "fracture",
    "gait",
    "gel",
    "heat",
    "hurt",
    "ice",
    "injury",
    "lesion",
    "mass",
    "pain",
    "patch",
    "pill",
    "pills",
    "pulse",
    "rash",
    "relief",
    "rest",
    "scar",
    "screw",
    "shot",
    "sling",
    "spasm",
    "splint",
    "sprain",
    "stent",
    "stiff",
    "stone",
    "strain",
    "stress",
    "stroke",
    "surgery",
    "swelling",
    "tear",
    "tears",
    "tender",
    "therapy",
    "trial",
    "walker",
    "wheeler",
    "wound",
    "wrap",
    // Drugs and products often written capitalized (few are census names; kept to be sure).
    "advil",
    "aleve",
    "ambien",
    "celebrex",
    "cymbalta",
    "flexeril",
    "gabapentin",
    "ibuprofen",
    "keppra",
    "lidoderm",
    "lyrica",
    "mobic",
    "motrin",
    "naproxen",
    "neurontin",
    "norco",
    "percocet",
    "prilosec",
    "soma",
    "tramadol",
    "tylenol",
    "ultram",
    "valium",
    "vicodin",
    "xanax",
    "zanaflex",
    // The letters' and records' own vocabulary.
    "administrator",
    "applicant",
    "appeal",
    "approval",
    "care",
    "case",
    "chiropractor",
    "claim",
    "claimant",
    "claims",
    "clinical",
    "complaints",
    "county",
    "court",
    "date",
    "decision",
    "doctor",
    "employee",
    "employer",
    "evaluation",
    "exam",
    "final",
    "guideline",
    "guidelines",
    "health",
    "history",
    "home",
    "hospital",
    "imaging",
    "insurance",
    "letter",
    "medical",
    "medicine",
    "note",
    "notes",
    "nurse",
    "office",
    "page",
    "patient",
    "physical",
    "physician",
    "plan",
    "program",
    "provider",
    "rationale",
    "record",
    "records",
    "report",
    "request",
    "review",
    "reviewer",
    "section",
    "service",
    "services",
    "state",
    "summary",
    "treatment",
    "visit",
    "work",
    "worker",
    "works",
    // Common English words that are also census names.
    "above",
    "able",
    "about",
    "after",
    "all",
    "also",
    "and",
    "art",
    "bad",
    "bass",
    "best",
    "better",
    "big",
    "bill",
    "blue",
    "both",
    "bottom",
    "but",
    "by",
    "call",
    "can",
    "carry",
    "center",
    "chance",
    "chase",
    "clear",
    "close",
    "count",
    "day",
    "deal",
    "dear",
    "early",
    "east",
    "end",
    "english",
    "even",
    "fair",
    "faith",
    "fall",
    "far",
    "fine",
    "frank",
    "free",
    "friend",
    "full",
    "gay",
    "gene",
    "good",
    "grace",
    "grant",
    "guy",
    "hard",
    "head",
    "hers",
    "high",
    "him",
    "his",
    "holiday",
    "holly",
    "honor",
    "hope",
    "house",
    "hunt",
    "iris",
    "ivy",
    "jack",
    "joy",
    "just",
    "keen",
    "kind",
    "king",
    "large",
    "last",
    "law",
    "lay",
    "lean",
    "less",
    "light",
    "little",
    "long",
    "lord",
    "love",
    "low",
    "lucky",
    "major",
    "man",
    "many",
    "mark",
    "may",
    "merry",
    "middle",
    "minor",
    "more",
    "morning",
    "much",
    "new",
    "north",
    "old",
    "one",
    "only",
    "over",
    "pat",
    "penny",
    "person",
    "plain",
    "prince",
    "quick",
    "rain",
    "ray",
    "read",
    "rich",
    "rose",
    "round",
    "rush",
    "said",
    "sale",
    "sandy",
    "saw",
    "says",
    "see",
    "self",
    "short",
    "sides",
    "small",
    "smart",
    "south",
    "spring",
    "still",
    "the",
    "thing",
    "time",
    "true",
    "up",
    "way",
    "weak",
    "well",
    "west",
    "will",
    "young",
    "zone",
];

/// Lower case. Ordinary English words that are also census surnames ("Brown", "Baker",
/// "Hill"): a surname the name model may take after a given name, but never taken alone in
/// lower case as a known party's name, nor alone as an organization's distinctive word.
const ORDINARY_WORDS: &[&str] = &[
    "baker",
    "bank",
    "beach",
    "bell",
    "bishop",
    "black",
    "bond",
    "box",
    "branch",
    "bright",
    "brook",
    "brown",
    "bush",
    "camp",
    "card",
    "carpenter",
    "church",
    "clay",
    "coach",
    "cook",
    "cooper",
    "corner",
    "cross",
    "crown",
    "dean",
    "field",
    "fish",
    "fisher",
    "fleet",
    "ford",
    "forest",
    "fox",
    "gentry",
    "glass",
    "golden",
    "gray",
    "green",
    "grey",
    "hall",
    "hart",
    "hill",
    "hunter",
    "iron",
    "knight",
    "lake",
    "lane",
    "marsh",
    "mason",
    "meadow",
    "mill",
    "miller",
    "moon",
    "newman",
    "noble",
    "oak",
    "park",
    "parks",
    "pierce",
    "pope",
    "post",
    "power",
    "price",
    "reed",
    "ring",
    "river",
    "rock",
    "ross",
    "salt",
    "shade",
    "sharp",
    "silver",
    "snow",
    "star",
    "steel",
    "storm",
    "strong",
    "summer",
    "sun",
    "sweet",
    "taylor",
    "tower",
    "turner",
    "vale",
    "wall",
    "ward",
    "water",
    "white",
    "wise",
    "wood",
    "woods",
];

/// Upper-case abbreviations of the records and letters that bare initials could spell.
pub const CLINICAL_ABBREVIATIONS: &[&str] = &[
    "AC", "ACL", "ADL", "ADLS", "AM", "AME", "AP", "BID", "BMI", "BP", "CA", "CBC", "CNS", "CPT",
    "CRPS", "CT", "CTS", "CV", "DC", "DDD", "DJD", "DME", "DO", "DOB", "DOI", "DVT", "DWC", "DX",
    "ED", "EKG", "EMG", "ENT", "ER", "ESI", "FCE", "FRP", "FX", "GI", "HEP", "HNP", "HR", "HS",
    "HX", "ICU", "ID", "IM", "IMR", "IN", "IT", "IV", "LBP", "LCL", "LE", "MCL", "MD", "MMI",
    "MRI", "MS", "NA", "NCS", "NCV", "NO", "NP", "NSAID", "OA", "OK", "ON", "OR", "OT", "PA",
    "PCL", "PM", "PO", "PPI", "PR", "PRN", "PT", "PTP", "QHS", "QID", "QME", "RA", "RFA", "RN",
    "ROM", "RX", "SI", "SLR", "SX", "TENS", "TFCC", "TID", "TPI", "TX", "UE", "UR", "US", "VAS",
    "WC", "WCAB", "XR",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_loaded_and_looked_up_in_any_case() {
        assert!(GIVEN.len() > 5_000, "{}", GIVEN.len());
        assert!(SURNAMES.len() > 18_000, "{}", SURNAMES.len());
        assert!(is_given("Mary") && is_given("JAMES") && is_given("linda"));
        assert!(is_surname("Smith") && is_surname("GARCIA"));
        assert!(is_surname("Garcia-Lopez"));
        assert!(!is_given("Zzyzx") && !is_surname("Qwxv"));
        assert!(!is_given("") && !is_surname(&"a".repeat(60)));
        assert!(!is_given("Zoë"));
    }

    #[test]
    fn census_names_that_are_clinical_or_common_words_are_stopped() {
        for word in [
            "Back", "Hand", "Knee", "May", "June", "Stone", "Hope", "Will",
        ] {
            assert!(
                is_given(word) || is_surname(word),
                "{word} is not a census name"
            );
            assert!(is_stop_word(word), "{word}");
        }
        assert!(is_stop_word("PAIN") && is_stop_word("Lyrica") && is_stop_word("May."));
        assert!(!is_stop_word("Ashcombe"));
        // A surname that is an ordinary word is not stopped for the model, but is ordinary.
        assert!(!is_stop_word("Miller") && is_ordinary_word("Miller") && is_ordinary_word("may"));
        assert!(!is_ordinary_word("Ashcombe"));
        assert!(is_abbreviation("OT") && !is_abbreviation("JA"));
    }
}
