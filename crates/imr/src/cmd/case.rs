//! `imr case`: the IMR organization's case work on the store.
//!
//! `new APPLICATION.json`, `show N`, `records N FILE...`, `assign N [--reviewer ID]`,
//! `review N`, `sign N --reviewer ID --decisions FILE`, `letter N [--format ...]`.
//! Every step is an operation of `imr_app` (the same the server runs), on the clock of
//! `--now`; this module reads the arguments and files and prints what happened. The store
//! options, "now" and the runtime are in [`crate::store_args`], shared with the other store
//! commands.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use imr_app::{Analysis, App, AppError, Upload};
use imr_case::workflow::ItemDecision;
use imr_case::{Application, Eligibility, NoticeMethod, SpecialtyMap, clock, history};
use imr_store::Versioned;
use sha2::{Digest, Sha256};

use super::letter::{Format as LetterFormat, write_atomically};
use crate::store_args::{Context_, StoreArgs, parse_case, read_small_file, runtime};

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
        let app = App::new(ctx.store.clone()).map_err(|e| anyhow::anyhow!(e))?;
        match args.command {
            CaseCommand::New { application } => new_case(&ctx, &app, &application).await,
            CaseCommand::Show { case, json } => show(&ctx, &case, json).await,
            CaseCommand::Records {
                case,
                files,
                complete,
                kind,
            } => records(&ctx, &app, &case, &files, complete, &kind).await,
            CaseCommand::Assign {
                case,
                reviewer,
                notice,
                specialty_map,
            } => {
                assign(
                    &ctx,
                    app,
                    &case,
                    reviewer.as_deref(),
                    notice,
                    specialty_map.as_deref(),
                )
                .await
            }
            CaseCommand::Review { case, format } => review(&ctx, &app, &case, format).await,
            CaseCommand::Sign {
                case,
                reviewer,
                decisions,
            } => sign(&ctx, &app, &case, &reviewer, &decisions).await,
            CaseCommand::Letter {
                case,
                format,
                output,
                imro_name,
                imro_short_name,
            } => {
                let mut app = app;
                app.organization = imr_letter::write::Organization {
                    name: imro_name,
                    short_name: imro_short_name,
                };
                letter(&ctx, &app, &case, format, output.as_deref()).await
            }
        }
    })
}

