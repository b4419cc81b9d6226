//! Redaction of generated letters that plant the parties of fictional cases.
//!
//! Each letter (a fixed seed: the same letters every run) belongs to a fictional case whose
//! parties the redactor is given as `KnownParties` — the worker, a representative, the employer,
//! the claims administrator, the insurer, the requesting physician and another provider, the
//! provider group, the claim number and a WCAB case number, the worker's address, phone number
//! and date of birth — and plants them in many forms (full name, surname alone, given name
//! alone, initials, "Surname, Given", possessives, case and spacing variants, names split over a
//! line or by a line-end hyphen; organizations with and without their legal suffix, by a
//! distinctive word or their acronym; numbers and dates in several layouts) across the header,
//! the clinical summary and the rationales. A name no party holds (a coworker) is planted too,
//! for the census name model. Every planted piece must be removed with its kind, and every
//! clinical term, age, date of injury and decision must stay — in the letter's text and in the
//! determination's fields (the server's path).

use std::collections::BTreeMap;

use imr_core::{Decision, Determination, Item};
use imr_letter::read_letter;
use imr_redact::{Kind, KnownParties, Removal, redact_determination, redact_text};

const LETTERS: usize = 120;
const SEED: u64 = 0x1b2d_2026_0020;

/// SplitMix64: a small deterministic generator, enough to vary the letters.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// Fictional people and organizations, written for this test. Some given names and surnames are
// census names that are also ordinary words ("Hope", "May", "Stone", "Miller"), to hold the
// redactor to removing them as names while keeping the words.
const GIVEN: &[&str] = &[
    "Juniper",
    "Theodora",
    "Alaric",
    "Perpetua",
    "Cassius",
    "Ondine",
    "Bartholomew",
    "Wilhelmina",
    "Ezekiel",
    "Marisol",
    "Leopold",
    "Saoirse",
    "Ignatius",
    "Rosalind",
    "Thaddeus",
    "Hope",
    "May",
    "Grant",
    "Maria",
    "Robert",
    "Linda",
    "Tobias",
    "Imelda",
    "Octavian",
];
const SURNAMES: &[&str] = &[
    "Ashcombe",
    "Pinecastle",
    "Fernsby",
    "Quillmore",
    "Brackenridge",
    "Hollowell",
    "Thistlewood",
    "Marchbanks",
    "Okonkwo-Reyes",
    "Vandermolen",
    "O'Halloran",
    "McAllister",
    "de la Fuente",
    "Stone",
    "Miller",
    "Nguyen",
    "Kettleworth",
    "Larkspur",
    "Dunmore",
    "Wexley",
    "Gallowglass",
    "Penhaligon",
];
const EMPLOYERS: &[&str] = &[
    "Wispwood Fictional Mills",
    "Sierra Crest Produce, LLC",
    "Brambleton Freight Lines Inc.",
    "Copperfield Cannery Company",
    "Tidewater Pretend Packing Corp.",
    "Larchmont Imaginary Builders",
];
const CLAIMS_ADMINISTRATORS: &[&str] = &[
    "Notional Claims Partners",
    "Lanternfish Risk Services",
    "Quillback Claims Management Inc.",
    "Mossgiel Administrators",
];
const INSURERS: &[&str] = &[
    "Hypothetical Indemnity Company",
    "Bluegill Mutual Insurance",
    "Starling Casualty Insurance Company",
    "Ravenmoor Assurance",
];
const GROUPS: &[&str] = &[
    "Glimmerdale Invented Orthopedics",
    "Harborlight Spine Medical Group",
    "Quarrystone Physical Therapy",
    "Fennimore Pain Management Associates",
    "Oakhaven Pretend Imaging Center",
];
const STREETS: &[&str] = &["Alder", "Juniper Hollow", "Fennel", "Marrowbone", "Quince"];
const STREET_KINDS: &[(&str, &str)] = &[
    ("Street", "St."),
    ("Avenue", "Ave."),
    ("Road", "Rd."),
    ("Drive", "Dr."),
];
const CITIES: &[&str] = &["Fresno", "Visalia", "Bakersfield", "Modesto", "Salinas"];
/// People no party is: census given names and surnames the name model must find.
const STRANGERS: &[(&str, &str)] = &[
    ("Robert", "Gonzales"),
    ("Patricia", "Hendricks"),
    ("Michael", "Castellano"),
    ("Barbara", "Whitfield"),
    ("Kenneth", "Holloway"),
    ("Deborah", "Lindquist"),
    ("Gregory", "Pettigrew"),
    ("Sandra", "Kowalczyk"),
];

