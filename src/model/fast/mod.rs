//! The speed layer: computes exactly what `rnn.rs`, `lstm.rs` and `gru.rs` compute, in preallocated buffers with hand-written kernels. A learner need not read it.
//!
//! Every sum here is taken in the order the readable file's nalgebra operators take it, so
//! forward passes, losses and the blog's loop give the same bits (`tests/fast_equals_readable.rs`).
//! What it adds is speed: no allocation per step, products whose loops vectorise (small layers
//! held in registers), tanh over a layer (AVX2 where the CPU has it), a cached Whᵀ for the
//! backward pass, the weight gradients of a whole backward pass summed in one sweep, and
//! finiteness checks that vectorise.
//!
//! The loops over slices (products, tanh over a layer, SGD, finiteness, the AVX2 builds) are
//! in the `rnn-kernels` crate (`kernels/`), which the page's build optimises for speed while it
//! optimises the rest for size; this module holds the buffers and calls them.

mod blog_tail;
mod gru;
mod lstm;
pub mod output;

use nalgebra::{DMatrix, DVector};
use rnn_kernels::finite::all_finite;
#[cfg(target_arch = "x86_64")]
use rnn_kernels::{avx2, avx2_small};
use rnn_kernels::{products, tanh_layer};

use super::config::{Activation, CellKind, Config};
use super::rnn::{self, Grads, Params};

/// The cell a [`Workspace`] computes: the plain RNN with its activation, the LSTM or the GRU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastCell {
    Rnn(Activation),
    Lstm,
    Gru,
}

impl FastCell {
    /// The cell `config` asks for.
    pub fn of(config: &Config) -> Self {
        match config.cell() {
            CellKind::Rnn => FastCell::Rnn(config.activation()),
            CellKind::Lstm => FastCell::Lstm,
            CellKind::Gru => FastCell::Gru,
        }
    }

    /// Gate blocks stacked in a pre-activation: 1, 4 (f, g, i, o) or 3 (z, r, h̃).
    pub fn blocks(self) -> usize {
        match self {
            FastCell::Rnn(_) => 1,
            FastCell::Lstm => 4,
            FastCell::Gru => 3,
        }
    }

    /// The blog's plain tanh RNN, whose paths are the tuned ones.
    const TANH: FastCell = FastCell::Rnn(Activation::Tanh);
}

/// Column `j` of a column-major matrix, as a slice.
pub fn column(m: &DMatrix<f64>, j: usize) -> &[f64] {
    let rows = m.nrows();
    &m.as_slice()[j * rows..(j + 1) * rows]
}

/// Column `j` of a column-major matrix, as a mutable slice.
pub fn column_mut(m: &mut DMatrix<f64>, j: usize) -> &mut [f64] {
    let rows = m.nrows();
    &mut m.as_mut_slice()[j * rows..(j + 1) * rows]
}

/// Column `j` to read and column `j + 1` to write, from one matrix.
fn column_and_next(m: &mut DMatrix<f64>, j: usize) -> (&[f64], &mut [f64]) {
    let rows = m.nrows();
    let (before, after) = m.as_mut_slice().split_at_mut((j + 1) * rows);
    (&before[j * rows..], &mut after[..rows])
}

/// When a backward step adds its share of dWx and dWh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightGradients {
    /// At the step itself, as the readable backward pass does (the page's Step).
    AtEachStep,
    /// Later, for all the steps at once, by [`Workspace::add_weight_gradients`]: the same sums
    /// in the same order, in one sweep over dWx and dWh (whole epochs).
    Summed,
}

