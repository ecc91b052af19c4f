//! tanh in plain arithmetic, so that every target computes the same bits (within 2 ulp of libm): the kernel crate's, under the model's name.
//!
//! It lives in the `rnn-kernels` crate (kernels/src/tanh.rs, where it is explained and tested)
//! because the speed layer's tanh over a layer is built from it there; `rnn.rs` and `tasks.rs`
//! use it from here.

pub use rnn_kernels::tanh::tanh;
