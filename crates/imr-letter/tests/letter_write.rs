//! The letter writer: every letter it writes reads back to the record it was written from.
//! Over the published letters (through IMR_LETTERS) and over the project's fictional letters.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use std::path::{Path, PathBuf};

use imr_core::{Decision, Determination, Item, Severity};
use imr_letter::read_letter;
use imr_letter::write::{
    BlockKind, LetterOptions, Organization, Practice, ReviewerProfile, TEXT_WIDTH, WriteError,
    wrap, write_text,
};

fn letters_dir() -> Option<PathBuf> {
    imr_testkit::letters()
}

fn text_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn read_file(path: &Path) -> Determination {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_letter(&String::from_utf8_lossy(&bytes))
}

/// The record without what legitimately differs between two copies of one letter: where it came
/// from and the reader's notes (which carry line numbers).
fn comparable(determination: &Determination) -> Determination {
    Determination {
        source: None,
        diagnostics: Vec::new(),
        ..determination.clone()
    }
}

fn error_fields(determination: &Determination) -> Vec<String> {
    let mut fields: Vec<String> = determination
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.field.clone())
        .collect();
    fields.sort();
    fields
}

/// Writes the record as text, reads it back, and says what differs (None when nothing does).
fn round_trip_difference(record: &Determination, options: &LetterOptions) -> Option<String> {
    let text = match write_text(record, options) {
        Ok(text) => text,
        Err(error) => return Some(format!("not written: {error}")),
    };
    if let Some((n, line)) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.chars().count() > TEXT_WIDTH)
    {
        return Some(format!(
            "line {} is {} columns wide",
            n + 1,
            line.chars().count()
        ));
    }
    let back = read_letter(&text);
    let (before, after) = (comparable(record), comparable(&back));
    if before != after {
        return Some(describe_difference(&before, &after));
    }
    if error_fields(&back) != error_fields(record) {
        return Some(format!(
            "errors differ: {:?} became {:?}",
            error_fields(record),
            error_fields(&back)
        ));
    }
    None
}

fn describe_difference(before: &Determination, after: &Determination) -> String {
    let (a, b) = (
        serde_json::to_value(before).expect("serializable"),
        serde_json::to_value(after).expect("serializable"),
    );
    let mut out = Vec::new();
    diff_values("", &a, &b, &mut out);
    out.join("; ")
}

fn diff_values(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                diff_values(&format!("{path}.{key}"), value, &y[key], out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff_values(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} became {b}")),
        _ => {}
    }
}

fn maximus() -> LetterOptions {
    LetterOptions {
        organization: Organization {
            name: "MAXIMUS Federal Services".to_string(),
            short_name: "MAXIMUS".to_string(),
        },
        practice: None,
    }
}

#[imr_testkit::needs(letters)]
#[test]
fn every_published_letter_reads_back_to_the_same_record() {
    let Some(dir) = letters_dir() else { return };
    let mut files = text_files(&dir.join("seeds"));
    files.extend(text_files(&dir.join("dev/txt")));
    assert!(
        files.len() >= 100,
        "expected the seeds and the dev letters, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let record = read_file(path);
        for options in [maximus(), LetterOptions::default()] {
            if let Some(difference) = round_trip_difference(&record, &options) {
                failures.push(format!("{}: {difference}", path.display()));
                break;
            }
        }
        let document = imr_letter::write::letter_document(&record, &maximus()).expect("a letter");
        let html = imr_letter::html::render_html(&document);
        if comparable(&read_letter(&html_text(&html))) != comparable(&record) {
            failures.push(format!(
                "{}: the HTML letter reads back differently",
                path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} letters do not read back to the same record:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name)
}

#[test]
fn the_fictional_example_letter_reads_back_to_the_same_record() {
    let record = read_file(&fixture("examples/letters/fictional-letter.txt"));
    assert!(record.diagnostics.is_empty(), "{:?}", record.diagnostics);
    assert_eq!(record.items.len(), 4);
    assert_eq!(
        round_trip_difference(&record, &LetterOptions::default()),
        None
    );
}

fn fictional_record() -> Determination {
    read_file(&fixture("examples/letters/fictional-letter.txt"))
}

#[test]
fn partial_authorizations_are_worded_as_the_letters_word_them() {
    let mut record = fictional_record();
    let text = write_text(&record, &LetterOptions::default()).expect("written");
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains(
        "Norco 10/325 mg #90 was the original request. Norco 10/325 mg #45 was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, Norco 10/325 mg #45 is: Upheld"
    ), "{joined}");

    // The whole original request decided: the other wording, read back alike.
    let item = &mut record.items[1];
    item.request = "Norco 10/325 mg #90".to_string();
    item.authorized = Some("Tramadol 50 mg #60".to_string());
    let text = write_text(&record, &LetterOptions::default()).expect("written");
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains(
        "The Claims Administrator authorized Tramadol 50 mg #60, leaving the original request IMR eligible. The original request, Norco 10/325 mg #90 is: Upheld"
    ), "{joined}");
    assert_eq!(
        round_trip_difference(&record, &LetterOptions::default()),
        None
    );
}

