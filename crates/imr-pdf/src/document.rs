//! A document's text, whatever it came as: a PDF (its text layer) or plain text. This is the edge
//! where letters and clinical records enter the system from files.

use imr_core::text::binary_size;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::read::{Limits, PdfError, looks_like_pdf, pdf_text_within};

/// The default largest document read: far above any letter or record set, far below memory.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why a document gave no text. Messages never quote the document's content.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the file is empty (0 bytes)")]
    Empty,
    #[error(
        "the file is too large: {}, the limit is {}",
        binary_size(*size),
        binary_size(*limit)
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("binary data, neither a PDF nor text (a NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads the file at `path` and returns its text; a file over `max_bytes` is refused from its
/// size before it is read.
pub fn read_document_text(path: &Path, max_bytes: u64) -> Result<String, DocumentError> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > max_bytes {
        return Err(DocumentError::TooLarge {
            size,
            limit: max_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(DocumentError::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    document_text(&bytes)
}

/// The text of a document held in memory: PDFs by their magic number, anything else as text.
pub fn document_text(bytes: &[u8]) -> Result<String, DocumentError> {
    document_text_within(bytes, &Limits::default())
}

/// [`document_text`], a PDF read under the given limits.
pub fn document_text_within(bytes: &[u8], limits: &Limits) -> Result<String, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    if looks_like_pdf(bytes) {
        return Ok(pdf_text_within(bytes, limits)?);
    }
    plain_text(bytes)
}

/// The text of a document known to be text (by its media type), never failing: UTF-8, or
/// Windows-1252 where it is not (as [`document_text`] reads text); with a NUL byte, the UTF-8
/// that can be read, the rest replaced.
pub fn text_document(bytes: &[u8]) -> String {
    plain_text(bytes).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// Text as UTF-8, or, where it is not valid UTF-8, as Windows-1252 (what office software on the
/// other end most often writes). A NUL byte means binary data.
fn plain_text(bytes: &[u8]) -> Result<String, DocumentError> {
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(DocumentError::Binary { offset });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => Ok(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

/// One Windows-1252 byte as a char: Latin-1 but for the printable 0x80-0x9F range.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_text_from_binary_and_empty() {
        assert!(matches!(document_text(b""), Err(DocumentError::Empty)));
        assert!(matches!(
            document_text(b"ab\0cd"),
            Err(DocumentError::Binary { offset: 2 })
        ));
        assert_eq!(
            document_text(b"\xef\xbb\xbfCase Number:").ok().as_deref(),
            Some("Case Number:")
        );
        assert_eq!(
            document_text(b"caf\xe9 \x93ok\x94").ok().as_deref(),
            Some("café “ok”")
        );
    }

    #[test]
    fn a_text_document_is_read_as_text_whatever_it_holds() {
        assert_eq!(text_document(b"caf\xe9"), "café");
        assert_eq!(text_document(b"\xef\xbb\xbfnote"), "note");
        assert_eq!(text_document(b"%PDF-1.4 as text"), "%PDF-1.4 as text");
        assert_eq!(text_document(b"a\0b\xff"), "a\0b\u{fffd}");
    }

    #[test]
    fn refuses_a_file_over_the_limit_before_reading_it() {
        let dir = std::env::temp_dir().join(format!("imr-document-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("large.txt");
        let file = File::create(&path).expect("create");
        file.set_len(100 * 1024 * 1024).expect("sparse file");
        let result = read_document_text(&path, DEFAULT_MAX_BYTES);
        std::fs::remove_dir_all(&dir).ok();
        assert!(
            matches!(result, Err(DocumentError::TooLarge { size, .. }) if size == 100 * 1024 * 1024)
        );
    }
}