const REQUESTS: &[&str] = &[
    "MRI of the lumbar spine without contrast",
    "Physical therapy 2 times a week for 6 weeks",
    "Norco 10/325 mg #90",
    "Lyrica 75 mg #60",
    "Acupuncture, 6 sessions",
    "Right knee arthroscopy with partial meniscectomy",
    "TENS unit purchase",
    "EMG/NCV of the bilateral upper extremities",
];
/// Clinical phrases the summaries and rationales use; each must survive.
const CLINICAL: &[&str] = &[
    "low back pain radiating to the left leg",
    "numbness in the right hand",
    "a positive straight leg raise",
    "tenderness over the L5-S1 facet joints",
    "Norco 10/325 mg three times a day",
    "Lyrica 75 mg twice daily",
    "Flexeril 10 mg at bedtime",
    "Gabapentin 300 mg",
    "a disc protrusion at L4-L5",
    "carpal tunnel syndrome",
    "Physical Therapy",
    "Medial Meniscus Tear",
    "Knee Complaints",
    "Low Back Complaints",
    "pain rated 7/10",
    "a kidney stone",
    "hope of returning to work",
    "Major Depressive Disorder",
    "the Chronic Pain Medical Treatment Guidelines",
    "Official Disability Guidelines (ODG)",
    "cervical radiculopathy",
];
const OCCUPATIONS: &[&str] = &[
    "warehouse worker",
    "bus driver",
    "farm laborer",
    "cannery line worker",
    "carpenter",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One fictional case's parties.
struct Parties {
    worker: Person,
    physician: Person,
    other_provider: Person,
    representative: Option<Person>,
    employer: &'static str,
    claims_administrator: &'static str,
    insurer: &'static str,
    group: &'static str,
    claim_number: String,
    wcab: String,
    /// (number, street, kind, abbreviated kind, apartment, city, zip)
    address: (
        u32,
        &'static str,
        (&'static str, &'static str),
        String,
        &'static str,
        u32,
    ),
    phone: (u32, u32, u32),
    birth: (i16, i8, i8),
    stranger: (&'static str, &'static str),
}

#[derive(Clone)]
struct Person {
    given: &'static str,
    surname: &'static str,
    title: &'static str,
}

impl Person {
    fn full(&self) -> String {
        format!("{} {}", self.given, self.surname)
    }
    /// The surname without particles ("Fuente" of "de la Fuente").
    fn core(&self) -> &'static str {
        self.surname.rsplit(' ').next().unwrap_or(self.surname)
    }
    fn initial(word: &str) -> char {
        word.chars()
            .find(|c| c.is_alphabetic())
            .map(|c| c.to_ascii_uppercase())
            .unwrap_or('X')
    }
}

