//! `imr index`, `imr search`, `imr precedents` and `imr stats` as a user runs them: the real
//! binary on files written here (fictional letters from `imr_corpus::synth`, and bad input).

use std::path::Path;
use std::process::Command;

use imr_corpus::synth;

mod common;

use common::{imr, s, stderr, write_bad_inputs, write_letters};

const SEED: u64 = 424_242;

fn record_lines(corpus: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(corpus.join("determinations.jsonl")).expect("records");
    text.lines().map(str::to_string).collect()
}

#[test]
fn bad_input_is_reported_once_each_and_reindexing_adds_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    let items = write_letters(&input, SEED, 0..6);
    write_bad_inputs(&input, SEED);
    let corpus = tmp.path().join("corpus");

    let out = imr(&["index", s(&input), "--index", s(&corpus)]);
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "failed files make the exit status a failure"
    );
    for (name, why) in [
        ("copies/again.txt", "duplicate"),
        ("empty.txt", "empty"),
        ("broken.pdf", "failed"),
        ("notes.txt", "not a Final Determination Letter"),
    ] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name} reported once:\n{err}");
        assert!(lines[0].contains(why), "{name}: {}", lines[0]);
    }
    assert!(err.contains("6 new letter(s)"), "{err}");
    assert!(err.contains("1 duplicate(s), 3 failed"), "{err}");
    assert_eq!(record_lines(&corpus).len(), 6);

    let again = imr(&["index", s(&input), "--index", s(&corpus)]);
    let err = stderr(&again);
    assert!(
        err.contains("0 new letter(s), 0 changed, 6 unchanged"),
        "{err}"
    );
    assert!(
        err.contains(&format!("the corpus holds 6 letter(s), {items} item(s)")),
        "{err}"
    );
    assert_eq!(record_lines(&corpus).len(), 6);

    // The index is a cache: of another schema version, it is rebuilt from the records.
    std::fs::write(
        corpus.join("index/imr-corpus-schema"),
        "imr-corpus schema 0\n",
    )
    .expect("w");
    let out = imr(&["stats", "--csv", "--index", s(&corpus)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("rebuilding the search index"),
        "{}",
        stderr(&out)
    );
    let counted: usize = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("service,"))
        .filter_map(|l| l.split(',').nth(2)?.parse::<usize>().ok())
        .sum();
    assert_eq!(counted, items);
    let out = imr(&["index", "--rebuild", "--index", s(&corpus)]);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("the corpus holds 6 letter(s), {items} item(s)")),
        "{err}"
    );
}

#[test]
fn an_interrupted_index_run_finishes_the_same_when_run_again() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    let items = write_letters(&input, SEED, 0..1500);

    let clean = tmp.path().join("clean");
    assert!(
        imr(&["index", s(&input), "--index", s(&clean)])
            .status
            .success()
    );

    let cut = tmp.path().join("cut");
    let mut child = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["index", s(&input), "--index", s(&cut)])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill(); // SIGKILL: no clean-up runs
    let _ = child.wait();

    let out = imr(&["index", s(&input), "--index", s(&cut)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("the corpus holds 1500 letter(s), {items} item(s)")),
        "{}",
        stderr(&out)
    );
    let mut a = record_lines(&clean);
    let mut b = record_lines(&cut);
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same records as an uninterrupted run");
    let stats = |dir: &Path| imr(&["stats", "--csv", "--index", s(dir)]).stdout;
    assert_eq!(stats(&clean), stats(&cut));
}

#[test]
fn search_precedents_and_stats() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    let letters: Vec<_> = (0..300).map(|n| synth::letter(SEED, n)).collect();
    write_letters(&input, SEED, 0..300);
    let corpus = tmp.path().join("corpus");
    assert!(
        imr(&["index", s(&input), "--index", s(&corpus)])
            .status
            .success()
    );

    // Every upheld acupuncture item, by filters; the letters say which those are.
    let mut want: Vec<&str> = letters
        .iter()
        .filter(|l| {
            l.items.iter().any(|(_, service, d)| {
                *service == imr_core::request::Service::Acupuncture
                    && *d == imr_core::Decision::Upheld
            })
        })
        .map(|l| l.case_number.as_str())
        .collect();
    want.sort();
    let out = imr(&[
        "search",
        "",
        "--service",
        "acupuncture",
        "--decision",
        "upheld",
        "--limit",
        "1000",
        "--json",
        "--index",
        s(&corpus),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut got: Vec<&str> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["case_number"].as_str().expect("case number"))
        .collect();
    got.sort();
    got.dedup();
    assert_eq!(got, want);

    // Words are marked in the text output.
    let out = imr(&["search", "acupuncture", "--index", s(&corpus)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("**Acupuncture**"));

    // A bad filter value is refused with the value named.
    let out = imr(&["search", "x", "--decision", "maybe", "--index", s(&corpus)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("\"maybe\" is not a decision"),
        "{}",
        stderr(&out)
    );

    // Precedents: one list per item, none from the case itself.
    let case = &letters[0];
    let out = imr(&[
        "precedents",
        &case.case_number,
        "--k",
        "3",
        "--json",
        "--index",
        s(&corpus),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found = json.as_array().expect("items");
    assert_eq!(found.len(), case.items.len());
    for item in found {
        let precedents = item["precedents"].as_array().expect("precedents");
        assert_eq!(precedents.len(), 3);
        assert!(
            precedents
                .iter()
                .all(|p| p["case_number"] != case.case_number.as_str())
        );
    }

    // Statistics count every item once per service.
    let out = imr(&["stats", "--csv", "--index", s(&corpus)]);
    let csv = String::from_utf8_lossy(&out.stdout);
    let total: usize = letters.iter().map(|l| l.items.len()).sum();
    let by_service: usize = csv
        .lines()
        .filter(|l| l.starts_with("service,"))
        .map(|l| {
            l.split(',')
                .nth(2)
                .and_then(|n| n.parse::<usize>().ok())
                .expect("items")
        })
        .sum();
    assert_eq!(by_service, total);

    // An empty corpus says what to do.
    let out = imr(&["stats", "--index", s(&tmp.path().join("nothing"))]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("imr index"), "{}", stderr(&out));
}

#[test]
fn the_published_letters_give_one_record_per_letter() {
    let Some(letters) = imr_testkit::letters() else {
        return;
    };
    // Each dev letter is there twice (pdf/ and txt/); the seeds once, as text.
    let count = |dir: &Path| std::fs::read_dir(dir).expect("letters folder").count();
    let dev = count(&letters.join("dev/txt"));
    let seeds = count(&letters.join("seeds"));
    assert_eq!(dev, count(&letters.join("dev/pdf")));
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = tmp.path().join("corpus");

    let out = imr(&["index", s(&letters), "--index", s(&corpus)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{} new letter(s)", dev + seeds)),
        "{err}"
    );
    assert!(
        err.contains(&format!("{dev} duplicate(s), 0 failed")),
        "{err}"
    );
    assert_eq!(record_lines(&corpus).len(), dev + seeds);

    let again = imr(&["index", s(&letters), "--index", s(&corpus)]);
    let err = stderr(&again);
    assert!(
        err.contains(&format!(
            "0 new letter(s), 0 changed, {} unchanged",
            dev + seeds
        )),
        "{err}"
    );
    assert_eq!(record_lines(&corpus).len(), dev + seeds);
}
