//! Seeded draws (N(0, 1), uniform) from one portable generator: the same numbers natively and in wasm32.

use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Independent streams of one seed, so that giving `x` explicitly does not shift the weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Inputs `x` (row by row) then the target `y`.
    Data = 0,
    /// `Wx` (row by row) then `Wh`.
    Weights = 1,
    /// The new entries that growing a size adds.
    Resize = 2,
    /// Fresh data: epoch e's sequence starts at word e · 2³² of this stream.
    Fresh = 3,
}

/// Words of the [`Stream::Fresh`] stream set aside for each epoch's sequence (2³²: far more than
/// the at most T·D ≤ 10⁶ draws of one sequence take).
pub const WORDS_PER_EPOCH: u128 = 1 << 32;

/// A stream of standard-normal numbers. ChaCha8 is a named generator whose output is fixed
/// for good (unlike `StdRng`), and `rand_distr` samples it with `libm`, not the platform's maths.
#[derive(Clone, Debug)]
pub struct Normal(ChaCha8Rng);

impl Normal {
    pub fn new(seed: u64, stream: Stream) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream as u64);
        Self(rng)
    }

    /// The generator of fresh data for epoch `e` (0-based, counted from the seed's first
    /// epoch): stream [`Stream::Fresh`] of `seed`, from word `e` · [`WORDS_PER_EPOCH`]. A
    /// function of (seed, e) alone, so epoch 5,000 needs no replay of the epochs before it.
    pub fn for_epoch(seed: u64, e: u64) -> Self {
        let mut draws = Self::new(seed, Stream::Fresh);
        draws.0.set_word_pos(e as u128 * WORDS_PER_EPOCH);
        draws
    }

    /// One draw from U(0, 1): the top 53 bits of the next 64-bit word, times 2⁻⁵³.
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// One draw from U(lo, hi).
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// A whole number uniform in [0, n) (n ≥ 1): the high word of the next 64-bit word times n
    /// (Lemire's method without its rejection step; the bias is below n / 2⁶⁴).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// One draw from N(0, 1).
    pub fn draw(&mut self) -> f64 {
        StandardNormal.sample(&mut self.0)
    }

    /// A rows×cols matrix of draws, filled row by row like `numpy.random.randn(rows, cols)`.
    pub fn matrix(&mut self, rows: usize, cols: usize) -> DMatrix<f64> {
        let values: Vec<f64> = (0..rows * cols).map(|_| self.draw()).collect();
        DMatrix::from_row_slice(rows, cols, &values)
    }

    /// A vector of `n` draws.
    pub fn vector(&mut self, n: usize) -> DVector<f64> {
        DVector::from_fn(n, |_, _| self.draw())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_stream_give_the_same_draws() {
        let a = Normal::new(7, Stream::Data).matrix(3, 4);
        let b = Normal::new(7, Stream::Data).matrix(3, 4);
        assert_eq!(a, b);
    }

    #[test]
    fn streams_and_seeds_are_independent() {
        let data = Normal::new(7, Stream::Data).vector(5);
        let weights = Normal::new(7, Stream::Weights).vector(5);
        let other_seed = Normal::new(8, Stream::Data).vector(5);
        assert_ne!(data, weights);
        assert_ne!(data, other_seed);
    }

    #[test]
    fn an_epochs_fresh_draws_depend_on_the_seed_and_the_epoch_alone() {
        let later = Normal::for_epoch(7, 5000).vector(4);
        assert_eq!(later, Normal::for_epoch(7, 5000).vector(4));
        assert_ne!(later, Normal::for_epoch(7, 4999).vector(4));
        assert_ne!(later, Normal::for_epoch(8, 5000).vector(4));
        let mut rng = Normal::for_epoch(1, 0);
        let u: Vec<f64> = (0..10_000).map(|_| rng.uniform()).collect();
        assert!(u.iter().all(|&v| (0.0..1.0).contains(&v)));
        assert!((u.iter().sum::<f64>() / 1e4 - 0.5).abs() < 0.01);
        let k: Vec<usize> = (0..10_000).map(|_| rng.below(3)).collect();
        assert!((0..3).all(|i| k.iter().filter(|&&v| v == i).count() > 3000));
    }

    #[test]
    fn draws_look_standard_normal() {
        let mut rng = Normal::new(1, Stream::Data);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.draw()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }
}
