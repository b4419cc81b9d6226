//! Which limit a PDF passed: named apart from the measuring (`bounds`) and the clock
//! (`budget`), which both report it.

use std::time::Duration;

use imr_core::text::binary_size;

/// Which limit a PDF passed: the message names it and its value, never the content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitHit {
    #[error("a stream decodes to more than {} (the limit per stream)", binary_size(*limit))]
    Stream { limit: u64 },
    #[error(
        "its streams decode to more than {} in all (the limit per document)",
        binary_size(*limit)
    )]
    Document { limit: u64 },
    #[error(
        "page {page} draws more than {} of instructions, repeated drawings included (the limit per page)",
        binary_size(*limit)
    )]
    Page { page: u32, limit: u64 },
    #[error("it has more than {limit} objects (the limit per document)")]
    Objects { limit: u64 },
    #[error("its drawings are nested more than {limit} deep (the nesting limit)")]
    Nesting { limit: usize },
    #[error("page {page} hangs more than {limit} levels down the page tree (the depth limit)")]
    TreeDepth { page: u32, limit: usize },
    #[error("a drawing draws itself (a cycle of Form XObjects)")]
    Cycle,
    #[error("it would take more than {:.1} s of CPU time to read (the limit per document)", .limit.as_secs_f64())]
    Time { limit: Duration },
}
