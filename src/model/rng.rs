//! Seeded N(0, 1) draws from one portable generator: the same numbers natively and in wasm32.

use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
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
}

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
