//! PDF letter output (owned by the letter-writer work).
