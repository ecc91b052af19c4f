//! The model: pure Rust and nalgebra, no web types. Everything here is tested natively.
//!
//! Shapes, with the standard names: T = `seq_length` timesteps, D = `input_size` features
//! per step, H = `hidden_size` hidden units. Column vectors throughout:
//! `a_t = Wx x_t + Wh h_{t-1} + b`, `h_t = tanh(a_t)`.
//!
//! - [`rnn`]: the network written to be read, forward and backward side by side; the first
//!   [`cell::Cell`], whose parameters are one named list ([`params`]).
//! - [`lstm`], [`gru`]: the gated cells, written the same way; [`unrolled`]: any cell over a
//!   sequence, forward and back through h and c.
//! - [`fast`]: the same arithmetic, fast; tested equal to [`rnn`], [`lstm`] and [`gru`].
//! - [`session`]: an epoch as micro-steps the page can show one at a time.
//! - [`tasks`]: the data of each task, [`series`] the learner's own sequence for one of them; [`check`]: the gradient check against central differences.
//! - [`health`]: training gone wrong without a NaN (runaway weights, saturated tanh), chaos.
//! - [`twin`]: a second copy one weight apart, trained in lockstep, to measure chaos.
//! - [`config`] and [`settings`]: what a run is set to, each setting's key, range and spellings once.
//! - [`run_file`], [`rng`], [`matrix`], [`tanh`]: files, random numbers, helpers.

pub mod cell;
pub mod check;
pub mod config;
pub mod fast;
pub mod gru;
pub mod health;
pub mod lstm;
pub mod matrix;
pub mod numpy_comments;
pub mod numpy_script;
pub mod params;
pub mod rng;
pub mod rnn;
pub mod run_file;
pub mod series;
pub mod session;
pub mod settings;
pub mod tanh;
pub mod tasks;
pub mod twin;
pub mod unrolled;

pub use config::{Activation, CellKind, Config, DataMode, Init, LossAt, Task, Training};
pub use rnn::{Grads, Params};
pub use session::{Phase, Session};
