//! What a rationale concludes about its request, so that a letter cannot say "Overturned" over a
//! rationale that ends "the request is not medically necessary" (or the reverse).
//!
//! A rationale's sentences are read for their conclusions: a sentence concludes when it speaks
//! of the request ("the request", "the requested MRI"), names medical necessity, opens its last
//! clause with a conclusion marker ("therefore", "thus", "as such", ...), or is the rationale's
//! last sentence. Its verdict is that of its predicate ("medically necessary", "supported",
//! "recommended", "warranted", "certified", "meets the criteria", "denied", "upheld", ...),
//! turned by a negation before it ("not", "does not", "cannot be", "fails to", "lacks").
//! Hypotheses ("would be medically necessary if ...") and what utilization review did ("UR denied
//! the request") conclude nothing. The letter's own conclusion sentence is then written from the
//! decision the physician chose ([`with_conclusion`]).
//!
//! Pure: text in, verdicts out.

use imr_core::model::Decision;

/// What a conclusion says of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Medically necessary: the decision is Overturned.
    Necessary,
    /// Not medically necessary: the decision is Upheld.
    NotNecessary,
}

impl Verdict {
    pub fn of(decision: Decision) -> Verdict {
        match decision {
            Decision::Upheld => Verdict::NotNecessary,
            Decision::Overturned => Verdict::Necessary,
        }
    }

    /// The decision this verdict is.
    pub fn decision(self) -> Decision {
        match self {
            Verdict::NotNecessary => Decision::Upheld,
            Verdict::Necessary => Decision::Overturned,
        }
    }

    /// How a message says it.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Necessary => "medically necessary (Overturned)",
            Verdict::NotNecessary => "not medically necessary (Upheld)",
        }
    }
}

/// A sentence of a rationale that concludes, and what it concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conclusion {
    /// 1-based, in the rationale's order.
    pub sentence: usize,
    pub verdict: Verdict,
}

/// Every concluding sentence of a rationale, in order.
pub fn conclusions(rationale: &str) -> Vec<Conclusion> {
    sentences(rationale)
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            verdict_of(&tokens(s)).map(|verdict| Conclusion {
                sentence: i + 1,
                verdict,
            })
        })
        .collect()
}

/// The first sentence that concludes the opposite of `decision`, if one does.
pub fn contradiction(rationale: &str, decision: Decision) -> Option<Conclusion> {
    let chosen = Verdict::of(decision);
    conclusions(rationale)
        .into_iter()
        .find(|c| c.verdict != chosen)
}

/// The conclusion sentence a letter gives an item, from the decision chosen.
pub fn conclusion_sentence(request: &str, decision: Decision) -> String {
    let request = request.trim().trim_end_matches(['.', ' ']);
    match decision {
        Decision::Upheld => format!("The request for {request} is not medically necessary."),
        Decision::Overturned => format!("The request for {request} is medically necessary."),
    }
}

/// The rationale with its conclusion written from `decision`: a closing sentence that only
/// states the verdict on the request ("Therefore, the request for ... is not medically
/// necessary.") is replaced, any other text kept, and the letter's conclusion sentence ends it.
/// Call it on a rationale that does not contradict `decision`.
pub fn with_conclusion(rationale: &str, request: &str, decision: Decision) -> String {
    let text = rationale.trim();
    let mut end = text.len();
    loop {
        let body = &text[..end];
        let spans = sentence_spans(body);
        match spans.last() {
            Some(&(start, stop)) if spans.len() > 1 && is_formula(&body[start..stop]) => {
                end = body[..start].trim_end().len();
            }
            Some(&(start, stop)) if spans.len() == 1 && is_formula(&body[start..stop]) => {
                end = 0;
            }
            _ => break,
        }
        if end == 0 {
            break;
        }
    }
    let body = text[..end].trim_end();
    let conclusion = conclusion_sentence(request, decision);
    if body.is_empty() {
        return conclusion;
    }
    let stop = if body.ends_with(['.', '!', '?']) {
        ""
    } else {
        "."
    };
    format!("{body}{stop} {conclusion}")
}

