//! Polarity of a fact: NegEx/ConText in Rust.
//!
//! A trigger phrase ("no", "denies", "without any documentation of", "possible", "history of")
//! opens a scope that runs forward (or, for post-triggers such as "was not noted", backward) up
//! to a terminator: the end of the sentence, a conjunction that turns the sentence ("but",
//! "however", "although", ", and" before a verb of its own), or a fixed number of words. A fact
//! whose span lies in the scope takes the trigger's polarity. Pseudo-triggers ("not only", "no
//! change in", "no more than") are matched first so they cannot trigger.
//!
//! Some phrases say what follows or precedes them is there, whatever scope they stand in: "the
//! prescribed oxycodone", "relief of the arm paresthesias", "if the leg pain persists". A
//! condition ("if", "should the pain worsen") reaches past "after"; a label takes what its
//! entry says ("Surgery: wants to proceed").

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
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
    /// Ends every scope but a condition's ("after"): "requesting an MRI after 6 weeks of PT"
    /// (the PT was given), "if no better after a PT trial" (the trial is part of the condition).
    Sequence,
    /// Opens a condition ("if", "should the pain worsen"): what it holds has not happened.
    Condition,
    /// Ends a negation's scope only ("no improvement with physical therapy": the therapy was
    /// given), while a plan or a past reaches through it.
    NegationEnd,
    /// Says care stopped ("no longer uses the TENS unit"): care that stopped was given, while
    /// a symptom or a status that stopped is absent now.
    Ended,
    /// ", and": a new clause, which ends every scope, when a verb of its own follows ("no early
    /// refills, and CURES confirms ..."); the last item of a list otherwise ("denies numbness,
    /// tingling, and weakness").
    Coordination,
    /// Looks like a trigger but is not ("no change", "not only"): matched so it cannot trigger.
    Pseudo,
    /// Words inside a noun phrase that hold a trigger word ("MRI without contrast"): matched so
    /// they trigger nothing, and passed over by every scope.
    Inert,
}

