//! Searching the corpus: words over summaries, requests and rationales, filters on the facts,
//! and snippets with the matched words marked.

use std::ops::Bound;

use imr_core::Decision;
use imr_reading::request::{BodyRegion, Service};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

use crate::CorpusError;
use crate::index::{CorpusIndex, date_number, decision_word};

/// Narrowing a search to the items that share some facts. Empty filters match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    pub decision: Option<Decision>,
    pub service: Option<Service>,
    /// Words of a guideline's name, in order ("chronic pain", "ODG", "MTUS").
    pub guideline: Option<String>,
    /// Words of a reviewer specialty, in order ("orthopedic surgery").
    pub specialty: Option<String>,
    pub region: Option<BodyRegion>,
    /// Decision dates from, inclusive.
    pub from: Option<Date>,
    /// Decision dates to, inclusive.
    pub to: Option<Date>,
}

/// A search: what a person typed, read as words (never as query syntax: `:`, `'`, `/`, `(`,
/// `-` mean nothing special) of which every one must match, with `"double quotes"` around a
/// phrase; and filters. Empty words with filters list the filtered items. `offset` and `limit`
/// choose the page of the results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    #[serde(default)]
    pub filters: Filters,
    pub limit: usize,
    #[serde(default)]
    pub offset: usize,
}

impl SearchQuery {
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
        }
    }
}

