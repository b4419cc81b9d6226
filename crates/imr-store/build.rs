//! `sqlx::migrate!` reads the migration files at compile time; rebuild when one is added or
//! changed, so the binary always carries the files (and checksums) in the tree.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
