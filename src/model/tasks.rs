//! The tasks' data: one sequence x (T×D) and its target y, drawn from a seeded generator.
//!
//! The target is returned flat, as the session keeps it: H numbers for random-target, O for a
//! loss at the last step, T·O (step by step) for a loss at every step.

use nalgebra::{DMatrix, DVector};

use super::cell::{Cell, State};
use super::config::{Config, DataMode, LossAt, Task};
use super::rng::Normal;
use super::rnn::{self, Params, Target};
use super::series::Series;

/// One sequence of the task of `config`, with T = `seq_length`, D = `input_size` and H =
/// `hidden_size`: (x T×D, y flat). Every draw comes from `rng`, in the order given under each task.
pub fn draw(config: &Config, rng: &mut Normal) -> (DMatrix<f64>, DVector<f64>) {
    let (t_len, d, h) = (config.seq_length, config.input_size, config.hidden_size);
    match config.task {
        // x ~ N(0, 1) row by row, then y ~ N(0, 1) (H): the seed's numbers, as always.
        Task::RandomTarget => {
            let x = rng.matrix(t_len, d);
            (x, rng.vector(h))
        }
        Task::SineNext => match &config.series {
            Some(series) => window(series.values(), t_len, window_start(config, rng)),
            None => sine_next(t_len, rng),
        },
        Task::RememberFirst => remember_first(t_len, d, rng),
        Task::Adding => adding(t_len, rng),
    }
}

/// Where the window of T + 1 values of the learner's series (n values) starts: with fixed
/// data at 0, the series from its start (no draw); with fresh data uniform over the n − T
/// starts, one draw ([`Normal::below`]).
pub fn window_start(config: &Config, rng: &mut Normal) -> usize {
    let n = config.series.as_ref().map_or(0, Series::len);
    match config.data() {
        DataMode::Fixed => 0,
        DataMode::Fresh => rng.below(n.saturating_sub(config.seq_length).max(1)),
    }
}

/// The window of the series `s` from `start`: `x_t = s_{start+t−1}`, `y_t = s_{start+t}`
/// (1-based t = 1 … T), each T×1.
fn window(s: &[f64], t_len: usize, start: usize) -> (DMatrix<f64>, DVector<f64>) {
    let w = &s[start..=start + t_len];
    (DMatrix::from_column_slice(t_len, 1, &w[..t_len]), DVector::from_column_slice(&w[1..]))
}

/// The learner's series after the window that 0-based epoch `e` reads (see [`fresh`]), up to
/// `more` values: what a free run past T should follow. Empty without a series.
pub fn series_after(config: &Config, e: u64, more: usize) -> &[f64] {
    let Some(series) = config.series.as_ref().filter(|_| config.task == Task::SineNext) else {
        return &[];
    };
    let start = window_start(config, &mut Normal::for_epoch(config.seed, e));
    let s = series.values();
    let from = (start + config.seq_length + 1).min(s.len());
    &s[from..(from + more).min(s.len())]
}

/// The network read over x (T×D, from h0), then run free for `more` steps on its own
/// predictions, each ŷ_t fed back as x_{t+1} (D = O): ŷ_1 … ŷ_{T+more}, O×(T+more). Whether
/// the continuation keeps the wave shows if the network learned it or only the last value.
pub fn free_run(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, h0: &DVector<f64>, more: usize) -> DMatrix<f64> {
    let (t_len, o) = (x.nrows(), p.output_size());
    let mut y_hat = DMatrix::zeros(o, t_len + more);
    let mut state = State::of_h(h0.clone());
    let mut x_t = DVector::zeros(x.ncols());
    for t in 0..t_len + more {
        if t < t_len {
            x_t = x.row(t).transpose();
        }
        state = cell.step(p, &x_t, &state).1; //                  h_t = cell(x_t, h_{t−1})
        let y_t = rnn::output(p, &state.h); //                    ŷ_t = Wy h_t + by
        y_hat.set_column(t, &y_t);
        if y_t.len() == x_t.len() {
            x_t = y_t; // the next input is this prediction (used only past T)
        }
    }
    y_hat
}

/// ω ~ U(0.15, 0.6), then φ ~ U(0, 2π); `s_k = sin(ω k + φ)` for k = 0 … T; `x_t = s_{t−1}`,
/// `y_t = s_t` (1-based t): predict the next value. x and y are T×1.
fn sine_next(t_len: usize, rng: &mut Normal) -> (DMatrix<f64>, DVector<f64>) {
    let omega = rng.uniform_in(0.15, 0.6);
    let phi = rng.uniform_in(0.0, 2.0 * std::f64::consts::PI);
    // libm's sin: the same bits natively and in wasm32.
    let s: Vec<f64> = (0..=t_len).map(|k| libm::sin(omega * k as f64 + phi)).collect();
    (DMatrix::from_column_slice(t_len, 1, &s[..t_len]), DVector::from_column_slice(&s[1..]))
}