/// The buffers of one epoch for sizes (T, H): what `rnn::forward` returns and what
/// `rnn::backward` works with, allocated once. For a gated cell (blocks·H rows of
/// pre-activations) the same, and the LSTM's cell states and their gradient.
#[derive(Clone, Debug)]
pub struct Workspace {
    cell: FastCell,
    /// `cell` is the tanh RNN, whose tuned paths every step takes (checked once, here).
    tanh_rnn: bool,
    /// h_0 … h_T, H×(T+1); column 0 is the state the epoch started from.
    hs: DMatrix<f64>,
    /// The LSTM's c_0 … c_T, H×(T+1) (0×(T+1) for the other cells).
    cs: DMatrix<f64>,
    /// a_1 … a_T, (blocks·H)×T.
    pre: DMatrix<f64>,
    /// ∂L/∂a_t of the current backward pass, (blocks·H)×T.
    das: DMatrix<f64>,
    /// The LSTM's ∂L/∂c_t arriving at the next backward step, and the one it sends back (H; 0 otherwise).
    dc: Vec<f64>,
    dc_prev: Vec<f64>,
    /// A gated cell's scratch: blocks·H numbers.
    scratch: Vec<f64>,
    /// A gated cell's gates after their σ or tanh, kept for the backward pass, (blocks·H)×T
    /// (0 rows for the plain RNN): the LSTM's f, g, i, o.
    gates: DMatrix<f64>,
    /// The LSTM's tanh(c_t) for t = 1 … T, H×T (0 rows for the other cells).
    tanh_cs: DMatrix<f64>,
    /// The GRU's own buffers (its gates, r ⊙ h_{t-1}, the copies of Wh's blocks).
    gru: Option<gru::GruBuffers>,
    /// The gradient arriving at the next backward step, ∂L/∂h_t (H).
    dh: DVector<f64>,
    dh_prev: DVector<f64>,
    /// ‖∂L/∂h_t‖ for each timestep the current backward pass has reached (NaN elsewhere).
    dh_norms: Vec<f64>,
    /// The LSTM's ‖∂L/∂c_t‖ likewise (the whole gradient reaching c_t, `ds` of its backward
    /// step); empty for the other cells.
    dc_norms: Vec<f64>,
    /// Wh h_{t-1} for layers too large to hold in registers (H).
    wh_h: Vec<f64>,
    /// Copies of Wh that the products read faster, dropped when Wh changes.
    wh_copies: WhCopies,
}

/// Wh in the forms the products read fastest, each made when first needed after Wh changed.
#[derive(Clone, Debug, Default)]
struct WhCopies {
    /// Whᵀ, so that `Whᵀ da` runs down contiguous columns.
    transposed: Option<DMatrix<f64>>,
    /// Wh and Whᵀ in AVX2 panels ([`avx2::pack_panels`]); empty until needed.
    #[cfg(target_arch = "x86_64")]
    panels: Vec<f64>,
    #[cfg(target_arch = "x86_64")]
    transposed_panels: Vec<f64>,
}

impl WhCopies {
    fn transposed(&mut self, wh: &DMatrix<f64>) -> &DMatrix<f64> {
        self.transposed.get_or_insert_with(|| wh.transpose())
    }

    /// Wh in panels.
    #[cfg(target_arch = "x86_64")]
    fn panels(&mut self, wh: &DMatrix<f64>) -> &[f64] {
        if self.panels.is_empty() {
            avx2::pack_panels(wh.as_slice(), wh.nrows(), &mut self.panels);
        }
        &self.panels
    }

    /// Whᵀ, and Whᵀ in panels.
    #[cfg(target_arch = "x86_64")]
    fn transposed_panels(&mut self, wh: &DMatrix<f64>) -> (&DMatrix<f64>, &[f64]) {
        let wh_t = self.transposed.get_or_insert_with(|| wh.transpose());
        if self.transposed_panels.is_empty() {
            avx2::pack_panels(wh_t.as_slice(), wh_t.nrows(), &mut self.transposed_panels);
        }
        (wh_t, &self.transposed_panels)
    }
}

