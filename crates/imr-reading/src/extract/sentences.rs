//! Sentence spans: the outer bound of every negation scope.

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "no", "approx", "st", "jr", "sr", "etc", "fig",
    "p.o", "b.i.d", "t.i.d", "q.i.d", "a.m", "p.m", "u.s", "ca", "pt", "inc", "co", "mg", "cm",
];

/// Byte spans of the sentences of `text`, in order, skipping runs of bare whitespace.
///
/// A sentence ends at '.', '?' or '!' followed by whitespace (a decimal point or an
/// abbreviation does not end one), at a blank line, or at the end of the text.
pub(crate) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let ends = match b {
            b'.' | b'?' | b'!' => {
                // A closing quote or parenthesis after the period belongs to the sentence.
                let dot = i;
                while matches!(bytes.get(i + 1), Some(b'"' | b'\'' | b')')) {
                    i += 1;
                }
                let next = bytes.get(i + 1).copied();
                next.is_none_or(|n| n.is_ascii_whitespace())
                    && !(b == b'.' && is_abbreviation(bytes, dot))
            }
            b'\n' => {
                next == Some(b'\n') || (next == Some(b'\r') && bytes.get(i + 2) == Some(&b'\n'))
            }
            _ => false,
        };
        if ends {
            if bytes[start..=i].iter().any(|b| !b.is_ascii_whitespace()) {
                spans.push((start, i + 1));
            }
            start = i + 1;
        }
        i += 1;
    }
    if bytes[start..].iter().any(|b| !b.is_ascii_whitespace()) {
        spans.push((start, bytes.len()));
    }
    spans
}

/// True when the word ending at the period `dot` is an abbreviation or a single letter.
fn is_abbreviation(bytes: &[u8], dot: usize) -> bool {
    let mut s = dot;
    while s > 0 && (bytes[s - 1].is_ascii_alphabetic() || bytes[s - 1] == b'.') {
        s -= 1;
    }
    let word = &bytes[s..dot];
    if word.len() == 1 {
        return true;
    }
    ABBREVIATIONS
        .iter()
        .any(|a| word.eq_ignore_ascii_case(a.as_bytes()))
}

/// The index of the sentence holding byte `at` (spans as returned by [`sentences`]).
pub(crate) fn sentence_of(spans: &[(usize, usize)], at: usize) -> Option<usize> {
    let i = spans.partition_point(|&(_, end)| end <= at);
    (i < spans.len()).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_periods_not_decimals_or_abbreviations() {
        let text = "Norco 7.5 mg was given. Dr. Smith saw him vs. before.\n\nNext";
        let spans = sentences(text);
        let parts: Vec<&str> = spans.iter().map(|&(a, b)| text[a..b].trim()).collect();
        assert_eq!(
            parts,
            vec![
                "Norco 7.5 mg was given.",
                "Dr. Smith saw him vs. before.",
                "Next"
            ]
        );
    }
}
