//! Parquet export (feature `parquet`): the outcome statistics as one table of rows, and the
//! item records one row per published disputed item, for analysis tools (pandas, DuckDB,
//! Spark). Snappy-compressed.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, Float64Builder, ListBuilder, StringBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;

use crate::record::ItemRecord;
use crate::stats::OutcomeStats;

/// What can go wrong writing Parquet.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("building the table: {0}")]
    Arrow(#[from] ArrowError),
    #[error("writing Parquet: {0}")]
    Parquet(#[from] ParquetError),
}

/// The statistics' rows: dimension, key, items, upheld, overturned, overturned_rate.
pub fn write_stats(stats: &OutcomeStats, out: impl Write + Send) -> Result<(), ExportError> {
    let rows: Vec<_> = stats.rows().collect();
    let mut dimension = StringBuilder::new();
    let mut key = StringBuilder::new();
    let (mut items, mut upheld, mut overturned) = (
        UInt64Builder::new(),
        UInt64Builder::new(),
        UInt64Builder::new(),
    );
    let mut rate = Float64Builder::new();
    for r in &rows {
        dimension.append_value(&r.dimension);
        key.append_value(&r.key);
        items.append_value(r.items);
        upheld.append_value(r.upheld);
        overturned.append_value(r.overturned);
        rate.append_value(r.overturned_rate);
    }
    let columns: Vec<(&str, ArrayRef, bool)> = vec![
        ("dimension", Arc::new(dimension.finish()), false),
        ("key", Arc::new(key.finish()), false),
        ("items", Arc::new(items.finish()), false),
        ("upheld", Arc::new(upheld.finish()), false),
        ("overturned", Arc::new(overturned.finish()), false),
        ("overturned_rate", Arc::new(rate.finish()), false),
    ];
    write(columns, out)
}

/// One row per item record; lists (guidelines, specialties, body regions) as lists of strings,
/// the decision date as a date.
pub fn write_items(records: &[ItemRecord], out: impl Write + Send) -> Result<(), ExportError> {
    let mut case_number = StringBuilder::new();
    let mut item_index = UInt32Builder::new();
    let mut decision_date = Date32Builder::new();
    let mut decision = StringBuilder::new();
    let mut service = StringBuilder::new();
    let mut guidelines = ListBuilder::new(StringBuilder::new());
    let mut guideline_line = StringBuilder::new();
    let mut specialties = ListBuilder::new(StringBuilder::new());
    let mut body_regions = ListBuilder::new(StringBuilder::new());
    let mut request = StringBuilder::new();
    let mut summary = StringBuilder::new();
    let mut rationale = StringBuilder::new();
    let epoch = jiff::civil::date(1970, 1, 1);
    for r in records {
        case_number.append_value(&r.case_number);
        item_index.append_value(r.item_index);
        decision_date.append_option(
            r.decision_date
                .and_then(|d| d.since(epoch).ok())
                .map(|span| span.get_days()),
        );
        decision.append_option(r.decision.map(|d| d.as_str()));
        service.append_value(&r.service);
        guidelines.append_value(r.guidelines.iter().map(Some));
        guideline_line.append_option(r.guideline_line.as_deref());
        specialties.append_value(r.specialties.iter().map(Some));
        body_regions.append_value(r.body_regions.iter().map(Some));
        request.append_value(&r.request);
        summary.append_value(&r.summary);
        rationale.append_value(&r.rationale);
    }
    let columns: Vec<(&str, ArrayRef, bool)> = vec![
        ("case_number", Arc::new(case_number.finish()), false),
        ("item_index", Arc::new(item_index.finish()), false),
        ("decision_date", Arc::new(decision_date.finish()), true),
        ("decision", Arc::new(decision.finish()), true),
        ("service", Arc::new(service.finish()), false),
        ("guidelines", Arc::new(guidelines.finish()), true),
        ("guideline_line", Arc::new(guideline_line.finish()), true),
        ("specialties", Arc::new(specialties.finish()), true),
        ("body_regions", Arc::new(body_regions.finish()), true),
        ("request", Arc::new(request.finish()), false),
        ("summary", Arc::new(summary.finish()), false),
        ("rationale", Arc::new(rationale.finish()), false),
    ];
    write(columns, out)
}

fn write(columns: Vec<(&str, ArrayRef, bool)>, out: impl Write + Send) -> Result<(), ExportError> {
    let schema = Schema::new(
        columns
            .iter()
            .map(|(name, array, nullable)| {
                Field::new(
                    *name,
                    array.data_type().clone(),
                    *nullable || is_list(array),
                )
            })
            .collect::<Vec<_>>(),
    );
    let batch = RecordBatch::try_new(
        Arc::new(schema),
        columns.into_iter().map(|(_, array, _)| array).collect(),
    )?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = ArrowWriter::try_new(out, batch.schema(), Some(properties))?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(())
}

fn is_list(array: &ArrayRef) -> bool {
    matches!(array.data_type(), DataType::List(_))
}
