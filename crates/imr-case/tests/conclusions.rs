//! The conclusion reader (`case::conclusion`) against what it must agree with: every rule's
//! rationale concludes as the rule decides, and the published letters' rationales conclude as
//! their headings decide (read through `IMR_LETTERS`; figures only, no text).

#![allow(clippy::disallowed_methods)] // tests read fixtures

use imr_case::conclusion::{conclusion_sentence, conclusions, contradiction, with_conclusion};
use imr_core::Decision;
use imr_letter::read_letter;
use imr_rules::guidelines::{Guidelines, Outcome};

#[test]
fn every_rule_concludes_as_it_decides_and_its_conclusion_is_rewritten_from_the_decision() {
    let guidelines = Guidelines::embedded().expect("the built-in guidelines load");
    let (mut decided, mut replaced) = (0, 0);
    for rule in &guidelines.rules {
        let decision = match rule.outcome {
            Outcome::Upheld => Decision::Upheld,
            Outcome::Overturned => Decision::Overturned,
            Outcome::NeedsPhysician => continue,
        };
        decided += 1;
        let rationale = rule
            .rationale
            .replace("{request}", "the fictional service")
            .replace("{quantity}", "6")
            .replace("{prior_visits}", "6")
            .replace("{total_visits}", "12")
            .replace("{weeks_since_injury}", "10");
        assert_eq!(
            contradiction(&rationale, decision),
            None,
            "{}: its rationale concludes against its outcome",
            rule.id
        );
        assert!(
            !conclusions(&rationale).is_empty(),
            "{}: its rationale concludes nothing the reader sees",
            rule.id
        );
        // Taken for the other decision, it is refused; rewritten for its own, it ends with the
        // letter's sentence (once, where the rule's own closing formula was that sentence).
        let other = match decision {
            Decision::Upheld => Decision::Overturned,
            Decision::Overturned => Decision::Upheld,
        };
        assert!(contradiction(&rationale, other).is_some(), "{}", rule.id);
        let written = with_conclusion(&rationale, "the fictional service", decision);
        let sentence = conclusion_sentence("the fictional service", decision);
        assert!(written.ends_with(&sentence), "{}: {written}", rule.id);
        assert_eq!(contradiction(&written, decision), None, "{}", rule.id);
        if rationale.ends_with(&sentence) {
            // The rule's own closing formula is replaced, not repeated.
            assert_eq!(
                written.matches(&sentence).count(),
                1,
                "{}: {written}",
                rule.id
            );
            replaced += 1;
        }
    }
    assert!(decided > 100, "{decided} deciding rules");
    assert!(
        replaced * 10 >= decided * 8,
        "{replaced} of {decided} closing formulas replaced"
    );
}

#[imr_testkit::needs(letters)]
#[test]
fn published_rationales_conclude_as_their_letters_decide() {
    let Some(dir) = imr_testkit::letters() else {
        return;
    };
    let mut files = Vec::new();
    for sub in ["seeds", "dev/txt"] {
        files.extend(
            std::fs::read_dir(dir.join(sub))
                .expect("letters folder")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    files.sort();
    let (mut items, mut concluding, mut contradicting) = (0, 0, Vec::new());
    for path in &files {
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("letter")).into_owned();
        let letter = read_letter(&text);
        for (i, item) in letter.items.iter().enumerate() {
            let (Some(decision), Some(rationale)) = (item.decision, &item.rationale) else {
                continue;
            };
            items += 1;
            if !conclusions(rationale).is_empty() {
                concluding += 1;
            }
            if let Some(found) = contradiction(rationale, decision) {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                contradicting.push(format!(
                    "{} item {} sentence {}",
                    name.unwrap_or_default(),
                    i + 1,
                    found.sentence
                ));
            }
        }
    }
    eprintln!(
        "{} letters, {items} items with a decision and a rationale: {concluding} with a \
         conclusion read, {} read as contradicting the decision",
        files.len(),
        contradicting.len()
    );
    assert!(items > 200, "{items} items");
    assert!(contradicting.is_empty(), "{contradicting:#?}");
    assert!(
        concluding * 100 >= items * 95,
        "{concluding}/{items} conclusions read"
    );
}
