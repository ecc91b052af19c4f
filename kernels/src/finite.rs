//! Finiteness checks that vectorise: how the speed layer notices a run going to NaN or infinity.

/// True when every value is finite. One pass with no early exit, so that it vectorises.
pub fn all_finite(values: &[f64]) -> bool {
    values_finite(values.iter().fold(0, |bits, &v| bits | non_finite_bits(v)))
}

/// The bits of `v × 0`: ±0 (all bits 0 but the sign) for every finite v, and a NaN for ±∞ and
/// NaN. OR-ed together over many values, then read by [`values_finite`], they tell whether all
/// were finite, at one multiply and one OR per vector of values: cheaper than `f64::is_finite`
/// (an integer test that does not vectorise with SSE2) or a comparison whose mask is packed.
#[inline(always)]
pub fn non_finite_bits(v: f64) -> u64 {
    (v * 0.0).to_bits()
}

/// Whether the OR of [`non_finite_bits`] over some values says every one was finite: no bit
/// is set but the sign.
#[inline(always)]
pub fn values_finite(bits: u64) -> bool {
    bits << 1 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_values_are_found() {
        assert!(all_finite(&[0.0, -1e308, 5.0]));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(!all_finite(&[1.0, bad]));
        }
    }
}
