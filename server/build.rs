//! Rebuilds the server when a migration is added or changed: `sqlx::migrate!` embeds the SQLite
//! (`migrations/`) and PostgreSQL (`migrations_pg/`) schemas at compile time, and cargo does not
//! watch those directories by itself.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations_pg");
}