/// A sentence that states only the verdict on the request: an optional opening ("Therefore,",
/// "As such,"), "the request [for ...]" or "the requested ...", "is", and the verdict.
fn is_formula(sentence: &str) -> bool {
    let words: Vec<String> = tokens(sentence).into_iter().filter(|w| w != ",").collect();
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    const OPENERS: &[&[&str]] = &[
        &["therefore"],
        &["thus"],
        &["hence"],
        &["accordingly"],
        &["consequently"],
        &["so"],
        &["as", "such"],
        &["in", "conclusion"],
        &["in", "summary"],
        &["based", "on", "the", "above"],
        &["based", "on", "this"],
        &["based", "on", "these", "findings"],
        &["based", "on", "the", "guidelines"],
    ];
    let i = OPENERS
        .iter()
        .find(|o| w.len() >= o.len() && w[..o.len()] == o[..])
        .map_or(0, |o| o.len());
    let subject = matches!(w.get(i), Some(&("the" | "this")))
        && matches!(w.get(i + 1), Some(&("request" | "requested")));
    if !subject {
        return false;
    }
    let Some(is) = w[i + 2..].iter().rposition(|x| *x == "is") else {
        return false;
    };
    matches!(
        &w[i + 2 + is + 1..],
        ["medically", "necessary"]
            | ["not", "medically", "necessary"]
            | ["medically", "necessary", "and", "appropriate"]
            | ["not", "medically", "necessary", "and", "appropriate"]
            | ["supported"]
            | ["not", "supported"]
            | ["recommended"]
            | ["not", "recommended"]
            | ["certified"]
            | ["not", "certified"]
            | ["warranted"]
            | ["not", "warranted"]
    )
}

/// Words that end a sentence with their full stop without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "etc", "no", "approx", "st", "jr", "sr", "inc",
    "co", "fig", "p", "pp", "ca", "cf", "al",
];

/// Byte ranges of the sentences of a text: a full stop, question or exclamation mark followed by
/// white space ends one (not after an abbreviation or an initial), and so does a blank line.
fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next_is_space = bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
        let ends = match b {
            b'.' => {
                let word = text[start..i]
                    .rsplit(|c: char| c.is_whitespace() || c == '(')
                    .next()
                    .unwrap_or("");
                let lower = word.to_ascii_lowercase();
                let initial = word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase());
                next_is_space && !ABBREVIATIONS.contains(&lower.as_str()) && !initial
            }
            b'!' | b'?' => next_is_space,
            b'\n' => text[i + 1..]
                .trim_start_matches([' ', '\t', '\r'])
                .starts_with('\n'),
            _ => false,
        };
        if ends {
            if !text[start..=i].trim().is_empty() {
                spans.push((start, i + 1));
            }
            start = i + 1;
        }
        i += 1;
    }
    if !text[start..].trim().is_empty() {
        spans.push((start, text.len()));
    }
    spans
        .into_iter()
        .map(|(s, e)| {
            let piece = &text[s..e];
            let lead = piece.len() - piece.trim_start().len();
            (s + lead, s + piece.trim_end().len())
        })
        .collect()
}

fn sentences(text: &str) -> Vec<&str> {
    sentence_spans(text)
        .into_iter()
        .map(|(s, e)| &text[s..e])
        .collect()
}

/// Lower-case words, with commas, semicolons and colons as words of their own (they bound
/// clauses); apostrophes straightened; "not-medically" read as "not medically".
fn tokens(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let push = |word: &mut String, out: &mut Vec<String>| {
        if word.is_empty() {
            return;
        }
        let w = std::mem::take(word);
        match w.strip_prefix("not-") {
            Some(rest) if !rest.is_empty() => {
                out.push("not".to_string());
                out.push(rest.to_string());
            }
            _ => out.push(w),
        }
    };
    for c in sentence.chars() {
        let c = if c == '’' { '\'' } else { c };
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            word.extend(c.to_lowercase());
        } else {
            push(&mut word, &mut out);
            if matches!(c, ',' | ';' | ':') {
                out.push(c.to_string());
            }
        }
    }
    push(&mut word, &mut out);
    out
}

const MARKERS: &[&[&str]] = &[
    &["therefore"],
    &["thus"],
    &["hence"],
    &["accordingly"],
    &["consequently"],
    &["as", "such"],
    &["as", "a", "result"],
    &["in", "conclusion"],
    &["in", "summary"],
    &["for", "these", "reasons"],
    &["for", "this", "reason"],
    &[",", "so"],
];

