//! Importing users from a CSV file, as Cognito's user import jobs do.
//!
//! - [`csv_rules`]: what a valid file, header and row are (pure functions).
//! - [`job`]: running a started job in the background — parsing on a blocking thread, inserting
//!   batches of users in transactions, honouring `StopUserImportJob` between batches.

pub mod csv_rules;
pub mod job;
