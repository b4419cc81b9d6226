//! The full-text index: one tantivy document per published disputed item.
//!
//! The index is a cache of the records, never their source: its directory holds a schema version
//! and an index whose version differs (or that tantivy cannot open) is emptied so the caller
//! refills it from the records. Only one writer may exist per directory (tantivy's lock), so
//! every other process opens the index to read.

use std::fs;
use std::path::{Path, PathBuf};

use imr_core::{Decision, Determination};
use jiff::civil::Date;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term, doc,
};

use crate::CorpusError;
use crate::record::{ItemRecord, item_records};

/// Bump when the schema or the meaning of a field changes: an index of another version is
/// rebuilt. The tantivy major is part of it because its file format changes between majors.
pub const SCHEMA_VERSION: &str = "imr-corpus schema 2, tantivy 0.27";
const VERSION_FILE: &str = "imr-corpus-schema";
/// The writer's memory budget, shared by its threads.
const WRITER_BUDGET: usize = 128 * 1024 * 1024;

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub case_number: Field,
    pub item_index: Field,
    /// yyyymmdd as a number, so date ranges are numeric ranges.
    pub decision_date: Field,
    /// "upheld", "overturned" or "undecided".
    pub decision: Field,
    pub service: Field,
    /// Guideline names, tokenized so that a filter can name part of one ("chronic pain").
    pub guideline: Field,
    pub guideline_line: Field,
    pub specialty: Field,
    pub region: Field,
    pub request: Field,
    pub summary: Field,
    pub rationale: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let prose = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(crate::tokenize::PROSE)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let words = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(crate::tokenize::WORDS)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            case_number: b.add_text_field("case_number", STRING | STORED),
            item_index: b.add_u64_field("item_index", STORED),
            decision_date: b.add_u64_field("decision_date", INDEXED | STORED),
            decision: b.add_text_field("decision", STRING | STORED),
            service: b.add_text_field("service", STRING | STORED),
            guideline: b.add_text_field("guideline", words.clone()),
            guideline_line: b.add_text_field("guideline_line", STORED),
            specialty: b.add_text_field("specialty", words),
            region: b.add_text_field("region", STRING | STORED),
            request: b.add_text_field("request", prose.clone()),
            summary: b.add_text_field("summary", prose.clone()),
            rationale: b.add_text_field("rationale", prose),
        };
        (b.build(), fields)
    }

    fn resolve(schema: &Schema) -> Result<Fields, CorpusError> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| CorpusError::Schema {
                message: format!("the index has no field \"{name}\""),
            })
        };
        Ok(Fields {
            case_number: get("case_number")?,
            item_index: get("item_index")?,
            decision_date: get("decision_date")?,
            decision: get("decision")?,
            service: get("service")?,
            guideline: get("guideline")?,
            guideline_line: get("guideline_line")?,
            specialty: get("specialty")?,
            region: get("region")?,
            request: get("request")?,
            summary: get("summary")?,
            rationale: get("rationale")?,
        })
    }
}

/// What [`CorpusIndex::open_or_create`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// The index was there, of this schema version.
    Current,
    /// There was no index: it is new and empty.
    Created,
    /// The index was of another version or unreadable: it was emptied and must be refilled.
    Rebuilt { reason: String },
}

impl Freshness {
    /// True when the index is empty and should be filled from the records.
    pub fn needs_fill(&self) -> bool {
        !matches!(self, Freshness::Current)
    }
}

/// The search index over published disputed items.
pub struct CorpusIndex {
    index: Index,
    reader: IndexReader,
    pub(crate) fields: Fields,
}

impl CorpusIndex {
    /// An index in memory (tests, benchmarks, one-off searches).
    pub fn in_memory() -> Result<CorpusIndex, CorpusError> {
        let (schema, fields) = Fields::schema();
        CorpusIndex::from_index(Index::create_in_ram(schema), fields)
    }

