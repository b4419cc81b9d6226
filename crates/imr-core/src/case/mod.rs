//! Cases: intake, eligibility, assignment, the statutory clock (owned by the case work).
