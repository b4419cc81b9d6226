//! Request reading: the hand-written gold set must be read exactly, every disputed item of the
//! dev letters must get a service category, and no input may panic the reader.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use std::collections::BTreeMap;

use imr_reading::request::{
    Acquisition, Duration, Frequency, Request, Service, TimeUnit, read_request,
};
use proptest::prelude::*;
use serde::Deserialize;
use toml::Value;

#[derive(Deserialize)]
struct Gold {
    request: Vec<BTreeMap<String, Value>>,
}

fn unit_name(unit: TimeUnit, amount: u32) -> String {
    let word = match unit {
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
        TimeUnit::Month => "month",
    };
    if amount == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn frequency_text(f: Frequency) -> String {
    let per = unit_name(f.per, 1);
    match f.times_max {
        Some(max) => format!("{}-{max}/{per}", f.times),
        None => format!("{}/{per}", f.times),
    }
}

fn duration_text(d: Duration) -> String {
    match d.amount_min {
        Some(min) => format!("{min}-{} {}", d.amount, unit_name(d.unit, d.amount)),
        None => format!("{} {}", d.amount, unit_name(d.unit, d.amount)),
    }
}

/// The reading in the gold file's notation; absent fields are left out.
fn notation(r: &Request) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    let s = |v: &str| Value::String(v.to_string());
    m.insert("service".into(), s(r.service.as_str()));
    if !r.body_regions.is_empty() {
        m.insert(
            "regions".into(),
            Value::Array(r.body_regions.iter().map(|b| s(b.as_str())).collect()),
        );
    }
    if let Some(l) = r.laterality {
        m.insert("laterality".into(), s(l.as_str()));
    }
    if let Some(q) = r.quantity {
        m.insert("quantity".into(), Value::Integer(q.into()));
    }
    if let Some(q) = r.quantity_min {
        m.insert("quantity_min".into(), Value::Integer(q.into()));
    }
    if let Some(f) = r.frequency {
        m.insert("frequency".into(), s(&frequency_text(f)));
    }
    if let Some(d) = r.duration {
        m.insert("duration".into(), s(&duration_text(d)));
    }
    if let Some(a) = r.acquisition {
        let text = match a {
            Acquisition::Purchase => "purchase".to_string(),
            Acquisition::Rental { length: None } => "rental".to_string(),
            Acquisition::Rental { length: Some(d) } => format!("rental {}", duration_text(d)),
        };
        m.insert("acquisition".into(), s(&text));
    }
    let mut flags = Vec::new();
    for (on, name) in [
        (r.associated_surgical_service, "associated"),
        (r.preoperative, "preoperative"),
        (r.postoperative, "postoperative"),
        (r.retrospective, "retrospective"),
        (r.additional, "additional"),
        (r.quantity_unspecified, "unspecified"),
    ] {
        if on {
            flags.push(s(name));
        }
    }
    if !flags.is_empty() {
        m.insert("flags".into(), Value::Array(flags));
    }
    if let Some(c) = r.contrast {
        m.insert("contrast".into(), s(if c { "with" } else { "without" }));
    }
    if let Some(d) = r.date_of_service {
        m.insert("dos".into(), s(&d.to_string()));
    }
    if let Some(d) = &r.drug {
        let mut t = toml::Table::new();
        t.insert("name".into(), s(&d.name));
        if let Some(g) = &d.generic {
            t.insert("generic".into(), s(g));
        }
        if let Some(v) = &d.strength {
            t.insert("strength".into(), s(v));
        }
        if let Some(v) = d.strength_mg {
            t.insert("strength_mg".into(), Value::Float(v));
        }
        if let Some(f) = d.form {
            let name = serde_json::to_value(f).expect("form serializes");
            t.insert("form".into(), s(name.as_str().unwrap_or_default()));
        }
        if let Some(v) = d.count {
            t.insert("count".into(), Value::Integer(v.into()));
        }
        if let Some(v) = &d.amount {
            t.insert("amount".into(), s(v));
        }
        if let Some(v) = d.refills {
            t.insert("refills".into(), Value::Integer(v.into()));
        }
        if !d.ingredients.is_empty() {
            let list = d
                .ingredients
                .iter()
                .map(|i| match i.percent {
                    Some(p) => s(&format!("{} {p}", i.name)),
                    None => s(&i.name),
                })
                .collect();
            t.insert("ingredients".into(), Value::Array(list));
        }
        m.insert("drug".into(), Value::Table(t));
    }
    if let Some(p) = &r.partial {
        let mut t = toml::Table::new();
        for (key, v) in [("original", &p.original), ("authorized", &p.authorized)] {
            if let Some(v) = v {
                t.insert(key.into(), s(v));
            }
        }
        t.insert("remaining".into(), s(&p.remaining));
        for (key, v) in [
            ("original_quantity", p.original_quantity),
            ("authorized_quantity", p.authorized_quantity),
            ("remaining_quantity", p.remaining_quantity),
        ] {
            if let Some(v) = v {
                t.insert(key.into(), Value::Integer(v.into()));
            }
        }
        m.insert("partial".into(), Value::Table(t));
    }
    m
}

