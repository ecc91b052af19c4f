//! The GRU written to be read: its parameters in gate blocks z, r, h̃, its step forward and its step backward, line by line.
//!
//! Column vectors (every matrix is the transpose of Deep Learning from Scratch 2's), blocks in
//! the order z, r, h̃, and the equations as DL2 writes them: the reset gate applies to h_{t-1}
//! before the product, as in Cho et al. (2014), and z weights the new candidate. Cho et al. and
//! PyTorch let z weight the old state instead (z and 1 − z swapped), and PyTorch also applies r
//! after the product Wh_h h_{t-1}.
//!
//! ```text
//! forward    z = σ(Wx_z x_t + Wh_z h_{t-1} + b_z)      r = σ(Wx_r x_t + Wh_r h_{t-1} + b_r)
//!            h̃ = tanh(Wx_h x_t + Wh_h (r ⊙ h_{t-1}) + b_h)
//!            h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃
//! backward   dh̃ = dh_t ⊙ z      dz = dh_t ⊙ (h̃ − h_{t-1})      dh_{t-1} = dh_t ⊙ (1 − z)
//!            dA_h = dh̃ ⊙ (1 − h̃²)   d(r ⊙ h_{t-1}) = Wh_hᵀ dA_h
//!            dr = d(r ⊙ h_{t-1}) ⊙ h_{t-1}      dh_{t-1} += d(r ⊙ h_{t-1}) ⊙ r
//!            dA_z = dz ⊙ z (1 − z)   dA_r = dr ⊙ r (1 − r)
//!            dWx += dA x_tᵀ   dWh_z,r += dA_z,r h_{t-1}ᵀ   dWh_h += dA_h (r ⊙ h_{t-1})ᵀ   db += dA
//!            dh_{t-1} += Wh_zᵀ dA_z + Wh_rᵀ dA_r
//! ```
//!
//! The update block of b starts at −keep bias, so a new cell keeps most of h.

use nalgebra::{DMatrix, DVector};

use super::cell::{Cell, State};
use super::lstm::sigmoid;
use super::params::{ParamSpec, Params, Start};
use super::rnn;
use super::tanh::tanh;

/// The update gate's block: the first of z, r, h̃.
const UPDATE: usize = 0;

/// The GRU's parameters, then the output layer's, in the order of the run file and of the
/// weights stream's draws (Wx, Wh, Wy, each row by row over all its blocks).
pub static PARAMS: [ParamSpec; 5] = [
    // Wx, input → z, r, h̃, 3H×D.
    ParamSpec::input_weights(3),
    // Wh, hidden → z, r, h̃, 3H×H.
    ParamSpec::recurrent_weights(3),
    // b, the biases of z, r, h̃, 3H: the update block at −keep bias.
    ParamSpec::bias(3, Start::KeepBias { block: UPDATE, negative: true }),
    rnn::PARAMS[3], // Wy, O×H
    rnn::PARAMS[4], // by, O
];

/// The GRU as a [`Cell`]: its state is h alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gru;

/// One step's gates and candidate (H each), and r ⊙ h_{t-1}, which the candidate reads.
struct Step {
    z: DVector<f64>,
    r: DVector<f64>,
    h_hat: DVector<f64>,
    r_h: DVector<f64>,
}

/// Block `k` of a parameter's rows (H of them).
fn block(m: &DMatrix<f64>, k: usize, h: usize) -> DMatrix<f64> {
    m.rows(k * h, h).into_owned()
}

/// z, r and h̃ from x_t (D) and h_{t-1} (H), and the pre-activations (3H) they come from.
fn forward(p: &Params, x_t: &DVector<f64>, h_prev: &DVector<f64>) -> (DVector<f64>, Step) {
    let [wx, wh, b, ..] = p.as_array::<5>();
    let h = h_prev.len();
    let input = wx * x_t + b; //                                  Wx x_t + b, all three blocks
    let part = |k: usize| input.rows(k * h, h).into_owned();
    let a_z = part(0) + block(wh, 0, h) * h_prev; //              Wx_z x_t + Wh_z h_{t-1} + b_z
    let a_r = part(1) + block(wh, 1, h) * h_prev; //              Wx_r x_t + Wh_r h_{t-1} + b_r
    let z = a_z.map(sigmoid); //                                  z = σ(…)
    let r = a_r.map(sigmoid); //                                  r = σ(…)
    let r_h = r.component_mul(h_prev); //                         r ⊙ h_{t-1}
    let a_h = part(2) + block(wh, 2, h) * &r_h; //                Wx_h x_t + Wh_h (r ⊙ h_{t-1}) + b_h
    let h_hat = a_h.map(tanh); //                                 h̃ = tanh(…)
    let a = DVector::from_iterator(3 * h, [&a_z, &a_r, &a_h].iter().flat_map(|v| v.iter().copied()));
    (a, Step { z, r, h_hat, r_h })
}