/// Words that open a new clause within a sentence.
const BOUNDARIES: &[&str] = &[
    ",", ";", ":", "because", "since", "although", "though", "while", "whereas", "but", "however",
    "as",
];

/// Words that open a concession: what follows them, up to the next clause, is granted, not
/// concluded.
const CONCESSIVES: &[&str] = &["although", "though", "while", "whereas"];

/// Words that continue the clause before a comma ("..., that show ...", "..., to support ...").
const CONTINUATIONS: &[&str] = &["that", "which", "who", "to"];

const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "neither",
    "nor",
    "cannot",
    "can't",
    "cant",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "won't",
    "wouldn't",
    "hasn't",
    "haven't",
    "hadn't",
    "shouldn't",
    "lack",
    "lacks",
    "lacking",
    "fail",
    "fails",
    "failed",
    "insufficient",
    "inadequate",
];

const COPULAS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "remains", "remain", "appears", "appear",
    "seems", "seem",
];
const CONDITIONALS: &[&str] = &["if", "unless", "until", "whether", "provided", "assuming"];
const MODALS: &[&str] = &["would", "could", "might", "may"];
/// A comparison ("exceeds what is recommended", "more than recommended") describes, it does
/// not conclude.
const COMPARISONS: &[&str] = &[
    "exceeds",
    "exceed",
    "exceeding",
    "exceeded",
    "beyond",
    "than",
    "outside",
];

/// Words that make "the requested ..." another item's request.
const OTHER_REQUEST: &[&str] = &[
    "concurrent",
    "associated",
    "related",
    "other",
    "companion",
    "accompanying",
    "primary",
];

/// What utilization review (or an earlier step) did is history, not a conclusion.
const HISTORY: &[&str] = &[
    "ur",
    "utilization",
    "administrator",
    "carrier",
    "insurer",
    "adjuster",
    "previously",
    "initially",
    "originally",
    "prior",
];

/// Adjectives and participles that conclude after a copula ("is supported").
const CONCLUDING_YES: &[&str] = &[
    "necessary",
    "warranted",
    "justified",
    "reasonable",
    "appropriate",
    "certified",
    "approved",
    "authorized",
    "authorised",
    "supported",
    "recommended",
    "indicated",
    "overturned",
];
const CONCLUDING_NO: &[&str] = &[
    "unnecessary",
    "unsupported",
    "unwarranted",
    "unjustified",
    "inappropriate",
    "denied",
    "non-certified",
    "noncertified",
    "upheld",
];
/// Verbs that conclude with the request as their object ("the guidelines support the request").
const CONCLUDING_VERBS: &[&str] = &[
    "support",
    "supports",
    "supported",
    "warrant",
    "warrants",
    "warranted",
    "recommend",
    "recommends",
    "justify",
    "justifies",
    "establish",
    "establishes",
    "established",
    "demonstrate",
    "demonstrates",
    "demonstrated",
    "substantiate",
    "substantiates",
    "show",
    "shows",
];
/// What follows "medical necessity" when it is established (or not).
const ESTABLISHED: &[&str] = &[
    "established",
    "met",
    "demonstrated",
    "shown",
    "substantiated",
    "supported",
    "documented",
];

fn is(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// The copula of a predicate at `at`: within the four words before, and not in a relative
/// clause or a comparison ("that are being recommended", "what is recommended").
fn copula_before(words: &[String], at: usize) -> Option<usize> {
    let from = at.saturating_sub(4);
    let window = &words[from..at];
    if window
        .iter()
        .any(|w| matches!(w.as_str(), "that" | "which" | "who" | "what" | "than"))
    {
        return None;
    }
    let k = window.iter().position(|w| is(COPULAS, w))?;
    let index = from + k;
    (index == 0
        || !matches!(
            words[index - 1].as_str(),
            "that" | "which" | "who" | "what" | "than"
        ))
    .then_some(index)
}

/// How a predicate reads its negation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// "is not supported": the negation stands between the copula and the predicate.
    Near,
    /// "there is no documentation to support the request": anywhere before, in the clause.
    Clause,
}