/// The parts of a search text: single words and quoted phrases, in order. A word that the
/// tokenizer splits (`10/325`, `O'Brien`, `patient's`) is matched as the phrase of its pieces.
pub fn search_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1 {
            // Inside quotes (an unclosed quote runs to the end): one phrase.
            if !part.trim().is_empty() {
                out.push(part.trim().to_string());
            }
        } else {
            out.extend(part.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// A passage of one field with the matched words' byte ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// "rationale", "summary" or "request".
    pub field: String,
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The passage with each match wrapped in `open` and `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        for (text, matched) in self.pieces() {
            if matched {
                out.push_str(open);
                out.push_str(text);
                out.push_str(close);
            } else {
                out.push_str(text);
            }
        }
        out
    }

    /// The passage in order as pieces of text, each `true` where it is a match (for a page to
    /// mark up, escaping it as it goes). A range outside the text or out of order is skipped.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::with_capacity(2 * self.highlights.len() + 1);
        let mut at = 0;
        for &(start, end) in &self.highlights {
            let (Some(before), Some(word)) = (self.text.get(at..start), self.text.get(start..end))
            else {
                continue;
            };
            out.push((before, false));
            out.push((word, true));
            at = end;
        }
        out.push((self.text.get(at..).unwrap_or_default(), false));
        out
    }
}

/// One matching disputed item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub score: f32,
    pub case_number: String,
    pub item_index: u32,
    pub decision_date: Option<Date>,
    pub decision: Option<Decision>,
    pub service: String,
    pub request: String,
    pub guideline_line: Option<String>,
    pub specialties: Vec<String>,
    pub body_regions: Vec<String>,
    /// The best passage of the rationale or, failing a match there, of the summary.
    pub snippet: Option<Snippet>,
    /// The request with its matched words.
    pub request_snippet: Option<Snippet>,
}

/// A page of results and how many items matched in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

const SNIPPET_CHARS: usize = 220;

impl CorpusIndex {
    /// Runs a search. A malformed query is an error that says what is wrong with it.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, CorpusError> {
        let f = self.fields;
        let words = self.words_query(&query.text)?;
        let mut clauses = vec![(Occur::Must, words)];
        clauses.extend(
            self.filter_clauses(&query.filters)?
                .into_iter()
                .map(|q| (Occur::Must, q)),
        );
        let full = BooleanQuery::new(clauses);

        let searcher = self.searcher();
        let (total, top) = searcher.search(
            &full,
            &(
                Count,
                TopDocs::with_limit(query.limit.max(1))
                    .and_offset(query.offset)
                    .order_by_score(),
            ),
        )?;
        let mut rationale_snippets = SnippetGenerator::create(&searcher, &full, f.rationale)?;
        rationale_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut summary_snippets = SnippetGenerator::create(&searcher, &full, f.summary)?;
        summary_snippets.set_max_num_chars(SNIPPET_CHARS);
        let request_snippets = SnippetGenerator::create(&searcher, &full, f.request)?;

        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let record = f.record(&doc);
            let from_rationale = snippet("rationale", &rationale_snippets.snippet_from_doc(&doc));
            let snippet = if from_rationale.highlights.is_empty() {
                let from_summary = snippet("summary", &summary_snippets.snippet_from_doc(&doc));
                if from_summary.highlights.is_empty() {
                    // No word matched (a filter-only search): the rationale's opening.
                    Some(opening("rationale", &record.rationale))
                } else {
                    Some(from_summary)
                }
            } else {
                Some(from_rationale)
            };
            let request = snippet_of_whole(&request_snippets, &record.request);
            hits.push(SearchHit {
                score,
                case_number: record.case_number,
                item_index: record.item_index,
                decision_date: record.decision_date,
                decision: record.decision,
                service: record.service,
                request: record.request,
                guideline_line: record.guideline_line,
                specialties: record.specialties,
                body_regions: record.body_regions,
                snippet: snippet.filter(|s| !s.text.is_empty()),
                request_snippet: Some(request),
            });
        }
        Ok(SearchResults { total, hits })
    }

    /// Every word or phrase of `text` in the request (weighted double), the summary or the
    /// rationale. A text with no words at all matches everything; one whose words are all
    /// punctuation is an error that says so.
    fn words_query(&self, text: &str) -> Result<Box<dyn Query>, CorpusError> {
        let f = self.fields;
        let parts = search_terms(text);
        if parts.is_empty() {
            return Ok(Box::new(AllQuery));
        }
        let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for part in &parts {
            let mut fields: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (field, boost) in [(f.request, 2.0), (f.summary, 1.0), (f.rationale, 1.0)] {
                let terms = self.tokens(field, part)?;
                let query: Box<dyn Query> = match terms.len() {
                    0 => continue,
                    1 => Box::new(TermQuery::new(
                        terms[0].clone(),
                        IndexRecordOption::WithFreqsAndPositions,
                    )),
                    _ => Box::new(PhraseQuery::new(terms)),
                };
                fields.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
            }
            if !fields.is_empty() {
                musts.push((Occur::Must, Box::new(BooleanQuery::new(fields))));
            }
        }
        if musts.is_empty() {
            return Err(CorpusError::Query {
                query: text.to_string(),
                message: "it has no words to search for, only punctuation".to_string(),
            });
        }
        Ok(Box::new(BooleanQuery::new(musts)))
    }

    /// The terms `text` gives in `field`, through that field's tokenizer.
    pub(crate) fn tokens(&self, field: Field, text: &str) -> Result<Vec<Term>, CorpusError> {
        let mut analyzer = self.index().tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push(Term::from_field_text(field, &token.text));
        }
        Ok(terms)
    }

    /// The filters as queries, each of which a hit must match.
    pub(crate) fn filter_clauses(
        &self,
        filters: &Filters,
    ) -> Result<Vec<Box<dyn Query>>, CorpusError> {
        let f = self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(decision) = filters.decision {
            out.push(exact(f.decision, decision_word(Some(decision))));
        }
        if let Some(service) = filters.service {
            out.push(exact(f.service, service.as_str()));
        }
        if let Some(region) = filters.region {
            out.push(exact(f.region, region.as_str()));
        }
        if let Some(words) = &filters.guideline {
            out.push(self.words_in(f.guideline, "guideline", words)?);
        }
        if let Some(words) = &filters.specialty {
            let words = imr_case::canonical_specialty(words);
            out.push(self.words_in(f.specialty, "specialty", &words)?);
        }
        if filters.from.is_some() || filters.to.is_some() {
            if let (Some(from), Some(to)) = (filters.from, filters.to)
                && from > to
            {
                return Err(CorpusError::Filter {
                    filter: "from/to".to_string(),
                    message: format!("the range is empty: {from} is after {to}"),
                });
            }
            let bound = |d: Option<Date>| match d {
                Some(d) => Bound::Included(Term::from_field_u64(f.decision_date, date_number(d))),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(
                bound(filters.from),
                bound(filters.to),
            )));
        }
        Ok(out)
    }

    /// A phrase of `words` in a tokenized field (a single word is a term).
    fn words_in(
        &self,
        field: Field,
        name: &str,
        words: &str,
    ) -> Result<Box<dyn Query>, CorpusError> {
        let mut terms = self.tokens(field, words)?;
        match terms.len() {
            0 => Err(CorpusError::Filter {
                filter: name.to_string(),
                message: format!("\"{words}\" has no words to match"),
            }),
            1 => Ok(Box::new(TermQuery::new(
                terms.remove(0),
                IndexRecordOption::Basic,
            ))),
            _ => Ok(Box::new(PhraseQuery::new(terms))),
        }
    }
}

pub(crate) fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn snippet(field: &str, s: &tantivy::snippet::Snippet) -> Snippet {
    Snippet {
        field: field.to_string(),
        text: s.fragment().to_string(),
        highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
    }
}

/// The whole (short) text with its matches marked: requests are one line, so no fragment.
fn snippet_of_whole(generator: &SnippetGenerator, text: &str) -> Snippet {
    let s = generator.snippet(text);
    let offset = s.fragment_range().start;
    Snippet {
        field: "request".to_string(),
        text: text.to_string(),
        highlights: s
            .highlighted()
            .iter()
            .map(|r| (r.start + offset, r.end + offset))
            .collect(),
    }
}

/// The first words of a text, cut at a word boundary.
pub(crate) fn opening(field: &str, text: &str) -> Snippet {
    let mut end = text.len().min(SNIPPET_CHARS);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len()
        && let Some(space) = text[..end].rfind(' ')
    {
        end = space;
    }
    Snippet {
        field: field.to_string(),
        text: text[..end].to_string(),
        highlights: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_and_pieces_keep_each_match() {
        let s = Snippet {
            field: "rationale".into(),
            text: "MRI <lumbar> & MRI".into(),
            highlights: vec![(0, 3), (15, 18)],
        };
        assert_eq!(s.marked("[", "]"), "[MRI] <lumbar> & [MRI]");
        assert_eq!(
            s.pieces(),
            [
                ("", false),
                ("MRI", true),
                (" <lumbar> & ", false),
                ("MRI", true),
                ("", false)
            ]
        );
    }

    #[test]
    fn search_text_is_words_and_quoted_phrases() {
        assert_eq!(
            search_terms(r#"Norco 10/325 "functional improvement"  O'Brien"#),
            ["Norco", "10/325", "functional improvement", "O'Brien"]
        );
        assert_eq!(
            search_terms(r#"MRI: lumbar "unclosed phrase"#),
            ["MRI:", "lumbar", "unclosed phrase"]
        );
        assert!(search_terms(" \"\" ").is_empty());
    }

    #[test]
    fn opening_cuts_at_a_word() {
        let long = "word ".repeat(100);
        let s = opening("rationale", &long);
        assert!(s.text.len() <= SNIPPET_CHARS);
        assert!(s.text.ends_with("word"));
    }
}
