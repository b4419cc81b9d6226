//! Disputed requests read into service, quantity, drug (owned by the clinical-facts work).
