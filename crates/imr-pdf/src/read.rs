//! PDF text in, in pure Rust: the text layer of a published letter, pages in order and separated
//! by form feeds like poppler's `pdftotext`, so the letter reader sees one kind of text whether
//! the letter came as a PDF or as a `.txt`.
//!
//! pdf-extract (on lopdf) does the decoding; [`layout`] places the glyphs into lines and
//! [`normalize`] smooths the differences from `pdftotext`. pdf-extract can panic on odd files, so
//! every call runs under `catch_unwind` and a panic becomes [`PdfError::Panicked`]. Neither
//! bounds what it decodes, so [`bounds`] measures every stream they would decode first, against
//! [`Limits`], and a file over a limit is refused before the memory is spent; the reading's CPU
//! time is a limit too ([`Budget`]), looked at while streams are measured and pages laid out.

pub mod bounds;
mod budget;
mod layout;
mod limit;
mod normalize;

use imr_core::text::binary_size;
use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use pdf_extract::encryption::DecryptionError;
use pdf_extract::{Document, Error as LopdfError, OutputError};

pub use bounds::{LimitHit, Limits};
pub use budget::{Budget, cpu_time};

/// Why a PDF gave no text. Messages name the problem, never the document's content; callers add
/// the file name.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the file is empty (0 bytes)")]
    Empty,
    #[error("not a PDF: {0}")]
    NotPdf(&'static str),
    #[error("the PDF is encrypted with a password we do not have")]
    Encrypted,
    #[error("the PDF is damaged or truncated: {0}")]
    Damaged(String),
    #[error(
        "the file is too large: {}, the limit is {}",
        binary_size(*size),
        binary_size(*limit)
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("the PDF has no text layer ({pages} page(s) without text; a scan needs OCR first)")]
    NoText { pages: usize },
    #[error("the PDF is refused before it is read: {0}")]
    OverLimit(#[from] LimitHit),
    #[error("the PDF text extractor failed on this file (it panicked{0})")]
    Panicked(String),
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Where a PDF header may start: readers accept up to 1024 bytes of junk before `%PDF-`.
const HEADER_WINDOW: usize = 1024;

/// Whether `bytes` start like a PDF: the `%PDF-` magic within the first 1024 bytes.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    let window = &bytes[..bytes.len().min(HEADER_WINDOW + 5)];
    window.windows(5).any(|w| w == b"%PDF-")
}

/// Read the PDF at `path` and return its text; a file over `max_bytes` is refused from its
/// metadata, before any of it is read.
pub fn read_pdf_file(path: &Path, max_bytes: u64) -> Result<String, PdfError> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > max_bytes {
        return Err(PdfError::TooLarge {
            size,
            limit: max_bytes,
        });
    }
    // The file may grow between the check and the read: never read past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > max_bytes {
        return Err(PdfError::TooLarge {
            size: read,
            limit: max_bytes,
        });
    }
    pdf_text(&bytes)
}

/// The text of a PDF: pages in order, each ended by a form feed (`'\x0c'`) as `pdftotext` does;
/// read under the default [`Limits`].
pub fn pdf_text(bytes: &[u8]) -> Result<String, PdfError> {
    pdf_text_within(bytes, &Limits::default())
}

/// [`pdf_text`] under the given limits.
pub fn pdf_text_within(bytes: &[u8], limits: &Limits) -> Result<String, PdfError> {
    if bytes.is_empty() {
        return Err(PdfError::Empty);
    }
    if !looks_like_pdf(bytes) {
        return Err(PdfError::NotPdf("no %PDF- header in its first 1024 bytes"));
    }
    let budget = Budget::start(limits.max_cpu);
    let pages = quietly(|| extract_pages(bytes, limits, &budget))??;
    let text = normalize::pages(&pages);
    if text.chars().all(|c| c.is_whitespace()) {
        return Err(PdfError::NoText { pages: pages.len() });
    }
    Ok(text)
}

