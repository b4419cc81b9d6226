//! One reading of a clinical document: everything the rest of the system needs from the text,
//! read once. Past this point nothing reads the words again: the engine's adapter takes a
//! [`ClinicalDocument`], which gives findings, sentences, sections, dates and the UR notice, and
//! quotes only the spans its own findings name.

use jiff::civil::Date;

use super::{Fact, Section, course, scan};
use imr_core::model::Diagnostic;

/// A clinical text as read: its findings and structure, and the text kept only for quoting.
#[derive(Debug, Clone, Default)]
pub struct ClinicalDocument {
    text: String,
    sentences: Vec<(usize, usize)>,
    sections: Vec<Section>,
    dates: Vec<Date>,
    ur_notice: Vec<(usize, usize)>,
    facts: Vec<Fact>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads a clinical text once. Never panics; odd input gives fewer findings and a diagnostic.
pub fn read(text: &str) -> ClinicalDocument {
    let mut reading = scan::read(text);
    let first_courses = course::first_courses(text, &reading.facts);
    if !first_courses.is_empty() {
        reading.facts.extend(first_courses);
        reading.facts.sort_by_key(|f| f.start);
    }
    ClinicalDocument {
        text: text.to_string(),
        sentences: reading.sentences,
        sections: reading.sections,
        dates: scan::dates(text),
        ur_notice: reading.ur_sentences,
        facts: reading.facts,
        diagnostics: reading.diagnostics,
    }
}

impl ClinicalDocument {
    /// The findings, in order of their start.
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// What was odd about the text (never clinical text).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The byte spans of the sentences.
    pub fn sentences(&self) -> &[(usize, usize)] {
        &self.sentences
    }

    /// The sections under their headings.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Every date the text states, in order of appearance.
    pub fn dates(&self) -> &[Date] {
        &self.dates
    }

    /// True when the text holds nothing to read.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The sentences that report the utilization review's decision or reasons, trimmed, with
    /// their text: shown to a reviewer apart, never read as findings.
    pub fn ur_notice(&self) -> Vec<(usize, usize, &str)> {
        self.ur_notice
            .iter()
            .map(|&(start, end)| {
                let sentence = &self.text[start..end];
                let start = start + (sentence.len() - sentence.trim_start().len());
                let end = (end - (sentence.len() - sentence.trim_end().len())).max(start);
                (start, end, &self.text[start..end])
            })
            .collect()
    }

    /// The clause a finding stands in, as a rationale quotes it.
    pub fn quote(&self, fact: &Fact) -> Option<&str> {
        let (a, b) = fact.clause?;
        self.text.get(a..b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::FactValue;

    #[test]
    fn one_reading_gives_findings_structure_and_quotes() {
        let doc = read(
            "Seen 3/4/2016. MRI showed an L5-S1 protrusion compressing the S1 root.\n\nUtilization Review: PT was non-certified.",
        );
        assert_eq!(doc.dates().len(), 1);
        assert!(doc.sentences().len() >= 3);
        assert_eq!(doc.ur_notice().len(), 1, "{:?}", doc.ur_notice());
        let mri = doc
            .facts()
            .iter()
            .find(|f| f.value == FactValue::Imaging(crate::request::Service::Mri))
            .expect("the MRI is read");
        assert_eq!(
            mri.result,
            Some(crate::extract::TestResult::RootCompression)
        );
        assert!(doc.quote(mri).is_some_and(|q| q.contains("compressing")));
        assert!(!doc.is_empty());
    }

    #[test]
    fn a_screen_is_dated_by_the_last_of_the_dates_listed() {
        let date = |text: &str| {
            read(text)
                .facts()
                .iter()
                .find(|f| f.kind == crate::extract::FactKind::UrineDrugScreen)
                .and_then(|f| f.date)
                .map(|d| d.to_string())
        };
        assert_eq!(
            date("Urine drug screens on 2/3/2016 and 8/30/2016 were consistent.").as_deref(),
            Some("2016-08-30")
        );
        // A month alone stands for its middle; a full date's day and year are no month.
        assert_eq!(
            date("Urine drug screens in 04/2016 and 09/2016 were consistent.").as_deref(),
            Some("2016-09-15")
        );
        assert_eq!(
            date("A urine drug screen on 11/07/2016 was consistent.").as_deref(),
            Some("2016-11-07")
        );
    }
}
