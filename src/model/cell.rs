//! What a recurrent cell declares: its parameters as one named list, its recurrent matrix, the weight the twin run moves, its state (h, and c for a cell with a memory), and its step forward and back.
//!
//! The plain RNN ([`crate::model::rnn::Rnn`], `src/model/rnn.rs`), the LSTM (`lstm.rs`) and the
//! GRU (`gru.rs`) are the cells; their fast twins are in `src/model/fast/`, tested equal to them
//! bit for bit. [`AnyCell`] is the one a config chooses. Code outside a cell's own files
//! reaches its parameters only through this interface and the list ([`crate::model::params`]).
//! See the README's "Adding a cell" for the files a new cell touches.

use nalgebra::{DMatrix, DVector};

use super::config::{CellKind, Config};
use super::gru::Gru;
use super::lstm::Lstm;
use super::params::{ParamSpec, Params};
use super::rnn::Rnn;

/// What a cell carries from one step to the next: the hidden state h (H), which the output
/// layer reads, and for a cell with a memory apart from h (the LSTM) its cell state c (H).
/// The plain RNN's c is empty.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub h: DVector<f64>,
    pub c: DVector<f64>,
}

impl State {
    /// The state of a cell without a memory: h alone.
    pub fn of_h(h: DVector<f64>) -> State {
        State { h, c: DVector::zeros(0) }
    }
}

/// A recurrent cell, `(h_t, c_t) = cell(x_t, h_{t-1}, c_{t-1})`, with an output layer
/// `ŷ_t = Wy h_t + by`.
pub trait Cell {
    /// The parameters, the cell's then the output layer's: the run file's keys, the page's
    /// symbols, the shapes from (H, D, O), the gate blocks and how each one starts.
    fn params(&self) -> &'static [ParamSpec];

    /// The recurrent matrix, hidden → hidden (H×H): ρ of it tells whether the gradient through
    /// many steps fades or grows. For a gated cell, the block that makes the state's candidate
    /// (the LSTM's g, the GRU's h̃).
    fn recurrent(&self, p: &Params) -> DMatrix<f64>;

    /// The weight the twin run moves, as (index in the list, row, column): one every task has.
    fn twin_weight(&self) -> (usize, usize, usize);

    /// The names of the gate blocks stacked in the rows of its pre-activation (and of Wx, Wh
    /// and b), in order; empty for a cell of one block (the plain RNN).
    fn blocks(&self) -> &'static [&'static str] {
        &[]
    }

    /// The state a sequence starts from, given h_0 (H): h_0, and c_0 = 0 for a cell with a memory.
    fn initial_state(&self, h0: &DVector<f64>) -> State {
        State::of_h(h0.clone())
    }

    /// One forward step from x_t (D) and the state before it: what the step computes before
    /// its output (the pre-activation, H for the plain RNN) and the state after it.
    fn step(&self, p: &Params, x_t: &DVector<f64>, prev: &State) -> (DVector<f64>, State);

    /// One step backward, mirroring [`Cell::step`]: from the step's x_t, the states before and
    /// after it, and ∂L with respect to the state after it (∂L/∂h_t, and ∂L/∂c_t for a cell
    /// with a memory), adds the step's share of the cell's gradients to `g` and returns ∂L with
    /// respect to the state before it.
    fn step_backward(&self, p: &Params, step: (&DVector<f64>, &State, &State), d: &State, g: &mut Params) -> State;

    /// For the equation view: the terms that add up to unit `i`'s pre-activation at a forward
    /// step from x_t (D) and h_{t-1} (H), each with its value (the plain RNN's are Wx x_t,
    /// Wh h_{t-1} and b).
    fn forward_terms(&self, p: &Params, x_t: &[f64], h_prev: &[f64], i: usize) -> Vec<f64>;
}

/// The cell a run trains, chosen by `config.cell` (and for the plain RNN `config.activation`):
/// each method is the chosen cell's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyCell {
    Rnn(Rnn),
    Lstm(Lstm),
    Gru(Gru),
}

impl AnyCell {
    /// The cell `config` asks for.
    pub fn of(config: &Config) -> Self {
        match config.cell() {
            CellKind::Rnn => AnyCell::Rnn(Rnn { activation: config.activation() }),
            CellKind::Lstm => AnyCell::Lstm(Lstm),
            CellKind::Gru => AnyCell::Gru(Gru),
        }
    }

    /// The chosen cell as the trait.
    fn inner(&self) -> &dyn Cell {
        match self {
            AnyCell::Rnn(c) => c,
            AnyCell::Lstm(c) => c,
            AnyCell::Gru(c) => c,
        }
    }
}

impl Cell for AnyCell {
    fn params(&self) -> &'static [ParamSpec] {
        self.inner().params()
    }

    fn recurrent(&self, p: &Params) -> DMatrix<f64> {
        self.inner().recurrent(p)
    }

    fn twin_weight(&self) -> (usize, usize, usize) {
        self.inner().twin_weight()
    }

    fn blocks(&self) -> &'static [&'static str] {
        self.inner().blocks()
    }

    fn initial_state(&self, h0: &DVector<f64>) -> State {
        self.inner().initial_state(h0)
    }

    fn step(&self, p: &Params, x_t: &DVector<f64>, prev: &State) -> (DVector<f64>, State) {
        self.inner().step(p, x_t, prev)
    }

    fn step_backward(&self, p: &Params, step: (&DVector<f64>, &State, &State), d: &State, g: &mut Params) -> State {
        self.inner().step_backward(p, step, d, g)
    }

    fn forward_terms(&self, p: &Params, x_t: &[f64], h_prev: &[f64], i: usize) -> Vec<f64> {
        self.inner().forward_terms(p, x_t, h_prev, i)
    }
}