impl Parties {
    fn generate(rng: &mut Rng, n: usize) -> Parties {
        // Distinct people within a case: no two share a surname or a given name.
        let mut used_given: Vec<&str> = Vec::new();
        let mut used_surnames: Vec<&str> = Vec::new();
        let mut person = |rng: &mut Rng, title: &'static str| loop {
            let given = rng.pick(GIVEN);
            let surname = rng.pick(SURNAMES);
            if !used_given.contains(&given) && !used_surnames.contains(&surname) {
                used_given.push(given);
                used_surnames.push(surname);
                break Person {
                    given,
                    surname,
                    title,
                };
            }
        };
        let worker = person(rng, "Mr.");
        let physician = person(rng, "Dr.");
        let other_provider = person(rng, "Dr.");
        let representative = (rng.below(2) == 0).then(|| person(rng, "Ms."));
        let kind = rng.pick(STREET_KINDS);
        Parties {
            worker,
            physician,
            other_provider,
            representative,
            employer: rng.pick(EMPLOYERS),
            claims_administrator: rng.pick(CLAIMS_ADMINISTRATORS),
            insurer: rng.pick(INSURERS),
            group: rng.pick(GROUPS),
            claim_number: format!(
                "{}{}-{:02}-{:06}",
                (b'A' + rng.below(26) as u8) as char,
                (b'A' + rng.below(26) as u8) as char,
                20 + rng.below(6),
                rng.below(1_000_000)
            ),
            wcab: format!("ADJ{}", 10_000_000 + n * 7_919 + rng.below(1000)),
            address: (
                100 + rng.below(9_800) as u32,
                rng.pick(STREETS),
                kind,
                format!("{}{}", 1 + rng.below(20), ["A", "B", "C"][rng.below(3)]),
                rng.pick(CITIES),
                93_600 + rng.below(99) as u32,
            ),
            phone: (
                [559, 661, 209, 831][rng.below(4)],
                555,
                100 + rng.below(899) as u32,
            ),
            birth: (
                1955 + rng.below(40) as i16,
                1 + rng.below(12) as i8,
                1 + rng.below(28) as i8,
            ),
            stranger: rng.pick(STRANGERS),
        }
    }

    fn known(&self) -> KnownParties {
        let mut known = KnownParties {
            people: vec![self.worker.full()],
            employers: vec![self.employer.into()],
            claims_administrators: vec![self.claims_administrator.into()],
            insurers: vec![self.insurer.into()],
            provider_groups: vec![self.group.into()],
            identifiers: vec![self.claim_number.clone(), self.wcab.clone()],
            addresses: vec![self.address_line(false)],
            phones: vec![format!(
                "({}) {}-{:04}",
                self.phone.0, self.phone.1, self.phone.2
            )],
            dates_of_birth: vec![jiff::civil::date(self.birth.0, self.birth.1, self.birth.2)],
        };
        // As an application names them: the physician with a title and credential.
        known.add_provider(&format!("Dr. {}, M.D.", self.physician.full()));
        known.add_provider(&format!("{}, D.C.", self.other_provider.full()));
        if let Some(r) = &self.representative {
            known.people.push(format!("{}, Esq.", r.full()));
        }
        known
    }

    fn address_line(&self, abbreviated: bool) -> String {
        let (number, street, (kind, short), apt, city, zip) = &self.address;
        if abbreviated {
            format!("{number} {street} {short}, Apt. {apt}, {city}, CA {zip}")
        } else {
            format!("{number} {street} {kind}, Apt {apt}, {city}, CA {zip}")
        }
    }
}

/// What a planted piece must be removed as.
#[derive(Debug, Clone)]
struct Planted {
    start: usize,
    end: usize,
    kind: Kind,
    form: &'static str,
}

/// What must stay.
#[derive(Debug, Clone)]
struct Kept {
    start: usize,
    end: usize,
    what: &'static str,
}

/// A text built piece by piece, remembering where each planted and kept piece is.
#[derive(Default)]
struct Text {
    text: String,
    planted: Vec<Planted>,
    kept: Vec<Kept>,
}

