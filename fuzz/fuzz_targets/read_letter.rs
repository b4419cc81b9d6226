//! Any text, even invalid UTF-8 made lossy, must read to a determination (with diagnostics)
//! and never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = imr_letter::read_letter(&String::from_utf8_lossy(data));
});
