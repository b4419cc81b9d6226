//! Clinical facts read from free text (owned by the clinical-facts work).
