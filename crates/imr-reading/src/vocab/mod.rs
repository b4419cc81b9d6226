//! The shared clinical vocabulary under both the fact extraction ([`crate::extract`]) and the
//! request reading ([`crate::request`]): body regions and sides, number words, the drug
//! dictionary and the closed list of service categories. Both read with it, and neither reads
//! the other's internals, so the two modules no longer import each other in a circle.

pub mod anatomy;
pub(crate) mod drugs;
pub(crate) mod numbers;
pub mod service;

/// A case-insensitive, leftmost-longest automaton over a static dictionary of phrases. A full
/// DFA: the dictionaries are small and searched over every byte of the text.
pub(crate) fn phrase_matcher<P: AsRef<[u8]>>(
    phrases: impl IntoIterator<Item = P>,
) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(phrases)
        .expect("a static dictionary builds")
}

/// True when `bytes[start..end]` is not part of a longer word.
pub(crate) fn is_word_boundary(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
    let after = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
    before && after
}
