//! `imr ingest` as a user runs it: the real binary into a real SQLite store, on the published
//! letters ($IMR_LETTERS, skipped with a note when unset) and on files written here (fictional
//! letters from `imr_corpus::synth`, and bad input).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use imr_store::StoreOptions;
use imr_store::published::open_published;

mod common;

use common::{PEAK_LIMIT, imr, imr_peak, s, stderr, write_bad_inputs, write_letters};

const SEED: u64 = 737_373;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Every record of the store: letter id, source hash, source path, determination (as JSON).
fn records(db: &Path) -> Vec<(String, String, String, String)> {
    runtime().block_on(async {
        let store = open_published(s(db), StoreOptions::default())
            .await
            .expect("store opens");
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = store
                .published_page(after.as_deref(), 500)
                .await
                .expect("page");
            let Some(last) = page.last() else { break };
            after = Some(last.letter_id.clone());
            for r in page {
                let json = serde_json::to_string(&r.determination).expect("json");
                out.push((r.letter_id, r.source_sha256, r.source_path, json));
            }
        }
        out
    })
}

fn count(db: &Path) -> u64 {
    runtime().block_on(async {
        let store = open_published(s(db), StoreOptions::default())
            .await
            .expect("store opens");
        store.published_count().await.expect("count")
    })
}

#[imr_testkit::needs(letters)]
#[test]
fn the_published_letters_are_one_record_each_and_ingesting_again_adds_nothing() {
    let Some(letters) = imr_testkit::letters() else {
        return;
    };
    let letters = letters.as_path();
    let tmp = tempfile::tempdir().expect("temp dir");
    let db = tmp.path().join("published.db");
    let seeds = letters.join("seeds");
    let dev = letters.join("dev");

    let out = imr(&["ingest", s(&seeds), s(&dev), "--database-url", s(&db)]);
    let err = stderr(&out);
    assert!(
        out.status.success(),
        "every published letter is read:\n{err}"
    );
    // 5 seeds and 101 dev letters, each dev letter as a PDF and as text: 106 letters.
    assert_eq!(count(&db), 106, "{err}");
    assert!(err.contains("106 new, 0 replaced, 0 unchanged"), "{err}");
    assert!(err.contains("101 duplicate(s), 0 failed"), "{err}");
    let first = records(&db);
    let ids: std::collections::BTreeSet<&str> = first.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids.len(), 106);

    let again = imr(&["ingest", s(&seeds), s(&dev), "--database-url", s(&db)]);
    let err = stderr(&again);
    assert!(again.status.success(), "{err}");
    assert!(err.contains("0 new, 0 replaced, 106 unchanged"), "{err}");
    assert_eq!(records(&db), first, "ingesting again changes nothing");
}

