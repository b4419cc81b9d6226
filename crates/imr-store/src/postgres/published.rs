//! Published letters on PostgreSQL (the SQL is shared: `crate::published`).

crate::published::impl_published!(super::PostgresStore);
