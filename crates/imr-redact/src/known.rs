//! The parties a case knows: who and what its application names (the worker, the employer, the
//! claims administrator, the insurer, every provider and provider group, the claim's
//! identifiers, the worker's address, phone number and date of birth). Each is turned into
//! patterns for every form it takes in a letter: the full name, the surname or given name
//! alone, initials, "Surname, Given", possessives, any case, any spacing, a line break (or a
//! line-end hyphen) inside; an organization without its legal suffix, by its distinctive words
//! or its acronym; a number with or without its separators; a date in every common layout.

use jiff::civil::Date;
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use super::Kind;
use super::names;
use imr_case::Application;

/// What a case knows about its parties, given to the redactor as a pure input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KnownParties {
    /// People: the worker, a representative, every provider who is a person.
    pub people: Vec<String>,
    pub employers: Vec<String>,
    pub claims_administrators: Vec<String>,
    pub insurers: Vec<String>,
    /// Provider groups, practices, clinics, pharmacies: providers that are organizations.
    pub provider_groups: Vec<String>,
    /// Claim numbers, WCAB case numbers, policy numbers.
    pub identifiers: Vec<String>,
    pub addresses: Vec<String>,
    pub phones: Vec<String>,
    pub dates_of_birth: Vec<Date>,
}

impl KnownParties {
    /// Everything the application names.
    pub fn of_application(app: &Application) -> KnownParties {
        let mut known = KnownParties::default();
        known.people.push(app.worker.clone());
        if let Some(r) = &app.representative {
            // A firm that represents the worker is removed as a name, as a person would be.
            known.people.push(r.clone());
        }
        known.employers.push(app.employer.clone());
        known
            .claims_administrators
            .push(app.claims_administrator.clone());
        known.insurers.extend(app.insurer.iter().cloned());
        known.add_provider(&app.requesting_provider.name);
        if let Some(group) = &app.requesting_provider.group {
            known.provider_groups.push(group.clone());
        }
        for p in &app.other_providers {
            known.add_provider(p);
        }
        known.identifiers.push(app.claim_number.clone());
        known
            .identifiers
            .extend(app.other_identifiers.iter().cloned());
        known.addresses.extend(app.worker_address.iter().cloned());
        known.phones.extend(app.worker_phone.iter().cloned());
        known
            .dates_of_birth
            .extend(app.worker_date_of_birth.iter().copied());
        known
    }

