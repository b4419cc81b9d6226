//! Precedents: for each disputed item of a case, the most similar published decisions.
//!
//! Similar means, first, the same service category (the guidelines judge categories apart), and
//! then the words of the request and of the clinical summary, weighted by how rare they are in
//! the corpus (BM25 over the request and summary fields). Where the category has fewer than `k`
//! published items, the nearest items of other categories fill the list, marked as such. The
//! case's own published items are never its precedents.

use imr_core::{Decision, Determination};
use imr_reading::request::read_request;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{TantivyDocument, Term};

use crate::CorpusError;
use crate::index::CorpusIndex;
use crate::search::{Snippet, exact, opening};

/// How many of the summary's words (the rarest) take part in the similarity.
const SUMMARY_TERMS: usize = 30;
/// A request's words weigh more than the summary's: the request is what was decided.
const REQUEST_BOOST: f32 = 3.0;

/// One published decision offered as a precedent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precedent {
    pub score: f32,
    pub case_number: String,
    pub item_index: u32,
    pub decision_date: Option<Date>,
    pub decision: Option<Decision>,
    pub service: String,
    /// False for items of another category that fill a short list.
    pub same_service: bool,
    pub request: String,
    pub guideline_line: Option<String>,
    /// The rationale's opening.
    pub rationale: Option<Snippet>,
}

/// The precedents of one disputed item of the case under review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemPrecedents {
    pub item_index: usize,
    pub request: String,
    pub service: String,
    pub precedents: Vec<Precedent>,
    /// The outcome most of the precedents had (see [`majority`]).
    pub majority: Option<Decision>,
}

impl CorpusIndex {
    /// The `k` nearest published decisions for every disputed item of `case`.
    pub fn precedents(
        &self,
        case: &Determination,
        k: usize,
    ) -> Result<Vec<ItemPrecedents>, CorpusError> {
        let summary = case.clinical_summary.as_deref().unwrap_or_default();
        case.items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let service = read_request(&item.request).service.as_str().to_string();
                let precedents = self.precedents_for_item(
                    case.case_number.as_deref(),
                    &item.request,
                    &service,
                    summary,
                    k,
                )?;
                Ok(ItemPrecedents {
                    item_index: i,
                    request: item.request.clone(),
                    majority: majority(&precedents),
                    service,
                    precedents,
                })
            })
            .collect()
    }

    /// The `k` nearest published items to one request (of category `service`, with `summary`),
    /// leaving out the items of `exclude_case`.
    pub fn precedents_for_item(
        &self,
        exclude_case: Option<&str>,
        request: &str,
        service: &str,
        summary: &str,
        k: usize,
    ) -> Result<Vec<Precedent>, CorpusError> {
        if k == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let mut likeness: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in self.terms(f.request, request)? {
            likeness.push((Occur::Should, boosted(term, REQUEST_BOOST)));
        }
        for term in self.rarest_terms(f.summary, summary, SUMMARY_TERMS)? {
            likeness.push((Occur::Should, boosted(term, 1.0)));
        }
        if likeness.is_empty() {
            likeness.push((Occur::Must, Box::new(AllQuery)));
        }
        let base = |same_service: bool| {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                likeness.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            let occur = if same_service {
                Occur::Must
            } else {
                Occur::MustNot
            };
            clauses.push((occur, exact(f.service, service)));
            if let Some(case) = exclude_case {
                clauses.push((Occur::MustNot, exact(f.case_number, case)));
            }
            BooleanQuery::new(clauses)
        };

        let searcher = self.searcher();
        let mut out = Vec::with_capacity(k);
        for same_service in [true, false] {
            let want = k - out.len();
            if want == 0 {
                break;
            }
            let top = searcher.search(
                &base(same_service),
                &TopDocs::with_limit(want).order_by_score(),
            )?;
            for (score, address) in top {
                let doc: TantivyDocument = searcher.doc(address)?;
                let r = f.record(&doc);
                out.push(Precedent {
                    score,
                    rationale: Some(opening("rationale", &r.rationale))
                        .filter(|s| !s.text.is_empty()),
                    case_number: r.case_number,
                    item_index: r.item_index,
                    decision_date: r.decision_date,
                    decision: r.decision,
                    service: r.service,
                    same_service,
                    request: r.request,
                    guideline_line: r.guideline_line,
                });
            }
        }
        Ok(out)
    }

    /// The distinct terms of `text` as the field's analyzer makes them.
    fn terms(&self, field: Field, text: &str) -> Result<Vec<Term>, CorpusError> {
        let mut out: Vec<Term> = Vec::new();
        for term in self.tokens(field, text)? {
            if !out.contains(&term) {
                out.push(term);
            }
        }
        Ok(out)
    }

    /// The `n` terms of `text` that best tell it apart: frequent in the text, rare in the corpus.
    fn rarest_terms(&self, field: Field, text: &str, n: usize) -> Result<Vec<Term>, CorpusError> {
        let mut analyzer = self.index().tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(text);
        let mut counts: Vec<(Term, u32)> = Vec::new();
        while let Some(token) = stream.next() {
            if token.text.chars().all(|c| c.is_ascii_digit()) {
                continue; // ages, dates and doses say little about likeness
            }
            let term = Term::from_field_text(field, &token.text);
            match counts.iter_mut().find(|(t, _)| *t == term) {
                Some((_, c)) => *c += 1,
                None => counts.push((term, 1)),
            }
        }
        let searcher = self.searcher();
        let docs = searcher.num_docs().max(1) as f64;
        let mut weighted = Vec::with_capacity(counts.len());
        for (term, tf) in counts {
            let df = searcher.doc_freq(&term)?;
            if df == 0 {
                continue;
            }
            let idf = (docs / df as f64).ln();
            weighted.push((f64::from(tf).sqrt() * idf, term));
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(weighted.into_iter().take(n).map(|(_, t)| t).collect())
    }
}

