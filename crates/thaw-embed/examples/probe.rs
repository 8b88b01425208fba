//! Embeds a few sentences and prints their similarities: a quick look that the model works.
//! cargo run -p thaw-embed --example probe --release

use thaw_embed::{Model, cosine};

fn main() {
    let started = std::time::Instant::now();
    let model = match Model::find_and_load(None) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!("loaded from {} in {:?}", model.dir().display(), started.elapsed());
    let texts = ["I feel numb and I cannot cry.", "I feel emotionally flat and empty.", "The train leaves at noon."];
    let t = std::time::Instant::now();
    let e = model.embed(&texts).expect("embeds");
    println!("3 sentences in {:?}", t.elapsed());
    println!("tokens: {:?}", model.tokenizer().tokenize(texts[0]));
    println!("cos(0,1) = {:.4}  cos(0,2) = {:.4}", cosine(&e[0], &e[1]), cosine(&e[0], &e[2]));
    println!("first values: {:?}", &e[0][..5]);
}
