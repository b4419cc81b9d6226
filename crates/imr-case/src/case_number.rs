//! Case numbers in the letters' form: `CM` + two-digit year + `-` + seven digits (`CM16-0213037`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A case number. The seven digits come from one sequence in the store, so a number is unique
/// across years and never reused, even when the case that took it was never saved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber(String);

/// The largest sequence number the seven digits can hold.
pub const MAX_SEQUENCE: u64 = 9_999_999;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseNumberError {
    #[error("{0:?} is not a case number: expected CMyy-nnnnnnn, e.g. CM26-0000042")]
    Malformed(String),
    #[error("case number sequence {0} does not fit in seven digits")]
    Exhausted(u64),
    #[error("year {0} cannot be written as a two-digit case number year")]
    BadYear(i16),
}

impl CaseNumber {
    /// The number for sequence value `sequence` allocated in `year`.
    pub fn new(year: i16, sequence: u64) -> Result<CaseNumber, CaseNumberError> {
        if !(2000..=2099).contains(&year) {
            return Err(CaseNumberError::BadYear(year));
        }
        if sequence == 0 || sequence > MAX_SEQUENCE {
            return Err(CaseNumberError::Exhausted(sequence));
        }
        Ok(CaseNumber(format!("CM{:02}-{:07}", year % 100, sequence)))
    }

    pub fn parse(text: &str) -> Result<CaseNumber, CaseNumberError> {
        let t = text.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let ok = b.len() == 12
            && t.starts_with("CM")
            && b[2].is_ascii_digit()
            && b[3].is_ascii_digit()
            && b[4] == b'-'
            && b[5..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(CaseNumber(t))
        } else {
            Err(CaseNumberError::Malformed(text.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The seven-digit sequence part.
    pub fn sequence(&self) -> u64 {
        self.0[5..].parse().unwrap_or(0)
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CaseNumber {
    type Err = CaseNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseNumber::parse(s)
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = CaseNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CaseNumber::parse(&s)
    }
}

impl From<CaseNumber> for String {
    fn from(n: CaseNumber) -> String {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_letters() {
        let n = CaseNumber::new(2016, 213037).expect("valid");
        assert_eq!(n.as_str(), "CM16-0213037");
        assert_eq!(n.sequence(), 213037);
        assert_eq!(CaseNumber::parse("cm16-0213037"), Ok(n));
    }

    #[test]
    fn refuses_what_is_not_a_case_number() {
        for bad in [
            "",
            "CM16-021303",
            "CM16-02130377",
            "XX16-0213037",
            "CM1x-0213037",
            "CM16 0213037",
        ] {
            assert!(CaseNumber::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(CaseNumber::new(2026, 0).is_err());
        assert!(CaseNumber::new(2026, MAX_SEQUENCE + 1).is_err());
        assert!(CaseNumber::new(1999, 1).is_err());
    }
}