/// Measure, load, decrypt (the archive's letters use an empty user password) and lay out every
/// page. Each step of the measuring comes before the step of lopdf that would decode unbounded.
fn extract_pages(bytes: &[u8], limits: &Limits, budget: &Budget) -> Result<Vec<String>, PdfError> {
    let damaged = |e| match load_error(e) {
        PdfError::Damaged(why) if !has_eof_marker(bytes) => PdfError::Damaged(format!(
            "it ends without the %%EOF marker, so it is probably truncated ({why})"
        )),
        other => other,
    };
    bounds::scan_raw(bytes, limits, budget)?;
    let mut held = bounds::load_held_back(bytes).map_err(damaged)?;
    budget.check()?;
    let encryption = bounds::lopdf_encryption::state(&mut held)
        .transpose()
        .map_err(load_error)?;
    bounds::check_object_streams(&held, encryption.as_ref(), limits, budget)?;
    drop(held);

    let mut doc = Document::load_mem(bytes).map_err(damaged)?;
    budget.check()?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(load_error)?;
    }
    if doc.get_pages().is_empty() {
        return Err(PdfError::Damaged("no pages found".into()));
    }
    bounds::check_loaded(&mut doc, limits, budget)?;
    let mut out = layout::Pages::new(budget);
    let laid_out = pdf_extract::output_doc(&doc, &mut out);
    // The layout stops the extractor when the budget is spent: that, not its error, is why.
    out.over_budget()?;
    laid_out.map_err(|e| match e {
        OutputError::PdfError(e) => load_error(e),
        other => PdfError::Damaged(other.to_string()),
    })?;
    Ok(out.finish())
}

/// Whether the end-of-file marker is in the last 1024 bytes, where writers put it.
fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(HEADER_WINDOW)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

fn load_error(e: LopdfError) -> PdfError {
    match e {
        LopdfError::Decryption(DecryptionError::IncorrectPassword)
        | LopdfError::InvalidPassword => PdfError::Encrypted,
        other => PdfError::Damaged(other.to_string()),
    }
}

thread_local! {
    /// Set while this thread runs the extractor: its panics are reported as errors, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// Where the last quiet panic happened (source location inside the extractor).
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET_HOOK: Once = Once::new();

/// Run `f`, turning a panic into [`PdfError::Panicked`] without the default hook's message.
///
/// The hook is installed once and only stays silent on a thread inside this function; every
/// other panic still goes to the previous hook.
fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, PdfError> {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", short_path(l.file()), l.line()));
                PANIC_AT.with(|p| *p.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|payload| {
        // Only a literal message is shown: a formatted one could quote the document.
        let what = payload.downcast_ref::<&'static str>().copied();
        let at = PANIC_AT.with(|p| p.borrow_mut().take());
        let detail = match (what, at) {
            (Some(w), Some(at)) => format!(": {w} at {at}"),
            (Some(w), None) => format!(": {w}"),
            (None, Some(at)) => format!(" at {at}"),
            (None, None) => String::new(),
        };
        PdfError::Panicked(detail)
    })
}

/// The last three parts of a source path: `pdf-extract-0.12.1/src/lib.rs`, not the registry's.
fn short_path(file: &str) -> &str {
    let mut cut = 0;
    for (n, (i, _)) in file.rmatch_indices('/').enumerate() {
        if n == 2 {
            cut = i + 1;
            break;
        }
    }
    &file[cut..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_is_found_after_leading_junk() {
        assert!(looks_like_pdf(b"%PDF-1.7\n"));
        assert!(looks_like_pdf(b"\xef\xbb\xbfjunk%PDF-1.4"));
        assert!(!looks_like_pdf(b"Case Number: CM00-0000000"));
        assert!(!looks_like_pdf(b""));
        let mut late = vec![b' '; 2000];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(!looks_like_pdf(&late));
    }

    #[test]
    fn a_panic_becomes_an_error_and_later_panics_still_unwind() {
        let err = quietly(|| -> u32 { panic!("boom") }).expect_err("must fail");
        assert!(
            matches!(err, PdfError::Panicked(ref d) if d.contains("boom")),
            "{err}"
        );
        assert_eq!(quietly(|| 7).expect("no panic"), 7);
        assert!(!QUIET.with(Cell::get));
    }

    #[test]
    fn panic_locations_are_short() {
        assert_eq!(
            short_path("/root/.cargo/registry/src/index-1/pdf-extract-0.12.1/src/lib.rs"),
            "pdf-extract-0.12.1/src/lib.rs"
        );
        assert_eq!(short_path("src/lib.rs"), "src/lib.rs");
    }

    #[test]
    fn a_formatted_panic_message_is_not_repeated() {
        let secret = "Jane Roe";
        let err = quietly(|| -> u32 { panic!("patient {secret}") }).expect_err("must fail");
        assert!(!err.to_string().contains(secret), "{err}");
    }

    #[test]
    fn empty_and_non_pdf_input_are_refused_by_name() {
        assert!(matches!(pdf_text(b""), Err(PdfError::Empty)));
        assert!(matches!(pdf_text(b"hello"), Err(PdfError::NotPdf(_))));
    }
}
