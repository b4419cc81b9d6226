//! Records as a PDF with a text layer, written with the project's own PDF pieces
//! (`imr_pdf::inflating::pdf_of`): one page per group of lines, Helvetica, about fictional
//! people. The tests that upload records as files share it.

#![allow(dead_code)] // each test binary uses its own part

use imr_pdf::inflating::{pdf_of, stream_object};

/// Lines on a page at most.
const LINES_PER_PAGE: usize = 48;

/// A PDF of `lines`, in order, 14 points apart from the top of each page.
pub fn records_pdf(lines: &[&str]) -> Vec<u8> {
    let pages: Vec<&[&str]> = lines.chunks(LINES_PER_PAGE).collect();
    // 1 catalog, 2 pages, 3 font, then a page and its content per page.
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 4 + 2 * i))
        .collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, page) in pages.iter().enumerate() {
        let mut content = String::from("BT /F1 11 Tf 14 TL 72 740 Td\n");
        for line in *page {
            let escaped = line
                .replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)");
            content.push_str(&format!("({escaped}) Tj T*\n"));
        }
        content.push_str("ET");
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(stream_object("", content.as_bytes()));
    }
    pdf_of(&objects)
}

/// A fictional progress note, a few lines, that names `marker` so a test can find its text.
pub fn progress_note(marker: &str) -> Vec<String> {
    vec![
        format!("Progress note {marker} (fictional patient, made up text)."),
        "The patient reports low back pain radiating to the left leg.".into(),
        "Examination shows weakness of left ankle dorsiflexion.".into(),
        "Six sessions of physical therapy produced no functional improvement.".into(),
        "Current medication: Norco 10/325 one tablet twice daily.".into(),
    ]
}
