//! The hot loops of RNN Playground's speed layer, on plain slices: products, tanh, SGD, finiteness checks.
//!
//! A crate of its own so that the page's build (the `wasm-release` profile) can optimise these
//! loops for speed while the rest of the page is optimised for size. Everything here takes
//! slices (column-major matrices, vectors) and sums in the order the readable model
//! (`src/model/rnn.rs` of the main crate, with nalgebra) sums, so the same bits on every target.
//!
//! - [`products`]: `A x`, the fused pre-activation `(Wx x + Wh h) + b`, sums of outer products.
//! - [`tanh`] (scalar, in plain arithmetic) and [`tanh_layer`] (over a layer).
//! - [`sgd`]: `W -= η dW` with the change and a finiteness check in one pass.
//! - [`finite`]: finiteness checks that vectorise.
//! - `avx2` (x86-64 only): the same sums built for AVX2, chosen at run time; `avx2_small`: for
//!   small layers, a stretch of the epoch per call (forward steps; the blog's loss, backward
//!   step and update).

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(target_arch = "x86_64")]
pub mod avx2_small;
pub mod finite;
mod portable;
pub mod products;
pub mod sgd;
pub mod tanh;
pub mod tanh_layer;