impl Cell for Gru {
    fn params(&self) -> &'static [ParamSpec] {
        &PARAMS
    }

    fn blocks(&self) -> &'static [&'static str] {
        &["z", "r", "h̃"]
    }

    /// Wh's h̃ block (H×H): the recurrent matrix of the candidate.
    fn recurrent(&self, p: &Params) -> DMatrix<f64> {
        let [_, wh, ..] = p.as_array::<5>();
        block(wh, 2, wh.ncols())
    }

    fn twin_weight(&self) -> (usize, usize, usize) {
        (1, 0, 0) // Wh[0, 0]: the first block's (z) first recurrent weight
    }

    fn step(&self, p: &Params, x_t: &DVector<f64>, prev: &State) -> (DVector<f64>, State) {
        let (a, Step { z, h_hat, .. }) = forward(p, x_t, &prev.h);
        let keep = z.map(|z| 1.0 - z).component_mul(&prev.h); //      (1 − z) ⊙ h_{t-1}
        let h = keep + z.component_mul(&h_hat); //                     h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃
        (a, State::of_h(h))
    }

    fn step_backward(
        &self,
        p: &Params,
        (x_t, prev, _): (&DVector<f64>, &State, &State),
        d: &State,
        g: &mut Params,
    ) -> State {
        let (_, Step { z, r, h_hat, r_h }) = forward(p, x_t, &prev.h);
        let [_, wh, ..] = p.as_array::<5>();
        let h = prev.h.len();
        let dh = &d.h;
        let dh_hat = dh.component_mul(&z); //                            dh̃ = dh_t ⊙ z
        let dz = dh.component_mul(&(&h_hat - &prev.h)); //               dz = dh_t ⊙ (h̃ − h_{t-1})
        let mut dh_prev = dh.component_mul(&z.map(|z| 1.0 - z)); //      dh_{t-1} = dh_t ⊙ (1 − z)
        let da_h = dh_hat.component_mul(&h_hat.map(|v| 1.0 - v * v)); // dA_h = dh̃ ⊙ (1 − h̃²)
        let d_r_h = block(wh, 2, h).transpose() * &da_h; //              d(r ⊙ h_{t-1}) = Wh_hᵀ dA_h
        let dr = d_r_h.component_mul(&prev.h); //                        dr = d(r ⊙ h_{t-1}) ⊙ h_{t-1}
        dh_prev += d_r_h.component_mul(&r); //                           dh_{t-1} += d(r ⊙ h_{t-1}) ⊙ r
        let da_z = dz.component_mul(&z.map(|s| s * (1.0 - s))); //       dA_z = dz ⊙ z (1 − z)
        let da_r = dr.component_mul(&r.map(|s| s * (1.0 - s))); //       dA_r = dr ⊙ r (1 − r)
        let da = DVector::from_iterator(3 * h, [&da_z, &da_r, &da_h].iter().flat_map(|v| v.iter().copied()));
        let da_zr = da.rows(0, 2 * h); //                                [dA_z; dA_r], 2H
        dh_prev += wh.rows(0, 2 * h).transpose() * da_zr; //             dh_{t-1} += Wh_zᵀ dA_z + Wh_rᵀ dA_r, one sum
        let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
        *dwx += &da * x_t.transpose(); //                                dWx += dA x_tᵀ
        for (k, (da_k, read)) in [(&da_z, &prev.h), (&da_r, &prev.h), (&da_h, &r_h)].into_iter().enumerate() {
            let mut rows = dwh.rows_mut(k * h, h);
            rows += da_k * read.transpose(); //                          dWh_k += dA_k (what block k read)ᵀ
        }
        *db += &da; //                                                   db += dA
        State::of_h(dh_prev)
    }

    /// The terms of unit `i`'s update-gate pre-activation: (Wx x_t)_i, (Wh h_{t-1})_i, b_i.
    fn forward_terms(&self, p: &Params, x_t: &[f64], h_prev: &[f64], i: usize) -> Vec<f64> {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let dot = |w: &DMatrix<f64>, v: &[f64]| -> f64 { w.row(i).iter().zip(v).map(|(w, v)| w * v).sum() };
        vec![dot(wx, x_t), dot(wh, h_prev), b[i]]
    }
}
