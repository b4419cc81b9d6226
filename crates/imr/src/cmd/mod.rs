//! One module per subcommand; each has `Args` (clap) and `run`.

pub mod backtest;
pub mod case;
pub mod deadlines;
pub mod export;
pub mod facts;
pub mod guidelines;
pub mod import;
pub mod index;
pub mod ingest;
pub mod letter;
pub mod parse;
pub mod precedents;
pub mod redact;
pub mod review;
pub mod reviewer;
pub mod search;
pub mod serve;
pub mod stats;
pub mod user;
