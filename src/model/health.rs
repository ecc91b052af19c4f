//! Signs that training has gone wrong without any NaN: weights running away, tanh saturated, the gradient vanished.
//!
//! tanh bounds the hidden state, so a learning rate far too large rarely produces a NaN: the
//! weights grow without limit while the loss goes flat. These checks name that, and the
//! saturation that makes gradients vanish, in words a learner can act on.

use nalgebra::DMatrix;
use rnn_kernels::products;

use super::cell::AnyCell;
use super::config::Activation;
use super::rnn::{Params, Rnn};

/// A weight this large means the run has run away (SGD overshooting, again and again).
pub const RUNAWAY_WEIGHT: f64 = 1e6;
/// A pre-activation beyond ±this puts tanh at ±1 within 4e-9: its slope, 1 − h², is about 0.
pub const SATURATED_PRE_ACTIVATION: f64 = 10.0;
/// The share of saturated pre-activations from which the network as a whole is saturated.
pub const SATURATED_SHARE: f64 = 0.9;
/// Below this fraction of ‖∂L/∂h_T‖, the gradient that reaches h_1 has vanished: the first
/// steps' inputs hardly move the weights.
pub const VANISHED_BELOW: f64 = 1e-6;

/// The largest weight in absolute value, if it is beyond [`RUNAWAY_WEIGHT`]: the parameter's
/// symbol ("Wx", as the list names it) and the weight.
pub fn runaway(p: &Params) -> Option<(&'static str, f64)> {
    let largest = |m: &[f64]| m.iter().copied().fold(0.0f64, |acc, w| if w.abs() > acc.abs() { w } else { acc });
    let mut worst: Option<(&'static str, f64)> = None;
    for (spec, m) in p.iter() {
        let w = largest(m.as_slice());
        // The last of equally large ones, as `max_by` would pick.
        if w.abs() > RUNAWAY_WEIGHT && worst.is_none_or(|(_, v)| w.abs() >= v.abs()) {
            worst = Some((spec.symbol, w));
        }
    }
    worst
}

/// The share of pre-activations a_t (H×T, of the columns `filled` so far) with |a| >
/// [`SATURATED_PRE_ACTIVATION`]; 0 when nothing has been computed.
pub fn saturated_share(pre: &DMatrix<f64>, filled: usize) -> f64 {
    let values = &pre.as_slice()[..pre.nrows() * filled.min(pre.ncols())];
    if values.is_empty() {
        return 0.0;
    }
    let saturated = values.iter().filter(|a| a.abs() > SATURATED_PRE_ACTIVATION).count();
    saturated as f64 / values.len() as f64
}

/// Whether the last forward pass was saturated: at least [`SATURATED_SHARE`] of its |a| > 10.
pub fn is_saturated(pre: &DMatrix<f64>, filled: usize) -> bool {
    saturated_share(pre, filled) >= SATURATED_SHARE
}

/// ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ from a backward pass's norms ‖∂L/∂h_t‖ (t = 1 … T), when it is below
/// [`VANISHED_BELOW`]: the pass went all the way back to h_1 (T > 1, not truncated: a NaN
/// marks a step it did not reach) and the gradient faded on the way.
pub fn vanished(dh_norms: &[f64]) -> Option<f64> {
    let (&first, &last) = (dh_norms.first()?, dh_norms.last()?);
    let ratio = first / last;
    (dh_norms.len() > 1 && last > 0.0 && last.is_finite() && ratio < VANISHED_BELOW).then_some(ratio)
}

/// The loss the blog's task can never go below: tanh keeps every h in (−1, 1), so a target
/// with |y_i| > 1 leaves at least (|y_i| − 1)² on its unit. `(1/H) Σ_i max(|y_i| − 1, 0)²`.
pub fn loss_floor(y: &[f64]) -> f64 {
    y.iter().map(|v| (v.abs() - 1.0).max(0.0).powi(2)).sum::<f64>() / y.len().max(1) as f64
}

/// [`loss_floor`] for the state `cell` can reach: tanh, the LSTM (h = o ⊙ tanh(c)) and the GRU
/// (h a blend of h_{t-1} and tanh(…), from h_0 in (−1, 1)) keep h in (−1, 1), so the same
/// floor; ReLU keeps h ≥ 0, so a negative target leaves its square, `(1/H) Σ_i min(y_i, 0)²`;
/// with no activation h reaches anything, so 0. (A carried state from outside (−1, 1) could
/// start a GRU beyond it; the floor is of what its steps can reach from within.)
pub fn loss_floor_of(cell: &AnyCell, y: &[f64]) -> f64 {
    match cell {
        AnyCell::Rnn(Rnn { activation: Activation::Relu }) => {
            y.iter().map(|v| v.min(0.0).powi(2)).sum::<f64>() / y.len().max(1) as f64
        }
        AnyCell::Rnn(Rnn { activation: Activation::Linear }) => 0.0,
        AnyCell::Rnn(_) | AnyCell::Lstm(_) | AnyCell::Gru(_) => loss_floor(y),
    }
}

/// Whether the cell's units saturate where |a| is large (the note of [`is_saturated`]): tanh's
/// and the gated cells' (σ and tanh) do; ReLU's and the linear RNN's do not.
pub fn can_saturate(cell: &AnyCell) -> bool {
    !matches!(cell, AnyCell::Rnn(Rnn { activation: Activation::Relu | Activation::Linear }))
}

/// ρ(Wh), the spectral radius: the largest |λ| over Wh's eigenvalues (H×H). Below 1 the
/// gradient through many steps fades, above 1 it can grow. NaN for a matrix with a non-finite
/// entry.
///
/// Computed by Gelfand's formula, ρ(A) = lim ‖Aⁿ‖^(1/n) (Frobenius norm), at n = 2, 4, 8, …:
/// A is squared again and again, each square rescaled to norm 1 with the logarithms of the
/// scales summed, so `ln ‖A^(2^k)‖` never overflows. The estimate ‖A^(2^k)‖^(1/2^k) never falls
/// below ρ and comes down to it, its excess about halving with each squaring (for a matrix
/// with a full set of eigenvectors it is ln(κ √H) / 2^k, κ their condition number); it stops
/// when a squaring lowers it by less than [`RHO_TOLERANCE`] of itself, so it stands about that
/// far above ρ. No eigenvalue solver (nalgebra's Schur decomposition weighed 5.1 KB of the
/// page's gzipped wasm); the products are the kernel crate's, so the same bits everywhere.
pub fn spectral_radius(wh: &DMatrix<f64>) -> f64 {
    if wh.is_empty() || wh.iter().any(|w| !w.is_finite()) {
        return f64::NAN;
    }
    let mut power = wh.clone(); // A^(2^k) / e^log_scale
    let mut square = wh.clone();
    let mut log_scale = 0.0;
    let mut estimate = f64::INFINITY;
    for k in 0..RHO_MOST_SQUARINGS {
        let norm = power.norm();
        if norm == 0.0 {
            return 0.0; // A^(2^k) = 0: a nilpotent matrix, every eigenvalue 0
        }
        log_scale += libm::log(norm);
        let next = libm::exp(log_scale / f64::from(1u32 << k));
        if estimate - next <= RHO_TOLERANCE * next {
            return next;
        }
        estimate = next;
        power /= norm;
        let a = power.as_slice();
        for (column, out) in a.chunks_exact(wh.nrows()).zip(square.as_mut_slice().chunks_exact_mut(wh.nrows())) {
            products::mat_vec(a, column, out);
        }
        std::mem::swap(&mut power, &mut square);
        log_scale *= 2.0;
    }
    estimate
}

/// How far above ρ(Wh) [`spectral_radius`] may stand, relative: far below the page's two decimals.
pub const RHO_TOLERANCE: f64 = 1e-6;
/// The most squarings [`spectral_radius`] takes (‖A^(2^30)‖^(1/2^30) is within ln(κ √H) · 1e-9).
const RHO_MOST_SQUARINGS: u32 = 31;

/// The growth of the twins' distance that calls a run chaotic: a millionfold.
pub const CHAOS_GROWTH: f64 = 1e6;
/// The epochs within which the distance must grow [`CHAOS_GROWTH`]-fold.
pub const CHAOS_WITHIN: usize = 200;

/// Whether a twin run (see `twin`) is chaotic, read from the distances ‖h_T − h_T'‖ after
/// each epoch alone, never from the sizes: the epoch (1-based) at which the distance first
/// reached [`CHAOS_GROWTH`] times its first non-zero value, if that happened within
/// [`CHAOS_WITHIN`] epochs of it. NaN (a twin diverged) counts as no growth.
pub fn chaotic_at(distances: &[f64]) -> Option<usize> {
    let first = distances.iter().position(|d| d.is_finite() && *d > 0.0)?;
    let threshold = distances[first] * CHAOS_GROWTH;
    let window = &distances[first..distances.len().min(first + CHAOS_WITHIN + 1)];
    window.iter().position(|d| *d >= threshold).map(|i| first + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rng::{Normal, Stream};
    use nalgebra::DVector;

    /// ρ by nalgebra's eigenvalue solver (Schur), for the tests alone.
    fn largest_eigenvalue(a: &DMatrix<f64>) -> f64 {
        a.clone().complex_eigenvalues().iter().map(|l| l.re.hypot(l.im)).fold(0.0, f64::max)
    }

    /// Whether `estimate` stands at most a few [`RHO_TOLERANCE`]s above `rho` (and not below
    /// it, beyond the solver's rounding).
    fn close_above(estimate: f64, rho: f64) -> bool {
        estimate >= rho * (1.0 - 1e-12) && estimate <= rho * (1.0 + 4.0 * RHO_TOLERANCE)
    }

    #[test]
    fn the_spectral_radius_is_the_largest_eigenvalue_in_size() {
        let diagonal = DMatrix::from_row_slice(2, 2, &[0.5, 0.0, 0.0, -2.0]);
        assert!(close_above(spectral_radius(&diagonal), 2.0));
        let rotation = DMatrix::from_row_slice(2, 2, &[0.0, -1.5, 1.5, 0.0]);
        assert!(close_above(spectral_radius(&rotation), 1.5), "complex eigenvalues ±1.5i");
        let jordan = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 0.0, 1.0]);
        assert!(close_above(spectral_radius(&jordan), 1.0), "a Jordan block: ‖Aⁿ‖ grows like n");
        assert!(close_above(spectral_radius(&DMatrix::from_element(1, 1, -3.0)), 3.0));
        let nilpotent = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 0.0, 0.0]);
        assert_eq!(spectral_radius(&nilpotent), 0.0);
        assert_eq!(spectral_radius(&DMatrix::zeros(3, 3)), 0.0);
        assert!(spectral_radius(&DMatrix::from_element(1, 1, f64::NAN)).is_nan());
        assert!(spectral_radius(&DMatrix::from_element(2, 2, f64::INFINITY)).is_nan());
        assert!(spectral_radius(&DMatrix::zeros(0, 0)).is_nan());
    }

    #[test]
    fn the_spectral_radius_agrees_with_an_eigenvalue_solver_on_random_weights() {
        let mut draws = Normal::new(7, Stream::Weights);
        for h in [1, 2, 3, 5, 10, 16, 17, 33, 64, 128] {
            for g in [0.1, 0.5, 1.0, 1.5, 6.0, 1e3] {
                let wh = draws.matrix(h, h) * (g / (h as f64).sqrt());
                let (estimate, rho) = (spectral_radius(&wh), largest_eigenvalue(&wh));
                assert!(close_above(estimate, rho), "H {h}, g {g}: {estimate} against ρ {rho}");
                assert_eq!(format!("{estimate:.2}"), format!("{rho:.2}"), "the page's two decimals, H {h}, g {g}");
            }
        }
    }

    #[test]
    fn a_millionfold_growth_within_200_epochs_is_chaos() {
        assert_eq!(chaotic_at(&[]), None);
        assert_eq!(chaotic_at(&[0.0, 0.0]), None, "twins that never differ");
        assert_eq!(chaotic_at(&[0.0, 1e-9, 1e-6, 1e-3]), Some(4), "counted from the first non-zero value");
        assert_eq!(chaotic_at(&[1e-9, 9e-4, f64::NAN]), None, "just short, then a twin diverged");
        let mut slow = vec![1e-9; 201];
        slow.push(1.0);
        assert_eq!(chaotic_at(&slow), None, "a millionfold, but 201 epochs after the first");
        slow[200] = 1e-3;
        assert_eq!(chaotic_at(&slow), Some(201));
    }

    #[test]
    fn runaway_names_the_largest_weight_beyond_the_limit() {
        let mut p = crate::model::rnn::zeros(2, 2, 0);
        assert_eq!(runaway(&p), None);
        p.get_mut("wx").unwrap()[(0, 1)] = 5e5;
        assert_eq!(runaway(&p), None);
        p.get_mut("wh").unwrap()[(1, 0)] = -2e33;
        p.get_mut("b").unwrap()[1] = 3e6;
        assert_eq!(runaway(&p), Some(("Wh", -2e33)));
    }

    #[test]
    fn saturation_counts_only_the_columns_computed() {
        let pre = DMatrix::from_row_slice(2, 3, &[20.0, -30.0, 0.1, 11.0, 12.0, 0.2]);
        assert_eq!(saturated_share(&pre, 0), 0.0);
        assert_eq!(saturated_share(&pre, 2), 1.0);
        assert!(is_saturated(&pre, 2));
        assert!((saturated_share(&pre, 3) - 4.0 / 6.0).abs() < 1e-15);
        assert!(!is_saturated(&pre, 3));
    }

    #[test]
    fn the_loss_floor_follows_what_the_cell_can_reach() {
        use crate::model::gru::Gru;
        use crate::model::lstm::Lstm;
        let y = [0.5, -2.6, 1.5, -0.5];
        let tanh_floor = loss_floor(&y);
        assert_eq!(loss_floor_of(&AnyCell::Rnn(Rnn::default()), &y), tanh_floor);
        assert_eq!(loss_floor_of(&AnyCell::Lstm(Lstm), &y), tanh_floor);
        assert_eq!(loss_floor_of(&AnyCell::Gru(Gru), &y), tanh_floor);
        let relu = AnyCell::Rnn(Rnn { activation: Activation::Relu });
        assert!((loss_floor_of(&relu, &y) - (2.6f64.powi(2) + 0.25) / 4.0).abs() < 1e-15);
        let linear = AnyCell::Rnn(Rnn { activation: Activation::Linear });
        assert_eq!(loss_floor_of(&linear, &y), 0.0);
        assert!(can_saturate(&AnyCell::Lstm(Lstm)) && can_saturate(&AnyCell::Rnn(Rnn::default())));
        assert!(!can_saturate(&relu) && !can_saturate(&linear));
    }

    #[test]
    fn the_loss_floor_counts_only_targets_out_of_reach() {
        let y = DVector::from_vec(vec![0.5, -2.6, 1.5, 0.9]);
        assert!((loss_floor(y.as_slice()) - (1.6f64.powi(2) + 0.25) / 4.0).abs() < 1e-15);
        assert_eq!(loss_floor(&[0.3, -0.99]), 0.0);
    }
}
