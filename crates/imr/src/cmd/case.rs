//! `imr case`: the IMR organization's case work on the store.
//!
//! `new APPLICATION.json`, `show N`, `records N FILE...`, `assign N [--reviewer ID]`,
//! `review N`, `sign N --reviewer ID --decisions FILE`, `letter N [--format ...]`.
//! Every step goes through the workflow rules of `imr_core::case` and lands in the audit log.
//! The helpers at the bottom (store options, "now", the runtime) serve the other store
//! commands too (`reviewer`, `deadlines`, `export`, `import`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use imr_core::case::assignment::{self, Assessment};
use imr_core::case::workflow::ItemDecision;
use imr_core::case::{
    Action, Application, AuditEntry, Case, CaseNumber, ClockRules, Eligibility, NoticeMethod,
    SpecialtyMap, history,
};
use imr_store::{NewDocument, Store, StoreOptions, transition};
use jiff::civil::DateTime;

use super::letter::{Format as LetterFormat, write_atomically, write_letter};

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

/// The text of the case's records, for the engine: text files as they are, PDFs through the
/// PDF reader. Documents that cannot be read are named (never quoted) on standard error.
async fn records_text(ctx: &Context_, case: &Case) -> anyhow::Result<String> {
    let mut text = String::new();
    for receipt in &case.records {
        let bytes = ctx.store.read_document(receipt.document_id).await?;
        let part = if imr_pdf::read::looks_like_pdf(&bytes) {
            match imr_pdf::read::pdf_text(&bytes) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!(
                        "imr case review: document {}: not read: {e}",
                        receipt.document_id
                    );
                    continue;
                }
            }
        } else {
            match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    eprintln!(
                        "imr case review: document {}: neither a PDF nor UTF-8 text; not read",
                        receipt.document_id
                    );
                    continue;
                }
            }
        };
        text.push_str(&part);
        text.push('\n');
    }
    Ok(text)
}

async fn review(ctx: &Context_, case: &str, format: ReviewFormat) -> anyhow::Result<ExitCode> {
    use imr_core::case_file::{CaseFile, CaseRequest};
    let case = ctx.load(case).await?;
    if !case.eligibility.is_eligible() {
        bail!(
            "{}: the case is ineligible; there is nothing to review",
            case.number
        );
    }
    let app = &case.application;
    let file = CaseFile {
        case_number: Some(case.number.to_string()),
        date_of_injury: Some(app.date_of_injury),
        ur_denial_date: Some(app.ur_decision.date),
        clinical_summary: records_text(ctx, &case).await?,
        requests: app
            .ur_decision
            .items
            .iter()
            .map(|i| CaseRequest {
                item: i.request.clone(),
                original_request: i.authorized.as_ref().map(|_| i.request.clone()),
                authorized: i.authorized.clone(),
            })
            .collect(),
    };
    let guidelines = super::review::load_guidelines(None)?;
    let findings = imr_core::engine::review(
        &guidelines,
        &imr_core::engine::adapt::from_case_file(&file),
        None,
    );
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
    // The same field rules as the server (control characters, lengths); the workflow makes
    // the rest of the checks in the transaction that signs.
    let current = ctx.load(case).await?;
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
        clinical_summary: summary.clone().unwrap_or_default(),
    };
    if let Err(problems) = current.check_draft(&draft, &[]) {
        let fields: Vec<String> = problems
            .iter()
            .filter_map(|p| match p {
                imr_core::case::SignProblem::Field(e) => {
                    Some(format!("{}: {}", e.field, e.message))
                }
                imr_core::case::SignProblem::NotReady { .. } => None,
            })
            .collect();
        if !fields.is_empty() {
            bail!(
                "{}: the decisions cannot be signed: {}",
                path.display(),
                fields.join("; ")
            );
        }
    }
    let reviewer_id = reviewer.to_string();
    let action = move |_: &Case| Action::Sign {
        reviewer_id: reviewer_id.clone(),
        decisions: decisions.clone(),
        clinical_summary: summary.clone(),
    };
    let case = transition(
        ctx.store.as_ref(),
        &number,
        ctx.now,
        &ctx.actor,
        &ctx.rules,
        &action,
    )
    .await?;
    println!("{}: determination signed by {reviewer}", case.number);
    Ok(ExitCode::SUCCESS)
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

// ---------------------------------------------------------------------------------------------
// Shared by the store commands

/// Where the store is and who is acting.
#[derive(clap::Args, Clone)]
pub struct StoreArgs {
    /// The store: a SQLite file (created if missing) or postgres://user:password@host/database.
    #[arg(
        long,
        global = true,
        env = "IMR_DATABASE_URL",
        default_value = "imr.db"
    )]
    pub database_url: String,
    /// Documents larger than this many bytes are refused before they are read.
    #[arg(long, global = true, env = "IMR_MAX_DOCUMENT_BYTES", default_value_t = imr_store::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,
    /// Who is acting, for the audit log.
    #[arg(long, global = true, env = "IMR_ACTOR", default_value = "cli")]
    pub actor: String,
    /// The time to record instead of the clock (California time, e.g. 2026-01-21T09:00), to
    /// enter events after the fact.
    #[arg(long, global = true, env = "IMR_NOW")]
    pub now: Option<String>,
}

/// An open store, "now" and the actor.
pub(crate) struct Context_ {
    pub store: Arc<dyn Store>,
    pub options: StoreOptions,
    pub now: DateTime,
    pub actor: String,
    pub rules: ClockRules,
}

impl Context_ {
    pub async fn open(args: &StoreArgs) -> anyhow::Result<Context_> {
        let now = now(args.now.as_deref())?;
        let options = StoreOptions {
            max_document_bytes: args.max_document_bytes,
        };
        let store = imr_store::open(&args.database_url, options.clone())
            .await
            .with_context(|| "cannot open the store (--database-url)".to_string())?;
        Ok(Context_ {
            store,
            options,
            now,
            actor: args.actor.clone(),
            rules: ClockRules::default(),
        })
    }

    pub async fn load(&self, case: &str) -> anyhow::Result<Case> {
        let number = parse_case(case)?;
        match self.store.load_case(&number).await? {
            Some(v) => Ok(v.value),
            None => bail!("no case {number}"),
        }
    }

    pub async fn audit(&self, case: &CaseNumber, event: &str, detail: &str) -> anyhow::Result<()> {
        let entry = AuditEntry::new(self.now, self.actor.clone(), event, detail);
        Ok(self.store.record_audit(Some(case), &entry).await?)
    }
}

pub(crate) fn parse_case(text: &str) -> anyhow::Result<CaseNumber> {
    Ok(CaseNumber::parse(text)?)
}

/// Now in California, or the time given.
pub(crate) fn now(given: Option<&str>) -> anyhow::Result<DateTime> {
    if let Some(text) = given {
        return text.parse::<DateTime>().map_err(|e| {
            anyhow::anyhow!("--now {text:?} is not a date-time (2026-01-21T09:00): {e}")
        });
    }
    Ok(imr_core::case::clock::california(jiff::Timestamp::now()))
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Reads a file that must be small (an application, a decisions file): refused from its
/// metadata when over `limit` or empty.
pub(crate) fn read_small_file(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("{}: cannot read", path.display()))?
        .len();
    if size == 0 {
        bail!("{}: the file is empty (0 bytes)", path.display());
    }
    if size > limit {
        bail!(
            "{}: the file is {size} bytes, more than the limit of {limit} bytes",
            path.display()
        );
    }
    std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))
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