use Polarity::{
    Affirmed as A, Historical as H, Negated as N, Other as O, Planned as P, Uncertain as U,
};

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
    // A modal with "not" denies; the modal alone would leave it open.
    ("can't", Role::Pre(N)),
    ("could not", Role::Pre(N)),
    ("couldn't", Role::Pre(N)),
    ("would not", Role::Pre(N)),
    ("wouldn't", Role::Pre(N)),
    ("will not", Role::Pre(N)),
    ("won't", Role::Pre(N)),
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
    ("not observed", Role::Post(N)),
    ("not detected", Role::Post(N)),
    ("not identified", Role::Post(N)),
    // A symptom that went away: "the numbness at night is gone".
    ("is gone", Role::Post(N)),
    ("are gone", Role::Post(N)),
    ("is now gone", Role::Post(N)),
    ("are now gone", Role::Post(N)),
    ("went away", Role::Post(N)),
    ("has gone away", Role::Post(N)),
    ("subsided", Role::Post(N)),
    ("has subsided", Role::Post(N)),
    ("have subsided", Role::Post(N)),
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
    // Offered, then refused: "was offered an injection but declined".
    ("but declined", Role::Post(N)),
    ("but refused", Role::Post(N)),
    ("but he declined", Role::Post(N)),
    ("but she declined", Role::Post(N)),
    ("but he refused", Role::Post(N)),
    ("but she refused", Role::Post(N)),
    ("but the patient declined", Role::Post(N)),
    ("which he declined", Role::Post(N)),
    ("which she declined", Role::Post(N)),
    ("which was declined", Role::Post(N)),
    // A plan not carried out: "was authorized, but she never started".
    ("but never started", Role::Post(N)),
    ("but he never started", Role::Post(N)),
    ("but she never started", Role::Post(N)),
    ("but never attended", Role::Post(N)),
    ("but he never attended", Role::Post(N)),
    ("but she never attended", Role::Post(N)),
    ("but did not attend", Role::Post(N)),
    ("but he did not attend", Role::Post(N)),
    ("but she did not attend", Role::Post(N)),
    ("were declined", Role::Post(N)),
    ("was refused", Role::Post(N)),
    ("within normal limits", Role::Post(N)),
    ("not seen", Role::Post(N)),
    ("not observed", Role::Post(N)),
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
    ("suspicious for", Role::Pre(U)),
    ("concerning for", Role::Pre(U)),
    ("worrisome for", Role::Pre(U)),
    ("suggestive of", Role::Pre(U)),
    ("cannot rule out", Role::Pre(U)),
    ("can't rule out", Role::Pre(U)),
    ("cannot exclude", Role::Pre(U)),
    // What a patient fears, asks or reads about has not happened: "scared of the operation".
    ("afraid of", Role::Pre(U)),
    ("scared of", Role::Pre(U)),
    ("fearful of", Role::Pre(U)),
    ("nervous about", Role::Pre(U)),
    ("apprehensive about", Role::Pre(U)),
    ("asks about", Role::Pre(U)),
    ("asked about", Role::Pre(U)),
    ("asking about", Role::Pre(U)),
    ("inquired about", Role::Pre(U)),
    ("read about", Role::Pre(U)),
    ("may", Role::Pre(U)),
    ("might", Role::Pre(U)),
    ("could", Role::Pre(U)),
    ("would", Role::Pre(U)),
    ("should", Role::Pre(U)),
    ("will", Role::Pre(P)),
    ("if", Role::Condition),
    // "Should" before its subject is a condition: "should the leg pain worsen".
    ("should he", Role::Condition),
    ("should she", Role::Condition),
    ("should they", Role::Condition),
    ("should the", Role::Condition),
    ("should his", Role::Condition),
    ("should her", Role::Condition),
    ("should there be", Role::Condition),
    ("if he develops", Role::Condition),
    ("if she develops", Role::Condition),
    ("should he develop", Role::Condition),
    ("should she develop", Role::Condition),
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
    ("offered", Role::Pre(P)),
    ("was offered", Role::Either(P)),
    ("were offered", Role::Either(P)),
    ("has been offered", Role::Either(P)),
    ("advised to", Role::Pre(P)),
    ("instructed to", Role::Pre(P)),
    ("wants to", Role::Pre(P)),
    ("ready for", Role::Pre(P)),
    ("ready to proceed with", Role::Pre(P)),
    ("proposed", Role::Pre(P)),
    ("request", Role::Pre(P)),
    // Like "requested": "Cervical ESI recommended" plans what precedes it too.
    ("recommended", Role::Either(P)),
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
    // Care not tolerated was tried: "could not tolerate gabapentin".
    ("could not tolerate", Role::PastCare),
    ("couldn't tolerate", Role::PastCare),
    ("did not tolerate", Role::PastCare),
    ("didn't tolerate", Role::PastCare),
    ("does not tolerate", Role::PastCare),
    ("unable to tolerate", Role::PastCare),
    ("cannot tolerate", Role::PastCare),
    ("intolerant of", Role::PastCare),
    ("intolerant to", Role::PastCare),
    ("intolerance to", Role::PastCare),
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
    ("after", Role::Sequence),
    // "Could not do before aquatic therapy": the care after it is not what the negation denies,
    // while a plan reaches it ("requests an MRI before starting PT").
    ("before", Role::NegationEnd),
    (", and", Role::Coordination),
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
    // "GU: denies incontinence" as well as "Incontinence: denies".
    (": denies", Role::Either(N)),
    (": absent", Role::Post(N)),
    // "ROS: negative for fever, chills": the list after it, not the heading before it.
    (": negative for", Role::Pre(N)),
    (": neg for", Role::Pre(N)),
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
    ("coworker", Role::Pre(O)),
    ("co-worker", Role::Pre(O)),
    ("colleague", Role::Pre(O)),
    ("a relative", Role::Pre(O)),
    // Said of something present now, whatever a negation, condition or plan before it says.
    // A drug prescribed, continued, refilled or tapered is taken: "negative for the prescribed
    // oxycodone", "wants to continue Norco".
    ("the prescribed", Role::Pre(A)),
    ("his prescribed", Role::Pre(A)),
    ("her prescribed", Role::Pre(A)),
    ("refill of", Role::Pre(A)),
    ("refills of", Role::Pre(A)),
    ("continue", Role::Pre(A)),
    ("continues", Role::Pre(A)),
    ("continuing", Role::Pre(A)),
    ("remains on", Role::Pre(A)),
    ("taper", Role::Pre(A)),
    ("tapering", Role::Pre(A)),
    ("wean", Role::Pre(A)),
    ("weaning", Role::Pre(A)),
    ("since starting", Role::Pre(A)),
    ("since beginning", Role::Pre(A)),
    ("after starting", Role::Pre(A)),
    ("since initiating", Role::Pre(A)),
    // What relief or a remedy acts on is there: "without relief of the arm paresthesias",
    // "would fix the numbness".
    ("relief of", Role::Pre(A)),
    ("relief in", Role::Pre(A)),
    ("improvement in", Role::Pre(A)),
    ("improvement of", Role::Pre(A)),
    ("fix the", Role::Pre(A)),
    ("relieve the", Role::Pre(A)),
    ("relieve his", Role::Pre(A)),
    ("relieve her", Role::Pre(A)),
    ("treat the", Role::Pre(A)),
    ("treat his", Role::Pre(A)),
    ("treat her", Role::Pre(A)),
    ("address the", Role::Pre(A)),
    ("ease the", Role::Pre(A)),
    ("help the", Role::Pre(A)),
    ("helps the", Role::Pre(A)),
    ("helped the", Role::Pre(A)),
    ("help with", Role::Pre(A)),
    ("helps with", Role::Pre(A)),
    ("helped with", Role::Pre(A)),
    // A study with results was done: "asked about the results of the MRI".
    ("results of", Role::Pre(A)),
    ("result of", Role::Pre(A)),
    // A condition on a symptom going on says it is there now: "if the leg pain persists".
    ("persists", Role::Post(A)),
    ("persist", Role::Post(A)),
    ("does not settle", Role::Post(A)),
    ("doesn't settle", Role::Post(A)),
    ("do not settle", Role::Post(A)),
    ("fails to settle", Role::Post(A)),
    ("does not resolve", Role::Post(A)),
    ("doesn't resolve", Role::Post(A)),
    ("fails to resolve", Role::Post(A)),
    ("worsens", Role::Post(A)),
    ("worsen", Role::Post(A)),
    // Pseudo-triggers.
    // Done as advised, not a plan: "took ibuprofen as recommended".
    ("as recommended", Role::Pseudo),
    ("as prescribed", Role::Pseudo),
    ("as directed", Role::Pseudo),
    // A limit, not a negation: "drives no more than 20 minutes".
    ("no more than", Role::Pseudo),
    ("not more than", Role::Pseudo),
    ("no longer than", Role::Pseudo),
    ("no less than", Role::Pseudo),
    ("not less than", Role::Pseudo),
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
    ("no longer", Role::Ended),
    // "An x-ray will be taken": the future after its noun is a plan.
    ("will be", Role::Either(P)),
];

