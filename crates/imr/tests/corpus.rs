//! The published archive as a user runs it: `imr ingest` into the store, then `imr search`,
//! `imr precedents`, `imr stats` and `imr index` over its search cache; the real binary on files
//! written here (fictional letters from `imr_corpus::synth`, and bad input).

use std::path::Path;

use imr_corpus::synth;

mod common;

use common::{imr, s, stderr, write_bad_inputs, write_letters};

const SEED: u64 = 424_242;

/// `imr ingest` of `input` into the store `db`, with the search cache in `cache`.
fn ingest(input: &Path, db: &Path, cache: &Path) -> std::process::Output {
    imr(&[
        "ingest",
        s(input),
        "--database-url",
        s(db),
        "--index",
        s(cache),
    ])
}

/// Items counted by service in `imr stats --csv` (each item once).
fn items_in_stats(out: &std::process::Output) -> usize {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("service,"))
        .filter_map(|l| l.split(',').nth(2)?.parse::<usize>().ok())
        .sum()
}

#[test]
fn the_store_is_the_archive_and_the_index_a_cache_kept_up_to_date() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let db = tmp.path().join("imr.db");
    let cache = tmp.path().join("cache");
    let first = tmp.path().join("first");
    let items_first = write_letters(&first, SEED, 0..6);
    write_bad_inputs(&first, SEED);

    // Ingest, then search with no other step: the cache is filled from the store.
    let out = ingest(&first, &db, &cache);
    assert!(
        !out.status.success(),
        "failed files make the exit status a failure"
    );
    assert!(stderr(&out).contains("search index"), "{}", stderr(&out));
    let stats = |cache: &Path| {
        imr(&[
            "stats",
            "--csv",
            "--database-url",
            s(&db),
            "--index",
            s(cache),
        ])
    };
    let out = stats(&cache);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(items_in_stats(&out), items_first);

    // More letters in the store: the next reader brings the cache up to date by itself.
    let second = tmp.path().join("second");
    let items_second = write_letters(&second, SEED, 6..10);
    let out = imr(&[
        "ingest",
        s(&second),
        "--database-url",
        s(&db),
        "--index",
        s(&tmp.path().join("elsewhere")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = stats(&cache);
    assert!(
        stderr(&out).contains("brought up to date from the store: 10 letter(s)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(items_in_stats(&out), items_first + items_second);
    let out = stats(&cache);
    assert!(
        stderr(&out).is_empty(),
        "an up-to-date cache is used as it is: {}",
        stderr(&out)
    );

    // A cache of another schema version, or one whose refill was cut short (no fingerprint),
    // is filled again; so is a cache in a new folder.
    std::fs::write(
        cache.join("index/imr-corpus-schema"),
        "imr-corpus schema 0\n",
    )
    .expect("w");
    let out = stats(&cache);
    assert!(
        stderr(&out).contains("rebuilding the search index"),
        "{}",
        stderr(&out)
    );
    assert_eq!(items_in_stats(&out), items_first + items_second);
    std::fs::remove_file(cache.join("imr-corpus-source")).expect("rm");
    assert_eq!(items_in_stats(&stats(&cache)), items_first + items_second);
    assert_eq!(
        items_in_stats(&stats(&tmp.path().join("new"))),
        items_first + items_second
    );

    // `imr index` rebuilds it whole.
    let out = imr(&["index", "--database-url", s(&db), "--index", s(&cache)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("rebuilt from the store: 10 letter(s)"),
        "{}",
        stderr(&out)
    );

    // An empty store says how to fill it, and writes nothing.
    let empty = tmp.path().join("empty.db");
    let out = imr(&[
        "search",
        "knee",
        "--database-url",
        s(&empty),
        "--index",
        s(&tmp.path().join("c2")),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("imr ingest"), "{}", stderr(&out));
    assert!(
        !tmp.path().join("c2").exists(),
        "no cache for an empty store"
    );
}

#[test]
fn search_precedents_and_stats() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    let letters: Vec<_> = (0..300).map(|n| synth::letter(SEED, n)).collect();
    write_letters(&input, SEED, 0..300);
    let corpus = tmp.path().join("corpus");
    let db = tmp.path().join("imr.db");
    assert!(ingest(&input, &db, &corpus).status.success());

    // Every upheld acupuncture item, by filters; the letters say which those are.
    let mut want: Vec<&str> = letters
        .iter()
        .filter(|l| {
            l.items.iter().any(|(_, service, d)| {
                *service == imr_reading::request::Service::Acupuncture
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
        "--database-url",
        s(&db),
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
    let out = imr(&[
        "search",
        "acupuncture",
        "--database-url",
        s(&db),
        "--index",
        s(&corpus),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("**Acupuncture**"));

    // A bad filter value is refused with the value named.
    let out = imr(&[
        "search",
        "x",
        "--decision",
        "maybe",
        "--database-url",
        s(&db),
        "--index",
        s(&corpus),
    ]);
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
        "--database-url",
        s(&db),
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
    let out = imr(&[
        "stats",
        "--csv",
        "--database-url",
        s(&db),
        "--index",
        s(&corpus),
    ]);
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
}

#[imr_testkit::needs(letters)]
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
    let db = tmp.path().join("imr.db");

    let out = ingest(&letters, &db, &corpus);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("{} new", dev + seeds)), "{err}");
    assert!(
        err.contains(&format!("{dev} duplicate(s), 0 failed")),
        "{err}"
    );
    assert!(
        err.contains(&format!("brought up to date: {} letter(s)", dev + seeds)),
        "{err}"
    );

    let again = ingest(&letters, &db, &corpus);
    let err = stderr(&again);
    assert!(
        err.contains(&format!("0 new, 0 replaced, {} unchanged", dev + seeds)),
        "{err}"
    );
    assert!(
        !err.contains("brought up to date"),
        "nothing changed, the cache stays: {err}"
    );
}
