//! Quantity, frequency, duration and rental length of a request.
//!
//! Works on the lower-case text with number words turned into digits
//! (`extract::numbers::words_to_digits`). Each pattern that is used is blanked out, so that one
//! phrase is not counted twice ("2 times a week for 4 weeks" gives a frequency and a duration,
//! not also a quantity).

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{Duration, Frequency, TimeUnit};

/// What the schedule reader found.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Schedule {
    pub quantity: Option<u32>,
    pub quantity_min: Option<u32>,
    pub frequency: Option<Frequency>,
    pub duration: Option<Duration>,
    /// "#60", "QTY: 2": a dispensed count.
    pub count: Option<u32>,
    pub refills: Option<u32>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

const NUM: &str = r"(?-u:(\d{1,4}))";
const RANGE: &str = r"(?-u:(\d{1,4}))(?:\s*(?:-|to)\s*(?-u:(\d{1,4})))?";

/// "2 times a week", "3 visits per week", "2-3 times a week", "3 times weekly", "2x/week",
/// "2 times daily", "3 times a day", "5 days a week" (a day program).
static FREQUENCY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b{RANGE}\s*(?:x|times|visits|sessions|treatments|days)?\s*(?:a|per|/|each|every|in\s+a)\s*(week|wk|day|month)\b|\b{RANGE}\s*(?:x|times)\s*(weekly|daily|monthly|a\s+week|a\s+day)\b"
    ))
});

/// "for 4 weeks", "x 6 weeks", "times 3 weeks", "over 2 weeks", "7-10 days", "14 days",
/// "2 month", "7 day use".
static DURATION: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\b{RANGE}[\s-]*(day|week|wk|month)s?\b")));

/// "2 times 8", "3x3", "1 x 4" (per week, for weeks).
static PAIR: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\b{NUM}\s*(?:x|times)\s*{NUM}\b")));

/// A total in parentheses: "(8)", "(12 sessions)".
static PAREN_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\(\s*{NUM}\s*(?:sessions?|visits?|treatments?)?\s*\)"
    ))
});

/// "#60", "# 8", "qty: 2", "quantity 3".
static COUNT: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?:#|\bqty:?|\bquantity:?)\s*{NUM}\b")));

/// "12 sessions", "12-18 sessions", "12 physical therapy sessions", "1-2 visits".
static SESSIONS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b{RANGE}\s+(?:[a-z/]+\s+){{0,3}}?(?:sessions?|visits?|treatments?)\b"
    ))
});

/// "sessions, 12".
static SESSIONS_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\b(?:sessions?|visits?),?\s+{NUM}\b")));

/// "times 12", "x 3" (a count, when no unit follows).
static TIMES: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\b(?:times|x)\s*{NUM}\b")));

/// "2 refills", "with 1 refill", "refills: 2".
static REFILLS: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"\b{NUM}\s+refills?\b|\brefills?:?\s*{NUM}\b")));

/// A count at the start: "2 leg wraps", "1 knee scooter".
static LEADING: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^{NUM}\s+([a-z]+)")));

/// Words after a leading number that make it part of a name ("3 phase bone scan").
const NOT_A_COUNT: &[&str] = &[
    "phase", "level", "levels", "in", "hour", "hours", "d", "point",
];

fn unit(word: &str) -> TimeUnit {
    match word {
        "day" | "daily" | "a day" => TimeUnit::Day,
        "month" | "monthly" => TimeUnit::Month,
        _ => TimeUnit::Week,
    }
}

fn num(caps: &Captures<'_>, i: usize) -> Option<u32> {
    caps.get(i).and_then(|m| m.as_str().parse().ok())
}

/// Blanks a match so later patterns do not see it again (same length keeps offsets).
fn blank(text: &mut String, start: usize, end: usize) {
    text.replace_range(start..end, &" ".repeat(end - start));
}