/// Finite verbs that make the words after ", and" a clause of their own.
const CLAUSE_VERBS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "does",
    "did",
    "shows",
    "showed",
    "confirms",
    "confirmed",
    "reveals",
    "revealed",
    "demonstrates",
    "demonstrated",
    "remains",
    "remained",
    "reports",
    "reported",
    "states",
    "stated",
    "notes",
    "noted",
    "says",
    "said",
    "feels",
    "felt",
    "continues",
    "continued",
    "will",
    "can",
    "could",
];

/// How many words after ", and" a clause's verb may stand (its subject before it).
const CLAUSE_SUBJECT_WORDS: usize = 4;

/// Verbs of taking that make a relative's name an owner, not whom the finding concerns:
/// "taking his wife's Vicodin".
const TAKING: &[&str] = &[
    "taking",
    "takes",
    "took",
    "using",
    "uses",
    "used",
    "borrowed",
    "borrows",
    "borrowing",
];

/// How many words a negation reaches at most, forward and backward.
const PRE_WORDS: usize = 10;
const POST_WORDS: usize = 5;
/// How many words "the prescribed", "relief of" and their like reach forward (their own phrase),
/// and how far after a plan what became of it may stand ("authorized in March, but he never
/// attended").
const PRESENT_WORDS: usize = 4;
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