    /// Opens the index in `dir`, creating it when absent and emptying it when it is of another
    /// schema version or unreadable. A non-empty directory that is not an index is refused, so
    /// a wrong path never deletes anyone's files.
    pub fn open_or_create(dir: &Path) -> Result<(CorpusIndex, Freshness), CorpusError> {
        let io = |e| CorpusError::io(dir, e);
        fs::create_dir_all(dir).map_err(io)?;
        let version_path = dir.join(VERSION_FILE);
        let has_meta = dir.join("meta.json").exists();
        let version = fs::read_to_string(&version_path).ok();
        let freshness = match (&version, has_meta) {
            (Some(v), true) if v.trim() == SCHEMA_VERSION => match Index::open_in_dir(dir) {
                Ok(index) => {
                    let fields = Fields::resolve(&index.schema())?;
                    return Ok((CorpusIndex::from_index(index, fields)?, Freshness::Current));
                }
                Err(e) => Freshness::Rebuilt {
                    reason: format!("tantivy could not open it ({e})"),
                },
            },
            (Some(v), _) => Freshness::Rebuilt {
                reason: format!(
                    "its schema version is \"{}\", this program's is \"{SCHEMA_VERSION}\"",
                    v.trim()
                ),
            },
            (None, true) => Freshness::Rebuilt {
                reason: "it has no schema version".to_string(),
            },
            (None, false) => {
                if fs::read_dir(dir).map_err(io)?.next().is_some() {
                    return Err(CorpusError::NotAnIndex {
                        path: dir.to_path_buf(),
                    });
                }
                Freshness::Created
            }
        };
        if matches!(freshness, Freshness::Rebuilt { .. }) {
            empty_dir(dir)?;
        }
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(dir, schema)?;
        fs::write(&version_path, format!("{SCHEMA_VERSION}\n")).map_err(io)?;
        Ok((CorpusIndex::from_index(index, fields)?, freshness))
    }

    fn from_index(index: Index, fields: Fields) -> Result<CorpusIndex, CorpusError> {
        crate::tokenize::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(CorpusIndex {
            index,
            reader,
            fields,
        })
    }

    /// The only writer of this index (tantivy locks the directory). Add determinations, then
    /// [`CorpusWriter::commit`].
    pub fn writer(&self) -> Result<CorpusWriter<'_>, CorpusError> {
        let writer = self.index.writer(WRITER_BUDGET)?;
        Ok(CorpusWriter {
            corpus: self,
            writer,
        })
    }

    /// Indexes `determinations` in one commit.
    pub fn add_all<'a>(
        &self,
        determinations: impl IntoIterator<Item = &'a Determination>,
    ) -> Result<usize, CorpusError> {
        let mut writer = self.writer()?;
        let mut items = 0;
        for determination in determinations {
            items += writer.add(determination)?;
        }
        writer.commit()?;
        Ok(items)
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    /// Number of disputed items indexed.
    pub fn len(&self) -> u64 {
        self.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every indexed item, in index order (for statistics and exports).
    pub fn records(&self) -> Result<Vec<ItemRecord>, CorpusError> {
        let searcher = self.searcher();
        let mut out = Vec::with_capacity(usize::try_from(searcher.num_docs()).unwrap_or(0));
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(tantivy::TantivyError::from)?;
            let alive = segment.alive_bitset();
            for doc_id in 0..segment.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc_id)) {
                    continue;
                }
                let doc: TantivyDocument = store.get(doc_id)?;
                out.push(self.fields.record(&doc));
            }
        }
        Ok(out)
    }
}

/// The index's one writer. Adding a case replaces what the index held for that case number, so
/// indexing the same letter twice (or its PDF and its text) leaves one copy.
pub struct CorpusWriter<'a> {
    corpus: &'a CorpusIndex,
    writer: IndexWriter,
}

impl CorpusWriter<'_> {
    /// Queues a determination's items; returns how many.
    pub fn add(&mut self, determination: &Determination) -> Result<usize, CorpusError> {
        let records = item_records(determination);
        if let Some(first) = records.first() {
            self.writer.delete_term(Term::from_field_text(
                self.corpus.fields.case_number,
                &first.case_number,
            ));
        }
        for record in &records {
            self.writer
                .add_document(self.corpus.fields.document(record))?;
        }
        Ok(records.len())
    }

    /// Removes everything (before a rebuild from the records).
    pub fn clear(&mut self) -> Result<(), CorpusError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes the queued changes durable and visible to searches.
    pub fn commit(&mut self) -> Result<(), CorpusError> {
        self.writer.commit()?;
        self.corpus.reader.reload()?;
        Ok(())
    }
}

