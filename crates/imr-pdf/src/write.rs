//! PDF out: a Final Determination Letter as a real PDF, written by hand from PDF objects.
//!
//! Text is set in the bundled DejaVu Sans (embedded, reduced to the glyphs the letter uses) as
//! Type 0 fonts whose ToUnicode maps make every character extractable and searchable, so the
//! project's own PDF reader reads the letter back to the same record. A character the font lacks
//! is drawn as the replacement glyph but still extracts as itself.
//!
//! The running header (the case number) and the footer ("Page N of M") are drawn as glyph
//! outlines, not text, and marked as artifacts: they are on every page for the person holding
//! the paper, and not in the letter's text, where they would land in the middle of a rationale.
//!
//! Lines are broken by the letter writer's [`wrap`], measured with the font's advance widths.

mod font;

use std::fmt::Write as _;
use std::io::Write as _;

use imr_letter::write::{Block, BlockKind, LetterDocument, wrap};

use font::{BOLD_TTF, Font, REGULAR_TTF, Style};

/// Why a letter could not be written as a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfWriteError {
    #[error("the bundled font cannot be used: {0}")]
    Font(String),
    #[error("compressing a PDF stream: {0}")]
    Compress(#[from] std::io::Error),
}

// Page geometry, in points (US Letter).
const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN_LEFT: f32 = 72.0;
const MARGIN_RIGHT: f32 = 72.0;
const MARGIN_TOP: f32 = 72.0;
const MARGIN_BOTTOM: f32 = 72.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

const BODY_SIZE: f32 = 10.0;
const LEADING: f32 = 13.5;
const HEADING_SIZE: f32 = 11.0;
const TITLE_SIZE: f32 = 15.0;
const FURNITURE_SIZE: f32 = 8.5;
const PARAGRAPH_GAP: f32 = 5.0;
const SECTION_GAP: f32 = 16.0;
const ITEM_GAP: f32 = 12.0;

/// The letter as PDF bytes.
pub fn letter_pdf(document: &LetterDocument) -> Result<Vec<u8>, PdfWriteError> {
    let mut fonts = Fonts {
        regular: Font::new(REGULAR_TTF, "DejaVuSans").map_err(PdfWriteError::Font)?,
        bold: Font::new(BOLD_TTF, "DejaVuSans-Bold").map_err(PdfWriteError::Font)?,
    };
    let pages = lay_out(document, &fonts);
    let title = match &document.case_number {
        Some(case) => format!("Final Determination Letter {case}"),
        None => "Final Determination Letter".to_string(),
    };
    serialize(&pages, &mut fonts, document.case_number.as_deref(), &title)
}

struct Fonts<'a> {
    regular: Font<'a>,
    bold: Font<'a>,
}

