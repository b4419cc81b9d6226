//! `#[needs(...)]` marks a test ignored exactly when its need is missing here (and never under
//! `IMR_REQUIRE_ALL=1`): this binary lists its own ignored tests and holds them against what
//! the run-time look-ups find.

use imr_testkit::need::{Need, require_all};

#[imr_testkit::needs(letters)]
#[test]
fn needs_letters() {
    assert!(imr_testkit::letters().is_some());
}

#[imr_testkit::needs(postgres)]
#[test]
fn needs_postgres() {
    assert!(imr_testkit::postgres_url().is_some());
}

#[imr_testkit::needs(browser)]
#[test]
fn needs_browser() {
    assert!(imr_testkit::browser());
}

#[test]
fn the_ignored_tests_are_those_whose_need_is_missing() {
    let exe = std::env::current_exe().expect("this test binary");
    let listed = std::process::Command::new(exe)
        .args(["--list", "--ignored", "--format", "terse"])
        .output()
        .expect("the binary lists its tests");
    assert!(listed.status.success());
    let listed = String::from_utf8(listed.stdout).expect("UTF-8");
    let ignored: Vec<&str> = listed
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .collect();
    for (need, test) in [
        (Need::Letters, "needs_letters"),
        (Need::Postgres, "needs_postgres"),
        (Need::Browser, "needs_browser"),
    ] {
        let missing = need.missing();
        assert_eq!(
            ignored.contains(&test),
            missing.is_some() && !require_all(),
            "{test}: missing here: {missing:?}; ignored: {ignored:?}"
        );
    }
}
