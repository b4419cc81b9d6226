//! The Parquet export read back with the parquet reader: a row per statistics group and per
//! item record, the columns named and typed, the values those of the corpus (fictional letters).
#![cfg(feature = "parquet")]

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use imr_corpus::{CorpusIndex, OutcomeStats, synth};
use imr_letter::read_letter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn read_back(path: &std::path::Path) -> RecordBatch {
    let file = std::fs::File::open(path).expect("the file written");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("a Parquet file")
        .build()
        .expect("reader");
    let batches: Vec<RecordBatch> = reader.map(|b| b.expect("a batch")).collect();
    the_one_batch(&batches)
}

/// A small table is written and read as one batch.
fn the_one_batch(batches: &[RecordBatch]) -> RecordBatch {
    assert_eq!(batches.len(), 1, "one batch for a small table");
    batches[0].clone()
}

fn corpus() -> CorpusIndex {
    let index = CorpusIndex::in_memory().expect("index");
    let letters: Vec<_> = (0..60)
        .map(|n| read_letter(&synth::letter(3, n).text))
        .collect();
    index.add_all(&letters).expect("indexed");
    index
}

#[test]
fn statistics_rows_and_columns_read_back() {
    let index = corpus();
    let records = index.records().expect("records");
    let stats = OutcomeStats::from_records(&records);
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("stats.parquet");
    let file = std::fs::File::create(&path).expect("create");
    imr_corpus::parquet::write_stats(&stats, file).expect("written");

    let batch = read_back(&path);
    let names: Vec<String> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        names,
        [
            "dimension",
            "key",
            "items",
            "upheld",
            "overturned",
            "overturned_rate"
        ]
    );
    let expected: Vec<_> = stats.rows().collect();
    assert_eq!(batch.num_rows(), expected.len());
    let dimension = batch.column(0).as_string::<i32>();
    let key = batch.column(1).as_string::<i32>();
    let items = batch.column(2).as_primitive::<UInt64Type>();
    let overturned = batch.column(4).as_primitive::<UInt64Type>();
    for (i, row) in expected.iter().enumerate() {
        assert_eq!(dimension.value(i), row.dimension);
        assert_eq!(key.value(i), row.key);
        assert_eq!(items.value(i), row.items);
        assert_eq!(overturned.value(i), row.overturned);
    }
    // The service rows add up to every decided item.
    let service_items: u64 = (0..batch.num_rows())
        .filter(|&i| dimension.value(i) == "service")
        .map(|i| items.value(i))
        .sum();
    assert_eq!(service_items, stats.items);
}

#[test]
fn item_records_one_row_each_with_dates_and_lists() {
    let index = corpus();
    let records = index.records().expect("records");
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("items.parquet");
    let file = std::fs::File::create(&path).expect("create");
    imr_corpus::parquet::write_items(&records, file).expect("written");

    let batch = read_back(&path);
    assert_eq!(batch.num_rows(), records.len());
    assert_eq!(batch.num_columns(), 12);
    let schema = batch.schema();
    let column = |name: &str| batch.column(schema.index_of(name).expect(name)).clone();
    let case = column("case_number");
    let case = case.as_string::<i32>();
    let index_col = column("item_index");
    let index_col = index_col.as_primitive::<UInt32Type>();
    let date = column("decision_date");
    let date = date.as_primitive::<Date32Type>();
    let guidelines = column("guidelines");
    let guidelines = guidelines.as_list::<i32>();
    let decision = column("decision");
    let decision = decision.as_string::<i32>();
    for (i, r) in records.iter().enumerate() {
        assert_eq!(case.value(i), r.case_number);
        assert_eq!(index_col.value(i), r.item_index);
        let written = r.decision_date.expect("synthetic letters are dated");
        let days = date.value(i);
        let read = jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .expect("a date");
        assert_eq!(read, written);
        assert_eq!(
            decision.is_null(i),
            r.decision.is_none(),
            "decision null when undecided"
        );
        let list = guidelines.value(i);
        let list = list.as_string::<i32>();
        let read: Vec<&str> = (0..list.len()).map(|j| list.value(j)).collect();
        assert_eq!(read, r.guidelines);
    }
}