#[test]
fn a_killed_ingest_run_again_finishes_with_the_same_records() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("letters");
    let total = 1500;
    write_letters(&input, SEED, 0..total);

    // One letter per transaction, so the run is slow enough to be killed half-way.
    let killed_db = tmp.path().join("killed.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args([
            "ingest",
            s(&input),
            "--database-url",
            s(&killed_db),
            "--batch",
            "1",
        ])
        .env_remove("IMR_DATABASE_URL")
        .stderr(Stdio::null())
        .spawn()
        .expect("imr ingest starts");
    let started = Instant::now();
    let mut stored_at_kill = 0;
    while started.elapsed() < Duration::from_secs(120) {
        if killed_db.exists() {
            stored_at_kill = count(&killed_db);
            if stored_at_kill >= 50 {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let after_kill = count(&killed_db);
    if after_kill >= total {
        eprintln!("note: the run finished before it could be killed; the restart is still checked");
    } else {
        assert!(after_kill >= stored_at_kill, "committed letters stay");
    }

    let out = imr(&["ingest", s(&input), "--database-url", s(&killed_db)]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("the store holds {total} published letter(s)")),
        "{err}"
    );

    let clean_db = tmp.path().join("clean.db");
    let out = imr(&["ingest", s(&input), "--database-url", s(&clean_db)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let killed = records(&killed_db);
    assert_eq!(killed.len(), total as usize);
    assert_eq!(
        killed,
        records(&clean_db),
        "the same records as an uninterrupted run"
    );
}

#[test]
fn bad_input_is_reported_once_each_and_nothing_is_half_stored() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    let items = write_letters(&input, SEED, 0..5);
    write_bad_inputs(&input, SEED);
    std::fs::write(input.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("binary");
    let db = tmp.path().join("store.db");
    let corpus = tmp.path().join("corpus");

    let out = imr(&[
        "ingest",
        s(&input),
        "--database-url",
        s(&db),
        "--index",
        s(&corpus),
    ]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "failures make exit status 1:\n{err}"
    );
    for (name, why) in [
        ("copies/again.txt", "duplicate"),
        ("empty.txt", "empty"),
        ("broken.pdf", "failed"),
        ("notes.txt", "not a Final Determination Letter"),
        ("image.txt", "binary data"),
    ] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name} reported once:\n{err}");
        assert!(lines[0].contains(why), "{name}: {}", lines[0]);
    }
    assert!(
        err.contains("5 new, 0 replaced, 0 unchanged, 1 duplicate(s), 4 failed"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "search index {} brought up to date: 5 letter(s), {items} item(s)",
            corpus.display()
        )),
        "{err}"
    );
    let stored = records(&db);
    assert_eq!(stored.len(), 5, "only the letters are stored");
    for (id, _, path, _) in &stored {
        assert!(path.ends_with(&format!("{id}.txt")), "{id} from {path}");
    }

    // Again: the letters' bytes are known and not read again; the bad files are named again.
    let again = imr(&[
        "ingest",
        s(&input),
        "--database-url",
        s(&db),
        "--index",
        s(&corpus),
    ]);
    let err = stderr(&again);
    assert!(
        err.contains("0 new, 0 replaced, 5 unchanged, 1 duplicate(s), 4 failed"),
        "{err}"
    );
    assert_eq!(records(&db), stored);

    // The index filled from the store answers searches.
    let out = imr(&[
        "stats",
        "--csv",
        "--database-url",
        s(&db),
        "--index",
        s(&corpus),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let counted: usize = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("service,"))
        .filter_map(|l| l.split(',').nth(2)?.parse::<usize>().ok())
        .sum();
    assert_eq!(counted, items, "every stored item is in the index");
}

/// A PDF that inflates to 1.5 GB among good letters: counted as failed and named once with the
/// limit, the letters stored, and the run's memory bounded.
#[test]
fn an_inflating_pdf_fails_alone_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    write_letters(&input, SEED, 0..3);
    std::fs::write(
        input.join("bomb.pdf"),
        imr_pdf::inflating::inflating_pdf(1_500_000_000, b' '),
    )
    .expect("bomb");
    let db = tmp.path().join("store.db");
    let (out, peak) = imr_peak(&["ingest", s(&input), "--database-url", s(&db)]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failure makes exit status 1:\n{err}"
    );
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("bomb.pdf")).collect();
    assert_eq!(lines.len(), 1, "named once:\n{err}");
    assert!(
        lines[0].contains("failed") && lines[0].contains("limit per stream"),
        "{}",
        lines[0]
    );
    assert!(
        err.contains("3 new, 0 replaced, 0 unchanged, 0 duplicate(s), 1 failed"),
        "{err}"
    );
    assert_eq!(count(&db), 3, "the letters are stored");
    assert!(
        peak < PEAK_LIMIT,
        "peak memory {} MiB over {} MiB",
        peak >> 20,
        PEAK_LIMIT >> 20
    );
    eprintln!("imr ingest over the bomb: peak {} MiB", peak >> 20);
}
