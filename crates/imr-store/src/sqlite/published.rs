//! Published letters on SQLite (the SQL is shared: `crate::published`).

crate::published::impl_published!(super::SqliteStore);
