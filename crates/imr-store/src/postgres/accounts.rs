//! Users, sessions and API tokens on PostgreSQL (the SQL is shared: `crate::accounts`).

crate::accounts::impl_accounts!(super::PostgresStore);
