//! Polarity of a fact: NegEx/ConText in Rust.
//!
//! A trigger phrase ("no", "denies", "without any documentation of", "possible", "history of")
//! opens a scope that runs forward (or, for post-triggers such as "was not noted", backward) up
//! to a terminator: the end of the sentence, a conjunction that turns the sentence ("but",
//! "however", "although"), or a fixed number of words. A fact whose span lies in the scope takes
//! the trigger's polarity. Pseudo-triggers ("not only", "no change in", "no longer") are matched
//! first so they cannot trigger.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

/// Whether the text asserts the fact.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Stated as present now ("has radiating pain").
    #[default]
    Affirmed,
    /// Stated as absent or not documented ("denies numbness", "no documented functional
    /// improvement", "there is no evidence of", "was not noted").
    Negated,
    /// Stated as possible, suspected, planned or to be ruled out ("possible", "rule out",
    /// "consideration of", "may").
    Uncertain,
    /// Stated as past ("history of", "status post", "previously", "prior").
    Historical,
    /// Stated as requested, recommended, planned or scheduled ("requests an acupuncture trial",
    /// "surgery is planned"): the plan is affirmed, the thing itself has not happened.
    Planned,
    /// Stated of someone other than the patient ("his father had a fusion", "family history of
    /// cancer"): no finding of this patient.
    Other,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Affirmed => "affirmed",
            Polarity::Negated => "negated",
            Polarity::Uncertain => "uncertain",
            Polarity::Historical => "historical",
            Polarity::Planned => "planned",
            Polarity::Other => "other",
        }
    }
}

/// What a trigger phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Sets the polarity of what follows it ("no", "denies").
    Pre(Polarity),
    /// Sets the polarity of what precedes it ("was not noted").
    Post(Polarity),
    /// Works both ways: before or after the fact ("completed 4 sessions", "4 sessions completed").
    Either(Polarity),
    /// Says a treatment was given in the past ("had", "received", "completed"): historical for
    /// care (treatments, surgery, medications), but says nothing about a diagnosis.
    PastCare,
    /// Ends every scope ("but", "however").
    Terminator,
    /// Ends a negation's scope only ("no improvement with physical therapy": the therapy was
    /// given), while a plan or a past reaches through it.
    NegationEnd,
    /// Looks like a trigger but is not ("no change", "not only"): matched so it cannot trigger.
    Pseudo,
    /// Words inside a noun phrase that hold a trigger word ("MRI without contrast"): matched so
    /// they trigger nothing, and passed over by every scope.
    Inert,
}

use Polarity::{Historical as H, Negated as N, Other as O, Planned as P, Uncertain as U};

