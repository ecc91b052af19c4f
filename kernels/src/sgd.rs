//! Plain SGD on one weight matrix as a slice: `W -= η dW`, the change and a finiteness check in one pass.
//!
//! The dispatch layer's entry point: the AVX2 build (`crate::avx2`, x86-64 only) where the CPU
//! has it, else the portable loop (`crate::portable`); both are the same loop, inlined.

use crate::portable::sgd_loop;

/// `w -= dw × lr` entry by entry, writing what each weight received, `−dw × lr`, into `change`
/// (all of equal length). Returns whether every weight is still finite, checked in the same pass.
/// Uses the AVX2 build of the same loop where the CPU has it (same operations, same bits).
#[must_use = "a weight that is no longer finite means the run has diverged"]
pub fn sgd(w: &mut [f64], dw: &[f64], lr: f64, change: &mut [f64]) -> bool {
    assert!(w.len() == dw.len() && w.len() == change.len(), "w, dw and change must have equal lengths");
    #[cfg(target_arch = "x86_64")]
    if crate::avx2::enabled() {
        // SAFETY: `enabled` is true only where `is_x86_feature_detected!("avx2")` is.
        return unsafe { crate::avx2::sgd(w, dw, lr, change) };
    }
    sgd_loop(w, dw, lr, change)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgd_subtracts_learning_rate_times_gradient_and_reports_the_change() {
        let (mut w, mut dw, mut change) = (vec![1.0; 5], vec![0.5; 5], vec![f64::NAN; 5]);
        assert!(sgd(&mut w, &dw, 0.1, &mut change));
        assert_eq!(w[3], 1.0 - 0.1 * 0.5);
        assert_eq!(change[3], -(0.1 * 0.5));
        dw[1] = f64::INFINITY;
        assert!(!sgd(&mut w, &dw, 0.1, &mut change), "an infinite gradient spoils a weight");
    }
}