/// What made a polarity historical, which decides what it means for each kind of fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// The nearest trigger's scope, or none.
    Scope,
    /// A past-care trigger ("had", "received"), which says nothing about a diagnosis.
    PastCare,
    /// An end ("no longer"): care that stopped was given, anything else is absent now.
    Ended,
}

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
            // "May 2011", "the injection in May" are a month, not the modal "may".
            if text[m.start()..m.end()].eq_ignore_ascii_case("may") && is_month(text, m.start()) {
                return false;
            }
            let role = PHRASES[m.pattern().as_usize()].1;
            if role == Role::Pre(Polarity::Other) && owner_only(text, m.start()) {
                return false;
            }
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
        .filter_map(|m| {
            let role = match PHRASES[m.pattern().as_usize()].1 {
                Role::Coordination if opens_clause(&text[m.end()..]) => Role::Terminator,
                Role::Coordination => return None,
                role => role,
            };
            Some(Trigger {
                role,
                start: m.start(),
                end: m.end(),
            })
        })
        .collect()
}

/// "May" at `at` is the month: before a number, or capitalized inside a sentence.
fn is_month(text: &str, at: usize) -> bool {
    let next_is_number = text[at + 3..]
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit());
    let inside_sentence = text[..at]
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| !matches!(c, '.' | '!' | '?' | ':' | ';' | '\n'));
    next_is_number || (text[at..].starts_with('M') && inside_sentence)
}

/// True when the relative named at `at` only owns what the patient takes: a verb of taking
/// stands among the two words before it.
fn owner_only(text: &str, at: usize) -> bool {
    text[..at]
        .split_whitespace()
        .rev()
        .take(2)
        .any(|w| TAKING.iter().any(|t| w.eq_ignore_ascii_case(t)))
}

/// True when the words after ", and" hold a finite verb of their own within a few words.
fn opens_clause(after: &str) -> bool {
    after
        .split_whitespace()
        .take(CLAUSE_SUBJECT_WORDS)
        .take_while(|w| !w.ends_with([',', ';', '.']))
        .any(|w| CLAUSE_VERBS.iter().any(|v| w.eq_ignore_ascii_case(v)))
}

/// Words between two offsets (spaces counted).
fn words_between(text: &str, a: usize, b: usize) -> usize {
    text.get(a..b)
        .map_or(usize::MAX, |s| s.split_whitespace().count())
}

/// The polarity of the span `start..end` inside the sentence `sentence`, given the text's
/// triggers (from [`triggers`]). The nearest trigger whose scope reaches the span wins; a
/// scope ends at a terminator, at a trigger of another polarity, or after a few words.
/// [`Via`] says what made a historical polarity.
pub(crate) fn polarity(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    start: usize,
    end: usize,
) -> (Polarity, Via) {
    assert_span(text, triggers, sentence, (start, end), true)
}