const TRIGGERS: &[(&str, Role)] = &[
    // Negation, before the fact.
    ("no", Role::Pre(N)),
    ("not", Role::Pre(N)),
    ("without", Role::Pre(N)),
    ("w/o", Role::Pre(N)),
    ("without any", Role::Pre(N)),
    ("without any documentation of", Role::Pre(N)),
    ("without documentation of", Role::Pre(N)),
    ("without evidence of", Role::Pre(N)),
    ("denies", Role::Pre(N)),
    // Refusal: the thing is not given and not wanted.
    ("declines", Role::Pre(N)),
    ("declined", Role::Pre(N)),
    ("declining", Role::Pre(N)),
    ("refuses", Role::Pre(N)),
    ("refused", Role::Pre(N)),
    ("does not want", Role::Pre(N)),
    ("did not want", Role::Pre(N)),
    ("doesn't want", Role::Pre(N)),
    ("not interested in", Role::Pre(N)),
    ("is not interested in", Role::Pre(N)),
    ("wishes to avoid", Role::Pre(N)),
    ("wants to avoid", Role::Pre(N)),
    ("would like to avoid", Role::Pre(N)),
    ("prefers to avoid", Role::Pre(N)),
    ("would rather avoid", Role::Pre(N)),
    ("avoid", Role::Pre(N)),
    ("opposed to", Role::Pre(N)),
    ("against", Role::Pre(N)),
    ("not a candidate for", Role::Pre(N)),
    ("is not a candidate for", Role::Pre(N)),
    ("not willing to", Role::Pre(N)),
    ("unwilling to", Role::Pre(N)),
    ("no interest in", Role::Pre(N)),
    ("denied", Role::Pre(N)),
    ("deny", Role::Pre(N)),
    ("denying", Role::Pre(N)),
    ("negative for", Role::Pre(N)),
    ("neg for", Role::Pre(N)),
    ("was negative for", Role::Pre(N)),
    ("were negative for", Role::Pre(N)),
    ("is negative for", Role::Pre(N)),
    ("are negative for", Role::Pre(N)),
    ("has been negative for", Role::Pre(N)),
    ("neg", Role::Pre(N)),
    ("-ve for", Role::Pre(N)),
    ("no hx of", Role::Pre(N)),
    ("no h/o", Role::Pre(N)),
    ("negative", Role::Pre(N)),
    ("free of", Role::Pre(N)),
    ("absence of", Role::Pre(N)),
    ("lack of", Role::Pre(N)),
    ("lacks", Role::Pre(N)),
    ("never", Role::Pre(N)),
    ("none", Role::Pre(N)),
    ("neither", Role::Pre(N)),
    ("nor", Role::Pre(N)),
    ("failed to", Role::Pre(N)),
    ("fails to", Role::Pre(N)),
    ("did not", Role::Pre(N)),
    ("does not", Role::Pre(N)),
    ("do not", Role::Pre(N)),
    ("has not", Role::Pre(N)),
    ("have not", Role::Pre(N)),
    ("had not", Role::Pre(N)),
    ("is not", Role::Pre(N)),
    ("was not", Role::Pre(N)),
    ("were not", Role::Pre(N)),
    ("cannot", Role::Pre(N)),
    ("unable to", Role::Pre(N)),
    ("there is no", Role::Pre(N)),
    ("there was no", Role::Pre(N)),
    ("there were no", Role::Pre(N)),
    ("there is no evidence of", Role::Pre(N)),
    ("no evidence of", Role::Pre(N)),
    ("no documentation of", Role::Pre(N)),
    // Longer than "there is no", so that a past marker after them ("prior") stays negated.
    ("there is no documentation of", Role::Pre(N)),
    ("there was no documentation of", Role::Pre(N)),
    ("no record of", Role::Pre(N)),
    ("there is no record of", Role::Pre(N)),
    // "Not yet": the scope-ending "yet" is part of the negation here.
    ("not yet", Role::Pre(N)),
    ("has not yet", Role::Pre(N)),
    ("have not yet", Role::Pre(N)),
    ("no documented", Role::Pre(N)),
    ("no indication of", Role::Pre(N)),
    ("no signs of", Role::Pre(N)),
    ("no sign of", Role::Pre(N)),
    ("no clear", Role::Pre(N)),
    ("no objective", Role::Pre(N)),
    ("not documented", Role::Pre(N)),
    ("resolved", Role::Post(N)),
    // Negation, after the fact.
    ("not noted", Role::Post(N)),
    ("was not noted", Role::Post(N)),
    ("were not noted", Role::Post(N)),
    ("is not noted", Role::Post(N)),
    ("was not documented", Role::Post(N)),
    ("were not documented", Role::Post(N)),
    ("is not documented", Role::Post(N)),
    ("are not documented", Role::Post(N)),
    ("not found", Role::Post(N)),
    ("not taken", Role::Post(N)),
    ("excluded", Role::Post(N)),
    ("was excluded", Role::Post(N)),
    ("were excluded", Role::Post(N)),
    ("was ruled out", Role::Post(N)),
    ("were ruled out", Role::Post(N)),
    ("is normal", Role::Post(N)),
    ("are normal", Role::Post(N)),
    ("was normal", Role::Post(N)),
    ("were normal", Role::Post(N)),
    ("is intact", Role::Post(N)),
    ("are intact", Role::Post(N)),
    ("was intact", Role::Post(N)),
    ("were intact", Role::Post(N)),
    ("not done", Role::Post(N)),
    ("not performed", Role::Post(N)),
    ("not obtained", Role::Post(N)),
    ("not elicited", Role::Post(N)),
    ("not been done", Role::Post(N)),
    ("not been performed", Role::Post(N)),
    ("not been obtained", Role::Post(N)),
    // A list, then one verdict on all of it: the scope is the whole list.
    ("were all denied", Role::Post(N)),
    ("were all negative", Role::Post(N)),
    ("were all absent", Role::Post(N)),
    ("are all denied", Role::Post(N)),
    ("are all negative", Role::Post(N)),
    ("are all absent", Role::Post(N)),
    ("all denied", Role::Post(N)),
    ("all negative", Role::Post(N)),
    ("all absent", Role::Post(N)),
    ("was declined", Role::Post(N)),
    ("were declined", Role::Post(N)),
    ("was refused", Role::Post(N)),
    ("within normal limits", Role::Post(N)),
    ("not seen", Role::Post(N)),
    ("not observed", Role::Post(N)),
    // A symptom gone is absent now: "the numbness at night is gone".
    ("is gone", Role::Post(N)),
    ("are gone", Role::Post(N)),
    ("went away", Role::Post(N)),
    ("has gone away", Role::Post(N)),
    ("was not observed", Role::Post(N)),
    ("were not observed", Role::Post(N)),
    ("not present", Role::Post(N)),
    ("not reported", Role::Post(N)),
    ("not evident", Role::Post(N)),
    ("not appreciated", Role::Post(N)),
    ("not demonstrated", Role::Post(N)),
    ("not provided", Role::Post(N)),
    ("was negative", Role::Post(N)),
    ("were negative", Role::Post(N)),
    ("is negative", Role::Post(N)),
    ("are negative", Role::Post(N)),
    ("was absent", Role::Post(N)),
    ("were absent", Role::Post(N)),
    ("is absent", Role::Post(N)),
    ("are absent", Role::Post(N)),
    ("unremarkable", Role::Post(N)),
    ("ruled out", Role::Post(N)),
    ("was denied", Role::Post(P)),
    ("were denied", Role::Post(P)),
    ("is denied", Role::Post(N)),
    ("are denied", Role::Post(N)),
    // A course begun before now: "since starting Lyrica" is no plan to start it.
    ("since starting", Role::Pseudo),
    ("after starting", Role::Pseudo),
    ("since beginning", Role::Pseudo),
    ("after beginning", Role::Pseudo),
    // Uncertain, planned or requested, before the fact.
    ("possible", Role::Pre(U)),
    ("possibly", Role::Pre(U)),
    ("possibility of", Role::Pre(U)),
    ("probable", Role::Pre(U)),
    ("suspected", Role::Pre(U)),
    ("suspicion of", Role::Pre(U)),
    ("concern for", Role::Pre(U)),
    ("rule out", Role::Pre(U)),
    ("r/o", Role::Pre(U)),
    ("questionable", Role::Pre(U)),
    ("may", Role::Pre(U)),
    ("might", Role::Pre(U)),
    ("could", Role::Pre(U)),
    ("would", Role::Pre(U)),
    ("should", Role::Pre(U)),
    ("will", Role::Pre(P)),
    ("if", Role::Pre(P)),
    ("if he develops", Role::Pre(P)),
    ("if she develops", Role::Pre(P)),
    ("should he develop", Role::Pre(P)),
    ("should she develop", Role::Pre(P)),
    ("precautions for", Role::Pre(P)),
    ("return precautions", Role::Pre(P)),
    ("consider", Role::Pre(U)),
    ("considering", Role::Pre(U)),
    ("consideration of", Role::Pre(U)),
    // A first course: "start duloxetine", "a trial of gabapentin".
    ("start", Role::Pre(P)),
    ("starts", Role::Pre(P)),
    ("starting", Role::Pre(P)),
    ("to start", Role::Pre(P)),
    ("begin", Role::Pre(P)),
    ("begins", Role::Pre(P)),
    ("initiate", Role::Pre(P)),
    ("initiates", Role::Pre(P)),
    ("initiating", Role::Pre(P)),
    ("trial of", Role::Pre(P)),
    ("will try", Role::Pre(P)),
    ("new prescription for", Role::Pre(P)),
    ("request for", Role::Pre(P)),
    ("request was received for", Role::Pre(P)),
    ("requests were received for", Role::Pre(P)),
    ("request was made for", Role::Pre(P)),
    ("received a request for", Role::Pre(P)),
    ("requests for", Role::Pre(P)),
    ("requested", Role::Either(P)),
    ("requesting", Role::Pre(P)),
    ("requests", Role::Pre(P)),
    ("would like", Role::Pre(P)),
    ("proposed", Role::Pre(P)),
    ("request", Role::Pre(P)),
    // Like "requested": "Cervical ESI recommended" plans what precedes it too; care done "as
    // recommended" was done.
    ("recommended", Role::Either(P)),
    ("as recommended", Role::Pseudo),
    ("recommending", Role::Pre(P)),
    ("recommend", Role::Pre(P)),
    ("recommends", Role::Pre(P)),
    ("recommendation for", Role::Pre(P)),
    ("treatment plan", Role::Pre(P)),
    ("plan of care", Role::Pre(P)),
    ("the plan", Role::Pre(P)),
    ("prescription for", Role::Pre(P)),
    ("noncertified", Role::Pre(P)),
    ("non-certified", Role::Pre(P)),
    ("not certified", Role::Pre(P)),
    ("certified", Role::Pre(P)),
    ("modified", Role::Pre(P)),
    ("plan includes", Role::Pre(P)),
    ("plan included", Role::Pre(P)),
    ("plan to", Role::Pre(P)),
    ("plan for", Role::Pre(P)),
    ("planned", Role::Pre(P)),
    ("scheduled for", Role::Pre(P)),
    ("sent for", Role::Pre(P)),
    ("referred for", Role::Pre(P)),
    ("candidate for", Role::Pre(P)),
    ("pending", Role::Pre(P)),
    // Longer than "is pending" (said after what waits), so the care after them is planned.
    ("is pending authorization for", Role::Pre(P)),
    ("pending authorization for", Role::Pre(P)),
    ("awaiting authorization for", Role::Pre(P)),
    // An operation offered is not yet done.
    ("offered", Role::Pre(P)),
    ("has offered", Role::Pre(P)),
    ("was offered", Role::Pre(P)),
    ("awaiting", Role::Pre(P)),
    ("to undergo", Role::Pre(P)),
    ("evaluate for", Role::Pre(U)),
    ("in order to", Role::Pre(U)),
    ("to confirm", Role::Pre(U)),
    ("able to", Role::Pre(U)),
    ("regarding", Role::Pre(U)),
    ("non-certification for", Role::Pre(P)),
    ("noncertification for", Role::Pre(P)),
    ("non-certification of", Role::Pre(P)),
    ("was the original request", Role::Post(P)),
    ("the original request", Role::Post(P)),
    ("was authorized", Role::Post(P)),
    ("were authorized", Role::Post(P)),
    // A surgery "is scheduled" is still to come, not done.
    ("is scheduled", Role::Post(P)),
    // "is scheduled for": a plan for what precedes it or what follows.
    ("is scheduled for", Role::Either(P)),
    ("are scheduled for", Role::Either(P)),
    ("was scheduled for", Role::Either(P)),
    ("are scheduled", Role::Post(P)),
    ("was scheduled", Role::Post(P)),
    ("has been scheduled", Role::Post(P)),
    ("is being scheduled", Role::Post(P)),
    // Uncertain, after the fact.
    ("will be performed", Role::Post(P)),
    ("will be obtained", Role::Post(P)),
    ("will be done", Role::Post(P)),
    ("will be checked", Role::Post(P)),
    ("will be ordered", Role::Post(P)),
    ("will be reviewed", Role::Post(P)),
    ("will be repeated", Role::Post(P)),
    ("should be obtained", Role::Post(P)),
    ("should be performed", Role::Post(P)),
    ("should be done", Role::Post(P)),
    ("to be obtained", Role::Post(P)),
    ("to be performed", Role::Post(P)),
    ("to be done", Role::Post(P)),
    ("ordered", Role::Post(P)),
    ("not reviewed", Role::Post(N)),
    ("not checked", Role::Post(N)),
    ("was requested", Role::Post(P)),
    ("were requested", Role::Post(P)),
    ("is requested", Role::Post(P)),
    ("are requested", Role::Post(P)),
    ("were both requested", Role::Post(U)),
    ("was recommended", Role::Post(U)),
    ("were recommended", Role::Post(U)),
    ("is recommended", Role::Post(U)),
    ("has been recommended", Role::Post(U)),
    ("have been recommended", Role::Post(U)),
    ("has been requested", Role::Post(U)),
    ("was ordered", Role::Post(U)),
    ("has been ordered", Role::Post(P)),
    // A study or therapy said never to have been done, after its name.
    ("has not been done", Role::Post(N)),
    ("have not been done", Role::Post(N)),
    ("has not been performed", Role::Post(N)),
    ("has not been obtained", Role::Post(N)),
    ("was never performed", Role::Post(N)),
    ("was never obtained", Role::Post(N)),
    ("was never done", Role::Post(N)),
    ("were never performed", Role::Post(N)),
    ("were never obtained", Role::Post(N)),
    ("has never been done", Role::Post(N)),
    ("has never been performed", Role::Post(N)),
    ("have been ordered", Role::Post(P)),
    ("were ordered", Role::Post(U)),
    ("is pending", Role::Post(U)),
    ("was planned", Role::Post(P)),
    ("is planned", Role::Post(P)),
    ("are planned", Role::Post(P)),
    ("were planned", Role::Post(P)),
    ("was suspected", Role::Post(U)),
    ("is suspected", Role::Post(U)),
    ("was modified", Role::Post(U)),
    ("were modified", Role::Post(U)),
    ("was approved", Role::Post(U)),
    ("was certified", Role::Post(U)),
    ("was non-certified", Role::Post(U)),
    ("was noncertified", Role::Post(U)),
    // Historical, before the fact.
    ("history of", Role::Pre(H)),
    // Care that ended: given once, not now.
    ("stopped", Role::Pre(H)),
    ("discontinued", Role::Pre(H)),
    ("d/c'd", Role::Pre(H)),
    ("quit", Role::Pre(H)),
    ("weaned off", Role::Pre(H)),
    ("was taken off", Role::Pre(H)),
    ("was stopped", Role::Post(H)),
    ("were stopped", Role::Post(H)),
    ("was discontinued", Role::Post(H)),
    ("were discontinued", Role::Post(H)),
    ("has been discontinued", Role::Post(H)),
    ("has been stopped", Role::Post(H)),
    ("h/o", Role::Pre(H)),
    ("status post", Role::Pre(H)),
    ("s/p", Role::Pre(H)),
    ("prior", Role::Pre(H)),
    ("previous", Role::Pre(H)),
    ("previously", Role::Pre(H)),
    ("past", Role::Pre(H)),
    ("in the past", Role::Pre(H)),
    ("underwent", Role::PastCare),
    ("had undergone", Role::PastCare),
    ("has undergone", Role::PastCare),
    ("completed", Role::PastCare),
    ("has completed", Role::PastCare),
    ("had completed", Role::PastCare),
    ("received", Role::PastCare),
    ("has received", Role::PastCare),
    ("was treated with", Role::PastCare),
    ("has been treated with", Role::PastCare),
    ("treated with", Role::PastCare),
    ("treatment to date", Role::PastCare),
    ("treatments to date", Role::PastCare),
    ("treatment has included", Role::PastCare),
    ("treatments have included", Role::PastCare),
    ("treatment included", Role::PastCare),
    ("treatments included", Role::PastCare),
    ("treatment includes", Role::PastCare),
    ("treatment to date includes", Role::PastCare),
    ("treatment to date has included", Role::PastCare),
    ("treatment to date included", Role::PastCare),
    ("treatment history", Role::PastCare),
    ("had", Role::PastCare),
    ("have included", Role::PastCare),
    ("has included", Role::PastCare),
    ("had included", Role::PastCare),
    ("sessions completed", Role::Either(H)),
    ("has had", Role::PastCare),
    ("have had", Role::PastCare),
    ("participated in", Role::PastCare),
    ("had participated in", Role::PastCare),
    ("attended", Role::PastCare),
    ("tried", Role::PastCare),
    // Care that failed was given: "has failed therapy, NSAIDs and a home program".
    ("failed", Role::PastCare),
    ("has failed", Role::PastCare),
    ("have failed", Role::PastCare),
    ("had failed", Role::PastCare),
    ("failure of", Role::PastCare),
    ("despite", Role::PastCare),
    ("in spite of", Role::PastCare),
    ("refractory to", Role::PastCare),
    ("unresponsive to", Role::PastCare),
    ("did not respond to", Role::PastCare),
    ("has not responded to", Role::PastCare),
    ("not responded to", Role::PastCare),
    ("has tried", Role::PastCare),
    ("have tried", Role::PastCare),
    ("had tried", Role::PastCare),
    ("has attended", Role::PastCare),
    ("has been through", Role::PastCare),
    ("had been through", Role::PastCare),
    ("went through", Role::PastCare),
    ("has gone through", Role::PastCare),
    ("has done", Role::PastCare),
    ("has taken", Role::PastCare),
    ("had taken", Role::PastCare),
    ("has worn", Role::PastCare),
    ("had worn", Role::PastCare),
    ("has used", Role::PastCare),
    ("had used", Role::PastCare),
    ("treatment has consisted of", Role::PastCare),
    ("treatment consisted of", Role::PastCare),
    ("treatment rendered", Role::PastCare),
    ("rendered", Role::PastCare),
    ("treatments to date include", Role::PastCare),
    ("treatment to date include", Role::PastCare),
    ("was given", Role::Post(H)),
    ("to date", Role::Post(H)),
    ("in the past", Role::Post(H)),
    ("previously", Role::Post(H)),
    // Scope ends.
    ("but", Role::Terminator),
    (", so", Role::Terminator),
    // A new clause with its own subject: "could not tolerate lifting, and he has been off work".
    (", and he", Role::Terminator),
    (", and she", Role::Terminator),
    (", and they", Role::Terminator),
    (", and the patient", Role::Terminator),
    (", and the worker", Role::Terminator),
    (", and the injured worker", Role::Terminator),
    ("however", Role::Terminator),
    ("although", Role::Terminator),
    ("though", Role::Terminator),
    ("except", Role::Terminator),
    ("aside from", Role::Terminator),
    ("apart from", Role::Terminator),
    ("yet", Role::Terminator),
    ("whereas", Role::Terminator),
    ("which", Role::Terminator),
    ("who", Role::Terminator),
    ("due to", Role::Terminator),
    ("because", Role::Terminator),
    ("secondary to", Role::Terminator),
    ("since", Role::Terminator),
    ("after", Role::Terminator),
    ("presented with", Role::Terminator),
    ("presents with", Role::Terminator),
    ("complained of", Role::Terminator),
    ("complains of", Role::Terminator),
    ("reported", Role::Terminator),
    ("reports", Role::Terminator),
    ("revealed", Role::Terminator),
    ("showed", Role::Terminator),
    ("noted", Role::Terminator),
    ("with", Role::NegationEnd),
    ("from", Role::NegationEnd),
    ("including", Role::NegationEnd),
    (":", Role::Terminator),
    (";", Role::Terminator),
    // "Cauda equina symptoms: none".
    (": none", Role::Post(N)),
    (": neg", Role::Post(N)),
    (": negative", Role::Post(N)),
    (": denied", Role::Post(N)),
    (": denies", Role::Post(N)),
    (": absent", Role::Post(N)),
    // Someone other than the patient.
    ("family history of", Role::Pre(O)),
    ("family history:", Role::Pre(O)),
    ("family hx:", Role::Pre(O)),
    ("fh:", Role::Pre(O)),
    ("mother", Role::Pre(O)),
    ("father", Role::Pre(O)),
    ("brother", Role::Pre(O)),
    ("sister", Role::Pre(O)),
    ("son", Role::Pre(O)),
    ("daughter", Role::Pre(O)),
    ("uncle", Role::Pre(O)),
    ("aunt", Role::Pre(O)),
    ("cousin", Role::Pre(O)),
    ("grandmother", Role::Pre(O)),
    ("grandfather", Role::Pre(O)),
    ("parents", Role::Pre(O)),
    ("sibling", Role::Pre(O)),
    ("siblings", Role::Pre(O)),
    ("family history", Role::Pre(O)),
    ("fh of", Role::Pre(O)),
    ("fhx", Role::Pre(O)),
    ("his father", Role::Pre(O)),
    ("her father", Role::Pre(O)),
    ("his mother", Role::Pre(O)),
    ("her mother", Role::Pre(O)),
    ("his brother", Role::Pre(O)),
    ("her brother", Role::Pre(O)),
    ("his sister", Role::Pre(O)),
    ("her sister", Role::Pre(O)),
    ("his wife", Role::Pre(O)),
    ("his wife's", Role::Pre(O)),
    ("her husband", Role::Pre(O)),
    ("her husband's", Role::Pre(O)),
    ("a coworker", Role::Pre(O)),
    ("a co-worker", Role::Pre(O)),
    ("a relative", Role::Pre(O)),
    // Pseudo-triggers.
    ("no change", Role::Pseudo),
    ("no changes", Role::Pseudo),
    ("no increase", Role::Pseudo),
    ("not only", Role::Pseudo),
    ("not necessarily", Role::Pseudo),
    ("no further", Role::Pseudo),
    ("not certain whether", Role::Pseudo),
    ("not medically necessary", Role::Pseudo),
    ("without difficulty", Role::Pseudo),
    ("gram negative", Role::Pseudo),
    // Difficulty starting is a symptom, not a plan ("trouble starting his urine stream").
    ("trouble starting", Role::Pseudo),
    ("difficulty starting", Role::Pseudo),
    ("hesitancy starting", Role::Pseudo),
    ("without contrast", Role::Inert),
    ("with and without contrast", Role::Inert),
    ("with or without contrast", Role::Inert),
    ("w/o contrast", Role::Inert),
    ("w/ and w/o contrast", Role::Inert),
    ("without gadolinium", Role::Inert),
    // A study that cannot be done was not done.
    // "Surgery is not indicated": care judged unneeded is not to be given.
    ("is not indicated", Role::Post(N)),
    ("are not indicated", Role::Post(N)),
    ("not indicated", Role::Post(N)),
    ("is contraindicated", Role::Post(N)),
    ("was contraindicated", Role::Post(N)),
    ("contraindicated", Role::Post(N)),
    ("no longer", Role::Pre(N)),
    ("will be", Role::Pre(U)),
];

