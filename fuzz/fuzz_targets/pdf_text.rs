//! Any bytes must give text or a `PdfError`: no panic, abort, hang or runaway memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = imr_pdf::read::pdf_text(data);
});
