//! `imr case`: the IMR organization's case work on the store.
//!
//! `new APPLICATION.json`, `show N`, `records N FILE...`, `assign N [--reviewer ID]`,
//! `review N`, `sign N --reviewer ID --decisions FILE`, `letter N [--format ...]`.
//! Every step goes through the workflow rules of `imr_core::case` and lands in the audit log.
//! The store options, "now" and the runtime are in [`crate::store_args`], shared with the other
//! store commands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use imr_core::case::assignment::{self, Assessment};
use imr_core::case::proposal::{self, Reading};
use imr_core::case::workflow::ItemDecision;
use imr_core::case::{
    Action, Application, Case, Eligibility, NoticeMethod, SignProblem, SpecialtyMap, history,
};
use imr_store::{NewDocument, transition};

use super::letter::{Format as LetterFormat, write_atomically, write_letter};
use crate::store_args::{Context_, StoreArgs, parse_case, read_small_file, runtime};

/// The specialty map built in (data/specialty-map.toml); `--specialty-map` reads another.
const SPECIALTY_MAP: &str = include_str!("../../../../data/specialty-map.toml");

/// Cases: new application, show, records, assign, review, sign, letter.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: CaseCommand,
}

#[derive(clap::Subcommand)]
pub enum CaseCommand {
    /// Open a case for an application for IMR (JSON); decides eligibility.
    New { application: PathBuf },
    /// Print a case's state, clock and whole history.
    Show {
        case: String,
        /// The case as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Store documents received as the case's records (PDF or text), byte for byte.
    Records {
        case: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// These documents complete the records: the determination clock starts.
        #[arg(long)]
        complete: bool,
        /// What the documents are.
        #[arg(long, default_value = "medical records")]
        kind: String,
    },
    /// Assign a reviewer: the best qualified one, or the one named (never one with a conflict).
    Assign {
        case: String,
        /// Assign this reviewer by hand; the same rules apply.
        #[arg(long)]
        reviewer: Option<String>,
        /// How the notice of assignment is sent (12 days for records if electronic, else 15).
        #[arg(long, value_enum, default_value = "electronic")]
        notice: Notice,
        /// A specialty map other than the built-in data/specialty-map.toml.
        #[arg(long)]
        specialty_map: Option<PathBuf>,
    },
    /// The guideline engine's proposal for every disputed item, from the case's records.
    Review {
        case: String,
        #[arg(long, value_enum, default_value = "text")]
        format: ReviewFormat,
    },
    /// The assigned reviewer signs the determination.
    Sign {
        case: String,
        #[arg(long)]
        reviewer: String,
        /// The decisions: a JSON array of {request, decision, guideline, rationale}, or an
        /// object {"clinical_summary": ..., "decisions": [...]}.
        #[arg(long)]
        decisions: PathBuf,
    },
    /// Issue (or print again) the Final Determination Letter of a determined case.
    Letter {
        case: String,
        #[arg(long, value_enum)]
        format: Option<LetterFormat>,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, default_value = "The IMR organization")]
        imro_name: String,
        #[arg(long, default_value = "IMRO")]
        imro_short_name: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Notice {
    Mail,
    Electronic,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    Text,
    Json,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store_args = args.store;
    runtime()?.block_on(async move {
        let ctx = Context_::open(&store_args).await?;
        match args.command {
            CaseCommand::New { application } => new_case(&ctx, &application).await,
            CaseCommand::Show { case, json } => show(&ctx, &case, json).await,
            CaseCommand::Records {
                case,
                files,
                complete,
                kind,
            } => records(&ctx, &case, &files, complete, &kind).await,
            CaseCommand::Assign {
                case,
                reviewer,
                notice,
                specialty_map,
            } => {
                assign(
                    &ctx,
                    &case,
                    reviewer.as_deref(),
                    notice,
                    specialty_map.as_deref(),
                )
                .await
            }
            CaseCommand::Review { case, format } => review(&ctx, &case, format).await,
            CaseCommand::Sign {
                case,
                reviewer,
                decisions,
            } => sign(&ctx, &case, &reviewer, &decisions).await,
            CaseCommand::Letter {
                case,
                format,
                output,
                imro_name,
                imro_short_name,
            } => {
                let org = imr_core::letter::write::Organization {
                    name: imro_name,
                    short_name: imro_short_name,
                };
                letter(&ctx, &case, format, output.as_deref(), org).await
            }
        }
    })
}

async fn new_case(ctx: &Context_, path: &Path) -> anyhow::Result<ExitCode> {
    let bytes = read_small_file(path, ctx.options.max_document_bytes)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text: {e}", path.display()))?;
    let application = Application::from_json(text, ctx.now.date())
        .with_context(|| format!("{}: nothing was stored", path.display()))?;
    // The case and the application as received, byte for byte, in one transaction.
    let file = imr_store::ReceivedFile {
        filename: file_name(path),
        media_type: "application/json".into(),
        bytes: &bytes,
    };
    let (case, _) = imr_store::open_case_with(
        ctx.store.as_ref(),
        application,
        ctx.now,
        &ctx.actor,
        Some(file),
    )
    .await?;
    match &case.eligibility {
        Eligibility::Eligible => println!(
            "{}: eligible ({} review, {} disputed item(s))",
            case.number,
            case.priority().as_str().to_lowercase(),
            case.application.ur_decision.items.len()
        ),
        Eligibility::Ineligible { reasons } => {
            println!("{}: ineligible", case.number);
            for r in reasons {
                println!("  - {r}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(ctx: &Context_, case: &str, json: bool) -> anyhow::Result<ExitCode> {
    let case = ctx.load(case).await?;
    let audit = ctx.store.audit_log(&case.number).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&case)?);
    } else {
        print!("{}", history::render(&case, &audit));
        let docs = ctx.store.documents(&case.number).await?;
        println!("Documents");
        for d in docs {
            println!(
                "  {:>5}  {}  {:<16} {:>10} bytes  sha256 {}",
                d.id,
                history::when(d.received_at),
                d.kind,
                d.size,
                d.sha256
            );
        }
    }
    ctx.audit(&case.number, "case.viewed", "shown on the command line")
        .await?;
    Ok(ExitCode::SUCCESS)
}

async fn records(
    ctx: &Context_,
    case: &str,
    files: &[PathBuf],
    complete: bool,
    kind: &str,
) -> anyhow::Result<ExitCode> {
    let number = parse_case(case)?;
    // Check every file before storing any, so a bad one stores nothing.
    let limit = ctx.options.max_document_bytes;
    let mut sizes = Vec::new();
    for path in files {
        let size = std::fs::metadata(path)
            .with_context(|| format!("{}: cannot read", path.display()))?
            .len();
        if size == 0 {
            bail!(
                "{}: the document is empty (0 bytes); nothing was stored",
                path.display()
            );
        }
        if size > limit {
            bail!(
                "{}: the document is {size} bytes, more than the limit of {limit} bytes; nothing \
                 was stored (raise it with --max-document-bytes)",
                path.display()
            );
        }
        sizes.push(size);
    }
    let current = ctx.load(case).await?;
    // The workflow would refuse these records; refuse before storing them.
    let probe = current.apply(
        Action::ReceiveRecords {
            document_id: 0,
            sha256: String::new(),
            kind: kind.into(),
            size: 1,
            complete: false,
        },
        ctx.now,
        &ctx.actor,
        &ctx.rules,
    );
    if let Err(refusal) = probe {
        bail!("{refusal}; nothing was stored");
    }
    for (i, (path, size)) in files.iter().zip(sizes).enumerate() {
        let mut file = tokio::fs::File::open(path)
            .await
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let completes = complete && i + 1 == files.len();
        // The document and the workflow step are saved together, or neither.
        let (case, _) = ctx
            .store
            .receive_records(
                NewDocument {
                    case_number: number.clone(),
                    kind: kind.into(),
                    filename: file_name(path),
                    media_type: media_type(path).into(),
                    received_at: ctx.now,
                    declared_size: Some(size),
                    actor: ctx.actor.clone(),
                },
                &mut file,
                completes,
                &ctx.rules,
            )
            .await
            .with_context(|| format!("{}: nothing was stored", path.display()))?;
        println!(
            "{}: stored as document {} ({} bytes, sha256 {})",
            path.display(),
            case.records
                .last()
                .map(|r| r.document_id)
                .unwrap_or_default(),
            size,
            case.records.last().map(|r| r.sha256.as_str()).unwrap_or(""),
        );
        if completes {
            match case.determination_due {
                Some(due) => println!(
                    "{number}: records complete; determination due {}",
                    history::when(due)
                ),
                None => println!("{number}: records complete (the clock starts at assignment)"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn load_specialty_map(path: Option<&Path>) -> anyhow::Result<SpecialtyMap> {
    match path {
        None => SpecialtyMap::from_toml(SPECIALTY_MAP)
            .map_err(|e| anyhow::anyhow!("the built-in specialty map: {e}")),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            SpecialtyMap::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        }
    }
}

async fn assign(
    ctx: &Context_,
    case: &str,
    by_hand: Option<&str>,
    notice: Notice,
    map: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let map = load_specialty_map(map)?;
    let current = ctx.load(case).await?;
    let app = &current.application;
    let needed = map.needed(
        std::iter::once(app.condition.as_str())
            .chain(app.ur_decision.items.iter().map(|i| i.request.as_str())),
    );
    let reviewers = ctx.store.reviewers().await?;
    let loads = ctx.store.reviewer_loads().await?;
    let ranked = assignment::rank(app, &needed, &reviewers, &loads);
    println!(
        "{}: specialties wanted: {} (rules: {})",
        current.number,
        needed.same.iter().cloned().collect::<Vec<_>>().join(", "),
        if needed.rules.is_empty() {
            "default".to_string()
        } else {
            needed.rules.join(", ")
        }
    );
    for a in &ranked {
        println!("  {a}");
    }
    let chosen: &str = match by_hand {
        Some(id) => {
            if !reviewers.iter().any(|r| r.id == id) {
                bail!("no reviewer {id:?} (see `imr reviewer list`)");
            }
            id
        }
        None => match ranked.iter().find(|a| a.qualifies()) {
            Some(Assessment { reviewer_id, .. }) => reviewer_id,
            None => bail!(
                "{}: no reviewer qualifies; nothing was assigned",
                current.number
            ),
        },
    };
    let Some(reviewer) = reviewers.iter().find(|r| r.id == chosen).cloned() else {
        bail!("no reviewer {chosen:?}");
    };
    let load = loads.get(chosen).copied().unwrap_or(0);
    let notice = match notice {
        Notice::Mail => NoticeMethod::Mail,
        Notice::Electronic => NoticeMethod::Electronic,
    };
    let by_hand = by_hand.is_some();
    let action = move |_: &Case| Action::Assign {
        reviewer: reviewer.clone(),
        needed: needed.clone(),
        load,
        notice,
        by_hand,
    };
    let case = transition(
        ctx.store.as_ref(),
        &current.number,
        ctx.now,
        &ctx.actor,
        &ctx.rules,
        &action,
    )
    .await?;
    if let Some(a) = &case.assignment {
        println!(
            "{}: assigned to {}; records due {}",
            case.number,
            a.reviewer_id,
            history::when(a.records_due)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The clinical text of a case, as the server reads it: every text or PDF document in the order
/// received, joined by [`proposal::clinical_text`]. A document the server marked unreadable is
/// left out, and a PDF that cannot be read is marked so; either is named (never quoted) on
/// standard error.
async fn clinical_text(ctx: &Context_, case: &Case) -> anyhow::Result<String> {
    let marked: BTreeMap<i64, String> = ctx
        .store
        .unreadable_documents(&case.number)
        .await?
        .into_iter()
        .collect();
    let mut parts = Vec::new();
    for doc in ctx.store.documents(&case.number).await? {
        if let Some(reason) = marked.get(&doc.id) {
            eprintln!("imr case review: document {}: not read: {reason}", doc.id);
            continue;
        }
        let bytes = ctx.store.read_document(doc.id).await?;
        match proposal::reading(
            &doc.kind,
            &doc.media_type,
            imr_pdf::read::looks_like_pdf(&bytes),
        ) {
            Some(Reading::Text) => parts.push(imr_pdf::document::text_document(&bytes)),
            Some(Reading::Pdf) => match imr_pdf::read::pdf_text(&bytes) {
                Ok(text) => parts.push(text),
                Err(e) => {
                    let reason = e.to_string();
                    eprintln!("imr case review: document {}: not read: {reason}", doc.id);
                    ctx.store.mark_unreadable(doc.id, &reason, ctx.now).await?;
                }
            },
            None => {}
        }
    }
    Ok(proposal::clinical_text(&parts))
}

async fn review(ctx: &Context_, case: &str, format: ReviewFormat) -> anyhow::Result<ExitCode> {
    let case = ctx.load(case).await?;
    if !case.eligibility.is_eligible() {
        bail!(
            "{}: the case is ineligible; there is nothing to review",
            case.number
        );
    }
    let file = proposal::case_file(&case, clinical_text(ctx, &case).await?);
    let guidelines = crate::rule_files::load_guidelines(None)?;
    let findings = proposal::analyse(&file, &guidelines, None).findings;
    match format {
        ReviewFormat::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
        ReviewFormat::Text => {
            println!(
                "{}: the engine's proposal (the reviewer decides)",
                case.number
            );
            for f in &findings.items {
                let outcome = match (f.status, f.decision) {
                    (imr_core::engine::Status::Decided, Some(d)) => d.as_str(),
                    _ => "needs physician review",
                };
                println!("\n{}: {outcome}", f.request);
                if let Some(c) = &f.citation {
                    println!("  Guideline: {c}");
                }
                println!("  Rationale: {}", f.rationale);
                for m in &f.missing {
                    println!("  Missing: {m}");
                }
            }
        }
    }
    let decided = findings
        .items
        .iter()
        .filter(|f| f.status == imr_core::engine::Status::Decided)
        .count();
    ctx.audit(
        &case.number,
        "case.engine_review",
        &format!(
            "{decided} of {} item(s) proposed by the engine",
            findings.items.len()
        ),
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// The decisions file: an array of decisions, or an object with a summary too.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum DecisionsFile {
    List(Vec<ItemDecision>),
    Full {
        #[serde(default)]
        clinical_summary: Option<String>,
        decisions: Vec<ItemDecision>,
    },
}

async fn sign(ctx: &Context_, case: &str, reviewer: &str, path: &Path) -> anyhow::Result<ExitCode> {
    let number = parse_case(case)?;
    let bytes = read_small_file(path, ctx.options.max_document_bytes)?;
    let file: DecisionsFile = serde_json::from_slice(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a decisions file (a JSON array of {{request, decision, guideline, \
             rationale}}): {e}",
            path.display()
        )
    })?;
    let (summary, decisions) = match file {
        DecisionsFile::List(d) => (None, d),
        DecisionsFile::Full {
            clinical_summary,
            decisions,
        } => (clinical_summary, decisions),
    };
    if ctx.store.reviewer(reviewer).await?.is_none() {
        bail!("no reviewer {reviewer:?} (see `imr reviewer list`)");
    }
    // The same checks as the server's (`Case::check_draft`): complete records, a clinical
    // summary, every field, and no engine's "could not decide" note signed as a rationale. The
    // workflow makes the rest (the assignee, each item once) in the transaction that signs.
    let Some(read) = ctx.store.load_case(&number).await? else {
        bail!("no case {number}");
    };
    let current = read.value;
    let draft = imr_core::case::Draft {
        decisions: decisions
            .iter()
            .map(|d| imr_core::case::DraftDecision {
                request: d.request.clone(),
                decision: Some(d.decision),
                guideline: d.guideline.clone(),
                rationale: d.rationale.clone(),
            })
            .collect(),
        clinical_summary: summary.unwrap_or_default(),
    };
    let file = proposal::case_file(&current, clinical_text(ctx, &current).await?);
    let guidelines = crate::rule_files::load_guidelines(None)?;
    let findings = proposal::analyse(&file, &guidelines, None).findings;
    let proposed: Vec<imr_core::case::Proposed<'_>> = findings
        .items
        .iter()
        .map(|f| imr_core::case::Proposed {
            decision: f.decision,
            rationale: &f.rationale,
        })
        .collect();
    let (decisions, summary) = current.check_draft(&draft, &proposed).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(sign_problem).collect();
        anyhow::anyhow!(
            "{}: case {} cannot be signed: {}; nothing was signed",
            path.display(),
            current.number,
            list.join("; ")
        )
    })?;
    let action = Action::Sign {
        reviewer_id: reviewer.to_string(),
        decisions,
        clinical_summary: Some(summary),
    };
    let (case, entry) = current.apply(action, ctx.now, &ctx.actor, &ctx.rules)?;
    // Saved only if the case is still the one checked: records that arrived meanwhile change
    // what the reviewer signs on.
    match ctx.store.update_case(&case, read.version, &entry).await {
        Ok(_) => {}
        Err(imr_store::StoreError::VersionConflict { .. }) => bail!(
            "{number}: the case changed while it was being signed (new records or another \
             step); nothing was signed: review it again, then sign"
        ),
        Err(e) => return Err(e.into()),
    }
    println!("{}: determination signed by {reviewer}", case.number);
    Ok(ExitCode::SUCCESS)
}

/// One problem with a draft, as a line names it: the field, then what is wrong.
fn sign_problem(problem: &SignProblem) -> String {
    match problem.field() {
        Some(field) => format!("{field}: {}", problem.message()),
        None => problem.message().to_string(),
    }
}

async fn letter(
    ctx: &Context_,
    case: &str,
    format: Option<LetterFormat>,
    output: Option<&Path>,
    organization: imr_core::letter::write::Organization,
) -> anyhow::Result<ExitCode> {
    let current = ctx.load(case).await?;
    let Some(signed) = &current.determination else {
        bail!(
            "{}: not determined yet ({}); no letter can be written",
            current.number,
            current.status
        );
    };
    let reviewer = ctx.store.reviewer(&signed.reviewer_id).await?;
    let determination = current.determination(reviewer.as_ref());
    let options = imr_core::letter::write::LetterOptions {
        organization,
        practice: reviewer
            .as_ref()
            .map(|r| imr_core::letter::write::Practice {
                years_in_practice: r.years_in_active_practice,
                hours_per_week: r.hours_per_week_in_practice,
            }),
    };
    let format = format
        .or_else(|| output.and_then(letter_format_of))
        .unwrap_or(LetterFormat::Text);
    let bytes = write_letter(&determination, &options, format)
        .with_context(|| format!("{}: cannot write the letter", current.number))?;
    match output {
        Some(path) => write_atomically(path, &bytes)?,
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    if current.letter_issued_at.is_none() {
        transition(
            ctx.store.as_ref(),
            &current.number,
            ctx.now,
            &ctx.actor,
            &ctx.rules,
            &|_: &Case| Action::IssueLetter,
        )
        .await?;
        eprintln!("{}: letter issued", current.number);
    } else {
        ctx.audit(
            &current.number,
            "letter.printed",
            "the letter was written again",
        )
        .await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The letter format an output file's extension names.
fn letter_format_of(path: &Path) -> Option<LetterFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "txt" | "text" => Some(LetterFormat::Text),
        "html" | "htm" => Some(LetterFormat::Html),
        "pdf" => Some(LetterFormat::Pdf),
        _ => None,
    }
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name().map(|n| n.to_string_lossy().into_owned())
}

fn media_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => "application/pdf",
        Some("txt") | Some("text") => "text/plain",
        Some("json") => "application/json",
        Some("html") | Some("htm") => "text/html",
        _ => "application/octet-stream",
    }
}
