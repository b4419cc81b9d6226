//! Each rule's measured agreement with published decisions: how many items of the dev letters
//! it decided in the backtest, and on how many its proposal was the published decision.
//!
//! The dev letters ([`MEASURED_ON`]) are the published letters the rules were written from, so
//! the figure says how well a rule matches the letters it was written from, and nothing about
//! letters or cases it has not seen.
//!
//! The table is data, `agreement.csv` beside this file (header `rule,hits,agree`), written by
//! `imr backtest $IMR_LETTERS/dev/txt --write-agreement crates/imr-rules/src/engine/agreement.csv`
//! and checked by the engine test `the_agreement_table_is_current`, so a proposal shows the
//! reviewer how often its rule matched those letters.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

use super::backtest::Comparison;

const TABLE: &str = include_str!("agreement.csv");

/// How many dev letters the table is measured on.
pub const DEV_LETTERS: usize = 101;

/// The letters the table is measured on, as every place that shows a figure names them.
pub const MEASURED_ON: &str = "the 101 dev letters (2016-17) the rules were written from";

/// One rule's backtest figures on the dev letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleAgreement {
    /// Items the rule decided.
    pub hits: u32,
    /// Of those, items decided as published.
    pub agree: u32,
}

impl RuleAgreement {
    /// The share of the rule's items decided as published; `None` when it decided none.
    pub fn share(&self) -> Option<f64> {
        (self.hits > 0).then(|| f64::from(self.agree) / f64::from(self.hits))
    }

    /// The figure in words, naming the letters it was measured on: "agreed with the published
    /// decision on 7 of 9 items of the 101 dev letters (2016-17) the rules were written from".
    pub fn describe(&self) -> String {
        format!(
            "agreed with the published decision on {} of {} items of {MEASURED_ON}",
            self.agree, self.hits
        )
    }
}

/// Serialized with the letters it was measured on:
/// `{"hits": 9, "agree": 7, "measured_on": "the 101 dev letters ..."}`.
impl Serialize for RuleAgreement {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RuleAgreement", 3)?;
        s.serialize_field("hits", &self.hits)?;
        s.serialize_field("agree", &self.agree)?;
        s.serialize_field("measured_on", MEASURED_ON)?;
        s.end()
    }
}

static RULES: LazyLock<BTreeMap<String, RuleAgreement>> =
    LazyLock::new(|| parse(TABLE).unwrap_or_default());

/// The measured agreement of rule `id`, if it was measured.
pub fn of(id: &str) -> Option<RuleAgreement> {
    RULES.get(id).copied()
}

/// The header of the table.
pub const HEADER: &str = "rule,hits,agree";

/// The file the table is, as its errors name it.
const FILE: &str = "agreement.csv";

/// One line of the table.
#[derive(Deserialize)]
struct Row {
    rule: String,
    hits: u32,
    agree: u32,
}

/// Reads the table; an error names the file, the line and what is wrong. Tolerated: a
/// byte-order mark, CRLF line ends, blank lines, spaces around fields, quoted fields. Refused: a
/// wrong header or field count, an empty rule id or one with quotes, commas or spaces, a count
/// that is not a number, more agreements than hits, a rule listed twice.
pub fn parse(text: &str) -> Result<BTreeMap<String, RuleAgreement>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        // A short or long line is named below, with its line number.
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("{FILE} line 1: {e}"))?
        .clone();
    if !header.iter().eq(HEADER.split(',')) {
        return Err(format!("{FILE} line 1: the header must be \"{HEADER}\""));
    }
    let mut rules = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{FILE}: {e}"))?;
        let at = record.position().map_or(0, |p| line_at(text, p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != 3 {
            return Err(format!(
                "{FILE} line {at}: expected 3 fields ({HEADER}), found {}",
                record.len()
            ));
        }
        let Row { rule, hits, agree } = record.deserialize(Some(&header)).map_err(|e| {
            let field = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.field(),
                _ => None,
            };
            match field.and_then(|i| usize::try_from(i).ok()) {
                Some(i) => format!(
                    "{FILE} line {at}: {} {:?} is not a count",
                    &header[i], &record[i]
                ),
                None => format!("{FILE} line {at}: {e}"),
            }
        })?;
        if rule.is_empty() || rule.contains(|c: char| c == '"' || c == ',' || c.is_whitespace()) {
            return Err(format!("{FILE} line {at}: {rule:?} is not a rule id"));
        }
        if agree > hits {
            return Err(format!(
                "{FILE} line {at}: {rule} agrees on {agree} items but decided only {hits}"
            ));
        }
        if rules.contains_key(&rule) {
            return Err(format!("{FILE} line {at}: {rule} is listed twice"));
        }
        rules.insert(rule, RuleAgreement { hits, agree });
    }
    Ok(rules)
}

