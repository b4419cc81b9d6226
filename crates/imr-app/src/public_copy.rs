//! The public copy of a signed case's letter: the determination as signed with what identifies
//! a person taken out (every party the application names, in every form, and the reviewer's
//! own name, then what the patterns and the name model find), the kinds and counts removed,
//! and the kept tokens that still look like names or numbers for the second look. Issued once,
//! as a PDF document of the case with an audit entry (counts, never text).

use std::collections::BTreeMap;

use imr_case::Case;
use imr_case::proposal::PUBLIC_COPY_KIND;
use imr_core::Determination;
use imr_letter::write::{LetterDocument, LetterOptions, Practice, letter_document};
use imr_redact::{Kind, KnownParties, Lookalike, LooksLike, kept_lookalikes, redact_determination};
use imr_store::{DocumentInfo, NewDocument};
use jiff::civil::DateTime;

use crate::app::App;
use crate::error::AppError;

/// Issuing checks that no copy was issued, then stores one: one issue at a time in this
/// process, so that a double click stores one copy.
static ISSUING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A signed case's public copy, ready to show or issue.
#[derive(Debug)]
pub struct PublicCopy {
    pub case: Case,
    /// The determination as signed, redacted.
    pub redacted: Determination,
    /// How many pieces of each kind were removed.
    pub report: Vec<(Kind, usize)>,
    /// What the copy kept that looks like a name or a number.
    pub lookalikes: Vec<Lookalike>,
    /// The reviewer who signed the determination.
    pub signer: String,
    pub letter: LetterDocument,
    /// The copy already issued, if it was.
    pub issued: Option<DocumentInfo>,
}

impl PublicCopy {
    fn removed(&self) -> usize {
        self.report.iter().map(|(_, count)| count).sum()
    }
}

/// Every text field of a determination with its label, as the second look shows them.
pub fn text_fields(d: &Determination) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    if let Some(summary) = &d.clinical_summary {
        out.push(("Clinical case summary".to_string(), summary.as_str()));
    }
    for (i, item) in d.items.iter().enumerate() {
        let n = i + 1;
        out.push((format!("Item {n}: request"), item.request.as_str()));
        for (label, value) in [
            ("original request", &item.original_request),
            ("authorized", &item.authorized),
            (
                "claims administrator guideline",
                &item.claims_administrator_guideline,
            ),
            ("guideline", &item.imro_guideline),
            ("rationale", &item.rationale),
        ] {
            if let Some(v) = value {
                out.push((format!("Item {n}: {label}"), v.as_str()));
            }
        }
    }
    out
}

impl App {
    /// The public copy of a case; [`AppError::NotSigned`] before it is signed.
    pub async fn public_copy(&self, case: Case) -> Result<PublicCopy, AppError> {
        let Some(signed) = &case.determination else {
            return Err(AppError::NotSigned {
                case: case.number.clone(),
                status: case.status.to_string(),
            });
        };
        let reviewer = self.store.reviewer(&signed.reviewer_id).await?;
        let determination = case.determination_as_signed(reviewer.as_ref(), signed);
        let mut known = KnownParties::of_application(&case.application);
        if let Some(r) = &reviewer {
            // The letter names the reviewer by credentials only; a rationale that names them
            // is redacted too.
            known.people.push(r.name.clone());
        }
        let (redacted, removals) = redact_determination(&determination, &known);
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for removal in &removals {
            *counts.entry(removal.kind).or_default() += 1;
        }
        let options = LetterOptions {
            organization: self.organization.clone(),
            practice: reviewer.as_ref().map(|r| Practice {
                years_in_practice: r.years_in_active_practice,
                hours_per_week: r.hours_per_week_in_practice,
            }),
        };
        let letter = letter_document(&redacted, &options).map_err(|e| AppError::NoLetter {
            case: case.number.clone(),
            reason: e.to_string(),
        })?;
        let issued = self.issued_copy(&case).await?;
        let texts: Vec<&str> = text_fields(&redacted).into_iter().map(|(_, t)| t).collect();
        let lookalikes = kept_lookalikes(&texts);
        let signer = signed.reviewer_id.clone();
        Ok(PublicCopy {
            case,
            redacted,
            report: counts.into_iter().collect(),
            lookalikes,
            signer,
            letter,
            issued,
        })
    }