/// True when a condition ("if", "should the pain worsen") holds the span starting at `start`:
/// one stands before it in its clause ("after" does not end a condition).
pub(crate) fn in_condition(triggers: &[Trigger], sentence: (usize, usize), start: usize) -> bool {
    let first = triggers.partition_point(|t| t.start < sentence.0);
    let last = triggers.partition_point(|t| t.start < start).max(first);
    triggers[first..last]
        .iter()
        .rev()
        .filter(|t| t.end <= start)
        .take_while(|t| !matches!(t.role, Role::Terminator | Role::Coordination | Role::Pseudo))
        .any(|t| t.role == Role::Condition)
}

/// [`polarity`] from the triggers before the span only.
pub(crate) fn polarity_before(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    start: usize,
    end: usize,
) -> (Polarity, Via) {
    assert_span(text, triggers, sentence, (start, end), false)
}

fn assert_span(
    text: &str,
    triggers: &[Trigger],
    sentence: (usize, usize),
    (start, end): (usize, usize),
    look_after: bool,
) -> (Polarity, Via) {
    let first = triggers.partition_point(|t| t.start < sentence.0);
    let last = triggers.partition_point(|t| t.start < sentence.1);
    let in_sentence = &triggers[first..last];

    // Before the span: walk back from the span to the nearest pre-trigger.
    let mut pre: Option<(usize, Polarity)> = None;
    let mut via = Via::Scope;
    let mut negation_ended = false;
    let mut sequence_ended = false;
    // Which trigger of the walk decided, counted back from the span.
    let mut decided = 0;
    // Lazily, nearest first: the walk stops at the first trigger that decides.
    // Triggers start in order: those starting past the span are never looked at, so a long
    // sentence costs each finding only the triggers before it.
    let up_to_span = &in_sentence[..in_sentence.partition_point(|t| t.start < start)];
    let before = || up_to_span.iter().rev().filter(|t| t.end <= start);
    let own_clause = own_clause_start(text, sentence, (start, end));
    for (k, t) in before().enumerate() {
        decided = k;
        let near = || words_between(text, t.end, start) <= PRE_WORDS;
        // "CURES showed no prescriptions, urine toxicology was negative": the span is the
        // subject of a clause of its own, which the negation before the comma does not reach.
        if t.role == Role::Pre(Polarity::Negated) && own_clause.is_some_and(|c| t.end <= c) {
            continue;
        }
        match t.role {
            Role::Condition => {
                pre = Some((start - t.end, Polarity::Planned));
                break;
            }
            Role::Sequence => sequence_ended = true,
            // Past "after", only a condition reaches.
            _ if sequence_ended
                && !matches!(t.role, Role::Terminator | Role::Coordination | Role::Pseudo) => {}
            // A negative verdict after a phrase closes it: "concern for X was ruled out by an
            // MRI".
            Role::Terminator
            | Role::Coordination
            | Role::Pseudo
            | Role::Post(Polarity::Negated) => {
                break;
            }
            Role::Post(_) | Role::Inert => {}
            Role::NegationEnd => negation_ended = true,
            // A negation whose scope ended before the span decides nothing; a plan before it
            // may still reach the span ("if no better after a PT trial").
            Role::Pre(Polarity::Negated) | Role::Ended if negation_ended => {}
            Role::Ended => {
                if near() {
                    pre = Some((start - t.end, Polarity::Historical));
                    via = Via::Ended;
                }
                break;
            }
            Role::PastCare => {
                pre = Some((start - t.end, Polarity::Historical));
                via = Via::PastCare;
                break;
            }
            // "Will treat the leg pain with an epidural": what is said to be there is the
            // phrase right after it, not the care further on.
            Role::Pre(Polarity::Affirmed) if words_between(text, t.end, start) > PRESENT_WORDS => {}
            Role::Pre(p) | Role::Either(p) => {
                // Negation reaches a few words (NegEx); planned and past reach the whole
                // clause, as lists of treatments follow them (ConText).
                if p != Polarity::Negated || near() {
                    pre = Some((start - t.end, p));
                }
                break;
            }
        }
    }
    // "no prior surgery", "has not had therapy", "no requests for early refills": a negation
    // just before a past or a plan marker wins; but a verdict on a request ("UR denied a
    // request for an MRI") leaves the care requested.
    let is_past_or_plan = |t: &&Trigger| {
        matches!(
            t.role,
            Role::Pre(Polarity::Historical | Polarity::Planned)
                | Role::PastCare
                | Role::Either(Polarity::Historical | Polarity::Planned)
        )
    };
    if pre.is_some()
        && let Some(past) = before().nth(decided).filter(is_past_or_plan)
        && let Some(prev) = before().nth(decided + 1)
        && prev.role == Role::Pre(Polarity::Negated)
        && words_between(text, prev.end, past.start) <= 1
        && !is_verdict(&text[prev.start..prev.end])
    {
        pre = pre.map(|(d, _)| (d, Polarity::Negated));
        via = Via::Scope;
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
    // A label and its entry: "Surgery: pt wants to proceed", "Acupuncture: 12 sessions to date".
    // The entry's first trigger says what the label names, but a negation there denies what
    // the entry lists ("Modified duty: no lifting over 20 lbs").
    let colon = text[end..]
        .find(|c: char| !c.is_whitespace())
        .filter(|&i| text[end + i..].starts_with(':'))
        .map(|i| end + i);
    let mut in_entry = false;
    let from = if look_after {
        in_sentence.partition_point(|t| t.start < end)
    } else {
        in_sentence.len()
    };
    let after = &in_sentence[from..];
    for (i, t) in after.iter().enumerate() {
        if in_entry {
            post = match t.role {
                Role::Pre(Polarity::Negated) => None,
                Role::Pre(p) | Role::Post(p) | Role::Either(p) => Some((t.start - end, p)),
                Role::Condition => Some((t.start - end, Polarity::Planned)),
                Role::PastCare | Role::Ended => Some((t.start - end, Polarity::Historical)),
                _ => None,
            };
            break;
        }
        match t.role {
            Role::Terminator if Some(t.start) == colon && t.end == t.start + 1 => in_entry = true,
            Role::Terminator
            | Role::Sequence
            | Role::Condition
            | Role::Coordination
            | Role::Pseudo
            | Role::Pre(_)
            | Role::PastCare
            | Role::Ended => break,
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
                // "Physical therapy was authorized, but she never started": a plan, then what
                // became of it.
                if matches!(p, Polarity::Planned | Polarity::Uncertain)
                    && let Some(next) = after[i + 1..]
                        .iter()
                        .find(|n| !matches!(n.role, Role::NegationEnd | Role::Inert))
                    && next.role == Role::Post(Polarity::Negated)
                    && words_between(text, t.end, next.start) <= PRESENT_WORDS
                {
                    post = Some((t.start - end, Polarity::Negated));
                }
                break;
            }
        }
    }
    // "Her father had two back surgeries": whoever the clause is about holds all of it, however
    // near a past or a negation stands.
    if before()
        .take_while(|t| {
            !matches!(t.role, Role::Terminator | Role::Sequence) && start - t.end <= OTHER_REACH
        })
        .any(|t| t.role == Role::Pre(Polarity::Other))
    {
        return (Polarity::Other, Via::Scope);
    }
    match (pre, post) {
        // "Concern for cauda equina was ruled out": the verdict after a suspicion settles it.
        // "Was offered surgery but declined": an offer refused is not given.
        (Some((_, Polarity::Uncertain | Polarity::Planned)), Some((_, Polarity::Negated))) => {
            (Polarity::Negated, Via::Scope)
        }
        // "If the leg pain persists": a condition on a symptom going on says it is there.
        (Some((_, Polarity::Uncertain | Polarity::Planned)), Some((_, Polarity::Affirmed))) => {
            (Polarity::Affirmed, Via::Scope)
        }
        // "No PT or acupuncture to date": the negation holds over the time it names.
        (Some((_, Polarity::Negated)), Some((_, Polarity::Historical))) => {
            (Polarity::Negated, Via::Scope)
        }
        (Some((d1, p1)), Some((d2, p2))) => {
            if d1 <= d2 {
                (p1, via)
            } else {
                (p2, Via::Scope)
            }
        }
        (Some((_, p)), None) => (p, via),
        (None, Some((_, p))) => (p, Via::Scope),
        (None, None) => (Polarity::Affirmed, Via::Scope),
    }
}