/// `x_1 ~ N(0, 1)^D`, then `x_2 … x_T ~ N(0, 0.1²)^D` row by row; y = x_1 (D).
fn remember_first(t_len: usize, d: usize, rng: &mut Normal) -> (DMatrix<f64>, DVector<f64>) {
    let mut x = rng.matrix(t_len, d);
    for t in 1..t_len {
        x.row_mut(t).scale_mut(0.1);
    }
    let y = x.row(0).transpose();
    (x, y)
}

/// T values `u_t ~ U(0, 1)`, then a mark position a uniform in [0, ⌊T/2⌋) and b in [⌊T/2⌋, T)
/// (0-based); `x_t = (u_t, 1 if t ∈ {a, b} else 0)`, y = u_a + u_b (one number). T ≥ 2.
fn adding(t_len: usize, rng: &mut Normal) -> (DMatrix<f64>, DVector<f64>) {
    let u: Vec<f64> = (0..t_len).map(|_| rng.uniform()).collect();
    let half = t_len / 2;
    let a = rng.below(half);
    let b = half + rng.below(t_len - half);
    let x = DMatrix::from_fn(t_len, 2, |t, j| {
        if j == 0 {
            u[t]
        } else if t == a || t == b {
            1.0
        } else {
            0.0
        }
    });
    (x, DVector::from_element(1, u[a] + u[b]))
}

/// The expected loss of the trivial answer, where a task has one: the line drawn on the loss
/// curve that a network must get below to have learned anything.
///
/// * remember-first, answering ŷ = 0: L = (1/D) Σ_i x_1,i², and x_1,i ~ N(0, 1), so E[L] = 1;
/// * adding, answering always 1 = E[y]: y = u_a + u_b with u ~ U(0, 1) independent, so
///   E[L] = Var(y) = 2 · 1/12 = 1/6;
/// * random-target and sine-next: `None` (no answer that ignores the input is the one to beat).
pub fn baseline_loss(config: &Config) -> Option<f64> {
    match config.task {
        Task::RememberFirst => Some(1.0),
        Task::Adding => Some(1.0 / 6.0),
        Task::RandomTarget | Task::SineNext => None,
    }
}

/// The data of 0-based epoch `e` counted from the seed's first epoch, for fresh data: drawn
/// from [`Normal::for_epoch`], so a function of (seed, e) alone.
pub fn fresh(config: &Config, e: u64) -> (DMatrix<f64>, DVector<f64>) {
    debug_assert_eq!(config.data(), DataMode::Fresh);
    draw(config, &mut Normal::for_epoch(config.seed, e))
}

/// The flat target `y` as the readable model's [`Target`] for a loss placed at `loss_at`, with
/// O = `output_size` (rows of T×O are consecutive in `y`).
pub fn target(loss_at: LossAt, y: &DVector<f64>, output_size: usize) -> Target {
    match loss_at {
        LossAt::LastHidden => Target::LastHidden(y.clone()),
        LossAt::LastOutput => Target::LastOutput(y.clone()),
        LossAt::EveryOutput => {
            Target::EveryOutput(DMatrix::from_row_slice(y.len() / output_size.max(1), output_size, y.as_slice()))
        }
    }
}

