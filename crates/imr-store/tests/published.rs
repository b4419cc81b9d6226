//! Published letters, each check on SQLite and on PostgreSQL (a test of its own, ignored where
//! IMR_TEST_PG_URL names no server).

mod backends;

use std::sync::Arc;

use imr_core::{Decision, Determination, Item};
use imr_store::StoreOptions;
use imr_store::published::{NewPublished, PublishedStore, Stored, open_published};

async fn open(url: &str) -> Arc<dyn PublishedStore> {
    open_published(url, StoreOptions::default())
        .await
        .expect("the store opens")
}

backends::on_both_backends!(open;
    published_letters_are_stored_once_per_letter,
    a_batch_that_fails_stores_nothing,
);

/// A fictional letter with `items` disputed items, all decided `decision`.
fn letter(case: &str, items: usize, decision: Decision, path: &str) -> NewPublished {
    let mut determination = Determination {
        case_number: Some(case.to_string()),
        decision_date: Some(jiff::civil::date(2025, 3, 14)),
        clinical_summary: Some("A fictional worker with knee pain.".into()),
        ..Determination::default()
    };
    for i in 0..items {
        let mut item = Item::new(format!("Physical therapy, {} visits", i + 6));
        item.decision = Some(decision);
        determination.items.push(item);
    }
    NewPublished {
        letter_id: case.to_string(),
        source_sha256: format!("{:064x}", path.len() * 7919 + items),
        source_path: path.to_string(),
        determination,
        ingested_at: 1_760_000_000,
    }
}

async fn published_letters_are_stored_once_per_letter(
    backend: &str,
    store: Arc<dyn PublishedStore>,
) {
    let a = letter("CM25-0000001", 2, Decision::Upheld, "a.txt");
    let b = letter("CM25-0000002", 1, Decision::Overturned, "b.txt");
    let outcomes = store
        .store_published(&[a.clone(), b.clone()])
        .await
        .expect("store");
    assert_eq!(outcomes, [Stored::New, Stored::New], "{backend}");
    assert_eq!(
        store.published_count().await.expect("count"),
        2,
        "{backend}"
    );

    // The same letter again, even from another file (its PDF): nothing changes.
    let mut a_pdf = a.clone();
    a_pdf.source_path = "a.pdf".into();
    a_pdf.source_sha256 = "f".repeat(64);
    let outcomes = store
        .store_published(&[a.clone(), a_pdf])
        .await
        .expect("again");
    assert_eq!(
        outcomes,
        [Stored::Unchanged, Stored::Unchanged],
        "{backend}"
    );
    assert_eq!(
        store.published_count().await.expect("count"),
        2,
        "{backend}"
    );
    let stored = store
        .published("CM25-0000001")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        stored.source_path, "a.txt",
        "{backend}: the first file stays"
    );
    assert_eq!(stored.items, 2, "{backend}");
    assert_eq!(
        stored.decision_date,
        Some(jiff::civil::date(2025, 3, 14)),
        "{backend}"
    );
    let mut expected = a.determination.clone();
    expected.source = Some("a.txt".into());
    assert_eq!(stored.determination, expected, "{backend}: round trip");

    // A corrected letter under the same case number replaces the record.
    let corrected = letter("CM25-0000001", 3, Decision::Overturned, "a2.txt");
    let outcomes = store
        .store_published(std::slice::from_ref(&corrected))
        .await
        .expect("replace");
    assert_eq!(outcomes, [Stored::Replaced], "{backend}");
    let stored = store
        .published("CM25-0000001")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(stored.items, 3, "{backend}");
    assert_eq!(stored.source_path, "a2.txt", "{backend}");
    assert_eq!(stored.source_sha256, corrected.source_sha256, "{backend}");
    assert_eq!(
        store.published_count().await.expect("count"),
        2,
        "{backend}"
    );
    assert!(
        store
            .published("CM25-9999999")
            .await
            .expect("read")
            .is_none(),
        "{backend}"
    );

    // Paging walks every record once, in letter id order.
    let more: Vec<NewPublished> = (3..=7)
        .map(|n| letter(&format!("CM25-000000{n}"), 1, Decision::Upheld, "x.txt"))
        .collect();
    store.store_published(&more).await.expect("more");
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .published_page(after.as_deref(), 3)
            .await
            .expect("page");
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3, "{backend}");
        after = page.last().map(|r| r.letter_id.clone());
        seen.extend(page.into_iter().map(|r| r.letter_id));
    }
    let expected: Vec<String> = (1..=7).map(|n| format!("CM25-000000{n}")).collect();
    assert_eq!(seen, expected, "{backend}");

    let sources = store.published_sources().await.expect("sources");
    assert_eq!(sources.len(), 7, "{backend}");
    assert!(
        sources.contains(&(corrected.source_sha256.clone(), "CM25-0000001".into())),
        "{backend}"
    );
}

async fn a_batch_that_fails_stores_nothing(backend: &str, store: Arc<dyn PublishedStore>) {
    // PostgreSQL refuses a NUL byte in text: the good letter before it must go too.
    let good = letter("CM25-0000010", 1, Decision::Upheld, "good.txt");
    let mut bad = letter("CM25-0000011", 1, Decision::Upheld, "bad.txt");
    bad.source_path = "bad\0.txt".into();
    let result = store.store_published(&[good, bad]).await;
    if backend == "postgres" {
        assert!(result.is_err(), "{backend}: a NUL byte is refused");
        assert_eq!(
            store.published_count().await.expect("count"),
            0,
            "{backend}: the batch is one transaction"
        );
    } else {
        // SQLite stores the NUL; the batch is whole either way.
        let stored = store.published_count().await.expect("count");
        assert!(
            (result.is_ok() && stored == 2) || (result.is_err() && stored == 0),
            "{backend}: all or nothing, got {stored}"
        );
    }
}
