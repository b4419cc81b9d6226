//! Each rule's measured agreement with published decisions: how many items it decided in the
//! backtest of the dev letters, and how many as the reviewer did, in the tune half (the letters
//! rules were written from) and the check half (letters looked at only through figures).
//!
//! The table is data, `agreement.csv` beside this file, written by
//! `imr backtest --halves FILE --write-agreement agreement.csv` and checked by the engine test
//! `the_agreement_table_is_current`, so a proposal shows the reviewer how far its rule has been
//! right.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Serialize;

const TABLE: &str = include_str!("agreement.csv");

/// One rule's backtest figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleAgreement {
    pub tune_hits: u32,
    pub tune_agree: u32,
    pub check_hits: u32,
    pub check_agree: u32,
}

impl RuleAgreement {
    /// Agreement on the check half, the honest figure; `None` when the rule decided no check item.
    pub fn check_agreement(&self) -> Option<f64> {
        (self.check_hits > 0).then(|| f64::from(self.check_agree) / f64::from(self.check_hits))
    }
}

static RULES: LazyLock<BTreeMap<String, RuleAgreement>> =
    LazyLock::new(|| parse(TABLE).unwrap_or_default());

/// The measured agreement of rule `id`, if it was measured.
pub fn of(id: &str) -> Option<RuleAgreement> {
    RULES.get(id).copied()
}

/// The header of the table.
pub const HEADER: &str = "rule,tune_hits,tune_agree,check_hits,check_agree";

/// Reads the table; an error names the line and what is wrong.
pub fn parse(text: &str) -> Result<BTreeMap<String, RuleAgreement>, String> {
    let mut rules = BTreeMap::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim() == HEADER => {}
        _ => return Err(format!("line 1: the header must be \"{HEADER}\"")),
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [rule, a, b, c, d] = fields[..] else {
            return Err(format!("line {}: expected 5 fields", i + 1));
        };
        let n = |s: &str| {
            s.parse::<u32>()
                .map_err(|_| format!("line {}: {s:?} is not a count", i + 1))
        };
        rules.insert(
            rule.to_string(),
            RuleAgreement {
                tune_hits: n(a)?,
                tune_agree: n(b)?,
                check_hits: n(c)?,
                check_agree: n(d)?,
            },
        );
    }
    Ok(rules)
}

/// Per rule: (hits, agree) in the tune half, then in the check half.
pub type Counts = BTreeMap<String, ((usize, usize), (usize, usize))>;

/// Writes the table from per-rule counts.
pub fn write(rows: &Counts) -> String {
    let mut out = format!("{HEADER}\n");
    for (rule, ((th, ta), (ch, ca))) in rows {
        out.push_str(&format!("{rule},{th},{ta},{ch},{ca}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_round_trips_and_bad_lines_are_named() {
        let mut rows = Counts::new();
        rows.insert("a.rule".to_string(), ((3, 2), (5, 4)));
        let parsed = parse(&write(&rows)).expect("table");
        let a = parsed["a.rule"];
        assert_eq!(
            (a.tune_hits, a.tune_agree, a.check_hits, a.check_agree),
            (3, 2, 5, 4)
        );
        assert_eq!(a.check_agreement(), Some(0.8));
        let e = parse(&format!("{HEADER}\na.rule,1,x,0,0\n")).expect_err("not a count");
        assert!(e.starts_with("line 2:"), "{e}");
    }

    #[test]
    fn the_shipped_table_reads() {
        assert!(parse(TABLE).is_ok_and(|rules| !rules.is_empty()));
    }
}
