//! What a recurrent cell declares: its parameters as one named list, its recurrent matrix, the weight the twin run moves, and its step.
//!
//! The plain RNN ([`crate::model::rnn::Rnn`], `src/model/rnn.rs`) is the first cell; its fast
//! twin is `src/model/fast/`, tested equal to it bit for bit. Code outside a cell's own files
//! reaches its parameters only through this interface and the list ([`crate::model::params`]).
//! See the README's "Adding a cell" for the files a new cell touches.

use nalgebra::{DMatrix, DVector};

use super::params::{ParamSpec, Params};

/// A recurrent cell, `h_t = cell(x_t, h_{t-1})`, with an output layer `ŷ_t = Wy h_t + by`.
pub trait Cell {
    /// The parameters, the cell's then the output layer's: the run file's keys, the page's
    /// symbols, the shapes from (H, D, O), the gate blocks and how each one starts.
    fn params(&self) -> &'static [ParamSpec];

    /// The recurrent matrix, hidden → hidden (H×H for the plain RNN): ρ of it tells whether the
    /// gradient through many steps fades or grows.
    fn recurrent<'p>(&self, p: &'p Params) -> &'p DMatrix<f64>;

    /// The weight the twin run moves, as (index in the list, row, column): one every task has.
    fn twin_weight(&self) -> (usize, usize, usize);

    /// One forward step from x_t (D) and h_{t-1} (H): what the step computes before its
    /// output (the pre-activation, H) and h_t (H).
    fn step(&self, p: &Params, x_t: &DVector<f64>, h_prev: &DVector<f64>) -> (DVector<f64>, DVector<f64>);

    /// One step backward, mirroring [`Cell::step`]: from the step's (x_t, h_{t-1}, h_t) and
    /// ∂L/∂h_t (H), adds the step's share of the cell's gradients to `g` and returns ∂L/∂h_{t-1}.
    fn step_backward(
        &self,
        p: &Params,
        step: (&DVector<f64>, &DVector<f64>, &DVector<f64>),
        dh: &DVector<f64>,
        g: &mut Params,
    ) -> DVector<f64>;

    /// For the equation view: the terms that add up to unit `i`'s pre-activation at a forward
    /// step from x_t (D) and h_{t-1} (H), each with its value (the plain RNN's are Wx x_t,
    /// Wh h_{t-1} and b).
    fn forward_terms(&self, p: &Params, x_t: &[f64], h_prev: &[f64], i: usize) -> Vec<f64>;
}