    /// A provider: a person ("Dr. Alaric Fernsby", "Lena Strand, PA-C") or an organization
    /// ("Harbor Point Physical Therapy").
    pub fn add_provider(&mut self, name: &str) {
        if is_organization(name) {
            self.provider_groups.push(name.to_string());
        } else {
            self.people.push(name.to_string());
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == KnownParties::default()
    }

    /// The patterns of every party, ready to search a text: one regex per kind and check, its
    /// alternatives the longer forms first, so that a full name is taken whole where it stands.
    pub(super) fn compile(&self) -> Compiled {
        let mut pending: Vec<Pending> = Vec::new();
        let mut add = |kind: Kind, check: Check, pattern: Option<String>, literal: &str, alone| {
            pending.push(Pending {
                kind,
                check,
                pattern,
                literal: literal.to_string(),
                alone,
            })
        };
        for p in nonblank(&self.people) {
            for (pattern, check, alone) in person_patterns(p) {
                add(Kind::Name, check, Some(pattern), p, alone);
            }
        }
        for (list, kind) in [
            (&self.employers, Kind::Employer),
            (&self.claims_administrators, Kind::ClaimsAdministrator),
            (&self.insurers, Kind::Insurer),
            (&self.provider_groups, Kind::Provider),
        ] {
            for o in nonblank(list) {
                for (pattern, alone) in organization_patterns(o) {
                    add(kind, Check::None, Some(pattern), o, alone);
                }
            }
        }
        for id in nonblank(&self.identifiers) {
            add(
                Kind::ClaimNumber,
                Check::Digits,
                identifier_pattern(id),
                id,
                false,
            );
        }
        for phone in nonblank(&self.phones) {
            add(
                Kind::Phone,
                Check::Digits,
                phone_pattern(phone),
                phone,
                false,
            );
        }
        for address in nonblank(&self.addresses) {
            add(
                Kind::Address,
                Check::None,
                address_pattern(address),
                address,
                false,
            );
        }
        for date in &self.dates_of_birth {
            add(
                Kind::DateOfBirth,
                Check::Digits,
                Some(date_pattern(*date)),
                "",
                false,
            );
        }
        // Group by kind and check, the forms of several words before the words alone.
        pending.sort_by_key(|p| (p.kind, p.check, p.alone));
        let mut matchers = Vec::new();
        for group in pending.chunk_by(|a, b| (a.kind, a.check) == (b.kind, b.check)) {
            let alternatives: Vec<String> = group
                .iter()
                .filter_map(|p| p.pattern.as_ref().map(|x| format!("(?:{x})")))
                .collect();
            let combined = (alternatives.len() == group.len())
                .then(|| {
                    build(
                        group[0].kind,
                        group[0].check,
                        Some(alternatives.join("|")),
                        "",
                    )
                })
                .flatten();
            match combined {
                Some(m) => matchers.push(m),
                // A pattern that does not compile (none should): each on its own, or its text.
                None => matchers.extend(
                    group
                        .iter()
                        .filter_map(|p| build(p.kind, p.check, p.pattern.clone(), &p.literal)),
                ),
            }
        }
        Compiled { matchers }
    }
}

/// A party's pattern before compiling.
struct Pending {
    kind: Kind,
    check: Check,
    pattern: Option<String>,
    literal: String,
    /// A single word (or an acronym), tried after the longer forms.
    alone: bool,
}

fn nonblank(list: &[String]) -> impl Iterator<Item = &str> {
    list.iter().map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// What a match must also satisfy, beyond its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Check {
    None,
    /// No digit right before or after (a number or a date is not part of a longer one).
    Digits,
    /// A name that is also an ordinary word ("May", "Hope"): not beside a number, where it
    /// would be a month of a date ("May 3, 2024", "3 May").
    NotInADate,
}

struct Matcher {
    kind: Kind,
    check: Check,
    regex: Regex,
}

/// The patterns of a set of known parties.
pub(super) struct Compiled {
    matchers: Vec<Matcher>,
}

impl Compiled {
    /// Every match of every party: (kind, start, end).
    pub(super) fn find(&self, text: &str) -> Vec<(Kind, usize, usize)> {
        let mut out = Vec::new();
        for m in &self.matchers {
            for found in m.regex.find_iter(text) {
                let (start, end) = (found.start(), found.end());
                let before = text[..start].chars().next_back();
                let after = text[end..].chars().next();
                let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
                let keep = match m.check {
                    Check::None => true,
                    Check::Digits => !digit(before) && !digit(after),
                    Check::NotInADate => {
                        let next = text[end..].trim_start_matches([' ', '\t', ',', '.']);
                        let prev = text[..start].trim_end_matches([' ', '\t', ',']);
                        !next.starts_with(|c: char| c.is_ascii_digit())
                            && !prev.ends_with(|c: char| c.is_ascii_digit())
                    }
                };
                if keep {
                    out.push((m.kind, start, end));
                }
            }
        }
        out
    }
}

/// The longest compiled pattern, so that a party written absurdly long cannot cost much.
const PATTERN_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// A matcher for the pattern; if it does not compile (it always should), the party's text as
/// written, in any case, so that a party is never silently left in.
fn build(kind: Kind, check: Check, pattern: Option<String>, literal: &str) -> Option<Matcher> {
    let compile = |p: &str| {
        RegexBuilder::new(p)
            .size_limit(PATTERN_SIZE_LIMIT)
            .build()
            .ok()
    };
    let regex = pattern.as_deref().and_then(compile).or_else(|| {
        let literal = literal.trim();
        (literal.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
            .then(|| compile(&format!("(?i:{})", regex::escape(literal))))
            .flatten()
    })?;
    Some(Matcher { kind, check, regex })
}

/// Where a line may break inside a word: a line-end hyphen and the line break, as a PDF's text
/// layer gives a word split over two lines.
const SPLIT: &str = r"(?:-[ \t]*\r?\n[ \t]*)?";

/// A word of a name as a pattern: any case is decided by the caller; a line-end split allowed
/// between letters of a word of four letters or more; an inner hyphen written as a hyphen, a
/// space or a line break; an apostrophe straight, curly or left out.
fn word(w: &str) -> String {
    let splittable = w.chars().count() >= 4;
    let mut out = String::new();
    let mut first = true;
    let mut after_space = false;
    for c in w.chars() {
        if c.is_whitespace() && after_space {
            continue;
        }
        after_space = c.is_whitespace();
        if !first && splittable && c.is_alphanumeric() {
            out.push_str(SPLIT);
        }
        first = false;
        match c {
            '-' => out.push_str(r"(?:\s*-\s*|\s+)"),
            c if c.is_whitespace() => out.push_str(r"\s+"),
            '\'' | '’' => out.push_str("['’]?"),
            '.' => out.push_str(r"\.?"),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out
}

/// A word alone: in any case, unless it is an ordinary word or very short, when only its
/// capitalized and upper-case forms are taken. A plural possessive ("Ashcombes'") is part of
/// the match; a singular one leaves "'s" after the tag.
fn single(w: &str) -> (String, Check) {
    let tail = r"(?:s['’]|\b)";
    if names::is_ordinary_word(w) || w.chars().count() <= 2 {
        let title = title_case(w);
        let upper = w.to_uppercase();
        (
            format!(r"\b(?:{}|{}){tail}", word(&title), word(&upper)),
            Check::NotInADate,
        )
    } else {
        (format!(r"(?i:\b{}){tail}", word(w)), Check::None)
    }
}

fn title_case(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) => c
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn initial(w: &str) -> String {
    w.chars()
        .next()
        .map(|c| regex::escape(&c.to_string()))
        .unwrap_or_default()
}

const TITLES: &[&str] = &[
    "dr",
    "doctor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
];
const CREDENTIALS: &[&str] = &[
    "md", "do", "dc", "phd", "psyd", "pac", "pa", "np", "fnp", "rn", "lvn", "dpt", "pt", "lac",
    "dpm", "otr", "ot", "esq", "jr", "sr", "ii", "iii", "iv", "facs", "faaos", "mph", "dds", "od",
    "qme", "ame", "lcsw", "mft", "cnp", "aprn", "dnp",
];
const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "da", "di", "du", "la", "le", "van", "von", "st", "ter",
    "dos", "das", "bin", "ibn", "al", "el",
];

/// A word as the lists compare it: letters and digits only, lower case.
fn bare(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A person's name in its parts.
#[derive(Debug, PartialEq)]
struct PersonName {
    given: Option<String>,
    middles: Vec<String>,
    /// With its particles ("de la Cruz").
    surname: String,
    /// Without them ("Cruz").
    surname_core: String,
}

fn parse_person(raw: &str) -> Option<PersonName> {
    let is_credential = |w: &str| CREDENTIALS.contains(&bare(w).as_str());
    // "Last, First Middle" (a part after a comma that is only credentials is not a first name).
    let parts: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.split_whitespace().all(is_credential))
        .collect();
    let mut tokens: Vec<&str> = match parts.as_slice() {
        [] => return None,
        [one] => one.split_whitespace().collect(),
        [last, first, ..] => first
            .split_whitespace()
            .chain(last.split_whitespace())
            .collect(),
    };
    while tokens
        .first()
        .is_some_and(|t| TITLES.contains(&bare(t).as_str()) && tokens.len() > 1)
    {
        tokens.remove(0);
    }
    while tokens.len() > 1 && tokens.last().is_some_and(|t| is_credential(t)) {
        tokens.pop();
    }
    let tokens: Vec<String> = tokens
        .into_iter()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let core = tokens.last()?.clone();
    let mut first_of_surname = tokens.len() - 1;
    while first_of_surname > 1 && PARTICLES.contains(&bare(&tokens[first_of_surname - 1]).as_str())
    {
        first_of_surname -= 1;
    }
    let surname = tokens[first_of_surname..].join(" ");
    let given = (first_of_surname > 0).then(|| tokens[0].clone());
    let middles = if first_of_surname > 1 {
        tokens[1..first_of_surname].to_vec()
    } else {
        Vec::new()
    };
    Some(PersonName {
        given,
        middles,
        surname,
        surname_core: core,
    })
}

/// Every form of a person's name, longest first, each with its check and whether it is a word
/// alone.
fn person_patterns(raw: &str) -> Vec<(String, Check, bool)> {
    let Some(p) = parse_person(raw) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let multi = |w: &str| word(w);
    let mut surnames = vec![multi(&p.surname)];
    if p.surname_core != p.surname {
        surnames.push(multi(&p.surname_core));
    }
    let surname = format!("(?:{})", surnames.join("|"));
    let end = r"(?:s['’]|\b)";
    let mut middle_alternatives: Vec<String> = p.middles.iter().map(|m| multi(m)).collect();
    // Any middle initial, in capitals: "Juniper Q. Ashcombe".
    middle_alternatives.push(r"(?-i:[A-Z])\.?".to_string());
    let middle = format!(r"(?:\s+(?:{})){{0,3}}", middle_alternatives.join("|"));
    if let Some(given) = &p.given {
        let g = multi(given);
        let gi = initial(&given.to_uppercase());
        let si = initial(&p.surname_core.to_uppercase());
        // Given (middles) Surname; Surname, Given (middles).
        out.push((
            format!(r"(?i:\b{g}{middle}\s+{surname}){end}"),
            Check::None,
            false,
        ));
        out.push((
            format!(r"(?i:\b{surname},\s*{g}(?:{middle})\b\.?)"),
            Check::None,
            false,
        ));
        // J. Ashcombe, J Ashcombe, J.Q. Ashcombe; Juniper A. The initials in capitals, so that
        // "mg. Ashcombe" is not "M. G. Ashcombe".
        out.push((
            format!(r"\b{gi}(?:\.\s*|\s+)(?:[A-Z]\.\s*)?(?i:{surname}){end}"),
            Check::None,
            false,
        ));
        out.push((format!(r"(?i:\b{g})\s+{si}\."), Check::None, false));
        // Initials: J.A., J. Q. A.; bare JA, JQA (upper case, not an abbreviation).
        out.push((
            format!(r"\b{gi}\.\s?(?:[A-Z]\.\s?)?{si}\."),
            Check::None,
            false,
        ));
        let mi_up: String = p
            .middles
            .first()
            .map(|m| initial(&m.to_uppercase()))
            .unwrap_or_default();
        for bare_initials in [format!("{gi}{si}"), format!("{gi}{mi_up}{si}")] {
            let letters = bare_initials.replace('\\', "");
            if letters.len() >= 2 && !names::is_abbreviation(&letters) {
                out.push((format!(r"\b{bare_initials}\b"), Check::None, true));
            }
        }
    }
    // Each word alone: the surname (and its core, and each part of a hyphenated one), the
    // given name, the middle names.
    let mut alone: Vec<String> = vec![p.surname.clone(), p.surname_core.clone()];
    if p.surname_core.contains('-') {
        alone.extend(
            p.surname_core
                .split('-')
                .filter(|part| part.chars().count() >= 3)
                .map(str::to_string),
        );
    }
    alone.extend(p.given.iter().cloned());
    alone.extend(p.middles.iter().filter(|m| m.chars().count() >= 3).cloned());
    let mut seen = Vec::new();
    for w in alone {
        if w.chars().count() < 2 || seen.contains(&w) {
            continue;
        }
        let (pattern, check) = single(&w);
        out.push((pattern, check, true));
        seen.push(w);
    }
    out
}

/// Words that say what an organization is, not which: never removed alone.
const GENERIC_ORGANIZATION_WORDS: &[&str] = &[
    "a",
    "administration",
    "administrators",
    "american",
    "and",
    "assurance",
    "associates",
    "california",
    "care",
    "casualty",
    "center",
    "centre",
    "chiropractic",
    "city",
    "claims",
    "clinic",
    "clinics",
    "co",
    "company",
    "compensation",
    "construction",
    "corp",
    "corporation",
    "county",
    "district",
    "distribution",
    "family",
    "farms",
    "foods",
    "for",
    "fund",
    "general",
    "group",
    "health",
    "healthcare",
    "hospital",
    "imaging",
    "inc",
    "indemnity",
    "industries",
    "institute",
    "insurance",
    "llc",
    "logistics",
    "management",
    "manufacturing",
    "market",
    "markets",
    "medical",
    "medicine",
    "mutual",
    "national",
    "network",
    "of",
    "orthopaedic",
    "orthopaedics",
    "orthopedic",
    "orthopedics",
    "pacific",
    "pain",
    "partners",
    "pharmacy",
    "physical",
    "physicians",
    "practice",
    "radiology",
    "rehabilitation",
    "risk",
    "school",
    "services",
    "solutions",
    "specialists",
    "spine",
    "state",
    "surgery",
    "surgical",
    "the",
    "therapy",
    "transport",
    "transportation",
    "unified",
    "united",
    "urgent",
    "western",
];

/// Words that make a provider's name an organization's.
const ORGANIZATION_MARKERS: &[&str] = &[
    "associates",
    "center",
    "centre",
    "chiropractic",
    "clinic",
    "clinics",
    "co",
    "company",
    "corp",
    "corporation",
    "foundation",
    "group",
    "health",
    "healthcare",
    "hospital",
    "imaging",
    "inc",
    "institute",
    "laboratories",
    "laboratory",
    "llc",
    "llp",
    "ltd",
    "medical",
    "network",
    "orthopaedics",
    "orthopedics",
    "partners",
    "pharmacy",
    "physicians",
    "practice",
    "radiology",
    "rehabilitation",
    "services",
    "specialists",
    "surgery",
    "therapy",
    "university",
];

/// Legal suffixes an organization's name may be written with or without.
const LEGAL_SUFFIX: &str = r"(?:inc|llc|l\.l\.c|corp|corporation|co|company|ltd|llp|l\.l\.p|lp|l\.p|pc|p\.c|apc|a\.p\.c|pllc|a\s+(?:medical|professional)\s+corporation)";

fn is_organization(name: &str) -> bool {
    name.split_whitespace()
        .map(bare)
        .any(|w| ORGANIZATION_MARKERS.contains(&w.as_str()))
}

fn is_distinctive(w: &str) -> bool {
    let b = bare(w);
    b.chars().count() >= 4
        && b.chars().any(|c| c.is_alphabetic())
        && !names::is_ordinary_word(&b)
        && !GENERIC_ORGANIZATION_WORDS.contains(&b.as_str())
}

/// Every form of an organization's name, longest first: the whole name (with or without its
/// legal suffix and a leading "The", "&" or "and", commas or none), each run of two or more of
/// its words that holds a distinctive one, each distinctive word alone (capitalized or upper
/// case only: "Crest" is the company, "crest" a word), and its acronym.
fn organization_patterns(raw: &str) -> Vec<(String, bool)> {
    static SUFFIX_AT_END: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(&format!(r"(?i)[\s,]+{LEGAL_SUFFIX}\.?$")).expect("static regex")
    });
    let mut core = raw.trim().to_string();
    while let Some(m) = SUFFIX_AT_END.find(&core) {
        if m.start() == 0 {
            break;
        }
        core.truncate(m.start());
    }
    let mut tokens: Vec<&str> = core
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() > 1 && bare(tokens[0]) == "the" {
        tokens.remove(0);
    }
    if tokens.is_empty() {
        return Vec::new();
    }
    let token = |t: &str| -> String {
        match bare(t).as_str() {
            "" if t.contains('&') => "(?:&|and)".to_string(),
            "and" => "(?:&|and)".to_string(),
            _ => word(t.trim_end_matches(',')),
        }
    };
    let run = |ts: &[&str]| -> String {
        ts.iter()
            .map(|t| token(t))
            .collect::<Vec<_>>()
            .join(r"[\s,]+")
    };
    let mut out = vec![(
        format!(
            r"(?i:\b(?:the\s+)?{}(?:,?\s+{LEGAL_SUFFIX}\b\.?)?)",
            run(&tokens)
        ),
        false,
    )];
    let n = tokens.len();
    for len in (2..n).rev() {
        for start in 0..=n - len {
            let part = &tokens[start..start + len];
            if part.iter().any(|t| is_distinctive(t)) {
                out.push((format!(r"(?i:\b{}\b)", run(part)), false));
            }
        }
    }
    if n > 1 {
        for t in tokens.iter().filter(|t| is_distinctive(t)) {
            let w = t.trim_matches(|c: char| !c.is_alphanumeric());
            out.push((
                format!(
                    r"\b(?:{}|{})(?:s['’]|\b)",
                    word(&title_case(w)),
                    word(&w.to_uppercase())
                ),
                true,
            ));
        }
    }
    let significant: Vec<&&str> = tokens
        .iter()
        .filter(|t| !matches!(bare(t).as_str(), "" | "and" | "of" | "the" | "a" | "for"))
        .collect();
    if significant.len() >= 3 {
        let acronym: String = significant
            .iter()
            .filter_map(|t| t.chars().find(|c| c.is_alphabetic()))
            .flat_map(char::to_uppercase)
            .collect();
        if acronym.len() <= 6 && !names::is_abbreviation(&acronym) {
            out.push((format!(r"\b{}\b", regex::escape(&acronym)), true));
        }
    }
    out
}

/// A claim number or other identifier, with or without its separators, in any case.
fn identifier_pattern(id: &str) -> Option<String> {
    let chars: Vec<char> = id.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.len() < 4 {
        return None;
    }
    let body: Vec<String> = chars
        .iter()
        .map(|c| regex::escape(&c.to_string()))
        .collect();
    Some(format!(r"(?i:\b{}\b)", body.join(r"[\s\-./#]{0,2}")))
}

/// A phone number in any layout: (559) 555-0142, 559.555.0142, 559 555 0142, 5595550142,
/// +1 559 555 0142.
fn phone_pattern(phone: &str) -> Option<String> {
    let mut digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 11 && digits.starts_with('1') {
        digits.remove(0);
    }
    let sep = r"[\s.\-]{0,2}";
    match digits.len() {
        10 => Some(format!(
            r"(?:\+?1{sep})?\(?{}\)?{sep}{}{sep}{}",
            &digits[..3],
            &digits[3..6],
            &digits[6..]
        )),
        7 => Some(format!("{}{sep}{}", &digits[..3], &digits[3..])),
        n if n >= 5 => {
            let d: Vec<String> = digits.chars().map(String::from).collect();
            Some(d.join(r"[\s.\-()]{0,3}"))
        }
        _ => None,
    }
}

/// Street-address words and their abbreviations.
const ADDRESS_WORDS: &[(&str, &str)] = &[
    ("street", "st"),
    ("avenue", "ave"),
    ("boulevard", "blvd"),
    ("road", "rd"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("court", "ct"),
    ("place", "pl"),
    ("parkway", "pkwy"),
    ("highway", "hwy"),
    ("circle", "cir"),
    ("terrace", "ter"),
    ("square", "sq"),
    ("suite", "ste"),
    ("apartment", "apt"),
    ("building", "bldg"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
    ("northeast", "ne"),
    ("northwest", "nw"),
    ("southeast", "se"),
    ("southwest", "sw"),
    ("california", "ca"),
    ("number", "no"),
];

/// An address in any case, each street word long or abbreviated, with or without commas and
/// line breaks between its parts; the street line alone, or with as many of the following
/// parts (unit, city, state and ZIP) as follow it.
fn address_pattern(address: &str) -> Option<String> {
    let parts: Vec<Vec<String>> = address
        .split([',', '\n'])
        .map(|part| {
            part.split_whitespace()
                .map(|t| {
                    let b = bare(t);
                    if b == "po" {
                        return r"p\.?\s*o\.?".to_string();
                    }
                    if t == "#" {
                        return r"(?:#|no\.?|number|unit)".to_string();
                    }
                    match ADDRESS_WORDS.iter().find(|(l, s)| *l == b || *s == b) {
                        Some((long, short)) => format!(r"(?:{long}|{short}\.?)"),
                        None => word(t.trim_end_matches('.')),
                    }
                })
                .collect()
        })
        .filter(|p: &Vec<String>| !p.is_empty())
        .collect();
    let first = parts.first()?;
    if first.len() < 2 && parts.len() < 2 {
        return None;
    }
    let mut pattern = String::new();
    for (i, part) in parts.iter().enumerate().rev() {
        let body = part.join(r"[\s,.]*\s");
        pattern = if i == 0 {
            format!(r"{body}{pattern}")
        } else {
            format!(r"(?:[\s,]+{body}{pattern})?")
        };
    }
    Some(format!(r"(?i:\b{pattern})"))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A date in every common layout: 4/12/1971, 04-12-71, 1971-04-12, April 12, 1971, Apr. 12th
/// 1971, 12 April 1971.
fn date_pattern(date: Date) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let yy = y.rem_euclid(100);
    let full = MONTHS[(m as usize).saturating_sub(1).min(11)];
    let abbr = &full[..3];
    let month_word = if m == 9 {
        format!(r"(?:{full}|sept?\.?)")
    } else {
        format!(r"(?:{full}|{abbr}\.?)")
    };
    let sep = r"[/\-.]";
    let ord = r"(?:st|nd|rd|th)?";
    format!(
        r"(?i:0?{m}{sep}0?{d}{sep}(?:{y}|{yy:02})|{y}{sep}0?{m}{sep}0?{d}|\b{month_word}\s+0?{d}{ord},?\s+{y}|0?{d}{ord}\s+{month_word},?\s+{y})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(known: &KnownParties, text: &str) -> Vec<(Kind, String)> {
        known
            .compile()
            .find(text)
            .into_iter()
            .map(|(k, s, e)| (k, text[s..e].to_string()))
            .collect()
    }

    #[test]
    fn a_person_is_read_in_its_parts() {
        let p = parse_person("Dr. Alaric Q. Fernsby, M.D.").expect("a name");
        assert_eq!(p.given.as_deref(), Some("Alaric"));
        assert_eq!(p.middles, ["Q"]);
        assert_eq!(p.surname, "Fernsby");
        let p = parse_person("de la Cruz, Maria Elena").expect("a name");
        assert_eq!(p.given.as_deref(), Some("Maria"));
        assert_eq!(p.middles, ["Elena"]);
        assert_eq!(
            (p.surname.as_str(), p.surname_core.as_str()),
            ("de la Cruz", "Cruz")
        );
        let p = parse_person("Lena Strand, PA-C").expect("a name");
        assert_eq!(
            (p.given.as_deref(), p.surname.as_str()),
            (Some("Lena"), "Strand")
        );
        let p = parse_person("Dr. Moss").expect("a surname");
        assert_eq!((p.given, p.surname.as_str()), (None, "Moss"));
        assert_eq!(parse_person(" , "), None);
    }

    #[test]
    fn providers_are_people_or_organizations() {
        let mut known = KnownParties::default();
        known.add_provider("Dr. Perpetua Moss");
        known.add_provider("Harbor Point Physical Therapy");
        known.add_provider("Lena Strand, PA-C");
        known.add_provider("Dr. Kim's Medical Group");
        assert_eq!(known.people, ["Dr. Perpetua Moss", "Lena Strand, PA-C"]);
        assert_eq!(
            known.provider_groups,
            ["Harbor Point Physical Therapy", "Dr. Kim's Medical Group"]
        );
    }

    #[test]
    fn every_form_of_a_persons_name_is_found() {
        let known = KnownParties {
            people: vec!["Juniper Ashcombe".into()],
            ..KnownParties::default()
        };
        let text = "JUNIPER ASHCOMBE; Juniper\nAshcombe; Ashcombe, Juniper; Ashcombe's knee; \
                    the Ashcombes' home; juniper ashcombe; J. Ashcombe; Juniper A.; J.A.; JA; \
                    Ash-\ncombe; Juniper  Q. Ashcombe; Juniper alone.";
        let found: Vec<String> = finds(&known, text).into_iter().map(|(_, t)| t).collect();
        for expected in [
            "JUNIPER ASHCOMBE",
            "Juniper\nAshcombe",
            "Ashcombe, Juniper",
            "Ashcombe",
            "Ashcombes'",
            "juniper ashcombe",
            "J. Ashcombe",
            "Juniper A.",
            "J.A.",
            "JA",
            "Ash-\ncombe",
            "Juniper  Q. Ashcombe",
            "Juniper",
        ] {
            assert!(
                found.iter().any(|f| f == expected),
                "{expected:?} not in {found:?}"
            );
        }
    }

    #[test]
    fn a_name_that_is_a_word_is_taken_only_capitalized_and_never_as_a_month() {
        let known = KnownParties {
            people: vec!["May Stone".into()],
            ..KnownParties::default()
        };
        let text = "May Stone reported a kidney stone. Stone was seen on May 3, 2024. \
                    She may return. STONE signed.";
        let found = known.compile().find(text);
        let covered = |needle: &str, nth: usize| {
            let (at, _) = text.match_indices(needle).nth(nth).expect("in the text");
            found
                .iter()
                .any(|(_, s, e)| *s <= at && *e >= at + needle.len())
        };
        assert!(covered("May Stone", 0) && covered("Stone", 1) && covered("STONE", 0));
        assert!(!covered("stone", 0), "{found:?}");
        assert!(!covered("May 3", 0), "{found:?}");
        assert!(!covered("may", 0), "{found:?}");
    }

    #[test]
    fn organizations_numbers_addresses_and_dates_in_their_forms() {
        let known = KnownParties {
            employers: vec!["Sierra Crest Produce, LLC".into()],
            claims_administrators: vec!["Notional Claims Partners".into()],
            insurers: vec!["State Compensation Insurance Fund".into()],
            provider_groups: vec!["Glimmerdale Invented Orthopedics".into()],
            identifiers: vec!["TEST-77-0001".into()],
            phones: vec!["(559) 555-0142".into()],
            addresses: vec!["1432 North Alder Street, Apt 4B, Fresno, CA 93701".into()],
            dates_of_birth: vec![jiff::civil::date(1971, 4, 12)],
            ..KnownParties::default()
        };
        let text = "SIERRA CREST PRODUCE; Sierra Crest Produce LLC; Crest; the crest of the \
                    ilium; Notional; State Compensation Insurance Fund (SCIF); GIO; Glimmerdale \
                    Orthopedics; claim test 77 0001 and TEST770001; call 559.555.0142 or \
                    5595550142; lives at 1432 N. Alder St., Apt. 4B\nFresno, CA 93701; born \
                    04/12/1971, April 12, 1971, 12 Apr 1971, 1971-04-12; injured 04/12/2023.";
        let found = finds(&known, text);
        let has = |kind: Kind, t: &str| found.iter().any(|(k, f)| *k == kind && f == t);
        for (kind, t) in [
            (Kind::Employer, "SIERRA CREST PRODUCE"),
            (Kind::Employer, "Sierra Crest Produce LLC"),
            (Kind::Employer, "Crest"),
            (Kind::ClaimsAdministrator, "Notional"),
            (Kind::Insurer, "State Compensation Insurance Fund"),
            (Kind::Insurer, "SCIF"),
            (Kind::Provider, "GIO"),
            (Kind::Provider, "Glimmerdale"),
            (Kind::ClaimNumber, "test 77 0001"),
            (Kind::ClaimNumber, "TEST770001"),
            (Kind::Phone, "559.555.0142"),
            (Kind::Phone, "5595550142"),
            (
                Kind::Address,
                "1432 N. Alder St., Apt. 4B\nFresno, CA 93701",
            ),
            (Kind::DateOfBirth, "04/12/1971"),
            (Kind::DateOfBirth, "April 12, 1971"),
            (Kind::DateOfBirth, "12 Apr 1971"),
            (Kind::DateOfBirth, "1971-04-12"),
        ] {
            assert!(has(kind, t), "{t:?} as {kind:?} not in {found:?}");
        }
        assert!(
            !found
                .iter()
                .any(|(_, f)| f == "crest" || f.contains("2023")),
            "{found:?}"
        );
    }

    #[test]
    fn an_application_names_its_parties() {
        let app = crate::tests::sample_application();
        let known = KnownParties::of_application(&app);
        assert_eq!(
            known.people,
            ["Dana Example", "Dr. Robin Sample", "Dr. Lee Placeholder"]
        );
        assert_eq!(known.employers, ["Fictional Freight Co"]);
        assert_eq!(known.claims_administrators, ["Imaginary Claims Services"]);
        assert_eq!(known.insurers, ["Pretend Mutual Insurance"]);
        assert_eq!(known.provider_groups, ["Sample Spine Group"]);
        assert_eq!(known.identifiers, ["CLM-000-111"]);
        assert!(!known.is_empty() && KnownParties::default().is_empty());
    }
}
