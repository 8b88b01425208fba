//! Tries ways of ranking vocabulary words on the dev half of eval/suggest.jsonl (never the test
//! half). cargo run -p thaw-embed --example suggest_lab --release

#![allow(clippy::type_complexity)] // A throwaway comparison of scoring closures.

use thaw_embed::eval::suggest_cases;
use thaw_embed::{Embedding, Model, cosine, sentences};

fn main() {
    let model = Model::find_and_load(None).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let vocab = thaw_core::vocab::vocabulary();
    let emotions = vocab.emotions();
    let words: Vec<String> = emotions.iter().map(|e| e.word.clone()).collect();
    let embed = |texts: Vec<String>| -> Vec<Embedding> {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        model.embed(&refs).expect("embeds")
    };
    let a = embed(emotions.iter().map(|e| format!("I feel {}. {}", e.word, e.meaning)).collect());
    let b = embed(emotions.iter().map(|e| format!("I feel {}.", e.word)).collect());
    let c = embed(
        emotions
            .iter()
            .map(|e| {
                let mut w = vec![e.word.clone()];
                w.extend(e.synonyms.iter().cloned());
                format!("I feel {}. {}", w.join(", "), e.meaning)
            })
            .collect(),
    );
    let m = embed(emotions.iter().map(|e| e.meaning.clone()).collect());
    // Reference texts for hubness: the exemplar sentences (not the eval set).
    let ex = thaw_embed::safety::exemplars();
    let refs: Vec<String> = ex.risk.iter().chain(ex.benign.iter()).map(|(_, s)| s.clone()).collect();
    let r = embed(refs);
    let hub = |set: &[Embedding]| -> Vec<f32> {
        set.iter()
            .map(|w| {
                let mut sims: Vec<f32> = r.iter().map(|x| cosine(w, x)).collect();
                sims.sort_by(|x, y| y.total_cmp(x));
                sims[..10].iter().sum::<f32>() / 10.0
            })
            .collect()
    };
    let hub_a = hub(&a);
    let hub_c = hub(&c);
    let cases = suggest_cases("dev");
    let texts: Vec<(Embedding, Vec<Embedding>)> = cases
        .iter()
        .map(|cs| {
            let parts = sentences::split(&cs.text);
            (model.embed_one(&cs.text).expect("embeds"), model.embed(&parts).expect("embeds"))
        })
        .collect();
    let rate = |score: &dyn Fn(usize, &(Embedding, Vec<Embedding>)) -> f32| -> f64 {
        let mut hits = 0;
        for (cs, t) in cases.iter().zip(&texts) {
            let mut s: Vec<(usize, f32)> = (0..words.len()).map(|i| (i, score(i, t))).collect();
            s.sort_by(|x, y| y.1.total_cmp(&x.1));
            if s[..5].iter().any(|(i, _)| cs.words.contains(&words[*i])) {
                hits += 1;
            }
        }
        hits as f64 / cases.len() as f64 * 100.0
    };
    println!("A word+meaning      {:.1}", rate(&|i, t| cosine(&t.0, &a[i])));
    println!("B word only         {:.1}", rate(&|i, t| cosine(&t.0, &b[i])));
    println!("C word+syn+meaning  {:.1}", rate(&|i, t| cosine(&t.0, &c[i])));
    println!("M meaning only      {:.1}", rate(&|i, t| cosine(&t.0, &m[i])));
    println!("A+B                 {:.1}", rate(&|i, t| cosine(&t.0, &a[i]) + cosine(&t.0, &b[i])));
    println!(
        "A+B+M               {:.1}",
        rate(&|i, t| cosine(&t.0, &a[i]) + cosine(&t.0, &b[i]) + cosine(&t.0, &m[i]))
    );
    println!("C+B                 {:.1}", rate(&|i, t| cosine(&t.0, &c[i]) + cosine(&t.0, &b[i])));
    let ex_file: toml::Table =
        toml::from_str(include_str!("../../../content/emotion_examples.toml")).expect("toml");
    let ex_tab = ex_file["examples"].as_table().expect("table");
    let mut owner = Vec::new();
    let mut ex_texts = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for t in ex_tab.get(w).and_then(|v| v.as_array()).into_iter().flatten() {
            owner.push(i);
            ex_texts.push(t.as_str().unwrap_or_default().to_owned());
        }
    }
    let e = embed(ex_texts);
    let best_ex = |i: usize, t: &(Embedding, Vec<Embedding>)| -> f32 {
        owner.iter().zip(&e).filter(|(o, _)| **o == i).map(|(_, v)| cosine(&t.0, v)).fold(-1.0, f32::max)
    };
    println!("E examples only     {:.1}", rate(&|i, t| best_ex(i, t)));
    println!("A+E                 {:.1}", rate(&|i, t| cosine(&t.0, &a[i]) + best_ex(i, t)));
    println!("max(A,E)            {:.1}", rate(&|i, t| cosine(&t.0, &a[i]).max(best_ex(i, t))));
    println!(
        "A+B+M+E             {:.1}",
        rate(&|i, t| cosine(&t.0, &a[i]) + cosine(&t.0, &b[i]) + cosine(&t.0, &m[i]) + best_ex(i, t))
    );
    println!("A+2E                {:.1}", rate(&|i, t| cosine(&t.0, &a[i]) + 2.0 * best_ex(i, t)));
    println!(
        "A+M+2E              {:.1}",
        rate(&|i, t| cosine(&t.0, &a[i]) + cosine(&t.0, &m[i]) + 2.0 * best_ex(i, t))
    );
    let val: Vec<f32> = emotions.iter().map(|e| e.valence as f32).collect();
    let en: Vec<f32> = emotions.iter().map(|e| e.energy as f32).collect();
    let abm = |i: usize, t: &(Embedding, Vec<Embedding>)| cosine(&t.0, &a[i]) + best_ex(i, t);
    let base_a = |i: usize, t: &(Embedding, Vec<Embedding>)| cosine(&t.0, &a[i]);
    for (name, base) in [("A", &base_a as &dyn Fn(usize, &(Embedding, Vec<Embedding>)) -> f32), ("ABM", &abm)]
    {
        for k in [5usize, 10, 20] {
            for beta in [0.05f32, 0.1, 0.2, 0.3] {
                for gamma in [0.0f32, 0.05] {
                    let r = rate(&|i, t| {
                        let mut s: Vec<(usize, f32)> = (0..words.len()).map(|j| (j, base(j, t))).collect();
                        s.sort_by(|x, y| y.1.total_cmp(&x.1));
                        let top = &s[..k];
                        let vt = top.iter().map(|(j, _)| val[*j]).sum::<f32>() / k as f32;
                        let et = top.iter().map(|(j, _)| en[*j]).sum::<f32>() / k as f32;
                        let scale = if name == "ABM" { 2.0 } else { 1.0 };
                        base(i, t) - scale * (beta * (vt - val[i]).abs() + gamma * (et - en[i]).abs())
                    });
                    println!("{name} valence k {k} beta {beta} gamma {gamma}: {r:.1}");
                }
            }
        }
    }
    for alpha in [0.25f32, 0.5, 0.75, 1.0] {
        println!("A - {alpha} hub          {:.1}", rate(&|i, t| cosine(&t.0, &a[i]) - alpha * hub_a[i]));
        println!("C - {alpha} hub          {:.1}", rate(&|i, t| cosine(&t.0, &c[i]) - alpha * hub_c[i]));
    }
}
