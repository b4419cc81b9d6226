//! `imr deadlines [--days N]`: what is overdue and what falls due in the next N days.

use std::process::ExitCode;

use imr_case::deadlines::{DueKind, due_items};

use crate::store_args::{Context_, StoreArgs, runtime};

/// List overdue cases and what falls due in the next days.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: StoreArgs,
    /// How many days ahead to look.
    #[arg(long, default_value_t = 7)]
    pub days: i32,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !(0..=3650).contains(&args.days) {
        anyhow::bail!("--days {} is out of range (0 to 3650)", args.days);
    }
    runtime()?.block_on(async move {
        let ctx = Context_::open(&args.store).await?;
        let cases = ctx.store.list_cases(true).await?;
        let items = due_items(&cases, ctx.now, args.days);
        if args.json {
            println!("{}", serde_json::to_string_pretty(&items)?);
            return Ok(ExitCode::SUCCESS);
        }
        if items.is_empty() {
            println!("nothing overdue or due in the next {} day(s)", args.days);
        }
        for item in items {
            println!(
                "{}  {:<13} due {}  {:<9}{}",
                item.case_number,
                match item.kind {
                    DueKind::Records => "records",
                    DueKind::Determination => "determination",
                },
                imr_case::clock::when(item.due),
                item.priority.as_str(),
                if item.overdue { "  OVERDUE" } else { "" }
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}
