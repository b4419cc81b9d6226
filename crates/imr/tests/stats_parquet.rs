//! `imr stats --parquet FILE --items-parquet FILE` with the real binary on a corpus of
//! fictional letters: both files are Parquet (magic at both ends) with the rows the summary
//! states; an unwritable path is a clear error and leaves nothing behind.
#![cfg(feature = "parquet")]

use std::process::Command;

fn imr(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(args)
        .output()
        .expect("imr runs")
}

fn is_parquet(path: &std::path::Path) -> bool {
    let bytes = std::fs::read(path).expect("the file written");
    bytes.len() > 8 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1")
}

#[test]
fn stats_and_items_as_parquet_files() {
    let dir = tempfile::tempdir().expect("folder");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).expect("letters folder");
    let mut items = 0;
    for n in 0..25 {
        let letter = imr_corpus::synth::letter(5, n);
        items += letter.items.len();
        std::fs::write(letters.join(format!("{n}.txt")), letter.text).expect("letter");
    }
    let corpus = dir.path().join("corpus");
    let corpus = corpus.to_str().expect("utf-8");
    let db = dir.path().join("imr.db");
    let db = db.to_str().expect("utf-8");
    let out = imr(&[
        "ingest",
        letters.to_str().expect("utf-8"),
        "--database-url",
        db,
        "--index",
        corpus,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let stats = dir.path().join("stats.parquet");
    let records = dir.path().join("items.parquet");
    let out = imr(&[
        "stats",
        "--database-url",
        db,
        "--index",
        corpus,
        "--parquet",
        stats.to_str().expect("utf-8"),
        "--items-parquet",
        records.to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(is_parquet(&stats) && is_parquet(&records));
    assert!(
        stderr.contains(&format!("wrote {items} item(s)")),
        "{stderr}"
    );

    let out = imr(&[
        "stats",
        "--database-url",
        db,
        "--index",
        corpus,
        "--parquet",
        dir.path()
            .join("missing/stats.parquet")
            .to_str()
            .expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("missing/stats.parquet") && stderr.contains("cannot create"),
        "{stderr}"
    );
}
