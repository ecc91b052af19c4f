//! The gradient check: backpropagation against central differences at a session's current weights and data, per parameter.
//!
//! It checks the gradient the backward pass finds (before any clipping), of the loss the
//! training mode differentiates: in BPTT the loss itself with h_{T−k} held fixed (k = the
//! truncation; h_0, carried or not, is always held fixed); in the blog's loop the sum of squares
//! (H × the loss) with h_{T−1} held fixed, whose gradient is the blog's `2 (h_T − y)` sent back
//! one step. Both sides use the readable model: the session's cell (`rnn.rs`, `lstm.rs`,
//! `gru.rs`) unrolled over the sequence (`unrolled.rs`); h_{T−k} and c_{T−k} are held fixed.

use nalgebra::DMatrix;

use super::cell::{AnyCell, State};
use super::config::Training;
use super::rnn::{self, LossGradient, Params, Target};
use super::session::Session;
use super::unrolled;

/// The most entries checked per parameter, so that the check stays fast at the largest sizes.
pub const MAX_ENTRIES: usize = 20;
/// The step of the central differences, `(L(w + ε) − L(w − ε)) / 2ε`.
pub const EPSILON: f64 = 1e-5;

/// The check of one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamCheck {
    /// The parameter's name in the run file ("wx").
    pub name: &'static str,
    /// How the page writes it ("Wx").
    pub symbol: &'static str,
    /// Entries compared, and entries the parameter has.
    pub checked: usize,
    pub entries: usize,
    /// The largest `|a − b| / max(|a| + |b|, 1e-8)` over the entries compared (a backprop,
    /// b central differences). 0 when the parameter has no entries.
    pub max_relative_error: f64,
}

/// Below this largest relative error, backprop agrees with central differences.
pub const AGREES_BELOW: f64 = 1e-5;
/// From this largest relative error on, backprop disagrees: a bug.
pub const DISAGREES_FROM: f64 = 1e-3;

/// What a check says, for every value it can find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every error below [`AGREES_BELOW`].
    Agrees,
    /// The largest between the two: within what the differences' own step and rounding give.
    Close,
    /// One at [`DISAGREES_FROM`] or above, or not a number.
    Disagrees,
}

/// The verdict on a whole check, from its largest error.
pub fn verdict(checks: &[ParamCheck]) -> Verdict {
    let worst = checks
        .iter()
        .map(|c| c.max_relative_error)
        .fold(0.0, |w: f64, e| if w.is_nan() || e.is_nan() { f64::NAN } else { w.max(e) });
    if worst.is_nan() || worst >= DISAGREES_FROM {
        Verdict::Disagrees
    } else if worst >= AGREES_BELOW {
        Verdict::Close
    } else {
        Verdict::Agrees
    }
}

/// `|a − b| / max(|a| + |b|, 1e-8)`.
pub fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / (a.abs() + b.abs()).max(1e-8)
}

/// A fixed sample of at most [`MAX_ENTRIES`] of `n` entries, spread evenly: `i · n / m`.
pub fn sample(n: usize) -> Vec<usize> {
    let m = n.min(MAX_ENTRIES);
    (0..m).map(|i| i * n / m).collect()
}

/// The loss that the session's training differentiates, as a function of the weights, and the
/// gradient backpropagation finds for it at the session's weights.
struct Problem {
    cell: AnyCell,
    x_window: DMatrix<f64>,
    state_fixed: State,
    target: Target,
    /// H for the blog's loop (the sum of squares), 1 otherwise.
    factor: f64,
}

impl Problem {
    fn of(session: &Session) -> (Self, rnn::Grads) {
        let c = session.config();
        let (p, x, target) = (session.params(), session.x(), session.target());
        let cell = session.cell();
        let start = State {
            h: session.hidden_states().column(0).into_owned(),
            c: session.cell_states().column(0).into_owned(),
        };
        let (t_len, k) = (c.seq_length, c.backprop_steps());
        let un = unrolled::forward(&cell, p, &x, &start);
        let fwd = &un.forward;
        let (dl, factor) = match (c.training, &target) {
            (Training::BlogLoop, Target::LastHidden(y)) => {
                let dh_last = rnn::sum_of_squares_gradient(&fwd.h[t_len], y);
                (LossGradient { dh_last, dy_hat: vec![None; t_len] }, y.len() as f64)
            }
            _ => (rnn::loss_gradient(fwd, &target), 1.0),
        };
        let grads = unrolled::backward(&cell, p, &x, &un, dl, k).grads;
        let x_window = x.rows(t_len - k, k).into_owned();
        let problem = Self { cell, x_window, state_fixed: un.state(t_len - k), target, factor };
        (problem, grads)
    }

