//! A Final Determination Letter as one self-contained HTML page: readable on screen, printable
//! (a print stylesheet sets it on Letter paper with the case number and page numbers in the
//! margins), and accessible (language, landmarks, headings in order, the header as a table with
//! row headers). Every piece of the determination's text is escaped.

use std::borrow::Cow;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::write::{Block, LetterDocument};
use imr_core::model::Decision;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45;
       color: #111; background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
header h1 { font-size: 1.4rem; margin: 0; }
header p { margin: 0.2rem 0 1rem; font-size: 1.05rem; }
table.case { border-collapse: collapse; width: 100%; margin: 0 0 1.5rem; border-top: 1px solid #555;
             border-bottom: 1px solid #555; }
table.case th { text-align: left; font-weight: bold; padding: 0.2rem 0.6rem 0.2rem 0.3rem; white-space: nowrap; }
table.case td { padding: 0.2rem 1.5rem 0.2rem 0; }
h2 { font-size: 1.05rem; border-bottom: 1px solid #777; padding-bottom: 0.15rem; margin: 1.6rem 0 0.6rem; }
h3 { font-size: 1rem; margin: 1.3rem 0 0.4rem; }
p { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.label { font-weight: bold; }
.decision { white-space: nowrap; }
@page { size: letter; margin: 1in; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; }
  p { orphans: 3; widows: 3; }
  table.case { break-inside: avoid; }
}
"#;

/// Renders a letter document as HTML. maud escapes every piece of the determination's text;
/// only the fixed stylesheet and the margin rule (its case number reduced to letters, digits,
/// spaces and hyphens) go in unescaped, since a `<style>` element's text is not HTML.
pub fn render_html(document: &LetterDocument) -> String {
    let title = match &document.case_number {
        Some(case) => format!("Final Determination Letter {}", printable(case)),
        None => "Final Determination Letter".to_string(),
    };
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
                @if let Some(case) = &document.case_number {
                    // Printed in the page margins by browsers that support margin boxes.
                    style { (PreEscaped(margin_rule(case))) }
                }
            }
            body {
                header {
                    h1 { "Independent Medical Review" }
                    p { "Final Determination Letter" }
                    @if !document.header.is_empty() {
                        table.case {
                            caption.visually-hidden style="position:absolute;left:-9999px" { "Case" }
                            tbody {
                                @for field in &document.header {
                                    tr {
                                        th scope="row" { (printable(field.label)) ":" }
                                        td { (printable(&field.value)) }
                                    }
                                }
                            }
                        }
                    }
                }
                main {
                    @for section in &document.sections {
                        @let id = anchor(section.heading);
                        section aria-labelledby=(id) {
                            h2 id=(id) { (printable(section.heading)) }
                            @for item in items(&section.blocks) {
                                @if let Some((wording, decision)) = item.heading {
                                    article {
                                        h3 { (printable(wording)) ": " span.decision { (decision_word(decision)) } }
                                        (blocks(item.blocks))
                                    }
                                } @else {
                                    (blocks(item.blocks))
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    markup.into_string()
}

/// A run of blocks under one item heading, or before the first one (`heading` is `None`).
struct ItemBlocks<'a> {
    heading: Option<(&'a str, Decision)>,
    blocks: &'a [Block],
}

/// A section's blocks grouped by item heading, each item becoming an `<article>`.
fn items(blocks: &[Block]) -> Vec<ItemBlocks<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut heading = None;
    for (i, block) in blocks.iter().enumerate() {
        if let Block::ItemHeading { wording, decision } = block {
            if i > start || heading.is_some() {
                out.push(ItemBlocks {
                    heading,
                    blocks: &blocks[start..i],
                });
            }
            heading = Some((wording.as_str(), *decision));
            start = i + 1;
        }
    }
    if start < blocks.len() || heading.is_some() {
        out.push(ItemBlocks {
            heading,
            blocks: &blocks[start..],
        });
    }
    out
}

fn blocks(blocks: &[Block]) -> Markup {
    html! {
        @for block in blocks {
            @match block {
                Block::Paragraph(text) => p { (printable(text)) },
                Block::Field { label, text } => p { span.label { (printable(label)) ":" } " " (printable(text)) },
                Block::ItemHeading { .. } => {},
            }
        }
    }
}

fn decision_word(decision: Decision) -> &'static str {
    match decision {
        Decision::Upheld => "Upheld",
        Decision::Overturned => "Overturned",
    }
}

/// A section's anchor: its heading's words in lower case, joined by hyphens.
fn anchor(heading: &str) -> String {
    heading
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The case number and page numbers in the printed page's margins.
fn margin_rule(case: &str) -> String {
    format!(
        "@page {{ @top-right {{ content: \"Case Number {}\"; font-size: 8pt; }} @bottom-center {{ content: \"Page \" counter(page) \" of \" counter(pages); font-size: 8pt; }} }}",
        css_string(case)
    )
}

/// Text as it may appear in HTML: control characters other than tab and line break, which
/// HTML does not allow, become U+FFFD. Escaping is maud's.
fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(not_allowed) {
        Cow::Owned(
            text.chars()
                .map(|c| if not_allowed(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

fn not_allowed(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Escapes text for HTML element content and attribute values (in double quotes), through
/// maud, for the few pages that build markup outside a template (the corpus's SVG charts).
pub fn escape(text: &str) -> String {
    html! { (printable(text)) }.into_string()
}

/// Text inside a CSS string: only letters, digits, spaces and hyphens are kept.
fn css_string(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ' ')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{HeaderField, Section};

    fn document(text: &str) -> LetterDocument {
        LetterDocument {
            case_number: Some("CM26-0000001\"</style><script>".to_string()),
            header: vec![HeaderField {
                label: "Case Number",
                value: "CM26-0000001".to_string(),
            }],
            sections: vec![Section {
                heading: "IMR ISSUES, DECISIONS AND RATIONALES",
                blocks: vec![
                    Block::ItemHeading {
                        wording: format!("Item {text}"),
                        decision: Decision::Upheld,
                    },
                    Block::Field {
                        label: "Decision rationale".to_string(),
                        text: text.to_string(),
                    },
                ],
            }],
            decisions: vec![Decision::Upheld],
        }
    }

    #[test]
    fn everything_from_the_determination_is_escaped() {
        let html = render_html(&document("<script>alert('x')</script> & \"more\""));
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;more&quot;"));
        assert!(html.contains("content: \"Case Number CM26-0000001stylescript\""));
    }

    #[test]
    fn control_characters_become_replacement_characters() {
        let html = render_html(&document("a\u{7}b\u{1b}c\td"));
        assert!(html.contains("a\u{fffd}b\u{fffd}c\td"), "{html}");
        assert_eq!(escape("x\u{0}<y"), "x\u{fffd}&lt;y");
    }

    #[test]
    fn paragraphs_before_the_first_item_stay_outside_its_article() {
        let mut doc = document("text");
        doc.sections[0]
            .blocks
            .insert(0, Block::Paragraph("Opening".to_string()));
        let html = render_html(&doc);
        let (opening, article) = (
            html.find("<p>Opening</p>").expect("paragraph"),
            html.find("<article>").expect("article"),
        );
        assert!(opening < article, "{html}");
        assert_eq!(html.matches("<article>").count(), 1);
        assert_eq!(html.matches("</article>").count(), 1);
    }

    #[test]
    fn the_page_is_accessible_and_printable() {
        let html = render_html(&document("text"));
        for needle in [
            "<html lang=\"en\">",
            "<main>",
            "<th scope=\"row\">Case Number:</th>",
            "<h1>",
            "<h2 id=\"imr-issues-decisions-and-rationales\">",
            "<h3>",
            "@media print",
            "<section aria-labelledby=\"imr-issues-decisions-and-rationales\">",
        ] {
            assert!(html.contains(needle), "missing {needle}");
        }
        // Headings in order: h1 before h2 before h3.
        let (h1, h2, h3) = (
            html.find("<h1>").expect("h1"),
            html.find("<h2").expect("h2"),
            html.find("<h3").expect("h3"),
        );
        assert!(h1 < h2 && h2 < h3);
    }
}