/// How many words a negation reaches at most, forward and backward.
const PRE_WORDS: usize = 10;
const POST_WORDS: usize = 5;
const POST_PLAN_WORDS: usize = 8;
/// How far back (bytes) a relative named as the clause's subject reaches.
const OTHER_REACH: usize = 200;

/// The trigger phrases: the table, plus "was/were/is/are" before every "not ..." post-trigger
/// ("was not provided"), which would otherwise be read as the pre-trigger "was not".
static PHRASES: LazyLock<Vec<(String, Role)>> = LazyLock::new(|| {
    let mut phrases: Vec<(String, Role)> = TRIGGERS
        .iter()
        .map(|(t, r)| ((*t).to_string(), *r))
        .collect();
    for (t, r) in TRIGGERS {
        if matches!(r, Role::Post(_)) && t.starts_with("not ") {
            for verb in [
                "was",
                "were",
                "is",
                "are",
                "has been",
                "have been",
                "had been",
            ] {
                phrases.push((format!("{verb} {t}"), *r));
            }
        }
    }
    phrases
});

static MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| crate::vocab::phrase_matcher(PHRASES.iter().map(|(t, _)| t)));

/// A trigger found in the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trigger {
    role: Role,
    start: usize,
    end: usize,
}

/// Every trigger of `text`, in order (whole words only; ';' and ':' anywhere).
pub(crate) fn triggers(text: &str) -> Vec<Trigger> {
    let bytes = text.as_bytes();
    MATCHER
        .find_iter(text)
        .filter(|m| {
            // "May 2011" is a month, not the modal "may".
            if text[m.start()..m.end()].eq_ignore_ascii_case("may")
                && text[m.end()..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit())
            {
                return false;
            }
            let role = PHRASES[m.pattern().as_usize()].1;
            // A phrase that starts with punctuation (":", ": none") needs a boundary only at its
            // end.
            if !bytes[m.start()].is_ascii_alphanumeric() {
                return role == Role::Terminator
                    || bytes
                        .get(m.end())
                        .is_none_or(|b| !b.is_ascii_alphanumeric());
            }
            crate::vocab::is_word_boundary(bytes, m.start(), m.end())
        })
        .map(|m| Trigger {
            role: PHRASES[m.pattern().as_usize()].1,
            start: m.start(),
            end: m.end(),
        })
        .collect()
}