    /// The public copy stored for a case, if one was issued.
    async fn issued_copy(&self, case: &Case) -> Result<Option<DocumentInfo>, AppError> {
        Ok(self
            .store
            .documents(&case.number)
            .await?
            .into_iter()
            .find(|d| d.kind == PUBLIC_COPY_KIND))
    }

    /// The copy as PDF: the one issued, byte for byte, or before that the copy as it would be
    /// issued.
    pub async fn public_copy_pdf(&self, copy: PublicCopy) -> Result<Vec<u8>, AppError> {
        match &copy.issued {
            Some(doc) => Ok(self.store.read_document(doc.id).await?),
            None => crate::letter::pdf(copy.letter).await,
        }
    }

    /// Writes the audit entry of a second look at the copy (counts only).
    pub async fn audit_second_look(
        &self,
        copy: &PublicCopy,
        at: DateTime,
        actor: &str,
    ) -> Result<(), AppError> {
        let (names, numbers) =
            copy.lookalikes
                .iter()
                .fold((0, 0), |(n, m), l| match l.looks_like {
                    LooksLike::Name => (n + l.count, m),
                    LooksLike::Number => (n, m + l.count),
                });
        let detail = format!(
            "{} replacement(s) shown marked; kept and shown for checking: {names} token(s) \
             that look like names, {numbers} that look like numbers",
            copy.removed()
        );
        self.audit(
            &copy.case.number,
            at,
            actor,
            "public_copy.second_look",
            &detail,
        )
        .await
    }

    /// Issues the copy: stores its PDF as a document of the case (kind "public copy") and
    /// writes the audit entry naming who issued it (`issuer`: a role) and what was removed.
    /// [`AppError::PublicCopyIssued`] once issued.
    pub async fn issue_public_copy(
        &self,
        copy: PublicCopy,
        issuer: &str,
        at: DateTime,
        actor: &str,
    ) -> Result<DocumentInfo, AppError> {
        let _one_at_a_time = ISSUING.lock().await;
        if let Some(earlier) = self.issued_copy(&copy.case).await? {
            return Err(AppError::PublicCopyIssued {
                case: copy.case.number.clone(),
                earlier,
            });
        }
        let number = copy.case.number.clone();
        let removed: Vec<String> = copy
            .report
            .iter()
            .map(|(kind, count)| format!("{} {count}", kind.as_str()))
            .collect();
        let kept: usize = copy.lookalikes.iter().map(|l| l.count).sum();
        let signer = copy.signer.clone();
        let bytes = crate::letter::pdf(copy.letter).await?;
        let mut source: &[u8] = &bytes;
        let document = self
            .store
            .store_document(
                NewDocument {
                    case_number: number.clone(),
                    kind: PUBLIC_COPY_KIND.to_string(),
                    filename: Some(format!("{number}-public-copy.pdf")),
                    media_type: "application/pdf".to_string(),
                    received_at: at,
                    declared_size: Some(bytes.len() as u64),
                    actor: actor.to_string(),
                },
                &mut source,
            )
            .await?;
        let detail = format!(
            "document {}; issued by a {issuer} after a second look at the determination signed \
             by reviewer {signer}; removed: {}; kept tokens that look like names or numbers: \
             {kept}",
            document.id,
            if removed.is_empty() {
                "nothing".to_string()
            } else {
                removed.join(", ")
            }
        );
        self.audit(&number, at, actor, "public_copy.issued", &detail)
            .await?;
        Ok(document)
    }
}