/// The line of the record csv says starts at byte `start`: csv counts a record's start from the
/// end of the one before, blank lines included, and its own line count leaves those out.
fn line_at(text: &str, start: u64) -> usize {
    let start = usize::try_from(start).map_or(text.len(), |s| s.min(text.len()));
    let blank = text[start..]
        .find(|c| c != '\r' && c != '\n')
        .unwrap_or(text.len() - start);
    1 + text[..start + blank].matches('\n').count()
}

/// Per rule: (items decided, items decided as published).
pub type Counts = BTreeMap<String, (usize, usize)>;

/// Each rule's counts over the comparisons: every item a rule decided is a hit, and an
/// agreement when it was decided as published.
pub fn measure(comparisons: &[Comparison]) -> Counts {
    let mut rows = Counts::new();
    for c in comparisons {
        let (Some(_), Some(rule)) = (c.engine, c.rule.as_deref()) else {
            continue;
        };
        let row = rows.entry(rule.to_string()).or_default();
        row.0 += 1;
        row.1 += usize::from(c.agrees());
    }
    rows
}

/// Writes the table from per-rule counts.
pub fn write(rows: &Counts) -> String {
    let mut out = format!("{HEADER}\n");
    for (rule, (hits, agree)) in rows {
        out.push_str(&format!("{rule},{hits},{agree}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_round_trips_and_bad_lines_are_named() {
        let mut rows = Counts::new();
        rows.insert("a.rule".to_string(), (5, 4));
        let parsed = parse(&write(&rows)).expect("table");
        let a = parsed["a.rule"];
        assert_eq!((a.hits, a.agree), (5, 4));
        assert_eq!(a.share(), Some(0.8));
        let bad = [
            ("rule,tune_hits,tune_agree\na,1,1\n", "line 1:"),
            (
                "a.rule,1,x\n",
                "agreement.csv line 2: agree \"x\" is not a count",
            ),
            ("a.rule,1\n", "expected 3 fields"),
            ("a.rule,1,1,1\n", "expected 3 fields"),
            ("a.rule,1,2\n", "decided only 1"),
            ("\"a rule\",1,1\n", "not a rule id"),
            ("\"a,rule\",1,1\n", "not a rule id"),
            (",1,1\n", "not a rule id"),
            (
                "a.rule,1,1\n\na.rule,2,2\n",
                "line 4: a.rule is listed twice",
            ),
            ("a.rule,-1,0\n", "not a count"),
        ];
        for (body, expected) in bad {
            let text = if body.starts_with("rule,") {
                body.to_string()
            } else {
                format!("{HEADER}\n{body}")
            };
            let e = parse(&text).expect_err(body);
            assert!(e.contains(expected), "{body:?}: {e}");
        }
    }

    #[test]
    fn a_bom_crlf_and_spaces_are_read() {
        let parsed =
            parse("\u{feff}rule, hits ,agree\r\n a.rule , 3 , 2 \r\n\r\n  \n\"b.rule\",1,1\n")
                .expect("table");
        assert_eq!(parsed["a.rule"], RuleAgreement { hits: 3, agree: 2 });
        assert_eq!(parsed["b.rule"], RuleAgreement { hits: 1, agree: 1 });
    }

    #[test]
    fn the_figure_names_the_letters_it_was_measured_on() {
        let a = RuleAgreement { hits: 9, agree: 7 };
        assert_eq!(
            a.describe(),
            "agreed with the published decision on 7 of 9 items of the 101 dev letters (2016-17) the rules were written from"
        );
        let json = serde_json::to_value(a).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"hits": 9, "agree": 7, "measured_on": MEASURED_ON})
        );
        assert!(MEASURED_ON.contains(&DEV_LETTERS.to_string()));
    }

    #[test]
    fn the_shipped_table_reads() {
        assert!(parse(TABLE).is_ok_and(|rules| !rules.is_empty()));
    }
}