/// How far (bytes) after care a modal or a time of its absence is looked for.
const CARE_REACH: usize = 80;

/// A modal a few words after care: "an EMG would help clarify", "PT may benefit her".
static MODAL_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[\s,]+[\w/-]+){0,3}?\s+(would|could|might|may)\s+(\w+)")
        .expect("a valid pattern")
});

/// A time a negation of care lasts: "had not taken morphine for four days", "no PT in two
/// years". Care missed for a while was given before it.
static GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:\s+[\w/-]+){0,2}?\s+(?:for|in)\s+(?:the\s+)?(?:past\s+|last\s+)?(?:\d+|a|an|one|two|three|four|five|six|several|a\s+few|many)\s+(?:days?|weeks?|months?|years?)\b",
    )
    .expect("a valid pattern")
});

/// The polarity of care (a treatment, study or drug) ending at `end` in a sentence ending at
/// `sentence_end`, given the polarity its scope gave: care a modal follows is still to come,
/// and care not had for a while was had before.
pub(crate) fn of_care(text: &str, end: usize, sentence_end: usize, p: Polarity) -> Polarity {
    // Both patterns look a few words ahead, no further.
    let to = crate::vocab::anatomy::floor_char(text, sentence_end.min(end + CARE_REACH));
    let after = text.get(end..to).unwrap_or_default();
    match p {
        Polarity::Affirmed if modal_follows(after) => Polarity::Uncertain,
        Polarity::Negated if GAP.is_match(after) => Polarity::Historical,
        p => p,
    }
}

