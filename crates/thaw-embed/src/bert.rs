//! The BERT encoder of all-MiniLM-L6-v2 on candle's CPU tensors: embeddings, then six layers of
//! self-attention and a feed-forward block, each followed by a residual LayerNorm (the layout of
//! Hugging Face's `BertModel`, whose weight names the safetensors file uses).

use candle_core::{D, DType, Device, Module, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder, embedding, layer_norm, linear};
use serde::Deserialize;

/// The fields of `config.json` the encoder needs.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    #[serde(default = "gelu")]
    pub hidden_act: String,
}

fn gelu() -> String {
    "gelu".to_owned()
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    out_norm: LayerNorm,
}

pub(crate) struct Bert {
    words: Embedding,
    positions: Embedding,
    types: Embedding,
    norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    head_dim: usize,
}

impl Bert {
    pub fn load(vb: &VarBuilder, cfg: &Config) -> candle_core::Result<Bert> {
        let h = cfg.hidden_size;
        let eps = cfg.layer_norm_eps;
        let e = vb.pp("embeddings");
        let mut layers = Vec::with_capacity(cfg.num_hidden_layers);
        for i in 0..cfg.num_hidden_layers {
            let l = vb.pp(format!("encoder.layer.{i}"));
            layers.push(Layer {
                query: linear(h, h, l.pp("attention.self.query"))?,
                key: linear(h, h, l.pp("attention.self.key"))?,
                value: linear(h, h, l.pp("attention.self.value"))?,
                attn_out: linear(h, h, l.pp("attention.output.dense"))?,
                attn_norm: layer_norm(h, eps, l.pp("attention.output.LayerNorm"))?,
                intermediate: linear(h, cfg.intermediate_size, l.pp("intermediate.dense"))?,
                output: linear(cfg.intermediate_size, h, l.pp("output.dense"))?,
                out_norm: layer_norm(h, eps, l.pp("output.LayerNorm"))?,
            });
        }
        Ok(Bert {
            words: embedding(cfg.vocab_size, h, e.pp("word_embeddings"))?,
            positions: embedding(cfg.max_position_embeddings, h, e.pp("position_embeddings"))?,
            types: embedding(cfg.type_vocab_size, h, e.pp("token_type_embeddings"))?,
            norm: layer_norm(h, eps, e.pp("LayerNorm"))?,
            layers,
            heads: cfg.num_attention_heads,
            head_dim: h / cfg.num_attention_heads,
        })
    }

    /// Hidden states `[batch, len, hidden]` for token ids `[batch, len]` (u32) and an attention
    /// mask `[batch, len]` (f32, 1 for a real token, 0 for padding).
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        self.forward_seeing(ids, mask, |_, _| Ok(()))
    }

    /// The hidden states after the embeddings and after each layer, in order (the last is
    /// [`Bert::forward`]'s): for the experiment in examples/layers.rs.
    pub fn forward_layers(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Vec<Tensor>> {
        let mut kept = Vec::new();
        let last = self.forward_seeing(ids, mask, |_, h| {
            kept.push(h.clone());
            Ok(())
        })?;
        kept.push(last);
        Ok(kept)
    }

    /// [`Bert::forward`], showing `seen` the states after the embeddings (0) and after each layer
    /// but the last (1, 2, …) as they are made, so none has to be kept.
    pub fn forward_seeing(
        &self,
        ids: &Tensor,
        mask: &Tensor,
        mut seen: impl FnMut(usize, &Tensor) -> candle_core::Result<()>,
    ) -> candle_core::Result<Tensor> {
        let (batch, len) = ids.dims2()?;
        let dev = ids.device();
        let positions = Tensor::arange(0u32, len as u32, dev)?.unsqueeze(0)?;
        let types = Tensor::zeros((batch, len), DType::U32, dev)?;
        let x = self
            .words
            .forward(ids)?
            .broadcast_add(&self.positions.forward(&positions)?)?
            .add(&self.types.forward(&types)?)?;
        let mut x = self.norm.forward(&x)?;
        // Padding gets a large negative score so softmax gives it no weight.
        let bias = ((mask.ones_like()? - mask)? * -10_000.0)?.reshape((batch, 1, 1, len))?;
        for (i, layer) in self.layers.iter().enumerate() {
            seen(i, &x)?;
            x = self.layer(layer, &x, &bias)?;
        }
        Ok(x)
    }

    fn layer(&self, l: &Layer, x: &Tensor, bias: &Tensor) -> candle_core::Result<Tensor> {
        let (batch, len, hidden) = x.dims3()?;
        let split = |t: Tensor| -> candle_core::Result<Tensor> {
            t.reshape((batch, len, self.heads, self.head_dim))?.transpose(1, 2)?.contiguous()
        };
        let q = split(l.query.forward(x)?)?;
        let k = split(l.key.forward(x)?)?;
        let v = split(l.value.forward(x)?)?;
        let scale = 1.0 / (self.head_dim as f64).sqrt();
        let scores = (q.matmul(&k.t()?)? * scale)?.broadcast_add(bias)?;
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let ctx = probs.matmul(&v)?.transpose(1, 2)?.reshape((batch, len, hidden))?;
        let attended = l.attn_norm.forward(&(l.attn_out.forward(&ctx)? + x)?)?;
        let inner = l.intermediate.forward(&attended)?.gelu_erf()?;
        l.out_norm.forward(&(l.output.forward(&inner)? + attended)?)
    }
}