/// Reads the schedule of a request. `text` is lower case with digits for number words.
/// Strengths ("10/325mg", "5%") and spinal levels ("l4-5") must already be blanked.
pub(super) fn read(text: &str, is_drug: bool) -> Schedule {
    let mut t = text.to_string();
    let mut s = Schedule::default();

    if let Some(c) = REFILLS.captures(&t) {
        s.refills = num(&c, 1).or_else(|| num(&c, 2));
        let m = c.get(0).map(|m| (m.start(), m.end()));
        if let Some((a, b)) = m {
            blank(&mut t, a, b);
        }
    }
    if let Some(c) = COUNT.captures(&t) {
        s.count = num(&c, 1);
        if let Some(m) = c.get(0) {
            let (a, b) = (m.start(), m.end());
            blank(&mut t, a, b);
        }
    }
    let paren_total = PAREN_TOTAL.captures(&t).and_then(|c| {
        let n = num(&c, 1);
        c.get(0).map(|m| (m.start(), m.end(), n))
    });
    if let Some((a, b, _)) = paren_total {
        blank(&mut t, a, b);
    }

    if let Some(c) = FREQUENCY.captures(&t) {
        let (lo, hi, word) = if c.get(1).is_some() {
            (num(&c, 1), num(&c, 2), c.get(3).map(|m| m.as_str()))
        } else {
            (num(&c, 4), num(&c, 5), c.get(6).map(|m| m.as_str()))
        };
        if let (Some(times), Some(word)) = (lo, word) {
            s.frequency = Some(Frequency {
                times,
                times_max: hi,
                per: unit(word),
            });
        }
        if let Some(m) = c.get(0) {
            let (a, b) = (m.start(), m.end());
            blank(&mut t, a, b);
        }
    }
    // "2 times 8": per week, for weeks. "1 x 4 weeks" reads the same.
    if s.frequency.is_none()
        && let Some(c) = PAIR.captures(&t)
        && let (Some(times), Some(weeks)) = (num(&c, 1), num(&c, 2))
        && !is_drug
    {
        s.frequency = Some(Frequency {
            times,
            times_max: None,
            per: TimeUnit::Week,
        });
        if let Some(m) = c.get(0) {
            let end = m.end();
            let after = &t[end..];
            let unit_len = DURATION_UNIT.find(after).map_or(0, |u| u.end());
            let b = end + unit_len;
            let a = m.start();
            let word = t[end..b].trim().trim_end_matches('s').to_string();
            s.duration = Some(Duration {
                amount: weeks,
                amount_min: None,
                unit: if word.is_empty() {
                    TimeUnit::Week
                } else {
                    unit(&word)
                },
            });
            blank(&mut t, a, b);
        }
    }
    if s.duration.is_none()
        && let Some(c) = DURATION.captures(&t)
        && let Some(amount) = num(&c, 1)
    {
        let word = c.get(3).map_or("week", |m| m.as_str());
        let (amount, amount_min) = match num(&c, 2) {
            Some(hi) => (hi, Some(amount)),
            None => (amount, None),
        };
        s.duration = Some(Duration {
            amount,
            amount_min,
            unit: unit(word),
        });
        if let Some(m) = c.get(0) {
            let (a, b) = (m.start(), m.end());
            blank(&mut t, a, b);
        }
    }

    // The stated quantity: a total in parentheses, a dispensed count, sessions, "times N".
    if let Some((_, _, n)) = paren_total {
        s.quantity = n;
    } else if s.count.is_some() {
        s.quantity = s.count;
    } else {
        let mut total: Option<(u32, Option<u32>)> = None;
        for c in SESSIONS.captures_iter(&t) {
            let (lo, hi) = (num(&c, 1), num(&c, 2));
            if let Some(lo) = lo {
                let (max, min) = match hi {
                    Some(hi) => (hi, Some(lo)),
                    None => (lo, None),
                };
                total = Some(match total {
                    None => (max, min),
                    Some((m, mn)) => (
                        m.saturating_add(max),
                        mn.map(|x| x.saturating_add(min.unwrap_or(max))),
                    ),
                });
            }
        }
        if total.is_none()
            && let Some(c) = SESSIONS_AFTER.captures(&t)
        {
            total = num(&c, 1).map(|n| (n, None));
        }
        if total.is_none()
            && !is_drug
            && let Some(c) = TIMES.captures(&t)
        {
            total = num(&c, 1).map(|n| (n, None));
        }
        if total.is_none()
            && !is_drug
            && let Some(c) = LEADING.captures(t.trim_start())
            && !NOT_A_COUNT.contains(&c.get(2).map_or("", |m| m.as_str()))
        {
            total = num(&c, 1).map(|n| (n, None));
        }
        if let Some((max, min)) = total {
            s.quantity = Some(max);
            s.quantity_min = min;
        }
    }
    // Frequency per week times duration in weeks.
    if s.quantity.is_none()
        && !is_drug
        && let (Some(f), Some(d)) = (s.frequency, s.duration)
        && f.per == TimeUnit::Week
        && d.unit == TimeUnit::Week
    {
        s.quantity = Some(f.times_max.unwrap_or(f.times).saturating_mul(d.amount));
        if f.times_max.is_some() || d.amount_min.is_some() {
            s.quantity_min = Some(f.times.saturating_mul(d.amount_min.unwrap_or(d.amount)));
        }
    }
    s
}

static DURATION_UNIT: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:day|week|wk|month)s?\b"));