/// True when a modal that leaves the care ahead follows: not "May" the month, not "would
/// not" (a negation) or "may have" (a past).
fn modal_follows(after: &str) -> bool {
    MODAL_AFTER.captures(after).is_some_and(|c| {
        let next = c[2].to_ascii_lowercase();
        &c[1] != "May" && next != "not" && next != "have"
    })
}

/// A utilization review's verdict word: it denies a request, not the care requested.
fn is_verdict(trigger: &str) -> bool {
    ["denied", "non-certified", "noncertified", "not certified"]
        .iter()
        .any(|w| trigger.eq_ignore_ascii_case(w))
}

/// Where a clause of the span's own begins: a comma a few words before the span, which is
/// followed by its verb ("..., baseline urine toxicology was negative"). `None` otherwise.
fn own_clause_start(
    text: &str,
    sentence: (usize, usize),
    (start, end): (usize, usize),
) -> Option<usize> {
    const SUBJECT_WORDS: usize = 3;
    const VERBS: &[&str] = &[
        "was",
        "were",
        "is",
        "are",
        "has",
        "had",
        "showed",
        "shows",
        "revealed",
        "reveals",
        "demonstrated",
        "demonstrates",
        "remains",
        "remained",
    ];
    // The subject is a few words, so the comma is looked for just before the span.
    let from = super::anatomy::floor_char(text, start.saturating_sub(60).max(sentence.0));
    let lead = text.get(from..start)?;
    let comma = lead.rfind(',')?;
    if lead[comma + 1..].split_whitespace().count() > SUBJECT_WORDS {
        return None;
    }
    let after = text.get(end..sentence.1.max(end))?;
    let verb = after
        .split_whitespace()
        .next()?
        .trim_end_matches(|c: char| !c.is_alphabetic());
    VERBS
        .iter()
        .any(|v| verb.eq_ignore_ascii_case(v))
        .then_some(from + comma)
}