async fn new_case(ctx: &Context_, app: &App, path: &Path) -> anyhow::Result<ExitCode> {
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
    let case = app
        .open_case(application, Some(file), ctx.now, &ctx.actor)
        .await
        .with_context(|| format!("{}: nothing was stored", path.display()))?;
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
                clock::when(d.received_at),
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

/// The SHA-256 of a file, read a piece at a time.
fn file_sha256(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

async fn records(
    ctx: &Context_,
    app: &App,
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
    let sha256s = files
        .iter()
        .map(|path| file_sha256(path))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // The workflow and the documents already stored would refuse these; refuse before storing.
    let checked = app
        .check_records(&current, kind, &sha256s, ctx.now, &ctx.actor)
        .await;
    match checked {
        Ok(()) => {}
        Err(AppError::SameFileTwice { index, earlier }) => bail!(
            "{}: the same file as {} (same SHA-256); nothing was stored",
            files[index].display(),
            files[earlier].display()
        ),
        Err(e @ AppError::AlreadyReceived { .. }) => {
            let path = match &e {
                AppError::AlreadyReceived { earlier, .. } => sha256s
                    .iter()
                    .position(|s| *s == earlier.sha256)
                    .map(|i| files[i].display().to_string()),
                _ => None,
            };
            bail!("{}: {e}; nothing was stored", path.unwrap_or_default())
        }
        Err(e) => bail!("{e}; nothing was stored"),
    }
    for (i, (path, size)) in files.iter().zip(sizes).enumerate() {
        let bytes =
            std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        let completes = complete && i + 1 == files.len();
        // The document and the workflow step are saved together, or neither.
        let upload = Upload {
            kind: kind.into(),
            filename: file_name(path),
            media_type: media_type(path).into(),
            bytes: &bytes,
            complete: completes,
        };
        let (info, case) = app
            .add_document(&number, upload, ctx.now, &ctx.actor)
            .await
            .with_context(|| format!("{}: nothing was stored", path.display()))?;
        println!(
            "{}: stored as document {} ({} bytes, sha256 {})",
            path.display(),
            info.id,
            size,
            info.sha256,
        );
        if completes {
            match case.determination_due {
                Some(due) => println!(
                    "{number}: records complete; determination due {}",
                    clock::when(due)
                ),
                None => println!("{number}: records complete (the clock starts at assignment)"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn load_specialty_map(path: &Path) -> anyhow::Result<SpecialtyMap> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    SpecialtyMap::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

async fn assign(
    ctx: &Context_,
    mut app: App,
    case: &str,
    by_hand: Option<&str>,
    notice: Notice,
    map: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    if let Some(path) = map {
        app.specialty_map = Arc::new(load_specialty_map(path)?);
    }
    let current = ctx.load(case).await?;
    let candidates = app.candidates(&current).await?;
    let needed = &candidates.needed;
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
    for a in &candidates.ranked {
        println!("  {a}");
    }
    if let Some(id) = by_hand
        && !candidates.reviewers.iter().any(|r| r.id == id)
    {
        bail!("no reviewer {id:?} (see `imr reviewer list`)");
    }
    let notice = match notice {
        Notice::Mail => NoticeMethod::Mail,
        Notice::Electronic => NoticeMethod::Electronic,
    };
    let assigned = app
        .assign(&current, candidates, by_hand, notice, ctx.now, &ctx.actor)
        .await;
    let case = match assigned {
        Err(AppError::NoQualifiedReviewer(number)) => {
            bail!("{number}: no reviewer qualifies; nothing was assigned")
        }
        other => other?,
    };
    if let Some(a) = &case.assignment {
        println!(
            "{}: assigned to {}; records due {}",
            case.number,
            a.reviewer_id,
            clock::when(a.records_due)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The engine's analysis of a case read at its version; each document left out of its clinical
/// text (unreadable) is named, never quoted, on standard error.
async fn analysis(
    ctx: &Context_,
    app: &App,
    read: &Versioned<imr_case::Case>,
) -> anyhow::Result<Arc<Analysis>> {
    let analysis = app.analysis(&read.value, read.version, ctx.now).await?;
    for u in &analysis.unreadable {
        eprintln!(
            "imr case review: document {}: not read: {}",
            u.document_id, u.reason
        );
    }
    Ok(analysis)
}

/// A case read with its version, or why not.
async fn load_versioned(ctx: &Context_, case: &str) -> anyhow::Result<Versioned<imr_case::Case>> {
    let number = parse_case(case)?;
    match ctx.store.load_case(&number).await? {
        Some(read) => Ok(read),
        None => bail!("no case {number}"),
    }
}

async fn review(
    ctx: &Context_,
    app: &App,
    case: &str,
    format: ReviewFormat,
) -> anyhow::Result<ExitCode> {
    let read = load_versioned(ctx, case).await?;
    let case = &read.value;
    if !case.eligibility.is_eligible() {
        bail!(
            "{}: the case is ineligible; there is nothing to review",
            case.number
        );
    }
    let findings = &analysis(ctx, app, &read).await?.findings;
    match format {
        ReviewFormat::Json => println!("{}", serde_json::to_string_pretty(findings)?),
        ReviewFormat::Text => {
            println!(
                "{}: the engine's proposal (the reviewer decides)",
                case.number
            );
            for f in &findings.items {
                let outcome = match (f.status, f.decision) {
                    (imr_rules::engine::Status::Decided, Some(d)) => d.as_str(),
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
        .filter(|f| f.status == imr_rules::engine::Status::Decided)
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

async fn sign(
    ctx: &Context_,
    app: &App,
    case: &str,
    reviewer: &str,
    path: &Path,
) -> anyhow::Result<ExitCode> {
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
    let read = load_versioned(ctx, case).await?;
    let draft = imr_case::Draft {
        decisions: decisions
            .iter()
            .map(|d| imr_case::DraftDecision {
                request: d.request.clone(),
                decision: Some(d.decision),
                guideline: d.guideline.clone(),
                rationale: d.rationale.clone(),
            })
            .collect(),
        clinical_summary: summary.unwrap_or_default(),
    };
    // The same checks as the server's: complete records, a clinical summary, every field, and
    // no engine's "could not decide" note signed as a rationale. The workflow makes the rest
    // (the assignee, each item once) in the transaction that signs.
    analysis(ctx, app, &read).await?;
    let version = read.version;
    let checked = match app.check_draft(read, reviewer, &draft, ctx.now).await {
        Err(e @ AppError::CannotSign { .. }) => {
            bail!("{}: {e}; nothing was signed", path.display())
        }
        other => other?,
    };
    // Saved only if the case is still the one checked: records that arrived meanwhile change
    // what the reviewer signs on.
    let case = match app.sign(checked, version, ctx.now, &ctx.actor).await {
        Err(AppError::ChangedSinceChecked(_)) => bail!(
            "{number}: the case changed while it was being signed (new records or another \
             step); nothing was signed: review it again, then sign"
        ),
        other => other?,
    };
    println!("{}: determination signed by {reviewer}", case.number);
    Ok(ExitCode::SUCCESS)
}

async fn letter(
    ctx: &Context_,
    app: &App,
    case: &str,
    format: Option<LetterFormat>,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let current = ctx.load(case).await?;
    let format = format
        .or_else(|| output.and_then(letter_format_of))
        .unwrap_or(LetterFormat::Text);
    let written = app
        .letter(
            &current,
            match format {
                LetterFormat::Text => imr_app::LetterFormat::Text,
                LetterFormat::Html => imr_app::LetterFormat::Html,
                LetterFormat::Pdf => imr_app::LetterFormat::Pdf,
            },
        )
        .await;
    let bytes = match written {
        Err(AppError::NotDetermined { case, status }) => {
            bail!("{case}: not determined yet ({status}); no letter can be written")
        }
        Err(AppError::NoLetter { case, reason }) => {
            bail!("{case}: cannot write the letter: {reason}")
        }
        other => other?,
    };
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
        app.issue_letter(&current.number, ctx.now, &ctx.actor)
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