/// A predicate at `at` in the clause `words`: its verdict before negation, how far back its
/// negation reaches, and whether it is an infinitive of purpose ("to support the request").
fn predicate(words: &[String], at: usize) -> Option<(Verdict, Scope, bool)> {
    let w = |k: usize| words.get(at + k).map(String::as_str).unwrap_or("");
    let before = &words[..at];
    let copula_near = || copula_before(words, at).is_some();
    let compared = || before.iter().any(|x| is(COMPARISONS, x));
    let object_is_request = |k: usize| {
        let mut j = at + k;
        while matches!(
            words.get(j).map(String::as_str),
            Some("the" | "this" | "these" | "a" | "an")
        ) {
            j += 1;
        }
        matches!(
            words.get(j).map(String::as_str),
            Some("request" | "requested" | "requests")
        ) || (words.get(j).is_some_and(|x| x == "medical")
            && words.get(j + 1).is_some_and(|x| x == "necessity"))
    };
    let infinitive = at > 0 && words[at - 1] == "to";
    // "medically necessary", "medically unnecessary" after a copula.
    if w(0) == "medically" {
        let verdict = match w(1) {
            "necessary" | "indicated" | "appropriate" | "reasonable" | "warranted" => {
                Verdict::Necessary
            }
            "unnecessary" | "inappropriate" | "unwarranted" => Verdict::NotNecessary,
            _ => return None,
        };
        return copula_near().then_some((verdict, Scope::Near, false));
    }
    // "medical necessity has (not) been established"; "no medical necessity", "lacks medical
    // necessity".
    if w(0) == "medical" && w(1) == "necessity" {
        let established = words[at + 2..]
            .iter()
            .take(8)
            .take_while(|x| !matches!(x.as_str(), "," | ";" | ":"))
            .any(|x| is(ESTABLISHED, x));
        let denied = words[at.saturating_sub(3)..at]
            .iter()
            .any(|x| is(NEGATORS, x));
        return (established || denied).then_some((Verdict::Necessary, Scope::Clause, false));
    }
    if is(CONCLUDING_VERBS, w(0)) && object_is_request(1) && !compared() {
        return Some((Verdict::Necessary, Scope::Clause, infinitive));
    }
    if matches!(w(0), "meets" | "meet" | "met")
        && words[at + 1..]
            .iter()
            .take(3)
            .any(|x| x == "criteria" || x == "guidelines" || x == "guideline")
    {
        return Some((Verdict::Necessary, Scope::Clause, infinitive));
    }
    if w(0) == "met" && before.iter().any(|x| x == "criteria") && copula_near() {
        return Some((Verdict::Necessary, Scope::Near, false));
    }
    if is(CONCLUDING_YES, w(0)) || is(CONCLUDING_NO, w(0)) {
        let verdict = if is(CONCLUDING_NO, w(0)) {
            Verdict::NotNecessary
        } else {
            Verdict::Necessary
        };
        // In the past ("part of the request was authorized", "therapy was recommended by the
        // treating physician") it tells what happened, not what the review concludes.
        let past = copula_before(words, at).is_some_and(|c| {
            matches!(words[c].as_str(), "was" | "were") || (c > 0 && words[c - 1] == "had")
        });
        return (copula_near() && !compared() && !past).then_some((verdict, Scope::Near, false));
    }
    None
}