    /// The loss at weights `q`, forward from h_{T−k} (and c_{T−k}) held fixed.
    fn loss(&self, q: &Params) -> f64 {
        let un = unrolled::forward(&self.cell, q, &self.x_window, &self.state_fixed);
        self.factor * rnn::loss(&un.forward, &self.target)
    }
}

/// Checks the gradient at the session's current weights, data and h_0 (call it at the start
/// of an epoch), on a fixed sample of at most [`MAX_ENTRIES`] entries per parameter.
pub fn check(session: &Session) -> Vec<ParamCheck> {
    let (problem, g) = Problem::of(session);
    let p = session.params();
    let mut checks = Vec::with_capacity(g.specs().len());
    for (k, (spec, a)) in g.iter().enumerate() {
        let picked = sample(a.len());
        let mut worst = 0.0f64;
        for &i in &picked {
            let (mut plus, mut minus) = (p.clone(), p.clone());
            plus.values_mut()[k].as_mut_slice()[i] += EPSILON;
            minus.values_mut()[k].as_mut_slice()[i] -= EPSILON;
            let numeric = (problem.loss(&plus) - problem.loss(&minus)) / (2.0 * EPSILON);
            // A NaN (a bad gradient or loss) is the worst of all: f64::max would drop it.
            let e = relative_error(a.as_slice()[i], numeric);
            worst = if e.is_nan() || e > worst { e } else { worst };
        }
        checks.push(ParamCheck {
            name: spec.name,
            symbol: spec.symbol,
            checked: picked.len(),
            entries: a.len(),
            max_relative_error: worst,
        });
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_largest_error_has_a_verdict() {
        let with =
            |e: f64| vec![ParamCheck { name: "wx", symbol: "Wx", checked: 1, entries: 1, max_relative_error: e }];
        assert_eq!(verdict(&with(3e-9)), Verdict::Agrees);
        assert_eq!(verdict(&with(4.4e-7)), Verdict::Agrees);
        assert_eq!(verdict(&with(2e-5)), Verdict::Close);
        assert_eq!(verdict(&with(1e-3)), Verdict::Disagrees);
        assert_eq!(verdict(&with(f64::NAN)), Verdict::Disagrees);
        assert_eq!(verdict(&[]), Verdict::Agrees);
        let three = [with(1e-9), with(f64::NAN), with(1e-9)].concat();
        assert_eq!(verdict(&three), Verdict::Disagrees, "a NaN anywhere");
    }
    use crate::model::config::{Config, Task};

    #[test]
    fn the_sample_is_fixed_spread_and_at_most_twenty() {
        assert_eq!(sample(3), vec![0, 1, 2]);
        assert_eq!(sample(100), (0..20).map(|i| i * 5).collect::<Vec<_>>());
        assert!(sample(0).is_empty());
    }

    #[test]
    fn backprop_agrees_with_central_differences_in_seed_training_and_every_task() {
        let bptt = Config { training: Training::Bptt, ..Config::default() };
        let configs = [
            Config::default(),
            Config { truncation: Some(3), ..bptt.clone() },
            Config { task: Task::SineNext, input_size: 1, ..bptt.clone() },
            Config { task: Task::RememberFirst, input_size: 3, truncation: Some(4), ..bptt.clone() },
            Config { task: Task::Adding, input_size: 2, stateful: Some(true), ..bptt },
        ];
        for config in configs {
            let mut session = Session::new(&config);
            session.run_epochs(3);
            for c in check(&session) {
                assert!(c.max_relative_error < 1e-5, "{config:?}: {c:?}");
                assert_eq!(c.checked, c.entries.min(MAX_ENTRIES));
            }
        }
    }
}