impl Workspace {
    /// Zeroed buffers for T timesteps and H units of the tanh RNN, starting from h_0 = 0.
    pub fn new(seq_length: usize, hidden_size: usize) -> Self {
        Self::for_cell(seq_length, hidden_size, FastCell::TANH)
    }

    /// Zeroed buffers for T timesteps and H units of `cell`, starting from h_0 = 0 (and c_0 = 0).
    pub fn for_cell(seq_length: usize, hidden_size: usize, cell: FastCell) -> Self {
        let (t_len, h) = (seq_length, hidden_size);
        let rows = cell.blocks() * h;
        let c_rows = if cell == FastCell::Lstm { h } else { 0 };
        Self {
            cell,
            tanh_rnn: cell == FastCell::TANH,
            hs: DMatrix::zeros(h, t_len + 1),
            cs: DMatrix::zeros(c_rows, t_len + 1),
            pre: DMatrix::zeros(rows, t_len),
            das: DMatrix::zeros(rows, t_len),
            dc: vec![0.0; c_rows],
            dc_prev: vec![0.0; c_rows],
            scratch: vec![0.0; if cell == FastCell::TANH { 0 } else { rows.max(3 * h) }],
            gates: DMatrix::zeros(if cell == FastCell::Lstm { rows } else { 0 }, t_len),
            tanh_cs: DMatrix::zeros(c_rows, t_len),
            gru: (cell == FastCell::Gru).then(|| gru::GruBuffers::new(t_len, h)),
            dh: DVector::zeros(h),
            dh_prev: DVector::zeros(h),
            dh_norms: vec![f64::NAN; t_len],
            dc_norms: vec![f64::NAN; if c_rows > 0 { t_len } else { 0 }],
            wh_h: vec![0.0; h],
            wh_copies: WhCopies::default(),
        }
    }

    /// `a_t = Wx x_t + Wh h_{t-1} + b`, `h_t = tanh(a_t)` for 0-based step `t` (x_t D).
    /// Returns whether a_t is finite.
    pub fn forward_step(&mut self, p: &Params, x_t: &[f64], t: usize) -> bool {
        if !self.tanh_rnn {
            return self.other_forward_step(p, x_t, t);
        }
        let [wx, wh, b, ..] = p.as_array::<5>();
        #[cfg(target_arch = "x86_64")]
        if b.len() >= avx2::PANEL && avx2::enabled() {
            return self.forward_step_panels(p, x_t, t);
        }
        #[cfg(target_arch = "x86_64")]
        if takes_small_avx2_steps(p) {
            let h = b.len();
            let (hs, a) = (&mut self.hs.as_mut_slice()[t * h..(t + 2) * h], column_mut(&mut self.pre, t));
            // SAFETY: `takes_small_avx2_steps` is true only where `is_x86_feature_detected!("avx2")` is.
            return unsafe {
                avx2_small::small_forward_steps(wx.as_slice(), x_t, wh.as_slice(), b.as_slice(), hs, a, 0..1)
            }
            .is_ok();
        }
        let (h_prev, h_t) = column_and_next(&mut self.hs, t);
        let a = column_mut(&mut self.pre, t);
        products::affine(wx.as_slice(), x_t, wh.as_slice(), h_prev, b.as_slice(), &mut self.wh_h, a);
        tanh_layer::tanh_layer(a, h_t);
        all_finite(a)
    }

