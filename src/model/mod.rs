//! The model: pure Rust and nalgebra, no web types. Everything here is tested natively.
//!
//! Shapes, with the standard names: T = `seq_length` timesteps, D = `input_size` features
//! per step, H = `hidden_size` hidden units. Column vectors throughout:
//! `a_t = Wx x_t + Wh h_{t-1} + b`, `h_t = tanh(a_t)`.

pub mod activation;
pub mod config;
pub mod kernels;
pub mod matrix;
pub mod rng;
pub mod rnn;
pub mod run_file;
pub mod session;

pub use config::{Config, Task, Training};
pub use rnn::Params;
pub use session::{Phase, Session};
