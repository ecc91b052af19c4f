//! The blog's loss, backward step and update in one call, for the seed's small layers on AVX2: what the epoch's last three micro-steps compute.

use nalgebra::DMatrix;
#[cfg(target_arch = "x86_64")]
use rnn_kernels::avx2_small::{self, BlogTail, Layer};

use super::Workspace;
#[cfg(target_arch = "x86_64")]
use super::{column, takes_small_avx2_steps};
use crate::model::rnn::{Grads, Params};

impl Workspace {
    /// After the forward pass of a blog epoch (the seed's task, no clipping): the loss, the
    /// gradient `2 (h_T − y)`, the backward step through the last timestep and SGD, as the Loss,
    /// Backward and Update micro-steps compute them, into the same buffers: dh, ∂L/∂a_T,
    /// ‖∂L/∂h_T‖, the gradients, the weights and their changes. Returns the loss and whether
    /// the weights are still finite.
    ///
    /// `None`, with nothing changed, where it does not apply (a layer of more than
    /// [`SMALL`](rnn_kernels::products::SMALL) units, no AVX2, not x86-64) or the loss is not
    /// finite: the caller then takes the micro-steps one by one.
    pub fn blog_tail(
        &mut self,
        p: &mut Params,
        x_cols: &DMatrix<f64>,
        y: &[f64],
        g: &mut Grads,
        learning_rate: f64,
        change: &mut Params,
    ) -> Option<(f64, bool)> {
        #[cfg(target_arch = "x86_64")]
        if takes_small_avx2_steps(p) {
            let (t_len, h) = (self.pre.ncols(), self.dh.len());
            let (before, last) = self.hs.as_slice()[(t_len - 1) * h..].split_at(h);
            let tail = BlogTail {
                h_before: before,
                h_last: last,
                x_last: column(x_cols, t_len - 1),
                y,
                dh: self.dh.as_mut_slice(),
                da: &mut self.das.as_mut_slice()[(t_len - 1) * h..],
                weights: layer(p),
                grads: layer(g),
                change: layer(change),
                learning_rate,
            };
            // SAFETY: `takes_small_avx2_steps` is true only where `is_x86_feature_detected!("avx2")` is.
            let done = unsafe { avx2_small::small_blog_tail(tail) }?;
            self.dh_norms.fill(f64::NAN);
            self.dh_norms[t_len - 1] = self.dh.norm();
            return Some(done);
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (p, x_cols, y, g, learning_rate, change);
        None
    }
}

/// Wx, Wh and b of the plain RNN's list (its first three), as the kernel's layer.
#[cfg(target_arch = "x86_64")]
fn layer(p: &mut Params) -> Layer<'_> {
    let [wx, wh, b, ..] = p.as_array_mut::<5>();
    Layer { wx: wx.as_mut_slice(), wh: wh.as_mut_slice(), b: b.as_mut_slice() }
}
