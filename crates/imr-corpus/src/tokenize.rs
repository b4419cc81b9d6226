//! How the corpus cuts text into words.
//!
//! Like tantivy's simple tokenizer (runs of letters and digits), and also where digits meet
//! letters: "10/325mg" gives "10", "325", "mg", so a search for `10/325` finds a letter that
//! wrote "10/325mg", and `325 mg` finds "325mg". The prose fields stem English on top of it.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The tokenizer names the schema uses, registered on every index this crate opens.
pub const PROSE: &str = "imr_prose";
pub const WORDS: &str = "imr_words";

/// Registers the corpus's tokenizers on `index`.
pub fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(
        PROSE,
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
    manager.register(
        WORDS,
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build(),
    );
}

#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordStream<'a> {
    text: &'a str,
    at: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

/// Letters and digits are the two kinds of word character; anything else separates words.
fn kind(c: char) -> Option<bool> {
    if c.is_numeric() {
        Some(true)
    } else if c.is_alphanumeric() {
        Some(false)
    } else {
        None
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let rest = &self.text[self.at..];
        let Some((start, first)) = rest.char_indices().find(|(_, c)| kind(*c).is_some()) else {
            self.at = self.text.len();
            return false;
        };
        let digits = kind(first);
        let len = rest[start..]
            .char_indices()
            .find(|(_, c)| kind(*c) != digits)
            .map_or(rest.len() - start, |(i, _)| i);
        let from = self.at + start;
        let to = from + len;
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.push_str(&self.text[from..to]);
        self.at = to;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn digits_and_letters_are_separate_words() {
        let got: Vec<String> = words("Norco 10/325mg #60, O'Brien's")
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(got, ["Norco", "10", "325", "mg", "60", "O", "Brien", "s"]);
    }

    #[test]
    fn offsets_point_at_the_words_in_any_script() {
        for (word, from, to) in words("é1 – ß2x") {
            assert_eq!(&"é1 – ß2x"[from..to], word);
        }
        assert!(words("  ,;  ").is_empty());
    }
}
