//! Finiteness checks that vectorise: how the speed layer notices a run going to NaN or infinity.

/// True when every value is finite. One pass with no early exit, so that it vectorises.
pub fn all_finite(values: &[f64]) -> bool {
    values.iter().fold(true, |finite, &v| finite & is_finite(v))
}

/// `v.is_finite()` as a floating-point comparison, which vectorises on every target (the
/// integer test behind `f64::is_finite` does not with SSE2): `v × 0` is ±0 for every finite v
/// and NaN for ±∞ and NaN.
#[inline(always)]
pub fn is_finite(v: f64) -> bool {
    v * 0.0 == 0.0
}

/// The name of the first of `parts` holding a NaN or an infinity.
pub fn first_non_finite<'a>(parts: &[(&'a str, &[f64])]) -> Option<&'a str> {
    parts.iter().find(|(_, values)| !all_finite(values)).map(|&(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_values_are_found_and_named() {
        assert!(all_finite(&[0.0, -1e308, 5.0]));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(!all_finite(&[1.0, bad]));
        }
        assert_eq!(first_non_finite(&[("Wx", &[1.0]), ("Wh", &[f64::NAN]), ("b", &[f64::INFINITY])]), Some("Wh"));
        assert_eq!(first_non_finite(&[("Wx", &[1.0]), ("Wh", &[2.0]), ("b", &[3.0])]), None);
    }
}
