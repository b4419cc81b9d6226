//! Cases: intake, eligibility, reviewer assignment, the statutory clock and the workflow.
//!
//! Everything here is pure: "now" is always a parameter, nothing reads the clock, files or the
//! database. The store (crate `imr-store`) keeps cases; the command line and the server wire
//! them together. Times are civil date-times in California (the IMR organization's clock); the
//! edges pass the system clock's instant through [`clock::california`].

pub mod application;
pub mod assignment;
pub mod audit;
pub mod case_number;
pub mod clock;
pub mod conclusion;
pub mod deadlines;
pub mod determination;
pub mod eligibility;
pub mod history;
pub mod proposal;
pub mod reviewer;
pub mod specialty;
pub mod workflow;

pub use application::{Application, ApplicationError, DisputedService, FieldError};
pub use assignment::{Assessment, Exclusion, SpecialtyMatch};
pub use audit::AuditEntry;
pub use case_number::CaseNumber;
pub use deadlines::{ClockRules, DueItem, DueKind, NoticeMethod};
pub use determination::{Draft, DraftDecision, Proposed, SignProblem};
pub use eligibility::{Eligibility, IneligibleReason};
pub use reviewer::{Affiliation, AffiliationKind, Reviewer};
pub use specialty::{Needed, SpecialtyMap, canonical_specialty};
pub use workflow::{Action, Case, ItemDecision, Refusal, Status};
