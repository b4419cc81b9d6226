//! What a stored file is called when it goes out or comes in: the `Content-Disposition` of a
//! download (the stored name, safely encoded), the name an upload is stored under, and sizes
//! as people read them (binary units: "32 MiB").

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The extension a file of this media type is expected to have, if one is.
fn extension_of(media_type: &str) -> Option<&'static str> {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    match essence.to_ascii_lowercase().as_str() {
        "application/pdf" => Some("pdf"),
        "text/plain" => Some("txt"),
        "text/html" => Some("html"),
        "application/json" => Some("json"),
        _ => None,
    }
}

/// The name a stored document is downloaded under: its stored name, or `document-{id}`, with
/// the extension of its media type added when the name has none.
pub fn download_name(id: i64, filename: Option<&str>, media_type: &str) -> String {
    let name = filename
        .map(clean_name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("document-{id}"));
    let has_extension = name
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && ext.len() <= 5);
    match extension_of(media_type) {
        Some(ext) if !has_extension => format!("{name}.{ext}"),
        _ => name,
    }
}

/// The longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 200;

/// A file name as a client sent it, made safe to store and show: the last part of a path
/// (some browsers send `C:\...\name.pdf`), without the characters that are not drawn as
/// themselves (controls, bidirectional overrides — `invoice\u{202E}fdp.exe` would show as
/// `invoiceexe.pdf` — other format characters, private-use characters and noncharacters:
/// `imr_core::text::unseen_character`), trimmed, at most [`MAX_NAME_CHARS`] characters (the
/// extension kept). Stored names are cleaned again on the way out, so one stored before is
/// never sent as it was.
pub fn clean_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    let name: String = last
        .chars()
        .filter(|c| imr_core::text::unseen_character(*c).is_none())
        .collect();
    let name = name.trim().trim_start_matches('.').trim();
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 5 => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let keep = MAX_NAME_CHARS - ext.chars().count();
    format!("{}{ext}", stem.chars().take(keep).collect::<String>())
}

/// A file name as a browser sends it in a multipart form: the HTML standard has it write `"`,
/// CR and LF as `%22`, `%0D` and `%0A` (nothing else is escaped); read back, then cleaned.
pub fn sent_file_name(sent: &str) -> String {
    clean_name(
        &sent
            .replace("%22", "\"")
            .replace("%0D", "\r")
            .replace("%0A", "\n"),
    )
}

/// The media type an uploaded file is stored under, from what the reader found (never from
/// what the client claimed): a PDF, UTF-8 text, or other text (read as Windows-1252).
pub fn stored_media_type(pdf: bool, bytes: &[u8]) -> &'static str {
    if pdf {
        "application/pdf"
    } else if std::str::from_utf8(bytes).is_ok() {
        "text/plain; charset=utf-8"
    } else {
        "text/plain; charset=windows-1252"
    }
}

/// The bytes `filename*` percent-encodes: all but RFC 5987's attr-char, which is ALPHA / DIGIT /
/// "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~".
const NOT_ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A `Content-Disposition` value for `name`: `filename` in plain ASCII (anything else, quotes
/// and backslashes replaced by `_`) for old clients, and `filename*` (RFC 5987/6266,
/// UTF-8, percent-encoded) with the name exactly. Control characters, overrides and the other
/// unseen characters never reach the header.
pub fn content_disposition(inline: bool, name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| imr_core::text::unseen_character(*c).is_none())
        .collect();
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = utf8_percent_encode(&name, NOT_ATTR_CHAR);
    let disposition = if inline { "inline" } else { "attachment" };
    format!("{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A size as people read it, in binary units: "812 bytes", "32 MiB", "15.3 MiB" (see
/// `imr_core::text::binary_size`, which the store's messages use too).
pub fn human_size(bytes: u64) -> String {
    imr_core::text::binary_size(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_size(79), "79 bytes");
        assert_eq!(human_size(32 * 1024 * 1024), "32 MiB");
        assert_eq!(human_size(15_300_000), "14.6 MiB");
    }

    #[test]
    fn a_download_keeps_its_name_and_gets_an_extension_when_it_has_none() {
        assert_eq!(
            download_name(5, Some("MRI report.pdf"), "application/pdf"),
            "MRI report.pdf"
        );
        assert_eq!(
            download_name(5, Some("records"), "text/plain; charset=utf-8"),
            "records.txt"
        );
        assert_eq!(download_name(5, None, "application/pdf"), "document-5.pdf");
        assert_eq!(
            download_name(5, Some("   "), "image/png"),
            "document-5",
            "an unknown type gets no invented extension"
        );
    }

    #[test]
    fn names_sent_are_cleaned() {
        assert_eq!(sent_file_name("O'Brien %22UR%22.pdf"), "O'Brien \"UR\".pdf");
        assert_eq!(sent_file_name("a%0D%0Ab.pdf"), "ab.pdf");
        assert_eq!(clean_name(r"C:\Users\clerk\Desktop\ur.pdf"), "ur.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\r\nb\u{7}.pdf"), "ab.pdf");
        assert_eq!(clean_name(".hidden"), "hidden");
        // Nothing that draws otherwise than it reads: overrides, zero-width and format
        // characters, the byte order mark, private-use characters, noncharacters.
        assert_eq!(clean_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(
            clean_name("\u{FEFF}MRI\u{200B} re\u{00AD}port\u{E000}\u{FDD0}\u{FFFF}.pdf"),
            "MRI report.pdf"
        );
        assert_eq!(
            download_name(9, Some("scan\u{2067}.pdf"), "application/pdf"),
            "scan.pdf",
            "a name stored before is cleaned on the way out"
        );
        let long = format!("{}.pdf", "x".repeat(500));
        let cleaned = clean_name(&long);
        assert_eq!(cleaned.chars().count(), MAX_NAME_CHARS);
        assert!(cleaned.ends_with(".pdf"));
    }

    #[test]
    fn the_header_never_carries_quotes_controls_or_raw_non_ascii() {
        let header = content_disposition(false, "O'Brien \"MRI\"\r\nX: y — Müller.pdf");
        assert!(header.is_ascii(), "{header}");
        assert!(!header.contains('\r') && !header.contains('\n'), "{header}");
        let fallback = header
            .split("filename=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a quoted fallback");
        assert_eq!(fallback, "O'Brien _MRI_X: y _ M_ller.pdf");
        assert!(
            header.ends_with(
                "filename*=UTF-8''O%27Brien%20%22MRI%22X%3A%20y%20%E2%80%94%20M%C3%BCller.pdf"
            ),
            "{header}"
        );
        assert!(header.starts_with("attachment; "));
        assert!(content_disposition(true, "a.pdf").starts_with("inline; "));
        // It is a valid header value.
        assert!(axum::http::HeaderValue::from_str(&header).is_ok());
    }
}