impl Fields {
    fn document(&self, r: &ItemRecord) -> TantivyDocument {
        let mut d = doc!(
            self.case_number => r.case_number.as_str(),
            self.item_index => u64::from(r.item_index),
            self.decision => decision_word(r.decision),
            self.service => r.service.as_str(),
            self.request => r.request.as_str(),
            self.summary => r.summary.as_str(),
            self.rationale => r.rationale.as_str(),
        );
        if let Some(date) = r.decision_date {
            d.add_u64(self.decision_date, date_number(date));
        }
        if let Some(line) = &r.guideline_line {
            d.add_text(self.guideline_line, line);
        }
        for g in &r.guidelines {
            d.add_text(self.guideline, g);
        }
        for s in &r.specialties {
            d.add_text(self.specialty, s);
        }
        for region in &r.body_regions {
            d.add_text(self.region, region);
        }
        d
    }

    pub(crate) fn record(&self, d: &TantivyDocument) -> ItemRecord {
        let text = |f: Field| {
            d.get_first(f)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let all = |f: Field| {
            d.get_all(f)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        };
        ItemRecord {
            case_number: text(self.case_number),
            item_index: d
                .get_first(self.item_index)
                .and_then(|v| v.as_u64())
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
            decision_date: d
                .get_first(self.decision_date)
                .and_then(|v| v.as_u64())
                .and_then(number_date),
            decision: Decision::parse(&text(self.decision)),
            service: text(self.service),
            guidelines: all(self.guideline),
            guideline_line: d
                .get_first(self.guideline_line)
                .and_then(|v| v.as_str().map(str::to_string)),
            specialties: all(self.specialty),
            body_regions: all(self.region),
            request: text(self.request),
            summary: text(self.summary),
            rationale: text(self.rationale),
        }
    }
}

pub(crate) fn decision_word(decision: Option<Decision>) -> &'static str {
    match decision {
        Some(Decision::Upheld) => "upheld",
        Some(Decision::Overturned) => "overturned",
        None => "undecided",
    }
}

/// yyyymmdd: orders as the dates do.
pub(crate) fn date_number(date: Date) -> u64 {
    let year = u64::try_from(date.year()).unwrap_or(0);
    let month = u64::try_from(date.month()).unwrap_or(0);
    let day = u64::try_from(date.day()).unwrap_or(0);
    year * 10_000 + month * 100 + day
}

fn number_date(n: u64) -> Option<Date> {
    let year = i16::try_from(n / 10_000).ok()?;
    let month = i8::try_from(n / 100 % 100).ok()?;
    let day = i8::try_from(n % 100).ok()?;
    Date::new(year, month, day).ok()
}

/// Deletes the files of an index directory (flat: tantivy writes no subdirectories).
fn empty_dir(dir: &Path) -> Result<(), CorpusError> {
    let io = |e| CorpusError::io(dir, e);
    for entry in fs::read_dir(dir).map_err(io)? {
        let path: PathBuf = entry.map_err(io)?.path();
        if path.is_dir() {
            fs::remove_dir_all(&path).map_err(|e| CorpusError::io(&path, e))?;
        } else {
            fs::remove_file(&path).map_err(|e| CorpusError::io(&path, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_created_reopened_and_rebuilt_on_another_version() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("index");
        let (index, fresh) = CorpusIndex::open_or_create(&dir).expect("create");
        assert_eq!(fresh, Freshness::Created);
        let mut case = Determination {
            case_number: Some("CM99-0000001".into()),
            ..Determination::default()
        };
        case.items
            .push(imr_core::Item::new("Acupuncture 6 sessions"));
        index.add_all([&case]).expect("add");
        drop(index);

        let (index, fresh) = CorpusIndex::open_or_create(&dir).expect("reopen");
        assert_eq!(fresh, Freshness::Current);
        assert_eq!(index.len(), 1);
        drop(index);

        fs::write(dir.join(VERSION_FILE), "imr-corpus schema 0\n").expect("write");
        let (index, fresh) = CorpusIndex::open_or_create(&dir).expect("rebuild");
        assert!(matches!(fresh, Freshness::Rebuilt { .. }), "{fresh:?}");
        assert!(index.is_empty());
    }

    #[test]
    fn a_directory_of_other_files_is_refused_and_kept() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let precious = tmp.path().join("notes.txt");
        fs::write(&precious, "keep me").expect("write");
        let err = CorpusIndex::open_or_create(tmp.path())
            .err()
            .expect("refused");
        assert!(matches!(err, CorpusError::NotAnIndex { .. }), "{err}");
        assert!(precious.exists());
    }

    #[test]
    fn date_numbers_round_trip_and_order() {
        let a = Date::new(2016, 12, 30).expect("date");
        let b = Date::new(2017, 1, 9).expect("date");
        assert_eq!(number_date(date_number(a)), Some(a));
        assert!(date_number(a) < date_number(b));
    }
}
