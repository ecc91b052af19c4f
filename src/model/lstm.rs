//! The LSTM written to be read: its parameters in gate blocks f, g, i, o, its step forward and its step backward, line by line.
//!
//! Column vectors, so every matrix is the transpose of Deep Learning from Scratch 2's
//! (`common/time_layers.py`), and the blocks are stacked in that book's order, f, g, i, o:
//!
//! ```text
//! forward    A = Wx x_t + Wh h_{t-1} + b               (4H: the blocks f, g, i, o)
//!            f = σ(A_f)   g = tanh(A_g)   i = σ(A_i)   o = σ(A_o)
//!            c_t = f ⊙ c_{t-1} + g ⊙ i                 h_t = o ⊙ tanh(c_t)
//! backward   ds = dc_t + dh_t ⊙ o ⊙ (1 − tanh²(c_t))   dc_{t-1} = ds ⊙ f
//!            dA_f = ds ⊙ c_{t-1} ⊙ f (1 − f)           dA_g = ds ⊙ i ⊙ (1 − g²)
//!            dA_i = ds ⊙ g ⊙ i (1 − i)                 dA_o = dh_t ⊙ tanh(c_t) ⊙ o (1 − o)
//!            dWx += dA x_tᵀ   dWh += dA h_{t-1}ᵀ   db += dA   dh_{t-1} = Whᵀ dA
//! ```
//!
//! σ(a) = 1 / (1 + e^(−a)) is computed as (1 + tanh(a/2)) / 2 with the project's tanh, so that
//! every target computes the same bits. The forget block of b starts at +keep bias, so a new
//! cell keeps most of c; the output layer (Wy, by) is the plain RNN's.

use nalgebra::{DMatrix, DVector};

use super::cell::{Cell, State};
use super::params::{ParamSpec, Params, Start};
use super::rnn;
use super::tanh::tanh;

/// σ(a) = 1 / (1 + e^(−a)) = (1 + tanh(a/2)) / 2.
pub fn sigmoid(a: f64) -> f64 {
    0.5 * (1.0 + tanh(0.5 * a))
}

/// The forget gate's block: the first of f, g, i, o.
const FORGET: usize = 0;

/// The LSTM's parameters, then the output layer's, in the order of the run file and of the
/// weights stream's draws (Wx, Wh, Wy, each row by row over all its blocks).
pub static PARAMS: [ParamSpec; 5] = [
    // Wx, input → the four gates, 4H×D.
    ParamSpec::input_weights(4),
    // Wh, hidden → the four gates, 4H×H.
    ParamSpec::recurrent_weights(4),
    // b, the gates' biases, 4H: the forget block at +keep bias.
    ParamSpec::bias(4, Start::KeepBias { block: FORGET, negative: false }),
    rnn::PARAMS[3], // Wy, O×H
    rnn::PARAMS[4], // by, O
];

/// The LSTM as a [`Cell`]: its state is h and c.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lstm;

/// The four gates of one step, H each.
struct Gates {
    f: DVector<f64>,
    g: DVector<f64>,
    i: DVector<f64>,
    o: DVector<f64>,
}

/// The gates from x_t (D) and h_{t-1} (H), and the pre-activation A (4H) they come from.
fn gates(p: &Params, x_t: &DVector<f64>, h_prev: &DVector<f64>) -> (DVector<f64>, Gates) {
    let [wx, wh, b, ..] = p.as_array::<5>();
    let h = h_prev.len();
    let a = wx * x_t + wh * h_prev + b; //                        A = Wx x_t + Wh h_{t-1} + b
    let block = |k: usize| a.rows(k * h, h).into_owned();
    let gates = Gates {
        f: block(0).map(sigmoid), //                              f = σ(A_f)
        g: block(1).map(tanh),    //                              g = tanh(A_g)
        i: block(2).map(sigmoid), //                              i = σ(A_i)
        o: block(3).map(sigmoid), //                              o = σ(A_o)
    };
    (a, gates)
}

