//! tanh in plain arithmetic, so that every target computes the same bits (within 2 ulp of libm).
//!
//! `f64::tanh` calls the platform's maths library natively but a different one in wasm, and
//! their last bits differ. `libm::tanh` is portable but takes ~25 ns, which dominates small
//! networks. This version uses only `+ − × ÷` and bit operations (which IEEE 754 rounds the
//! same way everywhere; Rust never fuses them into FMA), has no data-dependent branches, so a
//! loop over a layer vectorises, and is tested against `libm::tanh` to within 2 ulp.

/// Below this |x|, a rational approximation (Cephes) avoids the cancellation of `1 − 2/(e^{2x}+1)`.
const SMALL: f64 = 0.625;
/// Above this |x|, tanh(x) rounds to ±1 in f64.
const SATURATED: f64 = 19.1;

const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const LOG2_E: f64 = core::f64::consts::LOG2_E;
/// Adding then subtracting 1.5·2^52 rounds to the nearest integer without a libm call.
const ROUND: f64 = 6_755_399_441_055_744.0;

/// fdlibm's e_exp.c minimax coefficients: for |r| ≤ ln2/2, `e^r = 1 + 2r/(2 − c)` with
/// `c = r − r²(P1 + r²(P2 + r²(P3 + r²(P4 + r² P5))))`, error below 2^-59.
const P: [f64; 5] = [
    1.666_666_666_666_660_2e-1,
    -2.777_777_777_701_559_3e-3,
    6.613_756_321_437_934e-5,
    -1.653_390_220_546_525_2e-6,
    4.138_136_797_057_238_5e-8,
];

/// `2 / (e^v + 1)` for 0 ≤ v ≤ 2·SATURATED, or NaN for NaN, with one division: v = n ln2 + r
/// (Cody–Waite), e^v = 2^n (d + 2r)/d with d = 2 − c (fdlibm), so
/// `2/(e^v + 1) = 2d / (2^n (d + 2r) + d)`. Returns (numerator, denominator).
#[inline(always)]
fn two_over_exp_plus_one(v: f64) -> (f64, f64) {
    let shifted = v * LOG2_E + ROUND;
    let n = shifted - ROUND;
    let r = (v - n * LN2_HI) - n * LN2_LO;
    // The low bits of `shifted` hold n as an integer: build 2^n from them with integer
    // operations only (an f64 → i64 conversion would stop the loop from vectorising).
    let n_bits = shifted.to_bits().wrapping_sub(ROUND.to_bits());
    let scale = f64::from_bits(n_bits.wrapping_add(1023) << 52);
    let t = r * r;
    let c = r - t * (P[0] + t * (P[1] + t * (P[2] + t * (P[3] + t * P[4]))));
    let d = 2.0 - c;
    (2.0 * d, scale * (d + 2.0 * r) + d)
}

/// tanh(x), odd, exact at 0, ±1 beyond |x| > 19.1, NaN for NaN.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    // Computed for |x|, the sign put back at the end (IEEE rounding is symmetric, so this is
    // what computing with x itself would give, and tanh(−0) = −0).
    let y = x.abs();
    // Small |x|: tanh y = y + y·z·P(z)/Q(z), z = y² (Cephes tanh.c, relative error ~2e-17).
    let z = y * y;
    let p = (-9.643_991_794_250_523e-1 * z - 9.928_772_310_019_186e1) * z - 1.614_687_684_417_084_5e3;
    let q = ((z + 1.128_116_784_916_329_3e2) * z + 2.235_488_390_601_004_6e3) * z + 4.844_063_053_251_255e3;
    // Larger |x|: 1 − 2/(e^{2y} + 1). The clamp keeps NaN (a comparison with NaN is false).
    let (two_d, e_plus_one) = two_over_exp_plus_one(2.0 * if y > SATURATED { SATURATED } else { y });
    // One division serves whichever branch applies (a division costs as much as the rest).
    // Every choice is a bit-mask select, not a jump: with random inputs a jump is
    // mispredicted half the time, and selects let a loop over a layer vectorise.
    let is_small = y < SMALL;
    let ratio = select(is_small, y * z * p, two_d) / select(is_small, q, e_plus_one);
    let r = select(is_small, y + ratio, 1.0 - ratio);
    select(y > SATURATED, 1.0, r).copysign(x)
}

/// `if c { a } else { b }` as bit operations, so the compiler keeps it free of jumps.
#[inline(always)]
fn select(c: bool, a: f64, b: f64) -> f64 {
    let mask = (c as u64).wrapping_neg();
    f64::from_bits((a.to_bits() & mask) | (b.to_bits() & !mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn tanh_is_within_two_ulp_of_libm_everywhere_that_matters() {
        let mut worst = (0, 0.0);
        let mut x = -25.0;
        while x < 25.0 {
            let d = ulps(tanh(x), libm::tanh(x));
            if d > worst.0 {
                worst = (d, x);
            }
            x += 0.000_731;
        }
        for k in -300..0 {
            let x = 10f64.powi(k / 10) * 1.2345;
            for x in [x, -x] {
                let d = ulps(tanh(x), libm::tanh(x));
                if d > worst.0 {
                    worst = (d, x);
                }
            }
        }
        assert!(worst.0 <= 2, "{} ulp at x = {}", worst.0, worst.1);
        println!("worst: {} ulp at x = {}", worst.0, worst.1);
    }

    #[test]
    fn tanh_is_odd_exact_at_zero_and_saturates() {
        assert_eq!(tanh(0.0), 0.0);
        assert!(tanh(-0.0).is_sign_negative());
        assert_eq!(tanh(30.0), 1.0);
        assert_eq!(tanh(-1e300), -1.0);
        assert_eq!(tanh(f64::INFINITY), 1.0);
        assert!(tanh(f64::NAN).is_nan());
        for x in [0.1, 0.7, 3.0, 12.0] {
            assert_eq!(tanh(-x), -tanh(x));
        }
    }
}
