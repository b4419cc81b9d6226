//! Text cleanup so that a PDF's text reads like poppler's `pdftotext` output of the same file:
//! one space between words, no indentation or trailing blanks, at most one blank line in a row,
//! ligatures and odd spaces and hyphens spelled plainly, a line ending in a hyphen joined to the
//! next (as `pdftotext` does), and each page ended by a blank line and a form feed.

/// Join laid-out pages into one text, each page ended by `"\n\n\x0c"` (an empty page by `"\x0c"`).
pub(super) fn pages(pages: &[String]) -> String {
    let mut out = String::with_capacity(pages.iter().map(String::len).sum::<usize>() + 16);
    for page in pages {
        let lines = page_lines(page);
        if !lines.is_empty() {
            out.push_str(&lines.join("\n"));
            out.push_str("\n\n");
        }
        out.push('\x0c');
    }
    out
}

/// One page's lines after cleanup and dehyphenation, without leading or trailing blank lines.
fn page_lines(page: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut join_next = false;
    for raw in page.split('\n') {
        let line = clean_line(raw);
        if line.is_empty() {
            join_next = false;
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(line);
            }
            continue;
        }
        let hyphenated = ends_in_word_hyphen(&line);
        match lines.last_mut() {
            Some(prev) if join_next => {
                prev.pop(); // the hyphen
                prev.push_str(&line);
            }
            _ => lines.push(line),
        }
        join_next = hyphenated;
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// A line that ends in a hyphen right after a letter or digit: a word broken across lines.
fn ends_in_word_hyphen(line: &str) -> bool {
    let mut rev = line.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(char::is_alphanumeric)
}

/// Plain characters, single spaces, no blanks at either end.
fn clean_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.chars() {
        let plain: &str = match c {
            '\u{fb00}' => "ff",
            '\u{fb01}' => "fi",
            '\u{fb02}' => "fl",
            '\u{fb03}' => "ffi",
            '\u{fb04}' => "ffl",
            '\u{fb05}' | '\u{fb06}' => "st",
            '\u{2010}' | '\u{2011}' => "-",
            '\u{00ad}' | '\u{200b}' | '\u{feff}' => "",
            c if c.is_whitespace() || c.is_control() => " ",
            _ => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                continue;
            }
        };
        for p in plain.chars() {
            if p == ' ' {
                space = true;
            } else {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> String {
        pages(&[text.to_string()])
    }

    #[test]
    fn spaces_are_single_and_lines_trimmed() {
        assert_eq!(
            page("  Case  Number:\u{a0} CM00-0000001   \n"),
            "Case Number: CM00-0000001\n\n\x0c"
        );
    }

    #[test]
    fn blank_lines_collapse_and_pages_end_with_a_form_feed() {
        let text = pages(&[" \nA\n \n\n  \nB\n \n".into(), "C".into(), " ".into()]);
        assert_eq!(text, "A\n\nB\n\n\x0cC\n\n\x0c\x0c");
    }

    #[test]
    fn a_word_broken_by_a_hyphen_is_joined_like_pdftotext() {
        assert_eq!(
            page("evidence-\nbased medicine\nnext"),
            "evidencebased medicine\nnext\n\n\x0c"
        );
        assert_eq!(page("dated 10-30-\n2016."), "dated 10-302016.\n\n\x0c");
        // A dash set apart, or before a blank line, stays.
        assert_eq!(page("Norco -\nrefill"), "Norco -\nrefill\n\n\x0c");
        assert_eq!(page("left-\n\nright"), "left-\n\nright\n\n\x0c");
    }

    #[test]
    fn ligatures_and_odd_characters_are_spelled_plainly() {
        assert_eq!(
            page("\u{fb01}nal e\u{fb03}cacy\u{2011}test so\u{ad}ft\u{7}x"),
            "final efficacy-test soft x\n\n\x0c"
        );
    }
}