impl<'a> Fonts<'a> {
    fn get(&self, style: Style) -> &Font<'a> {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    fn get_mut(&mut self, style: Style) -> &mut Font<'a> {
        match style {
            Style::Regular => &mut self.regular,
            Style::Bold => &mut self.bold,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Layout

/// A run of text in one font.
struct Run {
    style: Style,
    size: f32,
    text: String,
}

/// What a page shows, in PDF coordinates (y up from the bottom).
enum Mark {
    Text {
        x: f32,
        y: f32,
        runs: Vec<Run>,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
    },
}

struct Layout<'f, 'a> {
    fonts: &'f Fonts<'a>,
    pages: Vec<Vec<Mark>>,
    /// The baseline of the next line.
    y: f32,
}

impl Layout<'_, '_> {
    fn page(&mut self) -> &mut Vec<Mark> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_HEIGHT - MARGIN_TOP;
    }

    /// Starts a new page unless `height` more points fit above the bottom margin.
    fn need(&mut self, height: f32) {
        if self.y - height < MARGIN_BOTTOM {
            self.new_page();
        }
    }

    fn line(&mut self, runs: Vec<Run>) {
        self.need(0.0);
        let y = self.y;
        self.page().push(Mark::Text {
            x: MARGIN_LEFT,
            y,
            runs,
        });
        self.y -= LEADING;
    }

    /// A block wrapped to the text width; `label` (a field's) is set in bold on its first line.
    fn block(&mut self, text: &str, kind: BlockKind, style: Style, label: Option<&str>) {
        let fonts = self.fonts;
        let measure = |line: &str| -> f32 {
            match label.and_then(|l| line.strip_prefix(l)) {
                Some(rest) => {
                    fonts.bold.width(label.unwrap_or(""), BODY_SIZE)
                        + fonts.get(style).width(rest, BODY_SIZE)
                }
                None => fonts.get(style).width(line, BODY_SIZE),
            }
        };
        let lines = wrap(text, kind, |line| measure(line) <= TEXT_WIDTH);
        // No paragraph leaves its first line alone at the foot of a page.
        if lines.len() > 1 {
            self.need(LEADING);
        }
        for (i, line) in lines.into_iter().enumerate() {
            let runs = match label.and_then(|l| line.strip_prefix(l)).filter(|_| i == 0) {
                Some(rest) => vec![
                    run(Style::Bold, BODY_SIZE, label.unwrap_or("")),
                    run(style, BODY_SIZE, rest),
                ],
                None => vec![run(style, BODY_SIZE, &line)],
            };
            self.line(runs);
        }
    }
}

fn run(style: Style, size: f32, text: &str) -> Run {
    Run {
        style,
        size,
        text: text.to_string(),
    }
}

fn lay_out(document: &LetterDocument, fonts: &Fonts) -> Vec<Vec<Mark>> {
    let mut layout = Layout {
        fonts,
        pages: Vec::new(),
        y: PAGE_HEIGHT - MARGIN_TOP,
    };
    layout.page();

    // Title.
    layout.y -= 4.0;
    let y = layout.y;
    layout.page().push(Mark::Text {
        x: MARGIN_LEFT,
        y,
        runs: vec![run(Style::Bold, TITLE_SIZE, "Independent Medical Review")],
    });
    layout.y -= 18.0;
    let y = layout.y;
    layout.page().push(Mark::Text {
        x: MARGIN_LEFT,
        y,
        runs: vec![run(
            Style::Regular,
            HEADING_SIZE,
            "Final Determination Letter",
        )],
    });
    layout.y -= 12.0;
    header_table(&mut layout, document);

    for section in &document.sections {
        layout.y -= SECTION_GAP;
        // Keep the heading with the first lines of the section.
        layout.need(LEADING * 3.0);
        let y = layout.y;
        layout.page().push(Mark::Text {
            x: MARGIN_LEFT,
            y,
            runs: vec![run(Style::Bold, HEADING_SIZE, section.heading)],
        });
        layout.page().push(Mark::Rule {
            x1: MARGIN_LEFT,
            x2: PAGE_WIDTH - MARGIN_RIGHT,
            y: y - 4.0,
            width: 0.6,
        });
        layout.y -= LEADING + 4.0;
        for (i, block) in section.blocks.iter().enumerate() {
            match block {
                Block::Paragraph(text) => {
                    if i > 0 {
                        layout.y -= PARAGRAPH_GAP;
                    }
                    layout.block(text, BlockKind::Body, Style::Regular, None);
                }
                Block::Field { label, text } => {
                    let label = format!("{label}:");
                    let full = if text.is_empty() {
                        label.clone()
                    } else {
                        format!("{label} {text}")
                    };
                    layout.y -= 2.0;
                    layout.block(&full, BlockKind::Body, Style::Regular, Some(&label));
                }
                Block::ItemHeading { .. } => {
                    layout.y -= ITEM_GAP;
                    layout.need(LEADING * 3.0);
                    layout.block(&block.text(), BlockKind::ItemHeading, Style::Bold, None);
                }
            }
        }
    }
    layout.pages
}

/// The header as a two-column table of labels and values, boxed, the way the letters set it.
fn header_table(layout: &mut Layout, document: &LetterDocument) {
    let half = document.header.len().div_ceil(2);
    let (left, right) = document.header.split_at(half);
    let rows = left.len().max(right.len());
    let row_height = 16.0;
    let top = layout.y + 2.0;
    let column = TEXT_WIDTH / 2.0;
    // Values line up after the widest label of their column.
    let label_width = |fields: &[imr_letter::write::HeaderField]| {
        fields
            .iter()
            .map(|f| {
                layout
                    .fonts
                    .bold
                    .width(&format!("{}: ", f.label), BODY_SIZE)
            })
            .fold(0.0f32, f32::max)
    };
    let offsets = [label_width(left) + 8.0, label_width(right) + 8.0];
    for row in 0..rows {
        let y = top - 12.0 - row as f32 * row_height;
        for (col, fields) in [left, right].iter().enumerate() {
            if let Some(field) = fields.get(row) {
                let x = MARGIN_LEFT + 6.0 + col as f32 * column;
                layout.page().push(Mark::Text {
                    x,
                    y,
                    runs: vec![
                        run(Style::Bold, BODY_SIZE, &format!("{}:", field.label)),
                        run(Style::Regular, BODY_SIZE, " "),
                    ],
                });
                layout.page().push(Mark::Text {
                    x: x + offsets[col],
                    y,
                    runs: vec![run(Style::Regular, BODY_SIZE, &field.value)],
                });
            }
        }
    }
    let bottom = top - rows as f32 * row_height - 6.0;
    for y in [top + 6.0, bottom] {
        layout.page().push(Mark::Rule {
            x1: MARGIN_LEFT,
            x2: PAGE_WIDTH - MARGIN_RIGHT,
            y,
            width: 0.8,
        });
    }
    layout.y = bottom - 6.0;
}

// ---------------------------------------------------------------------------------------------
// Serialization

/// Objects of the file, numbered from 1, written in order with their byte offsets.
struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn new() -> Writer {
        let mut out = Vec::new();
        out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
        Writer {
            out,
            offsets: Vec::new(),
        }
    }

    /// Writes object `id` (ids must be written in increasing order, without gaps).
    fn object(&mut self, id: usize, body: &str) {
        debug_assert_eq!(id, self.offsets.len() + 1);
        self.offsets.push(self.out.len());
        self.out
            .extend_from_slice(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes());
    }

    fn stream(&mut self, id: usize, dict: &str, data: &[u8]) -> Result<(), PdfWriteError> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data)?;
        let compressed = encoder.finish()?;
        self.offsets.push(self.out.len());
        self.out.extend_from_slice(
            format!(
                "{id} 0 obj\n<< {dict} /Filter /FlateDecode /Length {} >>\nstream\n",
                compressed.len()
            )
            .as_bytes(),
        );
        self.out.extend_from_slice(&compressed);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
        Ok(())
    }

    fn finish(mut self, root: usize, info: usize) -> Vec<u8> {
        let xref = self.out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1);
        for offset in &self.offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root {root} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        );
        self.out.extend_from_slice(table.as_bytes());
        self.out
    }
}

