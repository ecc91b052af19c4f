//! Where each step's gradient came from, for the epoch on show: the norms of `rnn::gradient_parts`, for a loss at every step.

use nalgebra::DVector;

use super::{Phase, Session};
use crate::model::cell::{AnyCell, State};
use crate::model::config::LossAt;
use crate::model::rnn::{self, Forward, Rnn};
use crate::model::tasks;
use crate::model::unrolled;

impl Session {
    /// For a loss at every step: `norms[t][s]` = ‖the part of ∂L/∂h_t sent back by the loss at
    /// step s‖ (0-based, zero for s < t), T×T, for the epoch whose backward pass is on show.
    /// `None` for other tasks, and during a forward pass (no backward pass to show yet).
    ///
    /// Between epochs the update has run, so the weights it used are taken back as `W − ΔW`
    /// (a display: equal to the backward pass's own to rounding).
    pub fn gradient_sources(&self) -> Option<Vec<Vec<f64>>> {
        let before_update = matches!(self.phase, Phase::Backward { .. } | Phase::Update);
        if self.config.loss_at() != LossAt::EveryOutput || !(before_update || self.shows_last_epoch()) {
            return None;
        }
        let mut p = self.params.clone();
        if !before_update {
            for (w, dw) in p.values_mut().iter_mut().zip(self.change.values()) {
                *w = &*w - dw;
            }
        }
        let columns =
            |m: &nalgebra::DMatrix<f64>| -> Vec<DVector<f64>> { m.column_iter().map(|c| c.into_owned()).collect() };
        let fwd = Forward {
            h: columns(self.hidden_states()),
            a: columns(self.pre_activations()),
            y_hat: columns(self.y_hat()?),
        };
        // With fresh data, y already holds the next epoch's sequence between epochs.
        let y = if before_update { &self.y } else { self.last_epoch_y.as_ref().unwrap_or(&self.y) };
        let target = tasks::target(self.config.loss_at(), y, self.config.output_size());
        let dl = rnn::loss_gradient(&fwd, &target);
        let parts = match self.cell() {
            AnyCell::Rnn(Rnn { activation: crate::model::Activation::Tanh }) => rnn::gradient_parts(&p, &fwd, &dl),
            // Any other cell: its own backward step, through h and c, from the epoch's start.
            cell => {
                let start = State { h: fwd.h[0].clone(), c: self.cell_states().column(0).into_owned() };
                let un = unrolled::forward(&cell, &p, &self.x(), &start);
                unrolled::gradient_parts(&cell, &p, &self.x(), &un, &dl)
            }
        };
        Some(parts.iter().map(|row| row.iter().map(DVector::norm).collect()).collect())
    }
}