#[test]
fn a_reviewer_profile_gives_the_credentials_and_the_practice() {
    let profile: ReviewerProfile = serde_json::from_str(
        r#"{"board_certifications": ["Orthopaedic Surgery"], "subspecialties": ["Surgery of the Hand"],
            "licensure": ["California", "Nevada"], "years_in_practice": 14, "hours_per_week": 32}"#,
    )
    .expect("a valid profile");
    let mut record = fictional_record();
    record.reviewer = profile.credentials().expect("complete profile");
    let options = LetterOptions {
        practice: Some(profile.practice()),
        ..LetterOptions::default()
    };
    let text = write_text(&record, &options).expect("written");
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("The expert reviewer is Board Certified in Orthopaedic Surgery, has a subspecialty in Surgery of the Hand and is licensed to practice in California, Nevada."), "{joined}");
    assert!(joined.contains(
        "active clinical practice for 14 years and is currently working 32 hours a week"
    ));
    let back = read_letter(&text);
    assert_eq!(back.reviewer, record.reviewer);

    // Without subspecialties: the block form.
    record.reviewer.subspecialties.clear();
    let text = write_text(&record, &options).expect("written");
    assert!(text.contains("\nState(s) of Licensure: California, Nevada\n"));
    assert!(text.contains("\nCertification(s)/Specialty: Orthopaedic Surgery\n"));
    assert_eq!(read_letter(&text).reviewer, record.reviewer);

    let empty: ReviewerProfile = serde_json::from_str(
        r#"{"board_certifications": [" "], "licensure": ["California"], "years_in_practice": 9, "hours_per_week": 30}"#,
    )
    .expect("parses");
    assert!(matches!(
        empty.credentials(),
        Err(WriteError::BadProfile(_))
    ));
    let unknown = serde_json::from_str::<ReviewerProfile>(
        r#"{"board_certifications": ["X"], "licensure": ["Y"], "years_in_practice": 9, "hours_per_week": 30, "name": "Dr. Z"}"#,
    );
    assert!(
        unknown.is_err(),
        "a profile with unknown fields (a name) is refused"
    );
}

#[test]
fn the_practice_is_stated_from_the_profile() {
    let options = LetterOptions {
        practice: Some(Practice {
            years_in_practice: 1,
            hours_per_week: 40,
        }),
        ..LetterOptions::default()
    };
    let text = write_text(&fictional_record(), &options).expect("written");
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("for 1 year and is currently working 40 hours a week"));
}