    /// Every forward step of the epoch in one call (x_cols D×T), where the speed layer has one
    /// for this layer (up to [`products::SMALL`] units on a CPU with AVX2): what `forward_step`
    /// for t = 0 … T−1 computes, stopping after the first t whose a_t is not finite, `Err(t)`.
    /// `None`, with nothing done, elsewhere: the caller then takes the steps one by one.
    pub fn forward_pass(&mut self, p: &Params, x_cols: &DMatrix<f64>) -> Option<Result<(), usize>> {
        #[cfg(target_arch = "x86_64")]
        if self.tanh_rnn && takes_small_avx2_steps(p) {
            return Some(self.small_forward_pass(p, x_cols));
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (p, x_cols);
        None
    }

    #[cfg(target_arch = "x86_64")]
    fn small_forward_pass(&mut self, p: &Params, x_cols: &DMatrix<f64>) -> Result<(), usize> {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let (wx, xs, wh, b) = (wx.as_slice(), x_cols.as_slice(), wh.as_slice(), b.as_slice());
        let t_len = self.pre.ncols();
        let (hs, pre) = (self.hs.as_mut_slice(), self.pre.as_mut_slice());
        // SAFETY: called only where `takes_small_avx2_steps`, true only where `is_x86_feature_detected!("avx2")` is.
        unsafe { avx2_small::small_forward_steps(wx, xs, wh, b, hs, pre, 0..t_len) }
    }

    /// The loss, a backward pass starts from, of a network whose loss reads only its outputs:
    /// ∂L/∂h_T = 0 from after h_T; the norms of the last backward pass are cleared.
    pub fn start_backward_from_outputs(&mut self) {
        self.dh.fill(0.0);
        self.dc.fill(0.0);
        self.dh_norms.fill(f64::NAN);
        self.dc_norms.fill(f64::NAN);
    }

    /// h_t for 0-based `t` (h_0 is the state the epoch started from), H.
    pub fn hidden_state(&self, t: usize) -> &[f64] {
        column(&self.hs, t)
    }

    /// h_{t+1} and the gradient arriving at the backward step through 0-based `t`, for the
    /// output layer's share of that step.
    pub fn output_backward_buffers(&mut self, t: usize) -> (&[f64], &mut [f64]) {
        (column(&self.hs, t + 1), self.dh.as_mut_slice())
    }

    /// [`Workspace::forward_step`] for layers of at least [`avx2::PANEL`] units on AVX2, with
    /// Wh read from its panels.
    #[cfg(target_arch = "x86_64")]
    fn forward_step_panels(&mut self, p: &Params, x_t: &[f64], t: usize) -> bool {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let wh_panels = self.wh_copies.panels(wh);
        let (h_prev, h_t) = column_and_next(&mut self.hs, t);
        let a = column_mut(&mut self.pre, t);
        // SAFETY: `enabled` (checked by the caller) is true only where `is_x86_feature_detected!("avx2")` is.
        unsafe { avx2::affine_panels(wx.as_slice(), x_t, (wh_panels, wh.as_slice()), h_prev, b.as_slice(), a) };
        tanh_layer::tanh_layer(a, h_t);
        all_finite(a)
    }

    /// The loss of h_T against y, `(1/H) Σ (h_T − y)²`, and the gradient the backward pass
    /// starts from, `2 (h_T − y) / divisor` (divisor H for the exact gradient, 1 for the
    /// blog's). Clears the norms of the last backward pass.
    pub fn start_backward(&mut self, y: &DVector<f64>, divisor: f64) -> f64 {
        let h_last = column(&self.hs, self.pre.ncols());
        let mut sum = 0.0;
        for ((dh, &h), &y) in self.dh.as_mut_slice().iter_mut().zip(h_last).zip(y.as_slice()) {
            sum += (h - y) * (h - y);
            *dh = (h - y) * 2.0 / divisor;
        }
        self.dc.fill(0.0);
        self.dh_norms.fill(f64::NAN);
        self.dc_norms.fill(f64::NAN);
        sum / y.len() as f64
    }

    /// One backward step through 0-based timestep `t`: `da = dh ⊙ (1 − h_t²)`, `db += da`,
    /// `dWx += da x_tᵀ` and `dWh += da h_{t-1}ᵀ` (now or [`WeightGradients::Summed`] later),
    /// and with `send_back`, `dh ← Whᵀ da`. Returns whether da and the new dh are finite.
    pub fn backward_step(
        &mut self,
        p: &Params,
        x_cols: &DMatrix<f64>,
        t: usize,
        g: &mut Grads,
        send_back: bool,
        weights: WeightGradients,
    ) -> (bool, bool) {
        self.dh_norms[t] = self.dh.norm();
        if !self.tanh_rnn {
            return self.other_backward_step(p, x_cols, t, g, send_back, weights);
        }
        // φ = tanh, its slope written out: the common case, inlined.
        self.rnn_backward_step(p, x_cols, t, g, send_back, weights, |h| 1.0 - h * h)
    }

    /// The plain RNN's backward step with φ′ read from h_t by `slope`: `da = dh ⊙ φ′`, then
    /// `db += da`, `dWx += da x_tᵀ` and `dWh += da h_{t-1}ᵀ` (now, or in one sweep later), and
    /// `∂L/∂h_{t-1} = Whᵀ da`. Returns whether da and the new dh are finite.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn rnn_backward_step(
        &mut self,
        p: &Params,
        x_cols: &DMatrix<f64>,
        t: usize,
        g: &mut Grads,
        send_back: bool,
        weights: WeightGradients,
        slope: impl Fn(f64) -> f64,
    ) -> (bool, bool) {
        let h_t = column(&self.hs, t + 1);
        let da = column_mut(&mut self.das, t);
        for ((da, &dh), &h) in da.iter_mut().zip(self.dh.as_slice()).zip(h_t) {
            *da = dh * slope(h); //                                      h_t = φ(a_t)
        }
        let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
        for (db, &da) in db.as_mut_slice().iter_mut().zip(da.iter()) {
            *db += da;
        }
        if weights == WeightGradients::AtEachStep {
            products::add_outer(dwx.as_mut_slice(), da, column(x_cols, t));
            products::add_outer(dwh.as_mut_slice(), da, column(&self.hs, t));
        }
        if send_back {
            let [_, wh, ..] = p.as_array::<5>();
            send_back_through_wh(&mut self.wh_copies, wh, da, self.dh_prev.as_mut_slice());
            std::mem::swap(&mut self.dh, &mut self.dh_prev);
        }
        (all_finite(da), all_finite(self.dh.as_slice()))
    }

