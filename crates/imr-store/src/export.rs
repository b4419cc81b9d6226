//! The export format: JSON lines, one record per line, in an order that can be imported in one
//! pass (header, reviewers, cases, documents and their chunks, audit entries).

use imr_case::{AuditEntry, Case, CaseNumber, Reviewer};
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

/// The format's name and version in the header.
pub const FORMAT: &str = "imr-store";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportRecord {
    Header {
        format: String,
        version: u32,
        /// The last case number sequence value given out.
        case_number_sequence: i64,
    },
    Reviewer {
        reviewer: Reviewer,
    },
    Case {
        version: i64,
        case: Box<Case>,
    },
    Document {
        id: i64,
        case_number: CaseNumber,
        kind: String,
        filename: Option<String>,
        media_type: String,
        received_at: DateTime,
        size: u64,
        sha256: String,
        chunks: i64,
    },
    /// One chunk of a document's bytes, as lower-case hex.
    Chunk {
        document_id: i64,
        seq: i64,
        hex: String,
    },
    Audit {
        id: i64,
        case_number: Option<CaseNumber>,
        entry: AuditEntry,
    },
}

pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(from_hex(&to_hex(&all)), Some(all));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