impl Text {
    fn lit(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Plants `before` + `piece` + `after`; `piece` is what must go.
    fn plant(
        &mut self,
        kind: Kind,
        form: &'static str,
        (before, piece, after): Shown,
    ) -> &mut Self {
        self.text.push_str(&before);
        let start = self.text.len();
        self.text.push_str(&piece);
        self.planted.push(Planted {
            start,
            end: self.text.len(),
            kind,
            form,
        });
        self.text.push_str(&after);
        self
    }

    fn keep(&mut self, what: &'static str, s: &str) -> &mut Self {
        let start = self.text.len();
        self.text.push_str(s);
        self.kept.push(Kept {
            start,
            end: self.text.len(),
            what,
        });
        self
    }

    /// Wraps the text at about 88 columns by turning spaces into line breaks (byte offsets
    /// stay), as a letter's paragraphs are wrapped.
    fn wrapped(mut self) -> Self {
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        let mut column = 0;
        let mut last_space: Option<usize> = None;
        for i in 0..bytes.len() {
            match bytes[i] {
                b'\n' => {
                    column = 0;
                    last_space = None;
                    continue;
                }
                b' ' => last_space = Some(i),
                _ => {}
            }
            column += 1;
            if column > 88
                && let Some(s) = last_space.take()
            {
                bytes[s] = b'\n';
                column = i - s;
            }
        }
        self.text = String::from_utf8(bytes).expect("still UTF-8: only spaces were changed");
        self
    }
}

/// Text around a planted piece: (before, piece, after).
type Shown = (String, String, String);

fn bare(piece: String) -> Shown {
    (String::new(), piece, String::new())
}

const PERSON_FORMS: &[&str] = &[
    "full",
    "upper",
    "lower",
    "last_first",
    "middle_initial",
    "surname",
    "surname_upper",
    "given",
    "possessive",
    "plural_possessive",
    "initials",
    "initial_surname",
    "given_initial",
    "bare_initials",
    "line_break",
    "double_space",
    "hyphen_break",
    "titled",
    "credential",
];
/// The redactor's clinical abbreviations, which bare initials or an acronym may spell and which
/// are then kept ("OT", "PO", "BMI"): the generator plants no such initials.
const ABBREVIATIONS: &[&str] = imr_redact::names::CLINICAL_ABBREVIATIONS;

fn person_form(rng: &mut Rng, p: &Person) -> (&'static str, Shown) {
    loop {
        let form = rng.pick(PERSON_FORMS);
        let g = p.given;
        let s = p.surname;
        let gi = Person::initial(g);
        let si = Person::initial(p.core());
        let shown = match form {
            "full" => bare(p.full()),
            "upper" => bare(p.full().to_uppercase()),
            "lower" => bare(p.full().to_lowercase()),
            "last_first" => bare(format!("{s}, {g}")),
            "middle_initial" => bare(format!("{g} {}. {s}", (b'A' + rng.below(26) as u8) as char)),
            "surname" => bare(s.to_string()),
            "surname_upper" => bare(s.to_uppercase()),
            "given" => bare(g.to_string()),
            "possessive" => (String::new(), s.to_string(), "'s".into()),
            "plural_possessive" => ("the ".into(), format!("{s}s"), "'".into()),
            "initials" => bare(format!("{gi}.{si}.")),
            "initial_surname" => bare(format!("{gi}. {s}")),
            "given_initial" => bare(format!("{g} {si}.")),
            "bare_initials" => {
                let initials = format!("{gi}{si}");
                if ABBREVIATIONS.contains(&initials.as_str()) {
                    continue;
                }
                bare(initials)
            }
            "line_break" => bare(format!("{g}\n{s}")),
            "double_space" => bare(format!("{g}  {s}")),
            "hyphen_break" => {
                let core = p.core();
                if core.len() < 6 || !core.is_ascii() {
                    continue;
                }
                let (a, b) = core.split_at(core.len() / 2);
                let prefix = &s[..s.len() - core.len()];
                bare(format!("{prefix}{a}-\n{b}"))
            }
            "titled" => (format!("{} ", p.title), s.to_string(), String::new()),
            "credential" => (String::new(), p.full(), ", M.D.".into()),
            _ => unreachable!("every form is listed"),
        };
        return (form, shown);
    }
}

const ORGANIZATION_FORMS: &[&str] = &[
    "as_written",
    "without_suffix",
    "upper",
    "lower",
    "distinctive_word",
    "acronym",
    "line_break",
    "possessive",
];

/// Legal suffixes the generator's organizations use.
fn without_suffix(name: &str) -> &str {
    for suffix in [", LLC", " Inc.", " Corp.", " Company"] {
        if let Some(core) = name.strip_suffix(suffix) {
            return core;
        }
    }
    name
}

/// Words of an organization that name it rather than say what it is.
fn distinctive(name: &str) -> Option<&str> {
    const GENERIC: &[&str] = &[
        "Claims",
        "Partners",
        "Risk",
        "Services",
        "Management",
        "Inc.",
        "Mutual",
        "Insurance",
        "Casualty",
        "Company",
        "Assurance",
        "Administrators",
        "Indemnity",
        "Orthopedics",
        "Spine",
        "Medical",
        "Group",
        "Physical",
        "Therapy",
        "Pain",
        "Associates",
        "Imaging",
        "Center",
        "Mills",
        "Produce,",
        "LLC",
        "Freight",
        "Lines",
        "Cannery",
        "Packing",
        "Corp.",
        "Builders",
    ];
    name.split(' ').find(|w| !GENERIC.contains(w))
}

fn organization_form(rng: &mut Rng, name: &str) -> (&'static str, Shown) {
    loop {
        let form = rng.pick(ORGANIZATION_FORMS);
        let core = without_suffix(name);
        let shown = match form {
            "as_written" => bare(name.to_string()),
            "without_suffix" => bare(core.to_string()),
            "upper" => bare(name.to_uppercase()),
            "lower" => bare(core.to_lowercase()),
            "distinctive_word" => match distinctive(name) {
                Some(w) => bare(w.to_string()),
                None => continue,
            },
            "acronym" => {
                let words: Vec<&str> = core.split([' ', ',']).filter(|w| !w.is_empty()).collect();
                if words.len() < 3 {
                    continue;
                }
                let acronym: String = words.iter().filter_map(|w| w.chars().next()).collect();
                if ABBREVIATIONS.contains(&acronym.as_str()) {
                    continue;
                }
                bare(acronym)
            }
            "line_break" => bare(core.replacen(' ', "\n", 1)),
            "possessive" => match distinctive(name) {
                Some(w) => (String::new(), w.to_string(), "'s".into()),
                None => continue,
            },
            _ => unreachable!("every form is listed"),
        };
        return (form, shown);
    }
}

fn identifier_form(rng: &mut Rng, id: &str) -> (&'static str, Shown) {
    let bare_id: String = id.chars().filter(|c| c.is_alphanumeric()).collect();
    match rng.below(4) {
        0 => ("id_as_written", bare(id.to_string())),
        1 => ("id_without_separators", bare(bare_id)),
        2 => ("id_lower", bare(id.to_lowercase())),
        _ => ("id_spaced", bare(id.replace('-', " "))),
    }
}

fn phone_form(rng: &mut Rng, (area, exchange, line): (u32, u32, u32)) -> (&'static str, Shown) {
    let forms = [
        (
            "phone_parenthesized",
            format!("({area}) {exchange}-{line:04}"),
        ),
        ("phone_dashed", format!("{area}-{exchange}-{line:04}")),
        ("phone_dotted", format!("{area}.{exchange}.{line:04}")),
        ("phone_digits", format!("{area}{exchange}{line:04}")),
        (
            "phone_international",
            format!("+1 {area} {exchange} {line:04}"),
        ),
    ];
    let (form, text) = forms[rng.below(forms.len())].clone();
    (form, bare(text))
}

fn address_form(rng: &mut Rng, parties: &Parties) -> (&'static str, Shown) {
    match rng.below(4) {
        0 => ("address_one_line", bare(parties.address_line(false))),
        1 => {
            let line = parties.address_line(false);
            let (street, rest) = line.split_once(", ").expect("a comma");
            ("address_two_lines", bare(format!("{street}\n{rest}")))
        }
        2 => ("address_abbreviated", bare(parties.address_line(true))),
        _ => (
            "address_upper",
            bare(parties.address_line(false).to_uppercase()),
        ),
    }
}

fn date_form(rng: &mut Rng, (y, m, d): (i16, i8, i8)) -> (&'static str, Shown) {
    let month = MONTHS[(m - 1) as usize];
    let forms = [
        ("date_mm_dd_yyyy", format!("{m:02}/{d:02}/{y}")),
        ("date_m_d_yyyy", format!("{m}/{d}/{y}")),
        ("date_words", format!("{month} {d}, {y}")),
        ("date_day_first", format!("{d} {month} {y}")),
        ("date_iso", format!("{y}-{m:02}-{d:02}")),
        ("date_abbreviated", format!("{}. {d}, {y}", &month[..3])),
    ];
    let (form, text) = forms[rng.below(forms.len())].clone();
    (form, bare(text))
}

/// One generated letter: its text (with every planted and kept piece), and its determination
/// (each field with its own pieces).
struct Letter {
    text: Text,
    summary: Text,
    items: Vec<(String, Decision, Text)>,
    known: KnownParties,
    case_number: String,
    date_of_injury: String,
}

fn plant_person(t: &mut Text, rng: &mut Rng, p: &Person) {
    let (form, shown) = person_form(rng, p);
    t.plant(Kind::Name, form, shown);
}

fn plant_org(t: &mut Text, rng: &mut Rng, name: &str, kind: Kind) {
    let (form, shown) = organization_form(rng, name);
    t.plant(kind, form, shown);
}

fn generate(rng: &mut Rng, n: usize) -> Letter {
    let p = Parties::generate(rng, n);
    let case_number = format!("CM26-{:07}", 100_000 + n);
    let doi = (
        2020 + rng.below(5) as i16,
        1 + rng.below(12) as i8,
        1 + rng.below(28) as i8,
    );
    let doi_numeric = format!("{:02}/{:02}/{}", doi.1, doi.2, doi.0);
    let doi_words = format!("{} {}, {}", MONTHS[(doi.1 - 1) as usize], doi.2, doi.0);
    let age = 25 + rng.below(40);

    // The clinical summary.
    let mut s = Text::default();
    plant_person(&mut s, rng, &p.worker);
    s.lit(" is a ")
        .keep("age", &format!("{age}-year-old"))
        .lit(" ")
        .lit(rng.pick(OCCUPATIONS))
        .lit(" who was injured on ");
    let doi_text = if rng.below(2) == 0 {
        &doi_words
    } else {
        &doi_numeric
    };
    s.keep("date of injury", doi_text)
        .lit(" while working for ");
    plant_org(&mut s, rng, p.employer, Kind::Employer);
    s.lit(". ");
    plant_person(&mut s, rng, &p.worker);
    s.lit(" reports ")
        .keep("clinical term", rng.pick(CLINICAL))
        .lit(" and ")
        .keep("clinical term", rng.pick(CLINICAL))
        .lit(". The treating physician, ");
    plant_person(&mut s, rng, &p.physician);
    s.lit(", of ");
    plant_org(&mut s, rng, p.group, Kind::Provider);
    s.lit(", documented ")
        .keep("clinical term", rng.pick(CLINICAL))
        .lit(". ");
    plant_org(
        &mut s,
        rng,
        p.claims_administrator,
        Kind::ClaimsAdministrator,
    );
    s.lit(" sent the claim, number ");
    let (form, shown) = identifier_form(rng, &p.claim_number);
    s.plant(Kind::ClaimNumber, form, shown);
    s.lit(", to utilization review; the insurer is ");
    plant_org(&mut s, rng, p.insurer, Kind::Insurer);
    s.lit(". The applicant lives at ");
    let (form, shown) = address_form(rng, &p);
    s.plant(Kind::Address, form, shown);
    s.lit(" and can be reached at ");
    let (form, shown) = phone_form(rng, p.phone);
    s.plant(Kind::Phone, form, shown);
    s.lit("; the records give ");
    let (form, shown) = date_form(rng, p.birth);
    s.plant(Kind::DateOfBirth, form, shown);
    s.lit(" as the date of birth. The WCAB file is ");
    let (form, shown) = identifier_form(rng, &p.wcab);
    s.plant(Kind::ClaimNumber, form, shown);
    s.lit(". Records from ");
    plant_person(&mut s, rng, &p.other_provider);
    s.lit(" note ")
        .keep("clinical term", rng.pick(CLINICAL))
        .lit(". ");
    if let Some(r) = &p.representative {
        s.lit("The applicant's attorney, ");
        plant_person(&mut s, rng, r);
        s.lit(", asked for the review. ");
    }
    let (given, surname) = p.stranger;
    s.plant(
        Kind::Name,
        "unknown_census_name",
        bare(format!("{given} {surname}")),
    );
    s.lit(" from the employer's safety office attended the visit of ")
        .keep("date of injury", &doi_numeric)
        .lit(". ");
    plant_org(&mut s, rng, p.employer, Kind::Employer);
    s.lit(" offered modified duty.");
    let summary = s.wrapped();

    // The items and their rationales.
    let mut items = Vec::new();
    let count = 2 + rng.below(2);
    let mut requests: Vec<&str> = Vec::new();
    while requests.len() < count {
        let r = rng.pick(REQUESTS);
        if !requests.contains(&r) {
            requests.push(r);
        }
    }
    for request in requests {
        let decision = if rng.below(2) == 0 {
            Decision::Upheld
        } else {
            Decision::Overturned
        };
        let mut r = Text::default();
        r.lit("The MTUS ACOEM guidelines address ")
            .keep("clinical term", rng.pick(CLINICAL))
            .lit(". ");
        plant_person(&mut r, rng, &p.worker);
        r.lit(" has ")
            .keep("clinical term", rng.pick(CLINICAL))
            .lit(", as ");
        plant_person(&mut r, rng, &p.physician);
        r.lit(" documented on ")
            .keep("date of injury", &doi_numeric)
            .lit(". ");
        plant_person(&mut r, rng, &p.worker);
        r.lit(" was seen at ");
        plant_org(&mut r, rng, p.group, Kind::Provider);
        r.lit(" and by ");
        plant_person(&mut r, rng, &p.other_provider);
        r.lit(". ");
        let conclusion = match decision {
            Decision::Upheld => format!("The request for {request} is not medically necessary."),
            Decision::Overturned => format!("The request for {request} is medically necessary."),
        };
        r.keep("decision", &conclusion);
        items.push((request.to_string(), decision, r.wrapped()));
    }

    // The whole letter.
    let mut t = Text::default();
    t.lit(&format!("Case Number: {case_number}\n"))
        .lit("Date Assigned: 06/08/2026\nDecision Date: 06/26/2026\nPriority: Standard\n")
        .lit("Date of Injury: ")
        .keep("date of injury", &doi_numeric)
        .lit("\nUR Denial Date: 05/29/2026\nApplication Received: 06/02/2026\nEmployee: ");
    plant_person(&mut t, rng, &p.worker);
    t.lit("\nEmployer: ");
    plant_org(&mut t, rng, p.employer, Kind::Employer);
    t.lit("\nClaims Administrator: ");
    plant_org(
        &mut t,
        rng,
        p.claims_administrator,
        Kind::ClaimsAdministrator,
    );
    t.lit("\nInsurer: ");
    plant_org(&mut t, rng, p.insurer, Kind::Insurer);
    t.lit("\nClaim No.: ");
    let (form, shown) = identifier_form(rng, &p.claim_number);
    t.plant(Kind::ClaimNumber, form, shown);
    t.lit("\nRequesting Physician: ");
    plant_person(&mut t, rng, &p.physician);
    t.lit(", ");
    plant_org(&mut t, rng, p.group, Kind::Provider);
    t.lit("\n\nCLINICAL CASE SUMMARY\nThe expert reviewer developed the following clinical case summary based on a review of the\ncase file, including all medical records:\n");
    let offset = t.text.len();
    t.text.push_str(&summary.text);
    shift_into(&mut t, &summary, offset);
    t.lit("\n\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\n");
    for (request, decision, rationale) in &items {
        t.lit(request).lit(": ");
        t.keep("decision", decision.as_str());
        t.lit("\nClaims Administrator guideline: Decision based on MTUS ACOEM Practice Guidelines.\n")
            .lit("MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines 2016.\n")
            .lit("Decision rationale: ");
        let offset = t.text.len();
        t.text.push_str(&rationale.text);
        shift_into(&mut t, rationale, offset);
        t.lit("\n");
    }
    Letter {
        text: t,
        summary,
        items,
        known: p.known(),
        case_number,
        date_of_injury: doi_numeric,
    }
}

/// Copies a field's pieces into the letter at `offset`.
fn shift_into(letter: &mut Text, field: &Text, offset: usize) {
    letter.planted.extend(field.planted.iter().map(|p| Planted {
        start: p.start + offset,
        end: p.end + offset,
        ..p.clone()
    }));
    letter.kept.extend(field.kept.iter().map(|k| Kept {
        start: k.start + offset,
        end: k.end + offset,
        ..k.clone()
    }));
}

/// The tally of one path (letter text or determination fields).
#[derive(Default)]
struct Tally {
    planted: usize,
    removed: usize,
    kept_pieces: usize,
    kept: usize,
    clinical_terms: usize,
    clinical_terms_kept: usize,
    by_form: BTreeMap<&'static str, (usize, usize)>,
    failures: Vec<String>,
}

impl Tally {
    fn check(
        &mut self,
        label: &str,
        text: &str,
        planted: &[Planted],
        kept: &[Kept],
        removals: &[Removal],
    ) {
        for p in planted {
            self.planted += 1;
            let entry = self.by_form.entry(p.form).or_default();
            entry.0 += 1;
            // Every letter and digit of the piece is inside a removal, and one of them is of
            // the piece's kind.
            let covered = text[p.start..p.end]
                .char_indices()
                .filter(|(_, c)| c.is_alphanumeric())
                .all(|(i, _)| {
                    let at = p.start + i;
                    removals.iter().any(|r| r.start <= at && at < r.end)
                });
            let kind = removals
                .iter()
                .any(|r| r.kind == p.kind && r.start < p.end && r.end > p.start);
            if covered && kind {
                self.removed += 1;
                entry.1 += 1;
            } else {
                self.failures.push(format!(
                    "{label}: {} {:?} planted as {:?} (covered {covered}, kind {kind}): {:?}",
                    p.form,
                    &text[p.start..p.end],
                    p.kind,
                    removals
                        .iter()
                        .filter(|r| r.start < p.end + 20 && r.end + 20 > p.start)
                        .map(|r| (r.kind, &text[r.start..r.end]))
                        .collect::<Vec<_>>()
                ));
            }
        }
        for k in kept {
            self.kept_pieces += 1;
            let clinical = k.what == "clinical term";
            if clinical {
                self.clinical_terms += 1;
            }
            let hit: Vec<&Removal> = removals
                .iter()
                .filter(|r| r.start < k.end && r.end > k.start)
                .collect();
            if hit.is_empty() {
                self.kept += 1;
                if clinical {
                    self.clinical_terms_kept += 1;
                }
            } else {
                self.failures.push(format!(
                    "{label}: {} {:?} was touched by {:?}",
                    k.what,
                    &text[k.start..k.end],
                    hit.iter()
                        .map(|r| (r.kind, &text[r.start..r.end]))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
}

#[test]
fn every_planted_party_is_removed_and_every_clinical_term_age_date_and_decision_stays() {
    let mut rng = Rng(SEED);
    let letters: Vec<Letter> = (0..LETTERS).map(|n| generate(&mut rng, n)).collect();
    assert!(letters.len() >= 100);

    let mut text_tally = Tally::default();
    let mut field_tally = Tally::default();
    for (n, letter) in letters.iter().enumerate() {
        let label = format!("letter {n} ({})", letter.case_number);
        let text = &letter.text.text;
        let redacted = redact_text(text, &letter.known);
        text_tally.check(
            &label,
            text,
            &letter.text.planted,
            &letter.text.kept,
            &redacted.removals,
        );
        // The letter still reads to its case, date of injury, items and decisions.
        let before = read_letter(text);
        let after = read_letter(&redacted.text);
        assert_eq!(
            before.items.len(),
            letter.items.len(),
            "{label}: items read"
        );
        let decisions = |d: &Determination| d.items.iter().map(|i| i.decision).collect::<Vec<_>>();
        assert_eq!(decisions(&before), decisions(&after), "{label}: decisions");
        assert_eq!(
            decisions(&after),
            letter
                .items
                .iter()
                .map(|(_, d, _)| Some(*d))
                .collect::<Vec<_>>(),
            "{label}: decisions as written"
        );
        assert_eq!(
            after.case_number.as_deref(),
            Some(letter.case_number.as_str())
        );
        assert_eq!(
            after
                .date_of_injury
                .map(|d| d.strftime("%m/%d/%Y").to_string()),
            Some(letter.date_of_injury.clone()),
            "{label}: date of injury"
        );

        // The same parties through the determination's fields, as the server redacts.
        let mut determination = Determination {
            case_number: Some(letter.case_number.clone()),
            clinical_summary: Some(letter.summary.text.clone()),
            ..Determination::default()
        };
        for (request, decision, rationale) in &letter.items {
            let mut item = Item::new(request.clone());
            item.decision = Some(*decision);
            item.rationale = Some(rationale.text.clone());
            determination.items.push(item);
        }
        let (redacted, report) = redact_determination(&determination, &letter.known);
        let field = |name: &str| -> Vec<Removal> {
            report
                .iter()
                .filter(|r| r.field == name)
                .map(|r| Removal {
                    kind: r.kind,
                    start: r.start,
                    end: r.end,
                })
                .collect()
        };
        field_tally.check(
            &format!("{label} clinical_summary"),
            &letter.summary.text,
            &letter.summary.planted,
            &letter.summary.kept,
            &field("clinical_summary"),
        );
        for (i, (_, decision, rationale)) in letter.items.iter().enumerate() {
            field_tally.check(
                &format!("{label} items[{i}].rationale"),
                &rationale.text,
                &rationale.planted,
                &rationale.kept,
                &field(&format!("items[{i}].rationale")),
            );
            assert_eq!(redacted.items[i].decision, Some(*decision));
        }
        assert_eq!(redacted.case_number, determination.case_number);
    }

    eprintln!(
        "{LETTERS} generated letters (seed {SEED:#x}); by form (planted, removed) in the letters' text:"
    );
    for (form, (planted, removed)) in &text_tally.by_form {
        eprintln!("  {form:24} {removed:4} / {planted:4}");
    }
    for (name, t) in [
        ("letter text", &text_tally),
        ("determination fields", &field_tally),
    ] {
        eprintln!(
            "{name}: pieces planted {}, removed {}; kept pieces {}/{} (clinical terms {}/{})",
            t.planted, t.removed, t.kept, t.kept_pieces, t.clinical_terms_kept, t.clinical_terms
        );
    }
    let failures: Vec<&String> = text_tally
        .failures
        .iter()
        .chain(&field_tally.failures)
        .collect();
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Every form was planted often enough to mean something.
    for form in PERSON_FORMS.iter().chain(ORGANIZATION_FORMS) {
        let planted = text_tally.by_form.get(form).map_or(0, |c| c.0);
        assert!(planted >= 5, "the form {form} was planted {planted} times");
    }
    assert_eq!(text_tally.removed, text_tally.planted);
    assert_eq!(field_tally.removed, field_tally.planted);
    assert!(text_tally.clinical_terms >= 5 * LETTERS);
}