    /// Adds the weight gradients of the 0-based timesteps `ts` left for later:
    /// `dWx += Σ_t da_t x_tᵀ`, `dWh += Σ_t da_t h_{t-1}ᵀ`, from the last t down, as stepping adds them.
    /// (The GRU's blocks of Wh read different vectors: its own sums, [`Workspace::gru_add_weight_gradients`].)
    pub fn add_weight_gradients(&self, g: &mut Grads, x_cols: &DMatrix<f64>, ts: std::ops::Range<usize>) {
        if self.cell == FastCell::Gru {
            return self.gru_add_weight_gradients(g, x_cols, ts);
        }
        let (h, das) = (self.das.nrows(), self.das.as_slice());
        let [dwx, dwh, ..] = g.as_array_mut::<5>();
        products::add_outer_products_last_to_first(dwx.as_mut_slice(), h, das, x_cols.as_slice(), ts.clone());
        products::add_outer_products_last_to_first(dwh.as_mut_slice(), h, das, self.hs.as_slice(), ts);
    }

    /// Wh has changed: Whᵀ is taken again when next needed.
    pub fn weights_changed(&mut self) {
        self.wh_copies.transposed = None;
        if let Some(gru) = &mut self.gru {
            gru.weights_changed();
        }
        #[cfg(target_arch = "x86_64")]
        {
            self.wh_copies.panels.clear();
            self.wh_copies.transposed_panels.clear();
        }
    }

    /// Clears everything the current epoch computed, keeping h_0 (the carried state).
    pub fn restart(&mut self) {
        let h0 = column(&self.hs, 0).to_vec();
        self.hs.fill(0.0);
        self.set_h0(&h0);
        if self.cs.nrows() > 0 {
            let c0 = column(&self.cs, 0).to_vec();
            self.cs.fill(0.0);
            self.set_c0(&c0);
        }
        self.pre.fill(0.0);
        self.dh_norms.fill(f64::NAN);
        self.dc_norms.fill(f64::NAN);
    }

