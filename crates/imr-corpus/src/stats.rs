//! Outcome statistics: how published disputed items were decided, by service category,
//! guideline, reviewer specialty and month, with counts.

use std::collections::BTreeMap;

use imr_core::Decision;
use serde::{Deserialize, Serialize};

use crate::record::ItemRecord;

/// One group's outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRow {
    /// "service", "guideline", "specialty" or "month".
    pub dimension: String,
    /// The group: a service name, a guideline, a specialty, or a month as "2017-02".
    pub key: String,
    /// Items with a decision in this group.
    pub items: u64,
    pub upheld: u64,
    pub overturned: u64,
    /// overturned / items.
    pub overturned_rate: f64,
}

/// Outcome rates in four cuts. An item counts once in each guideline it cites and each
/// specialty of its reviewer, so those cuts' rows add up to more than the items. Items without a
/// decision are left out; items without a date are left out of the months only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeStats {
    pub items: u64,
    pub upheld: u64,
    pub overturned: u64,
    pub by_service: Vec<OutcomeRow>,
    pub by_guideline: Vec<OutcomeRow>,
    pub by_specialty: Vec<OutcomeRow>,
    pub by_month: Vec<OutcomeRow>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    upheld: u64,
    overturned: u64,
}

impl Tally {
    fn add(&mut self, d: Decision) {
        match d {
            Decision::Upheld => self.upheld += 1,
            Decision::Overturned => self.overturned += 1,
        }
    }
}

impl OutcomeStats {
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a ItemRecord>) -> OutcomeStats {
        let mut total = Tally::default();
        let mut service: BTreeMap<String, Tally> = BTreeMap::new();
        let mut guideline: BTreeMap<String, Tally> = BTreeMap::new();
        let mut specialty: BTreeMap<String, Tally> = BTreeMap::new();
        let mut month: BTreeMap<String, Tally> = BTreeMap::new();
        for r in records {
            let Some(d) = r.decision else { continue };
            total.add(d);
            service.entry(r.service.clone()).or_default().add(d);
            for g in &r.guidelines {
                guideline.entry(g.clone()).or_default().add(d);
            }
            for s in &r.specialties {
                specialty.entry(s.clone()).or_default().add(d);
            }
            if let Some(date) = r.decision_date {
                let key = format!("{:04}-{:02}", date.year(), date.month());
                month.entry(key).or_default().add(d);
            }
        }
        OutcomeStats {
            items: total.upheld + total.overturned,
            upheld: total.upheld,
            overturned: total.overturned,
            by_service: rows("service", service, true),
            by_guideline: rows("guideline", guideline, true),
            by_specialty: rows("specialty", specialty, true),
            by_month: rows("month", month, false),
        }
    }

    /// All rows, cut by cut.
    pub fn rows(&self) -> impl Iterator<Item = &OutcomeRow> {
        self.by_service
            .iter()
            .chain(&self.by_guideline)
            .chain(&self.by_specialty)
            .chain(&self.by_month)
    }

    /// CSV with a header: dimension,key,items,upheld,overturned,overturned_rate.
    pub fn to_csv(&self) -> String {
        let mut out = csv::Writer::from_writer(Vec::new());
        let header = [
            "dimension",
            "key",
            "items",
            "upheld",
            "overturned",
            "overturned_rate",
        ];
        // Writing to memory cannot fail; a row that did would be left out, not half-written.
        let _ = out.write_record(header);
        for r in self.rows() {
            let _ = out.write_record([
                r.dimension.clone(),
                r.key.clone(),
                r.items.to_string(),
                r.upheld.to_string(),
                r.overturned.to_string(),
                format!("{:.4}", r.overturned_rate),
            ]);
        }
        String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Rows of one cut: the largest groups first (or in key order, for months).
fn rows(dimension: &str, groups: BTreeMap<String, Tally>, by_size: bool) -> Vec<OutcomeRow> {
    let mut out: Vec<OutcomeRow> = groups
        .into_iter()
        .map(|(key, t)| {
            let items = t.upheld + t.overturned;
            OutcomeRow {
                dimension: dimension.to_string(),
                key,
                items,
                upheld: t.upheld,
                overturned: t.overturned,
                overturned_rate: if items == 0 {
                    0.0
                } else {
                    t.overturned as f64 / items as f64
                },
            }
        })
        .collect();
    if by_size {
        // Stable: equal sizes stay in key order.
        out.sort_by_key(|r| std::cmp::Reverse(r.items));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    fn record(service: &str, decision: Option<Decision>, month: i8, specs: &[&str]) -> ItemRecord {
        ItemRecord {
            case_number: "CM99-0000001".into(),
            item_index: 0,
            decision_date: Some(Date::new(2017, month, 3).expect("date")),
            decision,
            service: service.into(),
            guidelines: vec!["MTUS Chronic Pain Medical Treatment".into(), "ODG".into()],
            guideline_line: None,
            specialties: specs.iter().map(|s| s.to_string()).collect(),
            body_regions: vec![],
            request: String::new(),
            summary: String::new(),
            rationale: String::new(),
        }
    }

    #[test]
    fn counts_rates_and_csv() {
        let records = vec![
            record(
                "acupuncture",
                Some(Decision::Overturned),
                1,
                &["Family Practice"],
            ),
            record(
                "acupuncture",
                Some(Decision::Upheld),
                1,
                &["Family Practice, Sports"],
            ),
            record("mri", Some(Decision::Upheld), 2, &[]),
            record("mri", None, 2, &[]),
        ];
        let stats = OutcomeStats::from_records(&records);
        assert_eq!((stats.items, stats.upheld, stats.overturned), (3, 2, 1));
        let acu = &stats.by_service[0];
        assert_eq!(
            (acu.key.as_str(), acu.items, acu.overturned),
            ("acupuncture", 2, 1)
        );
        assert!((acu.overturned_rate - 0.5).abs() < 1e-9);
        // Each item counts once per guideline it cites.
        assert_eq!(stats.by_guideline.len(), 2);
        assert!(stats.by_guideline.iter().all(|r| r.items == 3));
        let months: Vec<_> = stats
            .by_month
            .iter()
            .map(|r| (r.key.as_str(), r.items))
            .collect();
        assert_eq!(months, vec![("2017-01", 2), ("2017-02", 1)]);
        let csv = stats.to_csv();
        assert!(csv.starts_with("dimension,key,items,upheld,overturned,overturned_rate\n"));
        assert!(csv.contains("service,acupuncture,2,1,1,0.5000\n"));
        assert!(csv.contains("specialty,\"Family Practice, Sports\",1,1,0,0.0000\n"));
    }
}
