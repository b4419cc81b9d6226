//! Numbers as clinical text writes them: digits, words ("seven", "twice"), and both together
//! ("seven (7)").

/// The value of a number word or digits, lower or upper case.
pub(crate) fn number_word(word: &str) -> Option<u32> {
    if !word.is_empty() && word.len() <= 6 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    let lower = word.to_ascii_lowercase();
    let value = match lower.as_str() {
        "one" | "once" | "single" => 1,
        "two" | "twice" => 2,
        "three" | "thrice" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "twenty-four" => 24,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        _ => return None,
    };
    Some(value)
}

/// Replaces number words by digits ("twice" becomes "2 times", "seven (7)" becomes "7"), in a
/// lower-case copy. Offsets change, so this is for short texts read as a whole (requests).
pub(crate) fn words_to_digits(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut rest = lower.as_str();
    while !rest.is_empty() {
        let word_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if word_len == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let word = &rest[..word_len];
        rest = &rest[word_len..];
        let is_digits = word.bytes().all(|b| b.is_ascii_digit());
        match number_word(word) {
            Some(n) if !is_digits => {
                if word == "twice" || word == "thrice" || word == "once" {
                    out.push_str(&format!("{n} times"));
                } else {
                    out.push_str(&n.to_string());
                }
                // "seven (7)": drop the repeated digits in parentheses.
                let trimmed = rest.trim_start();
                if let Some(inner) = trimmed.strip_prefix('(')
                    && let Some(close) = inner.find(')')
                    && inner[..close].trim().parse::<u32>().ok() == Some(n)
                {
                    let skip = rest.len() - trimmed.len() + 1 + close + 1;
                    rest = &rest[skip..];
                }
            }
            _ => out.push_str(word),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_become_digits() {
        assert_eq!(words_to_digits("Two times a week"), "2 times a week");
        assert_eq!(words_to_digits("twice daily"), "2 times daily");
        assert_eq!(words_to_digits("seven (7) sessions"), "7 sessions");
        assert_eq!(words_to_digits("twelve (12)"), "12");
        assert_eq!(words_to_digits("one-half"), "one-half");
        assert_eq!(words_to_digits("10/325mg #60"), "10/325mg #60");
    }
}
