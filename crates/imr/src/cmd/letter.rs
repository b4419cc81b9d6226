//! `imr letter DETERMINATION.json|CASE.json [--reviewer PROFILE] [--format text|html|pdf]
//! [-o FILE]`: a Final Determination Letter from a determination (the JSON `imr parse` writes),
//! or the proposed letter for a case file (JSON or TOML), from the engine's findings and the
//! reviewer's profile.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use imr_case::proposal;
use imr_core::Determination;
use imr_letter::html::render_html;
use imr_letter::write::{
    LetterOptions, Organization, ReviewerProfile, letter_document, render_text,
};
use imr_reading::case_file::{self, CaseFile};
use imr_rules::engine::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, as the published letters' text copies (lines of about 95 columns).
    Text,
    /// One self-contained, printable, accessible HTML page.
    Html,
    /// A PDF with embedded fonts, searchable text and page numbers.
    Pdf,
}

impl Format {
    /// The format an output file's extension names.
    fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// Write a Final Determination Letter (text, HTML or PDF).
#[derive(clap::Args)]
pub struct Args {
    /// A determination as JSON (what `imr parse` writes for one letter), or a case file (JSON
    /// or TOML, with `requests`) whose proposed letter is wanted.
    pub determination: PathBuf,
    /// Output format; by default the output file's extension, else text.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write here (atomically) instead of to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The reviewer's profile (JSON or TOML: board_certifications, subspecialties, licensure,
    /// years_in_practice, hours_per_week); replaces the credentials in the determination.
    #[arg(long)]
    pub reviewer: Option<PathBuf>,
    /// The IMR organization's name, as in "<name> sent the complete case file ...".
    #[arg(long, default_value = "The IMR organization")]
    pub imro_name: String,
    /// The IMR organization's short name, heading each item's guideline line.
    #[arg(long, default_value = "IMRO")]
    pub imro_short_name: String,
    /// For a case file: the decision date the letter states (YYYY-MM-DD); left out if not given.
    #[arg(long)]
    pub decision_date: Option<String>,
    /// For a case file: read rule files (*.toml) from this folder instead of the built-in
    /// guidelines.
    #[arg(long)]
    pub guidelines: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = &args.determination;
    let mut determination = match read_input(path)? {
        Input::Determination(determination) => determination,
        Input::Case(case) => {
            if args.reviewer.is_none() {
                bail!(
                    "{}: a case file's letter needs the reviewer's profile (--reviewer PROFILE)",
                    path.display()
                );
            }
            let decision_date = match &args.decision_date {
                Some(text) => Some(text.parse::<Date>().map_err(|_| {
                    anyhow::anyhow!(
                        "--decision-date \"{text}\" is not a date (expected YYYY-MM-DD)"
                    )
                })?),
                None => None,
            };
            let guidelines = crate::rule_files::load_guidelines(args.guidelines.as_deref())?;
            let findings = proposal::analyse(&case, &guidelines, None).findings;
            proposal::proposed_determination(&case, &findings, decision_date)
                .with_context(|| path.display().to_string())?
        }
    };
    let mut options = LetterOptions {
        organization: Organization {
            name: args.imro_name.clone(),
            short_name: args.imro_short_name.clone(),
        },
        practice: None,
    };
    if let Some(profile_path) = &args.reviewer {
        let profile = read_profile(profile_path)?;
        determination.reviewer = profile
            .credentials()
            .with_context(|| profile_path.display().to_string())?;
        options.practice = Some(profile.practice());
    }
    if determination.has_errors() {
        // Field names only: the determination's text stays out of logs.
        let fields: Vec<&str> = determination
            .diagnostics
            .iter()
            .filter(|d| d.severity == imr_core::Severity::Error)
            .map(|d| d.field.as_str())
            .collect();
        eprintln!(
            "imr letter: {}: warning: the determination was read with errors ({}); the letter holds what was read",
            path.display(),
            fields.join(", ")
        );
    }
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Text);
    let bytes = write_letter(&determination, &options, format)
        .with_context(|| format!("{}: cannot write the letter", path.display()))?;
    match &args.output {
        Some(output) => write_atomically(output, &bytes)?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The letter in `format`: the one entry point for every command that writes letters.
pub fn write_letter(
    determination: &Determination,
    options: &LetterOptions,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    let document = letter_document(determination, options)?;
    Ok(match format {
        Format::Text => render_text(&document).into_bytes(),
        Format::Html => render_html(&document).into_bytes(),
        Format::Pdf => imr_pdf::write::letter_pdf(&document)?,
    })
}

enum Input {
    Determination(Determination),
    Case(CaseFile),
}

/// A determination, or a case file (TOML, or JSON with `requests`).
fn read_input(path: &Path) -> anyhow::Result<Input> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let first_value = serde_json::Deserializer::from_str(&text)
        .into_iter::<serde_json::Value>()
        .next();
    let is_case = is_toml
        || matches!(&first_value, Some(Ok(value)) if value.get("requests").is_some() && value.get("items").is_none());
    if is_case {
        let format = if is_toml {
            case_file::Format::Toml
        } else {
            case_file::Format::Json
        };
        let case = CaseFile::parse(&text, format)
            .with_context(|| format!("{}: not a case file", path.display()))?;
        return Ok(Input::Case(case));
    }
    read_determination(path, &text).map(Input::Determination)
}

fn read_determination(path: &Path, text: &str) -> anyhow::Result<Determination> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Determination>();
    let first = match stream.next() {
        Some(Ok(determination)) => determination,
        Some(Err(error)) => bail!(
            "{}: not a determination (the JSON `imr parse` writes): {error}",
            path.display()
        ),
        None => bail!("{}: empty: no determination in it", path.display()),
    };
    if stream.next().is_some() {
        bail!(
            "{}: holds more than one determination; write one letter at a time",
            path.display()
        );
    }
    Ok(first)
}

/// A reviewer profile, JSON or TOML by its extension (JSON when it has none).
pub fn read_profile(path: &Path) -> anyhow::Result<ReviewerProfile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the reviewer profile", path.display()))?;
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if is_toml {
        toml::from_str(&text).with_context(|| format!("{}: not a reviewer profile", path.display()))
    } else {
        serde_json::from_str(&text)
            .with_context(|| format!("{}: not a reviewer profile", path.display()))
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that the file is
/// either the whole new letter or left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a file name", path.display()))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(error) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(error).with_context(|| format!("{}: cannot write", path.display()));
    }
    Ok(())
}
