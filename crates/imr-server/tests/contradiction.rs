//! A letter cannot contradict itself, through the API: every combination of the decision chosen
//! (Upheld, Overturned), the rationale (the engine's proposed one, or one typed: concluding
//! nothing, concluding as the decision, concluding the opposite) and the proposal's own decision
//! (the fixture case's engine upholds one item and overturns the other) is posted to the sign
//! endpoint. A rationale that concludes the opposite of the decision is refused with 422 naming
//! the item and the field, signing nothing; every other one signs, and the letter's conclusion
//! sentence for the item is written from the decision chosen. The guideline relied on is
//! required (422 naming the item).

mod common;

use common::{TestServer, application, data};
use imr_case::conclusion::{conclusion_sentence, contradiction};
use imr_core::Decision;
use imr_letter::read_letter;
use reqwest::StatusCode;
use serde_json::{Value, json};

const REQUESTS: [&str; 2] = [
    "MRI of the lumbar spine without contrast",
    "Physical therapy 2 times a week for 4 weeks",
];
const GUIDELINE: &str = "MTUS ACOEM Low Back Complaints";

/// Opens the fixture application (the `k`th dispute: its own claim number), assigns it to
/// `reviewer` and sends its complete records.
async fn case_to_sign(server: &TestServer, clerk: &str, reviewer: &str, k: usize) -> String {
    let mut app = application();
    app["claim_number"] = json!(format!("TEST-77-{:04}", k + 1));
    let (s, body) = server
        .send("POST", "/api/applications", Some(clerk), Some(app))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let n = body["number"].as_str().expect("number").to_string();
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(clerk),
            Some(json!({"reviewer_id": reviewer, "notice": "electronic"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let records = std::fs::read(data("records.txt")).expect("records");
    let resp = server
        .client
        .post(server.url(&format!(
            "/api/cases/{n}/documents?kind=medical%20records&complete=true"
        )))
        .bearer_auth(clerk)
        .header("content-type", "text/plain")
        .body(records)
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);
    n
}

/// Where a rationale comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Proposed,
    Neutral,
    Agreeing,
    Opposing,
}

fn typed(source: Source, decision: Decision) -> String {
    let (agree, oppose) = match decision {
        Decision::Upheld => (
            "Therefore, the request is not medically necessary.",
            "The guidelines support the request.",
        ),
        Decision::Overturned => (
            "The requested service is supported.",
            "As such, the request is not certified.",
        ),
    };
    let opening = "The reviewer read the fictional records of this case.";
    match source {
        Source::Neutral => opening.to_string(),
        Source::Agreeing => format!("{opening} {agree}"),
        _ => format!("{opening} {oppose}"),
    }
}

fn opposite(decision: Decision) -> Decision {
    match decision {
        Decision::Upheld => Decision::Overturned,
        Decision::Overturned => Decision::Upheld,
    }
}

/// One item's choice: the decision and the rationale's source.
#[derive(Debug, Clone, Copy)]
struct Choice {
    decision: Decision,
    source: Source,
}

struct Proposal {
    decisions: [Decision; 2],
    rationales: [String; 2],
}

impl Proposal {
    fn rationale(&self, item: usize, choice: Choice) -> String {
        match choice.source {
            Source::Proposed => self.rationales[item].clone(),
            other => typed(other, choice.decision),
        }
    }

    /// Whether the combination must be refused.
    fn refused(&self, item: usize, choice: Choice) -> bool {
        match choice.source {
            Source::Proposed => self.decisions[item] != choice.decision,
            Source::Opposing => true,
            Source::Neutral | Source::Agreeing => false,
        }
    }

    fn body(&self, choices: [Choice; 2]) -> Value {
        let decisions: Vec<Value> = (0..2)
            .map(|i| {
                json!({
                    "request": REQUESTS[i],
                    "decision": choices[i].decision.as_str(),
                    "guideline": GUIDELINE,
                    "rationale": self.rationale(i, choices[i]),
                })
            })
            .collect();
        json!({"decisions": decisions, "clinical_summary": "A fictional worker with low back pain."})
    }
}

/// Whitespace as one space, so that a wrapped letter compares with a sentence.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn every_combination_of_decision_rationale_and_proposal_signs_or_is_refused_by_item() {
    let server = TestServer::start().await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let clerk = server.user("clerk", "intake_clerk", None, None).await;

    // The engine's proposal on the fixture: one item of each decision.
    let first = case_to_sign(&server, &clerk, ortho, 0).await;
    let (s, proposal) = server
        .get(&format!("/api/cases/{first}/proposal"), ortho_token)
        .await;
    assert_eq!(s, StatusCode::OK, "{proposal}");
    let decision_of = |i: usize| {
        Decision::parse(proposal["items"][i]["decision"].as_str().unwrap_or(""))
            .unwrap_or_else(|| panic!("the engine decides item {}: {proposal}", i + 1))
    };
    let proposal = Proposal {
        decisions: [decision_of(0), decision_of(1)],
        rationales: [0, 1].map(|i| {
            proposal["items"][i]["rationale"]
                .as_str()
                .expect("rationale")
                .to_string()
        }),
    };
    assert_ne!(
        proposal.decisions[0], proposal.decisions[1],
        "the fixture's proposal holds both decisions"
    );

    let sources = [
        Source::Proposed,
        Source::Neutral,
        Source::Agreeing,
        Source::Opposing,
    ];
    let mut to_sign: [Vec<Choice>; 2] = [Vec::new(), Vec::new()];
    let mut to_refuse: [Vec<Choice>; 2] = [Vec::new(), Vec::new()];
    for (item, (sign, refuse)) in to_sign.iter_mut().zip(to_refuse.iter_mut()).enumerate() {
        for decision in [Decision::Upheld, Decision::Overturned] {
            for source in sources {
                let choice = Choice { decision, source };
                if proposal.refused(item, choice) {
                    refuse.push(choice);
                } else {
                    sign.push(choice);
                }
            }
        }
    }
    assert_eq!(
        (to_sign[0].len(), to_refuse[0].len()),
        (5, 3),
        "per item: 8 combinations"
    );

    // The refusals, each beside a valid choice for the other item: 422 naming the item and
    // its rationale field, nothing signed.
    let path = format!("/api/cases/{first}/determination");
    let valid = |item: usize| Choice {
        decision: proposal.decisions[item],
        source: Source::Neutral,
    };
    let mut refusals = 0;
    for item in 0..2 {
        for &choice in &to_refuse[item] {
            let mut choices = [valid(0), valid(1)];
            choices[item] = choice;
            let (s, body) = server
                .send(
                    "POST",
                    &path,
                    Some(ortho_token),
                    Some(proposal.body(choices)),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{choice:?}: {body}");
            let error = body["error"].as_str().expect("an error");
            assert!(
                error.contains(&format!(
                    "decisions[{item}].rationale: item {} ({})",
                    item + 1,
                    REQUESTS[item]
                )),
                "{choice:?}: {error}"
            );
            assert!(
                error.contains(&format!(
                    "the decision chosen is {}",
                    choice.decision.as_str()
                )),
                "{error}"
            );
            if choice.source == Source::Proposed {
                assert!(
                    error.contains("the proposed rationale concludes"),
                    "{error}"
                );
            }
            assert!(
                !error.contains(&format!("decisions[{}]", 1 - item)),
                "{error}"
            );
            refusals += 1;
        }
    }
    // The guideline relied on is required.
    let mut no_guideline = proposal.body([valid(0), valid(1)]);
    no_guideline["decisions"][1]["guideline"] = json!("  ");
    let (s, body) = server
        .send("POST", &path, Some(ortho_token), Some(no_guideline))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"].as_str().unwrap_or("").contains(&format!(
            "decisions[1].guideline: no guideline for item 2 ({})",
            REQUESTS[1]
        )),
        "{body}"
    );
    let (_, case) = server
        .get(&format!("/api/cases/{first}"), ortho_token)
        .await;
    assert_eq!(case["status"], "records_complete", "nothing was signed");

    // The signatures: each valid choice of one item beside one of the other, a case each.
    let mut signed = 0;
    for (k, (&first_item, &second_item)) in to_sign[0].iter().zip(&to_sign[1]).enumerate() {
        let choices = [first_item, second_item];
        let n = if k == 0 {
            first.clone()
        } else {
            case_to_sign(&server, &clerk, ortho, k).await
        };
        let (s, body) = server
            .send(
                "POST",
                &format!("/api/cases/{n}/determination"),
                Some(ortho_token),
                Some(proposal.body(choices)),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{choices:?}: {body}");
        let resp = server
            .client
            .get(server.url(&format!("/api/cases/{n}/letter?format=text")))
            .bearer_auth(ortho_token)
            .send()
            .await
            .expect("letter");
        assert_eq!(resp.status(), StatusCode::OK);
        let letter = resp.text().await.expect("text");
        let read = read_letter(&letter);
        assert_eq!(read.items.len(), 2);
        for (i, choice) in choices.iter().enumerate() {
            let item = &read.items[i];
            assert_eq!(item.decision, Some(choice.decision), "{choices:?}");
            let rationale = flat(item.rationale.as_deref().unwrap_or(""));
            let sentence = conclusion_sentence(REQUESTS[i], choice.decision);
            assert!(rationale.ends_with(&sentence), "{choice:?}: {rationale}");
            let other = conclusion_sentence(REQUESTS[i], opposite(choice.decision));
            assert!(!rationale.contains(&other), "{choice:?}: {rationale}");
            assert_eq!(
                contradiction(&rationale, choice.decision),
                None,
                "{choice:?}"
            );
            // The physician's or the engine's words stay ahead of it.
            let written = flat(&proposal.rationale(i, *choice));
            let kept = written
                .split(". ")
                .next()
                .expect("a first sentence")
                .to_string();
            assert!(rationale.contains(&kept), "{choice:?}: {rationale}");
        }
        signed += 1;
    }
    assert_eq!(
        (signed, refusals),
        (5, 6),
        "16 combinations: 10 signed, 6 refused"
    );
}
