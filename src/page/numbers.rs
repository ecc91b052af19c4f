//! Numbers as the page prints them beside their names: fixed decimals while that reads well, scientific notation when the value is huge or tiny.

/// `v` with `places` decimals, or with three significant digits in scientific notation when
/// |v| ≥ 1e5 or 0 < |v| < 1e-3, so that a blown-up or vanishing value stays short: "0.532000",
/// "4.56e-21", "1.23e259". Not a number and the infinities as [`sci`] writes them.
pub fn fixed_or_sci(v: f64, places: usize) -> String {
    if v == 0.0 || (1e-3..1e5).contains(&v.abs()) { format!("{v:.places$}") } else { sci(v) }
}

/// Three significant digits in scientific notation: "4.56e-21"; NaN, ∞ and −∞ as the maths
/// writes them, in any language.
pub fn sci(v: f64) -> String {
    match v {
        v if v.is_nan() => "NaN".into(),
        f64::INFINITY => "∞".into(),
        f64::NEG_INFINITY => "−∞".into(),
        v => format!("{v:.2e}"),
    }
}

/// A compact number for chart labels and the equation: 3 significant digits, an exponent when
/// very small or large.
pub fn compact(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if !v.is_finite() {
        format!("{v}")
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
        format!("{v:.digits$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_tiny_values_stay_short() {
        assert_eq!(fixed_or_sci(0.532, 6), "0.532000");
        assert_eq!(fixed_or_sci(99_999.0, 2), "99999.00");
        assert_eq!(fixed_or_sci(1e5, 6), "1.00e5");
        assert_eq!(fixed_or_sci(-4.5678e-21, 6), "-4.57e-21");
        assert_eq!(fixed_or_sci(1.234e259, 6), "1.23e259");
        assert_eq!((fixed_or_sci(0.0, 3), fixed_or_sci(f64::INFINITY, 6)), ("0.000".into(), "∞".into()));
        assert_eq!(sci(f64::NEG_INFINITY), "−∞");
        assert_eq!(fixed_or_sci(f64::NAN, 6), "NaN");
        assert!(fixed_or_sci(f64::MAX, 6).len() < 12);
    }
}
