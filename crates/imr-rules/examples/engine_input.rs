//! Prints what the engine sees of a letter: each request as read and the facts behind it.
//! `cargo run -p imr-rules --example engine_input -- LETTER.txt`

#![allow(clippy::disallowed_methods)] // an example program at the edge: it reads its file

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: engine_input LETTER.txt");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(1);
        }
    };
    let letter = imr_letter::read_letter(&text);
    let guidelines = match imr_rules::guidelines::Guidelines::embedded() {
        Ok(guidelines) => guidelines,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let case = imr_rules::engine::adapt::from_letter(&letter, &guidelines.thresholds);
    for item in &case.items {
        println!(
            "{} | {:?} quantity={:?} prior={:?} weeks={:?} regions={:?}",
            item.request,
            item.service,
            item.quantity,
            item.prior_visits,
            item.weeks_since_injury,
            item.body_regions
        );
        for f in &item.facts {
            println!("    {} {:?} {:?}", f.name, f.polarity, f.text);
        }
    }
}
