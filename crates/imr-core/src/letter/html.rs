//! A Final Determination Letter as one self-contained HTML page: readable on screen, printable
//! (a print stylesheet sets it on Letter paper with the case number and page numbers in the
//! margins), and accessible (language, landmarks, headings in order, the header as a table with
//! row headers). Every piece of the determination's text is escaped.

use super::write::{Block, LetterDocument};
use crate::model::Decision;

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

/// Renders a letter document as HTML.
pub fn render_html(document: &LetterDocument) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let title = match &document.case_number {
        Some(case) => format!("Final Determination Letter {}", escape(case)),
        None => "Final Determination Letter".to_string(),
    };
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{title}</title>\n<style>{STYLE}</style>\n"));
    if let Some(case) = &document.case_number {
        // Printed in the page margins by browsers that support margin boxes.
        out.push_str(&format!(
            "<style>@page {{ @top-right {{ content: \"Case Number {}\"; font-size: 8pt; }} @bottom-center {{ content: \"Page \" counter(page) \" of \" counter(pages); font-size: 8pt; }} }}</style>\n",
            css_string(case)
        ));
    }
    out.push_str("</head>\n<body>\n<header>\n<h1>Independent Medical Review</h1>\n");
    out.push_str("<p>Final Determination Letter</p>\n");
    if !document.header.is_empty() {
        out.push_str("<table class=\"case\">\n<caption class=\"visually-hidden\" style=\"position:absolute;left:-9999px\">Case</caption>\n<tbody>\n");
        for field in &document.header {
            out.push_str(&format!(
                "<tr><th scope=\"row\">{}:</th><td>{}</td></tr>\n",
                escape(field.label),
                escape(&field.value)
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</header>\n<main>\n");
    for section in &document.sections {
        let id = section
            .heading
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        out.push_str(&format!(
            "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n",
            escape(section.heading)
        ));
        let mut in_item = false;
        for block in &section.blocks {
            match block {
                Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape(text))),
                Block::Field { label, text } => out.push_str(&format!(
                    "<p><span class=\"label\">{}:</span> {}</p>\n",
                    escape(label),
                    escape(text)
                )),
                Block::ItemHeading { wording, decision } => {
                    if in_item {
                        out.push_str("</article>\n");
                    }
                    in_item = true;
                    let word = match decision {
                        Decision::Upheld => "Upheld",
                        Decision::Overturned => "Overturned",
                    };
                    out.push_str(&format!(
                        "<article>\n<h3>{}: <span class=\"decision\">{word}</span></h3>\n",
                        escape(wording)
                    ));
                }
            }
        }
        if in_item {
            out.push_str("</article>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
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
    use crate::letter::write::{HeaderField, Section};

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
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;")
        );
        assert!(html.contains("content: \"Case Number CM26-0000001stylescript\""));
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