/// A PDF text string: printable ASCII as a literal, anything else as UTF-16BE hex.
fn pdf_string(text: &str) -> String {
    if text.chars().all(|c| (' '..='~').contains(&c)) {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        format!("({escaped})")
    } else {
        let mut hex = String::from("<FEFF");
        for unit in text.encode_utf16() {
            let _ = write!(hex, "{unit:04X}");
        }
        hex.push('>');
        hex
    }
}

fn serialize(
    pages: &[Vec<Mark>],
    fonts: &mut Fonts,
    case_number: Option<&str>,
    title: &str,
) -> Result<Vec<u8>, PdfWriteError> {
    // Content streams first: they decide which characters each font must carry.
    let total = pages.len();
    let mut contents = Vec::with_capacity(total);
    for (n, marks) in pages.iter().enumerate() {
        contents.push(page_content(marks, fonts, n + 1, total, case_number));
    }

    // Object numbers: 1 catalog, 2 pages, 3 info, 4.. fonts (6 objects each), then pages.
    let font_base = 4;
    let page_base = font_base + 12;
    let mut w = Writer::new();
    w.object(
        1,
        "<< /Type /Catalog /Pages 2 0 R /Lang (en-US) /ViewerPreferences << /DisplayDocTitle true >> >>",
    );
    let kids: Vec<String> = (0..total)
        .map(|i| format!("{} 0 R", page_base + 2 * i))
        .collect();
    w.object(
        2,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {total} /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] >>",
            kids.join(" ")
        ),
    );
    w.object(
        3,
        &format!(
            "<< /Title {} /Producer (imr) /Creator (imr letter) >>",
            pdf_string(title)
        ),
    );
    for (k, style) in [Style::Regular, Style::Bold].into_iter().enumerate() {
        write_font(&mut w, font_base + 6 * k, fonts.get(style))?;
    }
    let resources = format!(
        "<< /Font << /F1 {font_base} 0 R /F2 {} 0 R >> >>",
        font_base + 6
    );
    for (i, content) in contents.iter().enumerate() {
        let id = page_base + 2 * i;
        w.object(
            id,
            &format!(
                "<< /Type /Page /Parent 2 0 R /Resources {resources} /Contents {} 0 R >>",
                id + 1
            ),
        );
        w.stream(id + 1, "", content.as_bytes())?;
    }
    Ok(w.finish(1, 3))
}