/// A clause's verdict: its first predicate, turned by the negations before it.
fn clause_verdict(
    words: &[String],
    sentence: &[String],
    conditional_before: bool,
) -> Option<Verdict> {
    let conditional = |w: &String| CONDITIONALS.contains(&w.as_str());
    for at in 0..words.len() {
        let Some((verdict, scope, infinitive)) = predicate(words, at) else {
            continue;
        };
        // Near: from the auxiliaries before the copula ("does not appear to be", "cannot be")
        // to the predicate.
        let near_from =
            copula_before(words, at).map_or(at.saturating_sub(3), |c| c.saturating_sub(3));
        let near = &words[near_from..at];
        // "supported when ...", "medically necessary only if ..." state a condition.
        if words[at + 1..]
            .iter()
            .take(3)
            .any(|w| matches!(w.as_str(), "when" | "if" | "unless" | "only"))
        {
            return None;
        }
        // A hypothesis is no conclusion: "if ..., it would be supported", "it would be
        // medically necessary if ...".
        if conditional_before || words[..at].iter().any(conditional) {
            return None;
        }
        if near.iter().any(|w| is(MODALS, w)) && sentence.iter().any(conditional) {
            return None;
        }
        // The negations before the predicate; for "medical necessity", also those between it
        // and its verb ("medical necessity ... has not been established").
        let scope_words: &[String] = match scope {
            Scope::Near => near,
            Scope::Clause => &words[..at],
        };
        let mut negations = scope_words.iter().filter(|w| is(NEGATORS, w)).count();
        if words[at] == "medical" {
            negations += words[at + 2..]
                .iter()
                .take(8)
                .take_while(|w| !is(ESTABLISHED, w))
                .filter(|w| is(NEGATORS, w))
                .count();
        }
        let negated = negations % 2 == 1;
        // "criteria to support the request" states a requirement; "no documentation to support
        // the request" concludes.
        if infinitive && !negated {
            return None;
        }
        return Some(if negated {
            match verdict {
                Verdict::Necessary => Verdict::NotNecessary,
                Verdict::NotNecessary => Verdict::Necessary,
            }
        } else {
            verdict
        });
    }
    None
}

/// Where the sentence's last conclusion marker ends, if it has one.
fn after_marker(words: &[String]) -> Option<usize> {
    let mut found = None;
    for at in 0..words.len() {
        for marker in MARKERS {
            if words.len() >= at + marker.len()
                && marker.iter().zip(&words[at..]).all(|(m, w)| m == w)
            {
                found = Some(at + marker.len());
            }
        }
    }
    found
}

