//! Users, sessions and API tokens on SQLite (the SQL is shared: `crate::accounts`).

crate::accounts::impl_accounts!(super::SqliteStore);
