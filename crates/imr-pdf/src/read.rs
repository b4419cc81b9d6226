//! PDF text extraction (owned by the letter-reader work).
