//! `cargo bench --bench peak`: the machine's multiply–add rate without FMA (AVX2 `vmulpd` + `vaddpd`), the yardstick for BPTT's products.
//!
//! The kernel is the ideal form of the model's largest product, `y = A x` for a column-major
//! A: eight AVX2 registers of running sums (32 rows) stay in registers while the columns are
//! folded in, one load of A per four multiply–adds, every sum in column order as the model's.
//! Two sizes: A = 128×128 f64 (Wh at H = 128, 128 KB: streams from L2, as Wh, Whᵀ and dWh do
//! in a BPTT epoch) and 128×32 (Wx at D = 32, 32 KB: stays in L1). Prints one JSON object per
//! line, `{"case": "peak_l2_128x128", "gmadd_per_s": …}`, the median of five ~0.3 s rounds.
//! Detected at run time like the model's AVX2 paths; prints nothing on a CPU without AVX2.

#[cfg(target_arch = "x86_64")]
use std::hint::black_box;
#[cfg(target_arch = "x86_64")]
use std::time::Instant;

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::_mm256_storeu_pd;
    use std::arch::x86_64::{_mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_setzero_pd};

    /// `y = A x` (A rows×x.len(), column-major, rows a multiple of 32), 32 rows at a time.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub fn mat_vec(a: &[f64], x: &[f64], y: &mut [f64]) {
        let rows = y.len();
        assert!(rows.is_multiple_of(32) && a.len() == rows * x.len(), "rows a multiple of 32");
        for i in (0..rows).step_by(32) {
            let mut acc = [_mm256_setzero_pd(); 8];
            for (j, &xj) in x.iter().enumerate() {
                let xv = _mm256_set1_pd(xj);
                let col = a[j * rows + i..j * rows + i + 32].as_ptr();
                for (k, acc) in acc.iter_mut().enumerate() {
                    // SAFETY: 4k + 3 < 32, inside the slice taken above.
                    *acc = _mm256_add_pd(*acc, _mm256_mul_pd(unsafe { _mm256_loadu_pd(col.add(4 * k)) }, xv));
                }
            }
            let out = y[i..i + 32].as_mut_ptr();
            for (k, acc) in acc.into_iter().enumerate() {
                // SAFETY: 4k + 3 < 32, inside the slice taken above.
                unsafe { _mm256_storeu_pd(out.add(4 * k), acc) };
            }
        }
    }
}

/// Median over `rounds` rounds of multiply–adds per second (in G) of `y = A x`, A rows×cols.
#[cfg(target_arch = "x86_64")]
fn rate(rows: usize, cols: usize, rounds: usize) -> f64 {
    let a: Vec<f64> = (0..rows * cols).map(|k| ((k * 37 % 101) as f64 - 50.0) * 0.01).collect();
    let xs: Vec<Vec<f64>> = (0..4).map(|s| (0..cols).map(|j| ((j + s) % 7) as f64 * 0.1 - 0.3).collect()).collect();
    let mut y = vec![0.0; rows];
    let mut rounds: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let mut products = 0usize;
            while start.elapsed().as_secs_f64() < 0.3 {
                for x in &xs {
                    for _ in 0..64 {
                        // SAFETY: main calls this only after is_x86_feature_detected!("avx2").
                        unsafe { avx2::mat_vec(black_box(&a), black_box(x), &mut y) };
                        black_box(&mut y);
                    }
                }
                products += 4 * 64;
            }
            (products * rows * cols) as f64 / start.elapsed().as_secs_f64() / 1e9
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --benches` passes `--test`: nothing to measure then.
    let measuring = !args.iter().any(|a| a == "--test" || a == "--list");
    // `-- --rounds N`: the median of N rounds instead of five.
    let rounds = args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(5);
    #[cfg(target_arch = "x86_64")]
    if measuring && std::arch::is_x86_feature_detected!("avx2") {
        for (name, rows, cols) in [("peak_l2_128x128", 128, 128), ("peak_l1_128x32", 128, 32)] {
            println!("{{\"case\": \"{name}\", \"gmadd_per_s\": {:.2}}}", rate(rows, cols, usize::max(rounds, 1)));
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (measuring, rounds);
}
