//! The hot loops of RNN Playground's speed layer, on plain slices: products, tanh, SGD, finiteness checks.
//!
//! A crate of its own so that the page's build (the `wasm-release` profile) can optimise these
//! loops for speed while the rest of the page is optimised for size. Everything here takes
//! slices (column-major matrices, vectors) and sums in the order the readable model
//! (`src/model/rnn.rs` of the main crate, with nalgebra) sums, so the same bits on every target.
//!
//! The modules form three layers, each importing only from the layers before it (never back,
//! which `tests/code_layout.rs` of the main crate checks):
//!
//! 1. Portable: [`tanh`] (scalar, in plain arithmetic), [`finite`] (finiteness checks that
//!    vectorise), and `portable`, the slice loops of the products, of tanh over a layer and of
//!    SGD, with the helpers the AVX2 builds share (`return_if_small`, the register-held loops
//!    for layers of up to [`products::SMALL`] units, `sgd_loop`).
//! 2. AVX2 (x86-64 only): `avx2`, the same sums built for AVX2 (and `avx2::enabled`, whether
//!    they run); `avx2_small`, for small layers a stretch of the epoch per call (forward
//!    steps; the blog's loss, backward step and update).
//! 3. Dispatch, the public entry points that pick the AVX2 build at run time or else the
//!    portable loop: [`products`] (`A x`, the fused pre-activation `(Wx x + Wh h) + b`, sums of
//!    outer products), [`tanh_layer`] (tanh over a layer) and [`sgd`] (`W -= η dW` with the
//!    change and a finiteness check in one pass).

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