#[test]
fn bad_determinations_give_clear_errors() {
    let mut record = fictional_record();
    record.items.clear();
    assert_eq!(
        write_text(&record, &LetterOptions::default()),
        Err(WriteError::NoItems)
    );

    let mut record = fictional_record();
    record.items[2].decision = None;
    let error = write_text(&record, &LetterOptions::default()).expect_err("no decision");
    assert_eq!(error, WriteError::NoDecision { index: 2 });
    assert!(error.to_string().contains("items[2]"));

    let mut record = fictional_record();
    record.items[0].request = " \n ".to_string();
    assert_eq!(
        write_text(&record, &LetterOptions::default()),
        Err(WriteError::EmptyRequest { index: 0 })
    );

    for bad in ["lower case", "Claims Administrator", "Name, with comma", ""] {
        let options = LetterOptions {
            organization: Organization {
                name: "Some IMRO".to_string(),
                short_name: bad.to_string(),
            },
            practice: None,
        };
        assert!(
            matches!(
                write_text(&fictional_record(), &options),
                Err(WriteError::BadOrganizationName(_))
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn a_200_kb_rationale_is_written_and_read_back_whole() {
    let mut record = fictional_record();
    let sentence = "The applicant reported pain of 6/10 with radiation to the left foot, and the examination was unchanged from the previous visit. ";
    let rationale = sentence.repeat(200 * 1024 / sentence.len() + 1);
    record.items[3].rationale = Some(rationale.trim_end().to_string());
    assert!(record.items[3].rationale.as_ref().expect("set").len() > 200 * 1024);
    assert_eq!(
        round_trip_difference(&record, &LetterOptions::default()),
        None
    );
}

#[test]
fn text_outside_latin_1_and_awkward_words_survive_the_round_trip() {
    let mut record = fictional_record();
    record.clinical_summary = Some(
        "Le patient (Zoë, 52 ans) décrit une douleur — «brûlante» — de 7/10; Ελληνικά, Кириллица, 中文 and emoji 🙂 stay as written. A URL https://example.org/a/very/long/path/that/does/not/fit/on/one/line/of/the/letter/at/all/even/alone stays whole. An x- ray and a 10- day course keep their hyphens.".to_string(),
    );
    record.items[0].rationale = Some(
        "The ODG guideline: is quoted here, and so is MAXIMUS guideline: and Claims Administrator guideline: and Decision rationale: mid-paragraph, with the decision: Upheld. and then: Overturned and more words. (A paragraph that ends in \"x: Upheld\" would read as an item heading in any layout.)".to_string(),
    );
    assert_eq!(
        round_trip_difference(&record, &LetterOptions::default()),
        None
    );
}

#[test]
fn wrapping_never_starts_a_line_with_a_field_label_nor_splits_a_hyphenated_word() {
    let text = "aaaa bbbb cccc The ODG guideline: dddd eeee x- ray ffff";
    for width in 12..40 {
        let fits = |line: &str| line.chars().count() <= width;
        let lines = wrap(text, BlockKind::Body, fits);
        assert_eq!(lines.join(" "), text, "width {width}");
        for line in &lines[1..] {
            assert!(
                !line.starts_with("The ODG guideline:"),
                "width {width}: {lines:?}"
            );
        }
        for line in &lines[..lines.len() - 1] {
            assert!(!line.ends_with("x-"), "width {width}: {lines:?}");
        }
    }
}

#[test]
fn a_word_longer_than_a_line_is_broken_with_hyphens_the_reader_removes() {
    let word = "Pneumonoultramicroscopicsilicovolcanoconiosis";
    let lines = wrap(word, BlockKind::Body, |line| line.chars().count() <= 10);
    assert!(lines.len() >= 5, "{lines:?}");
    assert!(lines.iter().all(|l| l.chars().count() <= 10), "{lines:?}");
    assert_eq!(
        imr_core::text::join_lines(lines.iter().map(String::as_str)),
        word
    );
}

#[test]
fn decisions_and_items_are_kept_in_order() {
    let mut record = fictional_record();
    record.items.push(Item {
        decision: Some(Decision::Overturned),
        ..Item::new("Ergonomic chair")
    });
    let back = read_letter(&write_text(&record, &LetterOptions::default()).expect("written"));
    let decisions: Vec<_> = back
        .items
        .iter()
        .map(|i| (i.request.as_str(), i.decision))
        .collect();
    assert_eq!(decisions.len(), 5);
    assert_eq!(
        decisions[4],
        ("Ergonomic chair", Some(Decision::Overturned))
    );
    assert_eq!(decisions[1].1, Some(Decision::Upheld));
}

/// The HTML letter's text (tags dropped, entities decoded, the head left out).
fn html_text(html: &str) -> String {
    let body = html.split("<body>").nth(1).unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_html_letter_reads_back_to_the_same_record() {
    use imr_letter::html::render_html;
    use imr_letter::write::letter_document;
    let mut record = fictional_record();
    record.items[0].rationale = Some("Pain <7/10> & \"worse\" at night; 'x' < y.".to_string());
    let html = render_html(&letter_document(&record, &LetterOptions::default()).expect("letter"));
    assert!(html.contains("Pain &lt;7/10&gt; &amp; &quot;worse&quot;"));
    let back = read_letter(&html_text(&html));
    assert_eq!(comparable(&back), comparable(&record));
}