/// The number of target entries for a config: H, O, or T·O.
pub fn target_len(config: &Config) -> usize {
    match config.loss_at() {
        LossAt::LastHidden => config.hidden_size,
        LossAt::LastOutput => config.output_size(),
        LossAt::EveryOutput => config.seq_length * config.output_size(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_run_reads_the_sequence_as_the_forward_pass_does_then_feeds_itself() {
        let config = Config { task: Task::SineNext, input_size: 1, seq_length: 6, hidden_size: 4, ..Config::default() };
        let p = crate::model::session::starting_weights(&config);
        let (x, _) = fresh(&config, 3);
        let h0 = DVector::zeros(4);
        let run = free_run(&crate::model::rnn::Rnn::default(), &p, &x, &h0, 5);
        let fwd = crate::model::rnn::forward(&p, &x, &h0);
        assert_eq!(run.ncols(), 11);
        for t in 0..6 {
            assert_eq!(run[(0, t)], fwd.y_hat[t][0], "step {t}");
        }
        let last = fwd.h.last().unwrap();
        let (_, h7) = crate::model::rnn::step(&p, &DVector::from_element(1, run[(0, 5)]), last);
        assert_eq!(run[(0, 6)], crate::model::rnn::output(&p, &h7)[0], "step 7 reads step 6's prediction");
    }
    use crate::model::rng::Stream;

    /// [`draw`] for a task at sizes (T, D, H), the rest default.
    fn drawn(task: Task, (t, d, h): (usize, usize, usize), rng: &mut Normal) -> (DMatrix<f64>, DVector<f64>) {
        draw(&Config { task, seq_length: t, input_size: d, hidden_size: h, ..Config::default() }, rng)
    }

    fn series_config(n: usize, t: usize, data: DataMode) -> Config {
        let values: Vec<String> = (0..n).map(|k| format!("{}", k as f64 / 8.0)).collect();
        let series = Some(Series::parse(&values.join(" "), t + 1).unwrap());
        Config { task: Task::SineNext, input_size: 1, seq_length: t, data: Some(data), series, ..Config::default() }
    }

    #[test]
    fn fixed_data_reads_the_series_from_its_start() {
        let c = series_config(30, 6, DataMode::Fixed);
        let (x, y) = draw(&c, &mut Normal::new(1, Stream::Data));
        assert_eq!(x.as_slice(), &c.series.as_ref().unwrap().values()[..6]);
        assert_eq!(y.as_slice(), &c.series.as_ref().unwrap().values()[1..7]);
        assert_eq!(series_after(&c, 9, 4), &c.series.as_ref().unwrap().values()[7..11]);
    }

    #[test]
    fn fresh_data_draws_each_epochs_window_from_seed_and_epoch() {
        let c = series_config(30, 6, DataMode::Fresh);
        let s = c.series.as_ref().unwrap().values();
        let mut starts = std::collections::BTreeSet::new();
        for e in 0..400 {
            let (x, y) = fresh(&c, e);
            let start = (x[(0, 0)] * 8.0) as usize;
            assert_eq!((x.as_slice(), y.as_slice()), (&s[start..start + 6], &s[start + 1..start + 7]), "epoch {e}");
            assert_eq!(fresh(&c, e), (x.clone(), y.clone()), "a function of (seed, epoch)");
            let after = series_after(&c, e, 6);
            assert_eq!(after, &s[start + 7..(start + 13).min(30)], "the continuation of epoch {e}");
            starts.insert(start);
        }
        assert_eq!(starts, (0..24).collect(), "every start of a window of 7 in 30 values");
        let shortest = series_config(7, 6, DataMode::Fresh);
        assert_eq!(fresh(&shortest, 3).0.as_slice(), &shortest.series.as_ref().unwrap().values()[..6]);
        assert!(series_after(&shortest, 3, 6).is_empty(), "nothing after the one window");
    }

    #[test]
    fn sine_next_asks_for_the_next_value_of_one_wave() {
        let (x, y) = drawn(Task::SineNext, (20, 1, 4), &mut Normal::new(3, Stream::Data));
        assert_eq!((x.shape(), y.len()), ((20, 1), 20));
        for t in 1..20 {
            assert_eq!(x[(t, 0)], y[t - 1], "x_t is the previous target");
        }
        assert!(y.iter().all(|v| v.abs() <= 1.0));
    }

    #[test]
    fn remember_first_targets_the_first_input_and_the_rest_is_small_noise() {
        let (x, y) = drawn(Task::RememberFirst, (30, 3, 4), &mut Normal::new(4, Stream::Data));
        assert_eq!(y, x.row(0).transpose());
        let rest = x.rows(1, 29);
        let sd = (rest.map(|v| v * v).sum() / rest.len() as f64).sqrt();
        assert!((0.07..0.13).contains(&sd), "sd {sd}");
    }

    #[test]
    fn the_baselines_are_the_mean_loss_of_the_trivial_answer_over_fresh_draws() {
        let mean_over_draws = |task: Task, d: usize, answer: f64| {
            let config = Config { task, input_size: d, seq_length: 8, ..Config::default() };
            let n = 20_000;
            let sum: f64 = (0..n)
                .map(|e| {
                    let (_, y) = fresh(&Config { data: Some(DataMode::Fresh), ..config.clone() }, e);
                    y.iter().map(|v| (answer - v).powi(2)).sum::<f64>() / y.len() as f64
                })
                .sum();
            (sum / n as f64, baseline_loss(&config).unwrap())
        };
        let (empirical, baseline) = mean_over_draws(Task::RememberFirst, 3, 0.0);
        assert!((empirical - baseline).abs() < 0.03, "remember-first: {empirical} vs {baseline}");
        let (empirical, baseline) = mean_over_draws(Task::Adding, 2, 1.0);
        assert!((empirical - baseline).abs() < 0.005, "adding: {empirical} vs {baseline}");
        for task in [Task::RandomTarget, Task::SineNext] {
            assert_eq!(baseline_loss(&Config { task, ..Config::default() }), None);
        }
    }

    #[test]
    fn adding_marks_one_position_in_each_half_and_sums_them() {
        for seed in 0..50 {
            let t_len = 2 + seed as usize % 9;
            let (x, y) = drawn(Task::Adding, (t_len, 2, 4), &mut Normal::new(seed, Stream::Data));
            let marks: Vec<usize> = (0..t_len).filter(|&t| x[(t, 1)] == 1.0).collect();
            assert_eq!(marks.len(), 2, "T = {t_len}");
            assert!(marks[0] < t_len / 2 && marks[1] >= t_len / 2);
            assert_eq!(y[0], x[(marks[0], 0)] + x[(marks[1], 0)]);
        }
    }
}
