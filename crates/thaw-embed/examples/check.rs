//! Runs the risk check on each line of standard input and prints what each layer found, with the
//! per-sentence scores: for reviewing exemplars and thresholds by hand.
//! printf 'one sentence\nanother\n' | cargo run -p thaw-embed --example check --release

use std::io::BufRead;

use thaw_embed::SafetyNet;

fn main() {
    let net = SafetyNet::load(None);
    if let Some(why) = net.unavailable() {
        eprintln!("phrase layer only: {why}");
    }
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let check = net.check(&line);
        println!("{} | {line}", if check.is_hit() { "HIT " } else { "    " });
        for h in &check.hits {
            println!("       {:?} {} {:?} {:?}", h.layer, h.kind, h.about, h.score);
        }
        if let Some(sem) = net.semantic()
            && let Ok(scores) = sem.scores(&line)
        {
            for (s, sc) in scores {
                println!(
                    "       risk {:.2} ({}) benign {:.2} ({}) model {} second {} | {s}",
                    sc.risk,
                    sc.risk_kind,
                    sc.benign,
                    sc.benign_kind,
                    sc.prob.map_or("-".to_owned(), |p| format!("{p:.2}")),
                    sc.second.map_or("-".to_owned(), |p| format!("{p:.2}"))
                );
            }
        }
    }
}
