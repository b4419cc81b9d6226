//! `imr reviewer add FILE...` and `imr reviewer list`: the reviewers the store assigns.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use imr_case::{AuditEntry, Reviewer};

use crate::store_args::{Context_, StoreArgs, read_small_file, runtime};

/// Reviewers: add and list.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: ReviewerCommand,
}

#[derive(clap::Subcommand)]
pub enum ReviewerCommand {
    /// Add reviewers from JSON files (one reviewer, or an array of reviewers, per file). All
    /// files are checked before any reviewer is added.
    Add {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the reviewers with their qualifications.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let ctx = Context_::open(&args.store).await?;
        match args.command {
            ReviewerCommand::Add { files } => {
                let mut all = Vec::new();
                for path in &files {
                    let bytes = read_small_file(path, 1024 * 1024)?;
                    let text = String::from_utf8(bytes)
                        .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", path.display()))?;
                    let reviewers = if text.trim_start().starts_with('[') {
                        let values: Vec<serde_json::Value> = serde_json::from_str(&text)
                            .with_context(|| format!("{}: not a JSON array", path.display()))?;
                        values
                            .iter()
                            .enumerate()
                            .map(|(i, v)| {
                                Reviewer::from_json(&v.to_string()).map_err(|e| {
                                    anyhow::anyhow!("{}: reviewer {}: {e}", path.display(), i + 1)
                                })
                            })
                            .collect::<anyhow::Result<Vec<_>>>()?
                    } else {
                        vec![
                            Reviewer::from_json(&text)
                                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
                        ]
                    };
                    all.extend(reviewers);
                }
                for r in &all {
                    if ctx.store.reviewer(&r.id).await?.is_some() {
                        bail!("reviewer {} already exists; nothing was added", r.id);
                    }
                }
                for r in &all {
                    let entry = AuditEntry::new(
                        ctx.now,
                        ctx.actor.clone(),
                        "reviewer.added",
                        format!("reviewer {}", r.id),
                    );
                    ctx.store.add_reviewer(r, &entry).await?;
                    println!("reviewer {} added", r.id);
                }
            }
            ReviewerCommand::List { json } => {
                let reviewers = ctx.store.reviewers().await?;
                let loads = ctx.store.reviewer_loads().await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&reviewers)?);
                } else {
                    for r in reviewers {
                        println!(
                            "{:<16} {:<40} {:>2} years, {:>2} h/week, {} open case(s){}  licensed: {}",
                            r.id,
                            r.board_certifications
                                .iter()
                                .chain(&r.subspecialties)
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", "),
                            r.years_in_active_practice,
                            r.hours_per_week_in_practice,
                            loads.get(&r.id).copied().unwrap_or(0),
                            if r.active { "" } else { ", inactive" },
                            r.licensure_states.join(", "),
                        );
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
