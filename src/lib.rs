//! RNN Playground: a small recurrent network you can step through, as a library for the page and the command line.

pub mod model;
pub mod page;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod web;