#[test]
fn gold_requests_are_read_exactly() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/requests/gold.toml");
    let text = std::fs::read_to_string(path).expect("reading the gold requests");
    let gold: Gold = toml::from_str(&text).expect("gold.toml parses");
    assert!(
        gold.request.len() >= 40,
        "the gold set needs at least 40 requests"
    );
    let mut wrong = Vec::new();
    let mut fields = 0;
    for expected in &gold.request {
        let item = expected
            .get("item")
            .and_then(Value::as_str)
            .expect("every request has an item");
        let mut expected = expected.clone();
        expected.remove("item");
        let actual = notation(&read_request(item));
        let keys: std::collections::BTreeSet<_> = expected.keys().chain(actual.keys()).collect();
        for key in keys {
            fields += 1;
            let (e, a) = (expected.get(key), actual.get(key));
            if e != a {
                wrong.push(format!("{item:?}\n    {key}: expected {e:?}, read {a:?}"));
            }
        }
    }
    println!(
        "gold requests: {} items, {fields} fields compared, {} wrong",
        gold.request.len(),
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "{} fields differ from the gold set:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The rows of `dev/decisions.csv` (case_number, decision_date, disputed_item, decision).
fn decisions_items() -> Option<Vec<(String, String)>> {
    let root = imr_testkit::letters()?;
    let path = root.join("dev/decisions.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let fields = csv_fields(line);
        assert_eq!(
            fields.len(),
            4,
            "{}:{}: expected 4 fields",
            path.display(),
            i + 1
        );
        rows.push((fields[0].clone(), fields[2].clone()));
    }
    Some(rows)
}

/// One CSV line: comma separated, double quotes around fields that hold commas.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[imr_testkit::needs(letters)]
#[test]
fn every_dev_item_has_a_service_category() {
    let Some(rows) = decisions_items() else {
        return;
    };
    let mut unknown = Vec::new();
    for (case, item) in &rows {
        let request = read_request(item);
        println!("{:<28} {item}", request.service.as_str());
        if request.service == Service::Unknown {
            unknown.push(format!("{case}: {item}"));
        }
    }
    assert!(rows.len() >= 200, "decisions.csv has {} rows", rows.len());
    assert!(
        unknown.is_empty(),
        "items with no category:\n{}",
        unknown.join("\n")
    );
}

#[test]
fn odd_input_gives_unknown_with_a_diagnostic() {
    for item in ["", "   ", "\u{0}\u{1}", "?????", "ÄÖÜ ß 漢字"] {
        let r = read_request(item);
        assert_eq!(r.service, Service::Unknown, "{item:?}");
        assert!(
            r.diagnostics.iter().any(|d| d.field == "service"),
            "{item:?} has no service diagnostic"
        );
        assert_eq!(r.quantity, None);
    }
}

#[test]
fn a_megabyte_of_noise_is_read_without_panic() {
    // Deterministic noise: digits, letters, punctuation and multi-byte characters.
    let alphabet: Vec<char> = "0123456789 #x/-%().,;:abcXYZ é漢\n\t".chars().collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut noise = String::new();
    while noise.len() < 1 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        noise.push(alphabet[(state % alphabet.len() as u64) as usize]);
    }
    let r = read_request(&noise);
    assert_eq!(
        r.text.len(),
        noise.split_whitespace().collect::<Vec<_>>().join(" ").len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any text: no panic, and the reading keeps the item's words.
    #[test]
    fn any_text_is_read_without_panic(item in "\\PC{0,200}") {
        let r = read_request(&item);
        prop_assert_eq!(r.text, item.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    /// Request-shaped text built from the pieces real items use: no panic, and a stated
    /// "N times a week for M weeks" is always read as N x M.
    #[test]
    fn schedules_multiply(
        service in prop::sample::select(vec!["Physical therapy", "Acupuncture", "Chiropractic care"]),
        times in 1u32..7,
        weeks in 1u32..13,
        region in prop::sample::select(vec!["", " for the lumbar spine", " to the left knee"]),
    ) {
        let item = format!("{service} {times} times a week for {weeks} weeks{region}");
        let r = read_request(&item);
        prop_assert_eq!(r.quantity, Some(times * weeks));
        prop_assert!(r.service != Service::Unknown);
    }

    /// Drug requests: the count after '#' is the quantity, whatever the strength.
    #[test]
    fn drug_counts(
        drug in prop::sample::select(vec!["Norco", "Tramadol", "Baclofen", "Omeprazole", "Celecoxib"]),
        strength in "[1-9][0-9]{0,2}(\\.5)?(/325)?mg",
        count in 1u32..500,
    ) {
        let item = format!("{drug} {strength} #{count}");
        let r = read_request(&item);
        prop_assert_eq!(r.quantity, Some(count));
        prop_assert!(r.service.is_medication());
        prop_assert_eq!(r.drug.and_then(|d| d.count), Some(count));
    }
}

#[test]
fn partial_authorization_given_apart_is_kept() {
    let r = imr_reading::request::read_parts(
        "Acupuncture 2 sessions",
        Some("Acupuncture 8 sessions"),
        Some("Acupuncture 6 sessions"),
    );
    let p = r.partial.expect("partial");
    assert_eq!(
        (
            p.original_quantity,
            p.authorized_quantity,
            p.remaining_quantity
        ),
        (Some(8), Some(6), Some(2))
    );
    assert_eq!(r.service, Service::Acupuncture);
}

#[imr_testkit::needs(letters)]
#[test]
fn every_seed_item_has_a_service_category() {
    let Some(root) = imr_testkit::letters() else {
        return;
    };
    let dir = root.join("seeds");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("reading the seeds") {
        let path = entry.expect("a seed").path();
        let text = std::fs::read_to_string(&path).expect("reading a seed");
        for item in imr_letter::read_letter(&text).items {
            let request = imr_reading::request::read_item(&item);
            println!("{:<28} {}", request.service.as_str(), item.request);
            assert_ne!(
                request.service,
                Service::Unknown,
                "{}: {}",
                path.display(),
                item.request
            );
            count += 1;
        }
    }
    assert!(count >= 9, "the seeds hold at least 9 items, read {count}");
}

/// A drug outside the dictionary is known by its class's stem (USAN): "-prazole" is a proton pump
/// inhibitor, "-tidine" an H2 blocker, "-oxetine" an antidepressant.
#[test]
fn a_drug_outside_the_dictionary_is_known_by_its_stem() {
    for (text, service, name) in [
        (
            "Dexlansoprazole 30mg #30",
            Service::ProtonPumpInhibitor,
            "dexlansoprazole",
        ),
        ("Nizatidine 150mg #60", Service::H2Blocker, "nizatidine"),
        ("Levomilnacipran 40mg #30", Service::Unknown, ""),
        (
            "Vortioxetine 10mg #30",
            Service::Antidepressant,
            "vortioxetine",
        ),
    ] {
        let r = read_request(text);
        assert_eq!(r.service, service, "{text}");
        if service != Service::Unknown {
            let drug = r.drug.as_ref().expect("a drug");
            assert_eq!(drug.name, name, "{text}");
            assert_eq!(
                r.quantity,
                Some(30).filter(|_| !text.contains("#60")).or(Some(60))
            );
        }
    }
}