    /// Sets the state the next epoch starts from, h_0 (H).
    pub fn set_h0(&mut self, h0: &[f64]) {
        column_mut(&mut self.hs, 0).copy_from_slice(h0);
    }

    /// Sets the LSTM's c_0 (H; nothing for the other cells, whose c is empty).
    pub fn set_c0(&mut self, c0: &[f64]) {
        column_mut(&mut self.cs, 0).copy_from_slice(c0);
    }

    /// Starts the next epoch from h_0 = 0 (and c_0 = 0) (BPTT).
    pub fn zero_h0(&mut self) {
        column_mut(&mut self.hs, 0).fill(0.0);
        if self.cs.nrows() > 0 {
            column_mut(&mut self.cs, 0).fill(0.0);
        }
    }

    /// Carries h_T (and c_T) into h_0 (and c_0) for the next epoch (the blog's loop, stateful BPTT).
    pub fn carry_last_state(&mut self) {
        let (t_len, h) = (self.pre.ncols(), self.dh.len());
        self.hs.as_mut_slice().copy_within(t_len * h..(t_len + 1) * h, 0);
        let c = self.cs.nrows();
        if c > 0 {
            self.cs.as_mut_slice().copy_within(t_len * c..(t_len + 1) * c, 0);
        }
    }

    /// The LSTM's c_0 … c_T, H×(T+1) (0 rows for the other cells).
    pub fn cell_states(&self) -> &DMatrix<f64> {
        &self.cs
    }

    /// Steps of the cells other than the tanh RNN: the plain RNN with another activation, the
    /// LSTM ([`lstm`]) and the GRU ([`gru`]). Never inlined, so that the tanh RNN's steps stay
    /// as short as they were.
    #[inline(never)]
    fn other_forward_step(&mut self, p: &Params, x_t: &[f64], t: usize) -> bool {
        match self.cell {
            FastCell::Rnn(activation) => {
                let [wx, wh, b, ..] = p.as_array::<5>();
                let (h_prev, h_t) = column_and_next(&mut self.hs, t);
                let a = column_mut(&mut self.pre, t);
                products::affine(wx.as_slice(), x_t, wh.as_slice(), h_prev, b.as_slice(), &mut self.wh_h, a);
                for (h, &a) in h_t.iter_mut().zip(a.iter()) {
                    *h = rnn::activate(activation, a); //               h_t = φ(a_t)
                }
                all_finite(a)
            }
            FastCell::Lstm => self.lstm_forward_step(p, x_t, t),
            FastCell::Gru => self.gru_forward_step(p, x_t, t),
        }
    }

    #[inline(never)]
    fn other_backward_step(
        &mut self,
        p: &Params,
        x_cols: &DMatrix<f64>,
        t: usize,
        g: &mut Grads,
        send_back: bool,
        weights: WeightGradients,
    ) -> (bool, bool) {
        let activation = match self.cell {
            FastCell::Rnn(activation) => activation,
            FastCell::Lstm => return self.lstm_backward_step(p, x_cols, t, g, weights),
            FastCell::Gru => return self.gru_backward_step(p, x_cols, t, g, weights),
        };
        self.rnn_backward_step(p, x_cols, t, g, send_back, weights, |h| rnn::activation_slope(activation, h))
    }

    /// h_0 … h_T, H×(T+1).
    pub fn hidden_states(&self) -> &DMatrix<f64> {
        &self.hs
    }

    /// a_1 … a_T, (blocks·H)×T.
    pub fn pre_activations(&self) -> &DMatrix<f64> {
        &self.pre
    }

    /// ∂L/∂a at 0-based timestep `t` (blocks·H).
    pub fn da(&self, t: usize) -> &[f64] {
        column(&self.das, t)
    }