/// One page's content stream.
fn page_content(
    marks: &[Mark],
    fonts: &mut Fonts,
    number: usize,
    total: usize,
    case_number: Option<&str>,
) -> String {
    let mut out = String::new();
    for mark in marks {
        match mark {
            Mark::Text { x, y, runs } => {
                let _ = write!(out, "BT\n{x:.2} {y:.2} Td\n");
                for run in runs {
                    let resource = match run.style {
                        Style::Regular => "F1",
                        Style::Bold => "F2",
                    };
                    let _ = write!(out, "/{resource} {} Tf <", run.size);
                    let font = fonts.get_mut(run.style);
                    for c in run.text.chars() {
                        let _ = write!(out, "{:04X}", font.cid(c));
                    }
                    out.push_str("> Tj\n");
                }
                out.push_str("ET\n");
            }
            Mark::Rule { x1, x2, y, width } => {
                let _ = writeln!(
                    out,
                    "q 0.45 G {width} w {x1:.2} {y:.2} m {x2:.2} {y:.2} l S Q"
                );
            }
        }
    }
    // The running header and footer: outlines, marked as artifacts (not part of the text).
    let regular = &fonts.regular;
    out.push_str("/Artifact <</Type /Pagination>> BDC\nq 0.3 g\n");
    if let Some(case) = case_number {
        let text = format!("Case Number {case}");
        let x = PAGE_WIDTH - MARGIN_RIGHT - regular.width(&text, FURNITURE_SIZE);
        out.push_str(&regular.outline_path(&text, x, PAGE_HEIGHT - 40.0, FURNITURE_SIZE));
    }
    let footer = format!("Page {number} of {total}");
    let x = (PAGE_WIDTH - regular.width(&footer, FURNITURE_SIZE)) / 2.0;
    out.push_str(&regular.outline_path(&footer, x, 40.0, FURNITURE_SIZE));
    out.push_str("f\nQ\nEMC\n");
    out
}

