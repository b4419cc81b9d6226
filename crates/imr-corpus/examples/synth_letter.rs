//! Prints synthetic letter N of seed S: `cargo run -p imr-corpus --example synth_letter -- S N`.
fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<u64>().unwrap_or(0));
    let seed = args.next().unwrap_or(1);
    let n = args.next().unwrap_or(0);
    print!("{}", imr_corpus::synth::letter(seed, n).text);
}