fn boosted(term: Term, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// The outcome most precedents had; a tie goes to the outcome of the nearest precedent among
/// the tied. `None` when no precedent has a decision.
pub fn majority(precedents: &[Precedent]) -> Option<Decision> {
    let count = |d: Decision| precedents.iter().filter(|p| p.decision == Some(d)).count();
    let (upheld, overturned) = (count(Decision::Upheld), count(Decision::Overturned));
    match upheld.cmp(&overturned) {
        std::cmp::Ordering::Greater => Some(Decision::Upheld),
        std::cmp::Ordering::Less => Some(Decision::Overturned),
        std::cmp::Ordering::Equal => precedents.iter().find_map(|p| p.decision),
    }
}

/// How often the majority of the top `k` precedents agrees with the published decision, each
/// letter judged against all the others (leave-one-out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaveOneOut {
    pub k: usize,
    /// Disputed items with a published decision.
    pub items: usize,
    /// Items whose precedents' majority equals the published decision.
    pub agreed: usize,
    /// Items for which no precedent had a decision.
    pub without_precedent: usize,
    /// Items overturned, and of those how many the majority called overturned.
    pub overturned: usize,
    pub overturned_agreed: usize,
    /// The share of items upheld: what always answering "Upheld" would score.
    pub upheld_share: f64,
}

impl LeaveOneOut {
    pub fn agreement(&self) -> f64 {
        ratio(self.agreed, self.items)
    }

    /// Mean of the agreement on upheld and on overturned items: a fair figure when 9 in 10
    /// items are upheld.
    pub fn balanced_agreement(&self) -> f64 {
        let upheld = self.items - self.overturned;
        let upheld_agreed = self.agreed - self.overturned_agreed;
        (ratio(upheld_agreed, upheld) + ratio(self.overturned_agreed, self.overturned)) / 2.0
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Leave-one-out over `determinations`, all of which are in `index`.
pub fn leave_one_out(
    index: &CorpusIndex,
    determinations: &[Determination],
    k: usize,
) -> Result<LeaveOneOut, CorpusError> {
    let mut out = LeaveOneOut {
        k,
        items: 0,
        agreed: 0,
        without_precedent: 0,
        overturned: 0,
        overturned_agreed: 0,
        upheld_share: 0.0,
    };
    let mut upheld = 0;
    for determination in determinations {
        for found in index.precedents(determination, k)? {
            let Some(published) = determination
                .items
                .get(found.item_index)
                .and_then(|item| item.decision)
            else {
                continue;
            };
            out.items += 1;
            if published == Decision::Upheld {
                upheld += 1;
            } else {
                out.overturned += 1;
            }
            match found.majority {
                None => out.without_precedent += 1,
                Some(m) if m == published => {
                    out.agreed += 1;
                    if published == Decision::Overturned {
                        out.overturned_agreed += 1;
                    }
                }
                Some(_) => {}
            }
        }
    }
    out.upheld_share = ratio(upheld, out.items);
    Ok(out)
}