    /// The gradient arriving at the next backward step, ∂L/∂h_t (H).
    pub fn dh(&self) -> &DVector<f64> {
        &self.dh
    }

    /// ‖∂L/∂h_t‖ per timestep; NaN where the current backward pass has not arrived.
    pub fn dh_norms(&self) -> &[f64] {
        &self.dh_norms
    }

    /// The LSTM's ‖∂L/∂c_t‖ per timestep (NaN where the backward pass has not arrived); empty
    /// for the other cells.
    pub fn dc_norms(&self) -> &[f64] {
        &self.dc_norms
    }
}

/// Whether forward steps take [`avx2_small::small_forward_steps`]: a layer of 1 to
/// [`products::SMALL`] units on a CPU with AVX2.
#[cfg(target_arch = "x86_64")]
#[inline]
fn takes_small_avx2_steps(p: &Params) -> bool {
    (1..=products::SMALL).contains(&p.sizes().h) && avx2::enabled()
}

/// `dh_prev = Whᵀ da` (H; da has the rows of Wh: H, or 4H for the LSTM), from the cached Whᵀ (in panels on AVX2 for layers of at least
/// [`avx2::PANEL`] units).
fn send_back_through_wh(copies: &mut WhCopies, wh: &DMatrix<f64>, da: &[f64], dh_prev: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if dh_prev.len() >= avx2::PANEL && avx2::enabled() {
        let (wh_t, panels) = copies.transposed_panels(wh);
        // SAFETY: `enabled` is true only where `is_x86_feature_detected!("avx2")` is.
        return unsafe { avx2::mat_vec_panels(panels, wh_t.as_slice(), da, dh_prev) };
    }
    products::mat_vec(copies.transposed(wh).as_slice(), da, dh_prev);
}

// On slices throughout: nalgebra's element iterators are several times slower in these loops.

/// Plain SGD as `rnn::sgd` computes it (`W -= η dW`), writing what each weight received,
/// `−η dW`, into `change`. Returns whether every weight is still finite, checked in the same pass.
#[must_use = "a weight that is no longer finite means the run has diverged"]
pub fn sgd(p: &mut Params, g: &Grads, learning_rate: f64, change: &mut Params) -> bool {
    use rnn_kernels::sgd::sgd as step;
    let mut finite = true;
    for ((w, dw), dw_applied) in p.values_mut().iter_mut().zip(g.values()).zip(change.values_mut()) {
        finite &= step(w.as_mut_slice(), dw.as_slice(), learning_rate, dw_applied.as_mut_slice());
    }
    finite
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rnn;

    #[test]
    fn sgd_subtracts_learning_rate_times_gradient_and_reports_the_change() {
        let mut p = rnn::zeros(2, 1, 1);
        p.as_array_mut::<5>()[1].fill(1.0); //  Wh
        let mut g = rnn::zeros(2, 1, 1);
        g.as_array_mut::<5>()[1].fill(0.5); //  dWh
        let mut change = rnn::zeros(2, 1, 1);
        assert!(sgd(&mut p, &g, 0.1, &mut change));
        assert_eq!(p.as_array::<5>()[1][(1, 0)], 1.0 - 0.1 * 0.5);
        assert_eq!(change.as_array::<5>()[1][(1, 0)], -(0.1 * 0.5));
        g.as_array_mut::<5>()[0][(1, 0)] = f64::INFINITY; //  dWx
        assert!(!sgd(&mut p, &g, 0.1, &mut change), "an infinite gradient spoils a weight");
    }

    #[test]
    fn columns_are_named_slices() {
        let mut m = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(column(&m, 1), &[2.0, 5.0]);
        let (read, write) = column_and_next(&mut m, 0);
        write.copy_from_slice(read);
        assert_eq!(column(&m, 1), &[1.0, 4.0]);
    }
}
