//! One test per backend for each check: SQLite always, PostgreSQL (a fresh database per test)
//! built as ignored where IMR_TEST_PG_URL names no server, so cargo's summary says which ran.

/// `on_both_backends!(open; check, ...)`: for each `async fn check(backend: &str, store)`, a
/// test `on_sqlite::check` and a test `on_postgres::check`; `async fn open(url) -> store`
/// opens the store a check takes.
macro_rules! on_both_backends {
    ($open:ident; $($check:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $check() {
                    let dir = tempfile::tempdir().expect("temporary folder");
                    let path = dir.path().join("imr.db");
                    let store = super::$open(path.to_str().expect("utf-8 path")).await;
                    super::$check("sqlite", store).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[imr_testkit::needs(postgres)]
                #[tokio::test]
                async fn $check() {
                    let purpose = concat!(module_path!(), "_", stringify!($check));
                    let Some(url) = imr_testkit::postgres::fresh_database(purpose).await else {
                        return;
                    };
                    super::$check("postgres", super::$open(&url).await).await;
                    imr_testkit::postgres::drop_database(&url).await;
                }
            )*
        }
    };
}

pub(crate) use on_both_backends;