/// The six objects of one embedded font: Type 0 font, CID font, descriptor, font file,
/// ToUnicode map and CIDToGIDMap.
fn write_font(w: &mut Writer, base: usize, font: &Font) -> Result<(), PdfWriteError> {
    let used: Vec<(char, u16)> = font.used().collect();
    let max_cid = used.iter().map(|(_, cid)| *cid).max().unwrap_or(0);
    // A six-letter tag marks the font as a subset.
    let name = format!("{}+{}", font.subset_tag(), font.name);

    w.object(
        base,
        &format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{} 0 R] /ToUnicode {} 0 R >>",
            base + 1,
            base + 4
        ),
    );

    let mut widths = String::new();
    let mut by_cid = used.clone();
    by_cid.sort_by_key(|(_, cid)| *cid);
    for (c, cid) in &by_cid {
        let _ = write!(widths, "{cid} [{:.0}] ", font.advance(*c));
    }
    w.object(
        base + 1,
        &format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {} 0 R /DW 600 /W [{widths}] /CIDToGIDMap {} 0 R >>",
            base + 2,
            base + 5
        ),
    );
    let bbox = font.bbox();
    w.object(
        base + 2,
        &format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{:.0} {:.0} {:.0} {:.0}] /ItalicAngle 0 /Ascent {:.0} /Descent {:.0} /CapHeight {:.0} /StemV 80 /FontFile2 {} 0 R >>",
            bbox[0],
            bbox[1],
            bbox[2],
            bbox[3],
            font.ascent(),
            font.descent(),
            font.cap_height(),
            base + 3
        ),
    );
    let subset = font.subset().map_err(PdfWriteError::Font)?;
    let file = &subset.file;
    w.stream(base + 3, &format!("/Length1 {}", file.len()), file)?;

    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in by_cid.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (c, cid) in chunk {
            let mut utf16 = String::new();
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                let _ = write!(utf16, "{unit:04X}");
            }
            let _ = writeln!(cmap, "<{cid:04X}> <{utf16}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    w.stream(base + 4, "", cmap.as_bytes())?;

    // CID -> glyph id, two bytes each, for CIDs 0..=max.
    let mut map = vec![0u8; 2 * (usize::from(max_cid) + 1)];
    for (c, cid) in &by_cid {
        let old = font.glyph(*c).0;
        let glyph = subset.new_ids.get(&old).copied().unwrap_or(0).to_be_bytes();
        let at = 2 * usize::from(*cid);
        map[at..at + 2].copy_from_slice(&glyph);
    }
    w.stream(base + 5, "", &map)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use imr_core::Decision;
    use imr_letter::write::{HeaderField, Section};

    use super::*;

    fn fonts() -> Fonts<'static> {
        Fonts {
            regular: Font::new(REGULAR_TTF, "DejaVuSans").expect("regular font"),
            bold: Font::new(BOLD_TTF, "DejaVuSans-Bold").expect("bold font"),
        }
    }

    #[test]
    fn no_line_runs_past_the_margins() {
        let long_word = "Hydrocodone/acetaminophen/ibuprofen/cyclobenzaprine/gabapentin/lidocaine-compound-cream";
        let paragraph = format!(
            "{} {long_word} {}",
            "A rationale that wraps. ".repeat(40),
            "W".repeat(300)
        );
        let document = LetterDocument {
            case_number: Some("CM26-0000001".to_string()),
            header: vec![
                HeaderField {
                    label: "Case Number",
                    value: "CM26-0000001".to_string(),
                },
                HeaderField {
                    label: "Application Received",
                    value: "01/02/2026".to_string(),
                },
            ],
            sections: vec![Section {
                heading: "IMR ISSUES, DECISIONS AND RATIONALES",
                blocks: vec![
                    Block::ItemHeading {
                        wording: format!("{long_word} {long_word}"),
                        decision: Decision::Upheld,
                    },
                    Block::Field {
                        label: "Decision rationale".to_string(),
                        text: paragraph.clone(),
                    },
                    Block::Paragraph(paragraph),
                ],
            }],
            decisions: vec![Decision::Upheld],
        };
        let fonts = fonts();
        let pages = lay_out(&document, &fonts);
        assert!(pages.len() >= 2);
        let mut lines = 0;
        for marks in &pages {
            for mark in marks {
                if let Mark::Text { x, y, runs } = mark {
                    let width: f32 = runs
                        .iter()
                        .map(|r| fonts.get(r.style).width(&r.text, r.size))
                        .sum();
                    assert!(
                        x + width <= PAGE_WIDTH - MARGIN_RIGHT + 0.01,
                        "overflow: {:?}",
                        runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>()
                    );
                    assert!(
                        *y >= MARGIN_BOTTOM && *y <= PAGE_HEIGHT - MARGIN_TOP + 1.0,
                        "off the page at y={y}"
                    );
                    lines += 1;
                }
            }
        }
        assert!(lines > 40);
    }
}