/// Mean of the hidden states over real tokens, then scaled to length 1: `[batch, hidden]`.
pub(crate) fn mean_pool_normalised(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let m = mask.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&m)?.sum(1)?;
    let counts = m.sum(1)?.clamp(1e-9, f64::MAX)?;
    let mean = summed.broadcast_div(&counts)?;
    let norm = mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    mean.broadcast_div(&norm)
}

/// Max over real tokens, scaled to length 1: `[batch, hidden]` (examples/layers.rs).
pub(crate) fn max_pool_normalised(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let m = mask.unsqueeze(2)?;
    let shifted = hidden.broadcast_add(&((m.ones_like()? - &m)? * -1e4)?)?;
    let mx = shifted.max(1)?;
    let norm = mx.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    mx.broadcast_div(&norm)
}

/// [`mean_pool_normalised`] in plain code, one row per sequence (`lens`: each one's real tokens,
/// which come first): for the earlier layers, where five more tensor pipelines cost more than the
/// sums themselves.
pub(crate) fn mean_pool_rows(hidden: &Tensor, lens: &[usize]) -> candle_core::Result<Vec<Vec<f32>>> {
    let (batch, len, dim) = hidden.dims3()?;
    let flat = hidden.flatten_all()?.to_vec1::<f32>()?;
    Ok((0..batch)
        .map(|b| {
            let mut sum = vec![0f32; dim];
            for t in 0..lens.get(b).copied().unwrap_or(0).min(len) {
                let at = (b * len + t) * dim;
                for (s, v) in sum.iter_mut().zip(&flat[at..at + dim]) {
                    *s += v;
                }
            }
            let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            sum.iter_mut().for_each(|v| *v /= norm);
            sum
        })
        .collect())
}

pub(crate) fn cpu() -> Device {
    Device::Cpu
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_by_hand_matches_the_tensor_pooling() {
        let (batch, len, dim) = (3, 5, 8);
        let values: Vec<f32> = (0..batch * len * dim).map(|i| ((i * 37) % 19) as f32 / 7.0 - 1.0).collect();
        let hidden = Tensor::from_vec(values, (batch, len, dim), &cpu()).expect("a tensor");
        let lens = [5usize, 2, 1];
        let mask: Vec<f32> =
            lens.iter().flat_map(|&l| (0..len).map(move |t| if t < l { 1.0 } else { 0.0 })).collect();
        let mask = Tensor::from_vec(mask, (batch, len), &cpu()).expect("a mask");
        let want = mean_pool_normalised(&hidden, &mask).and_then(|t| t.to_vec2::<f32>()).expect("pools");
        let got = mean_pool_rows(&hidden, &lens).expect("pools");
        for (w, g) in want.iter().zip(&got) {
            for (a, b) in w.iter().zip(g) {
                assert!((a - b).abs() < 1e-5, "{a} {b}");
            }
        }
    }
}