/// Words between two offsets (spaces counted).
fn words_between(text: &str, a: usize, b: usize) -> usize {
    text.get(a..b)
        .map_or(usize::MAX, |s| s.split_whitespace().count())
}

/// The polarity of the span `start..end` inside the sentence `sentence`, given the text's
/// triggers (from [`triggers`]). The nearest trigger whose scope reaches the span wins; a
/// scope ends at a terminator, at a trigger of another polarity, or after a few words.
/// The flag is true when the polarity is historical because of a past-care trigger ("had",
/// "received"), which says nothing about a diagnosis.
pub(crate) fn polarity(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    start: usize,
    end: usize,
) -> (Polarity, bool) {
    assert_span(text, triggers, sentence, (start, end), true)
}

/// [`polarity`] from the triggers before the span only.
pub(crate) fn polarity_before(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    start: usize,
    end: usize,
) -> (Polarity, bool) {
    assert_span(text, triggers, sentence, (start, end), false)
}

fn assert_span(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    (start, end): (usize, usize),
    look_after: bool,
) -> (Polarity, bool) {
    let first = triggers.partition_point(|t| t.start < sentence.0);
    let last = triggers.partition_point(|t| t.start < sentence.1);
    let in_sentence = &triggers[first..last];

    // Before the span: walk back from the span to the nearest pre-trigger.
    let mut pre: Option<(usize, Polarity)> = None;
    let mut past_care = false;
    let mut negation_ended = false;
    // Lazily, nearest first: the walk stops at the first trigger that decides.
    let before = || in_sentence.iter().rev().filter(|t| t.end <= start);
    for t in before() {
        match t.role {
            Role::Terminator => break,
            Role::Pseudo => break,
            Role::Post(_) | Role::Inert => {}
            Role::NegationEnd => negation_ended = true,
            Role::Pre(Polarity::Negated) if negation_ended => break,
            Role::Either(p) => {
                if p != Polarity::Negated || words_between(text, t.end, start) <= PRE_WORDS {
                    pre = Some((start - t.end, p));
                }
                break;
            }
            Role::PastCare => {
                pre = Some((start - t.end, Polarity::Historical));
                past_care = true;
                break;
            }
            Role::Pre(p) => {
                // Negation reaches a few words (NegEx); planned and past reach the whole
                // clause, as lists of treatments follow them (ConText).
                if p != Polarity::Negated || words_between(text, t.end, start) <= PRE_WORDS {
                    pre = Some((start - t.end, p));
                }
                break;
            }
        }
    }
    // "no prior surgery", "has not had therapy": a negation just before a past marker wins.
    let is_past = |t: &&Trigger| {
        matches!(
            t.role,
            Role::Pre(Polarity::Historical) | Role::PastCare | Role::Either(Polarity::Historical)
        )
    };
    if matches!(pre, Some((_, Polarity::Historical)))
        && let Some(k) = before().position(|t| is_past(&t))
        && let Some(past) = before().nth(k)
        && let Some(prev) = before().nth(k + 1)
        && prev.role == Role::Pre(Polarity::Negated)
        && words_between(text, prev.end, past.start) <= 1
    {
        pre = pre.map(|(d, _)| (d, Polarity::Negated));
        past_care = false;
    }
    // After the span: the nearest post-trigger. "The results of x-rays were not provided": what
    // is missing is the report, not the study, when such a word leads the phrase.
    let lead = text
        .get(sentence.0.max(start.saturating_sub(40))..start)
        .unwrap_or("")
        .to_ascii_lowercase();
    let reported = [
        "results of",
        "rationale for",
        "documentation of",
        "report of",
        "reports of",
        "records of",
        "dose of",
    ]
    .iter()
    .any(|w| lead.contains(w));
    let mut post: Option<(usize, Polarity)> = None;
    for t in in_sentence.iter().filter(|t| look_after && t.start >= end) {
        match t.role {
            Role::Terminator | Role::Pseudo | Role::Pre(_) | Role::PastCare => break,
            Role::NegationEnd | Role::Inert => {}
            Role::Post(Polarity::Negated) if reported => break,
            Role::Post(p) | Role::Either(p) => {
                let over_a_list = text
                    .get(t.start..t.end)
                    .is_some_and(|w| w.to_ascii_lowercase().contains("all "));
                // A request or plan follows its whole noun phrase ("an MRI of the right
                // shoulder without contrast was requested").
                let reach = if matches!(p, Polarity::Planned | Polarity::Uncertain) {
                    POST_PLAN_WORDS
                } else {
                    POST_WORDS
                };
                if over_a_list || words_between(text, end, t.start) <= reach {
                    post = Some((t.start - end, p));
                }
                break;
            }
        }
    }
    // "Her father had two back surgeries": whoever the clause is about holds all of it, however
    // near a past or a negation stands.
    if before()
        .take_while(|t| t.role != Role::Terminator && start - t.end <= OTHER_REACH)
        .any(|t| t.role == Role::Pre(Polarity::Other))
    {
        return (Polarity::Other, false);
    }
    match (pre, post) {
        // "Concern for cauda equina was ruled out": the verdict after a suspicion settles it.
        (Some((_, Polarity::Uncertain)), Some((_, Polarity::Negated))) => {
            (Polarity::Negated, false)
        }
        (Some((d1, p1)), Some((d2, p2))) => {
            if d1 <= d2 {
                (p1, past_care)
            } else {
                (p2, false)
            }
        }
        (Some((_, p)), None) => (p, past_care),
        (None, Some((_, p))) => (p, false),
        (None, None) => (Polarity::Affirmed, false),
    }
}
