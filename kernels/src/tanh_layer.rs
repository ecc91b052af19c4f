//! tanh over a whole layer: the scalar [`tanh`](crate::tanh::tanh) in a loop that vectorises, with an AVX2 build on x86-64.
//!
//! The dispatch layer's entry point: the AVX2 build (`crate::avx2`, x86-64 only) where the CPU
//! has it, else the portable loop (`crate::portable`).

use crate::portable::tanh_loop;

/// `h = tanh(a)` entry by entry (`a` and `h` of equal length).
///
/// tanh is the one transcendental of the model and most of a small network's work, so natively
/// on x86-64 this loop is also compiled for AVX2, used when the CPU has it: four lanes instead
/// of SSE2's two, three-operand instructions, and for layers of up to
/// [`SMALL`](crate::products::SMALL) units a loop of known length. It is the same IEEE
/// operations in the same order (AVX2 brings no FMA), so the same bits.
pub fn tanh_layer(a: &[f64], h: &mut [f64]) {
    assert_eq!(a.len(), h.len(), "a and h must have equal lengths");
    #[cfg(target_arch = "x86_64")]
    if crate::avx2::enabled() {
        // SAFETY: `enabled` is true only where `is_x86_feature_detected!("avx2")` is.
        return unsafe { crate::avx2::tanh_layer(a, h) };
    }
    tanh_loop(a, h);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tanh::tanh;

    /// The layer version (AVX2 where the CPU has it) gives the scalar function's bits, at
    /// every small length and a large one, on inputs across every branch.
    #[test]
    fn a_layer_of_tanh_gives_the_same_bits_as_tanh_one_by_one() {
        let inputs: Vec<f64> = (0..4000)
            .map(|i| {
                let u = (i as f64 * 0.618_033_988_75).fract() * 2.0 - 1.0;
                u * [0.1, 0.7, 3.0, 25.0, 1e-8][i % 5]
            })
            .chain([0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 19.1, -19.1, 0.625, -0.625])
            .collect();
        for len in (1..=20).chain([128, 1000]) {
            for a in inputs.chunks(len) {
                // The layer as this CPU runs it (AVX2 where present), and the portable loop that
                // CPUs without AVX2 and wasm run.
                let (mut h, mut portable) = (vec![0.5; a.len()], vec![0.5; a.len()]);
                tanh_layer(a, &mut h);
                tanh_loop(a, &mut portable);
                for ((&x, &got), &also) in a.iter().zip(&h).zip(&portable) {
                    assert_eq!(got.to_bits(), tanh(x).to_bits(), "tanh({x}) in a layer of {len}");
                    assert_eq!(also.to_bits(), tanh(x).to_bits(), "tanh({x}) in a portable layer of {len}");
                }
            }
        }
    }
}
