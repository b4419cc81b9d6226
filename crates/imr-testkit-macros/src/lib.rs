//! `#[needs(letters)]`, `#[needs(postgres)]`, `#[needs(browser)]` on a test (used as
//! `#[imr_testkit::needs(...)]`): when the test binary is built on a machine without the
//! thing, the test gets `#[ignore = "needs ..."]`, so cargo's summary reports it as ignored,
//! with the reason. Under `IMR_REQUIRE_ALL=1` nothing is ignored.
//!
//! The macro reads the environment while the test is compiled, so it also leaves an
//! `option_env!` of each variable it read beside the test: rustc records those in the test's
//! dependency info, and cargo rebuilds that test binary, and nothing else, when one changes.

use proc_macro::TokenStream;

/// The checks themselves, shared with the tests' run-time look-ups in imr-testkit.
#[path = "../../imr-testkit/src/need.rs"]
#[allow(dead_code)]
mod need;

use need::Need;

/// Marks the test ignored, with the reason, when what it needs is missing here.
#[proc_macro_attribute]
pub fn needs(attribute: TokenStream, test: TokenStream) -> TokenStream {
    let name = attribute.to_string();
    let Some(need) = Need::named(name.trim()) else {
        return compile_error(&format!(
            "#[needs({name})]: expected letters, postgres or browser"
        ));
    };
    let mut out = String::new();
    for variable in need.variables().iter().chain(&["IMR_REQUIRE_ALL"]) {
        out.push_str(&format!(
            "const _: ::core::option::Option<&str> = ::core::option_env!({variable:?});\n"
        ));
    }
    if !need::require_all()
        && let Some(why) = need.missing()
    {
        out.push_str(&format!("#[ignore = {:?}]\n", format!("needs {why}")));
    }
    let mut tokens: TokenStream = match out.parse() {
        Ok(tokens) => tokens,
        Err(e) => return compile_error(&format!("#[needs({name})]: {e}")),
    };
    tokens.extend(test);
    tokens
}

fn compile_error(message: &str) -> TokenStream {
    format!("::core::compile_error!({message:?});")
        .parse()
        .unwrap_or_default()
}