impl Cell for Lstm {
    fn params(&self) -> &'static [ParamSpec] {
        &PARAMS
    }

    fn blocks(&self) -> &'static [&'static str] {
        &["f", "g", "i", "o"]
    }

    /// Wh's g block (H×H): the recurrent matrix of the cell state's candidate.
    fn recurrent(&self, p: &Params) -> DMatrix<f64> {
        let [_, wh, ..] = p.as_array::<5>();
        let h = wh.ncols();
        wh.rows(h, h).into_owned()
    }

    fn twin_weight(&self) -> (usize, usize, usize) {
        (1, 0, 0) // Wh[0, 0]: the first block's (f) first recurrent weight
    }

    fn initial_state(&self, h0: &DVector<f64>) -> State {
        State { h: h0.clone(), c: DVector::zeros(h0.len()) }
    }

    fn step(&self, p: &Params, x_t: &DVector<f64>, prev: &State) -> (DVector<f64>, State) {
        let (a, Gates { f, g, i, o }) = gates(p, x_t, &prev.h);
        let c = f.component_mul(&prev.c) + g.component_mul(&i); //  c_t = f ⊙ c_{t-1} + g ⊙ i
        let h = o.component_mul(&c.map(tanh)); //                   h_t = o ⊙ tanh(c_t)
        (a, State { h, c })
    }

    fn step_backward(
        &self,
        p: &Params,
        (x_t, prev, now): (&DVector<f64>, &State, &State),
        d: &State,
        g: &mut Params,
    ) -> State {
        let (_, Gates { f, g: g_gate, i, o }) = gates(p, x_t, &prev.h);
        let tanh_c = now.c.map(tanh);
        let one_minus_sq = tanh_c.map(|t| 1.0 - t * t);
        let ds = &d.c + d.h.component_mul(&o).component_mul(&one_minus_sq); // ds = dc_t + dh_t ⊙ o ⊙ (1 − tanh²(c_t))
        let dc_prev = ds.component_mul(&f); //                            dc_{t-1} = ds ⊙ f
        let sig = |v: &DVector<f64>| v.map(|s| s * (1.0 - s)); //         σ′ = σ (1 − σ)
        let da_f = ds.component_mul(&prev.c).component_mul(&sig(&f)); // dA_f = ds ⊙ c_{t-1} ⊙ f (1 − f)
        let da_g = ds.component_mul(&i).component_mul(&g_gate.map(|v| 1.0 - v * v)); // dA_g = ds ⊙ i ⊙ (1 − g²)
        let da_i = ds.component_mul(&g_gate).component_mul(&sig(&i)); // dA_i = ds ⊙ g ⊙ i (1 − i)
        let da_o = d.h.component_mul(&tanh_c).component_mul(&sig(&o)); // dA_o = dh_t ⊙ tanh(c_t) ⊙ o (1 − o)
        let da = DVector::from_iterator(4 * f.len(), [da_f, da_g, da_i, da_o].iter().flat_map(|v| v.iter().copied()));
        let [_, wh, ..] = p.as_array::<5>();
        let dh_prev = wh.transpose() * &da; //                           dh_{t-1} = Whᵀ dA
        let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
        *dwx += &da * x_t.transpose(); //                                dWx += dA x_tᵀ
        *dwh += &da * prev.h.transpose(); //                             dWh += dA h_{t-1}ᵀ
        *db += &da; //                                                   db += dA
        State { h: dh_prev, c: dc_prev }
    }

    /// The three terms of unit `i`'s forget-gate pre-activation: (Wx x_t)_i, (Wh h_{t-1})_i, b_i.
    fn forward_terms(&self, p: &Params, x_t: &[f64], h_prev: &[f64], i: usize) -> Vec<f64> {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let dot = |w: &DMatrix<f64>, v: &[f64]| -> f64 { w.row(i).iter().zip(v).map(|(w, v)| w * v).sum() };
        vec![dot(wx, x_t), dot(wh, h_prev), b[i]]
    }
}