/// A sentence's verdict, if it concludes: the clause after its last conclusion marker, or the
/// whole sentence, in its parts; the part about the request decides, then (after a marker) the
/// last part that concludes, then a part on medical necessity, then an outcome ("the denial is
/// upheld").
fn verdict_of(words: &[String]) -> Option<Verdict> {
    let (clause_start, marked) = match after_marker(words) {
        Some(at) => (at, true),
        None => (0, false),
    };
    // The parts: (start, end) in `words`; a concession ("while the request is reasonable, ...")
    // concludes nothing.
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut start = clause_start;
    let mut conceded = false;
    for i in clause_start..words.len() {
        let w = words[i].as_str();
        let next = words.get(i + 1).map(String::as_str).unwrap_or("");
        let boundary = is(BOUNDARIES, w)
            && !(w == "as" && matches!(next, "such" | "indicated" | "well" | "to" | "a"))
            && !(w == "," && is(CONTINUATIONS, next));
        if boundary {
            if !conceded {
                parts.push((start, i));
            }
            conceded = is(CONCESSIVES, w);
            start = i + 1;
        }
    }
    if !conceded {
        parts.push((start, words.len()));
    }
    // "According to the guidelines, ..." reports the guideline.
    if matches!(
        words.get(clause_start).map(String::as_str),
        Some("according" | "per")
    ) {
        return None;
    }
    let part = |(s, e): (usize, usize)| &words[s..e];
    let mentions = |p: &[String], list: &[&str]| p.iter().any(|w| is(list, w));
    let history = |p: &[String]| {
        mentions(p, HISTORY) && !p.iter().any(|w| w == "upheld" || w == "overturned")
    };
    let conditional_before =
        |(s, _): (usize, usize)| mentions(&words[clause_start..s], CONDITIONALS);
    let verdict = |range: (usize, usize)| {
        let p = part(range);
        if history(p) {
            return None;
        }
        clause_verdict(p, words, conditional_before(range))
    };
    // 1. The part about the request (not another one: "the associated requested operation").
    let about_request = |p: &[String]| {
        p.iter().enumerate().any(|(i, w)| {
            matches!(w.as_str(), "request" | "requested" | "requests")
                && !p[i.saturating_sub(2)..i]
                    .iter()
                    .any(|x| is(OTHER_REQUEST, x))
        })
    };
    if let Some(v) = parts
        .iter()
        .filter(|r| about_request(part(**r)))
        .find_map(|r| verdict(*r))
    {
        return Some(v);
    }
    // 2. After a marker, the last part that concludes.
    if marked && let Some(v) = parts.iter().rev().find_map(|r| verdict(*r)) {
        return Some(v);
    }
    // 3. A part on medical necessity, or 4. an outcome.
    parts
        .iter()
        .filter(|r| {
            let p = part(**r);
            mentions(p, &["medically", "necessity", "upheld", "overturned"])
                && !p
                    .iter()
                    .take_while(|w| !w.starts_with("medical"))
                    .any(|w| is(MODALS, w))
        })
        .find_map(|r| verdict(*r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::{Overturned, Upheld};
    use Verdict::{Necessary, NotNecessary};

    fn verdicts(text: &str) -> Vec<Verdict> {
        conclusions(text).into_iter().map(|c| c.verdict).collect()
    }

    #[test]
    fn conclusions_that_the_request_is_not_medically_necessary() {
        let mut missed = Vec::new();
        for text in [
            "The request for physical therapy is not medically necessary.",
            "Therefore, the request is not medically necessary.",
            "As such, this request is not medically necessary and appropriate.",
            "Lumbar supports are not recommended; therefore, this request is denied.",
            "Lumbar supports are not recommended for prevention. Therefore, the request is not supported.",
            "The requested MRI is not recommended at this time.",
            "The guidelines do not support the request.",
            "Medical necessity for the requested medication has not been established.",
            "There is no medical necessity for the request.",
            "The request does not meet the MTUS criteria.",
            "The request fails to meet guideline criteria.",
            "This request is not certified.",
            "The request is non-certified.",
            "The denial is upheld.",
            "The request is medically unnecessary.",
            "Although the guidelines recommend therapy, the request is not medically necessary.",
            "The request is not medically necessary because the criteria are not met.",
            "The request for 12 visits exceeds the initial trial and is not medically necessary.",
            "Continued use is not supported; therefore, it is denied.",
            "There were no red flags on examination to support the request.",
            "There is a lack of documented objective deficits to warrant the requested imaging.",
            "No exceptional factors are documented which would demonstrate medical necessity for \
             the requested treatment.",
            "Based on the records, the request for diazepam is not-medically necessary.",
            "In the absence of such evidence, the request for an MRI without contrast is not \
             medically necessary.",
            "The request does not appear to be medically necessary.",
            "Repeat imaging isn't warranted; thus the request cannot be certified.",
            "If he improved, therapy could resume later; therefore, the request is not supported.",
            "The request is not medically necessary at this time, but may be reconsidered if the \
             patient improves.",
            "The request for Norco 10/325 mg #90 is NOT medically necessary.",
            "The request lacks medical necessity.",
        ] {
            if contradiction(text, Overturned).map(|c| c.verdict) != Some(NotNecessary)
                || contradiction(text, Upheld).is_some()
            {
                missed.push(text);
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn conclusions_that_the_request_is_medically_necessary() {
        let mut missed = Vec::new();
        for text in [
            "The request for physical therapy is medically necessary.",
            "Therefore, the request is medically necessary.",
            "The request is supported.",
            "The requested MRI is supported by the guidelines.",
            "The guidelines support the request.",
            "Medical necessity has been established for the request.",
            "The request meets guideline criteria.",
            "The request is reasonable and appropriate.",
            "As such, the request is certified.",
            "The UR denial is overturned.",
            "Objective findings of nerve compromise are documented; thus the MRI is warranted.",
            "The request is medically necessary, as the denial was not supported.",
            "Although opioids are not recommended as first-line treatment, the request is medically \
             necessary.",
            "Opioids are not recommended as first-line therapy. However, function has improved, so \
             continued use is supported.",
            "The request is indicated.",
            "Six visits of hand therapy for the right wrist are medically necessary.",
        ] {
            if contradiction(text, Upheld).map(|c| c.verdict) != Some(Necessary)
                || contradiction(text, Overturned).is_some()
            {
                missed.push(text);
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn statements_that_conclude_nothing() {
        let mut missed = Vec::new();
        for text in [
            // Guideline statements and facts that are not the last sentence.
            "Opioids are not recommended for long-term use. The patient improved on them. \
             Function is documented.",
            // Hypotheses.
            "The request would be medically necessary if a deficit were documented.",
            "If the patient had failed conservative care, the MRI would be supported.",
            // What utilization review did.
            "Utilization review denied the request on 01/05/2026.",
            "The request was previously non-certified by UR.",
            // Descriptions.
            "Surgery was discussed, as indicated by the note of 01/05/2026.",
            "The patient reports pain rated 7/10.",
            // Comparisons, relative clauses and descriptions that mention the request.
            "The request for 12 sessions exceeds the recommended guidelines.",
            "The requested additional sessions exceed what is recommended.",
            "The request for 8 visits is greater than the number recommended for a trial.",
            "The requested service did not specify the quantity that is being recommended.",
            "The records indicated the patient had used the requested medication since 2016.",
            // Medical necessity named, not concluded.
            "This decision addresses the medical necessity of the medication as prescribed.",
            "Medical necessity of further treatment depends on re-assessment.",
            "The guidelines require specific criteria to support the medical necessity of a bed.",
            "Manipulation into extreme flexion would be medically inappropriate with a fracture.",
            // A guideline reported, a condition stated, another item's request.
            "According to the ACOEM Guidelines, a referral is supported when the course of care \
             may benefit from additional expertise.",
            "The request is supported only when conservative care has failed.",
            "The associated requested hip arthroscopy is supported.",
            "Part of the original request was authorized as a trial.",
            "The request was denied by utilization review and is disputed.",
            "While the request for a cold therapy unit is reasonable, the request gives no rental \
             period.",
            // Precision before recall: a sentence that names neither the request nor medical
            // necessity and has no conclusion marker is not read as a conclusion (the letter's
            // own conclusion sentence is written from the decision anyway).
            "Continued use is not supported.",
            "",
        ] {
            if !verdicts(text).is_empty() {
                missed.push(text);
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn a_contradiction_names_its_sentence() {
        let text = "Dr. Smith documented a deficit (see p. 4). The MRI showed a disc protrusion. \
                    The request is not medically necessary.";
        let found = contradiction(text, Overturned).expect("a contradiction");
        assert_eq!(found.sentence, 3);
        // Mixed conclusions contradict either decision.
        let mixed = "The request is supported. Therefore, the request is not medically necessary.";
        assert_eq!(verdicts(mixed), [Necessary, NotNecessary]);
        assert_eq!(
            contradiction(mixed, Overturned).map(|c| c.sentence),
            Some(2)
        );
        assert_eq!(contradiction(mixed, Upheld).map(|c| c.sentence), Some(1));
    }

    #[test]
    fn sentences_end_at_stops_not_at_abbreviations_initials_or_decimals() {
        let text =
            "Dr. J. Smith saw him on 1.5 occasions, e.g. twice.\nThe end? Yes!\n\nNew paragraph";
        assert_eq!(
            sentences(text),
            [
                "Dr. J. Smith saw him on 1.5 occasions, e.g. twice.",
                "The end?",
                "Yes!",
                "New paragraph"
            ]
        );
    }

    #[test]
    fn the_conclusion_is_written_from_the_decision() {
        let request = "MRI of the lumbar spine";
        assert_eq!(
            with_conclusion("Deficit documented", request, Overturned),
            "Deficit documented. The request for MRI of the lumbar spine is medically necessary."
        );
        // A closing formula is replaced, whatever its wording; other closing text stays.
        assert_eq!(
            with_conclusion(
                "No red flag is documented. Therefore, the request for MRI of the lumbar spine \
                 is not medically necessary.",
                request,
                Upheld
            ),
            "No red flag is documented. The request for MRI of the lumbar spine is not \
             medically necessary."
        );
        assert_eq!(
            with_conclusion(
                "No red flag. The request is not supported.",
                request,
                Upheld
            ),
            "No red flag. The request for MRI of the lumbar spine is not medically necessary."
        );
        let own = "No red flag; the request is not supported, as six weeks have not passed.";
        assert_eq!(
            with_conclusion(own, request, Upheld),
            format!("{own} The request for MRI of the lumbar spine is not medically necessary.")
        );
        assert_eq!(
            with_conclusion("The request is medically necessary.", request, Overturned),
            "The request for MRI of the lumbar spine is medically necessary."
        );
        // The letter's sentence never contradicts the decision.
        for decision in [Upheld, Overturned] {
            let written = with_conclusion("Findings reviewed.", request, decision);
            assert_eq!(contradiction(&written, decision), None, "{written}");
            assert_eq!(
                conclusions(&written).last().map(|c| c.verdict),
                Some(Verdict::of(decision))
            );
        }
    }
}
