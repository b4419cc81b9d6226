//! What the tests need from outside the repository, and how a test that cannot run says so.
//!
//! Three things are not in the checkout: the published letters (`IMR_LETTERS`), a PostgreSQL
//! server (`IMR_TEST_PG_URL`) and Chromium with chromedriver. A test that needs one of them
//! carries `#[imr_testkit::needs(letters)]` (or `postgres`, `browser`): when its test binary is
//! built without the thing, the test is marked `#[ignore = "needs ..."]`, so cargo's summary
//! counts it as ignored, with the reason, instead of as passed. Setting or changing the
//! variable rebuilds just the test binaries that read it.
//!
//! With `IMR_REQUIRE_ALL=1` (CI sets it, since CI has all three) nothing is ignored, and a test
//! whose need is missing fails instead, so a green CI means every test ran.
//!
//! Inside the test, [`letters`], [`postgres_url`] and [`browser`] give the thing; should it be
//! missing when the test runs anyway (run with `--include-ignored`, or the folder went away
//! after the build) they print a `SKIPPED` line past cargo's capture and return nothing, or
//! fail under `IMR_REQUIRE_ALL=1`.

use std::io::Write;
use std::path::PathBuf;

pub use imr_testkit_macros::needs;

#[cfg(feature = "postgres")]
pub mod postgres;

#[doc(hidden)]
pub mod need;

/// The published letters folder, or `None` after a visible skip. A relative `IMR_LETTERS` is
/// taken from the workspace root.
pub fn letters() -> Option<PathBuf> {
    need::letters_folder().map_err(|why| skip(&why)).ok()
}

/// The PostgreSQL server's URL from `IMR_TEST_PG_URL`, or `None` after a visible skip.
pub fn postgres_url() -> Option<String> {
    need::postgres_url().map_err(|why| skip(&why)).ok()
}

/// Whether Chromium and chromedriver are on the PATH; `false` after a visible skip.
pub fn browser() -> bool {
    need::browser_programs().map_err(|why| skip(&why)).is_ok()
}

/// Says, past cargo's output capture, that the running test did not run for want of `what`;
/// fails the test instead when `IMR_REQUIRE_ALL=1`.
pub fn skip(what: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    if need::require_all() {
        panic!("{test} needs {what}, and IMR_REQUIRE_ALL=1 says every test must run here");
    }
    // Written to the stream itself, not through eprintln!, which the test harness captures.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: needs {what}");
}
