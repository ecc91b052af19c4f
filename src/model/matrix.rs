//! Matrix helpers: rows-of-numbers conversion (the run file's layout) and resizing that keeps the overlap.

use nalgebra::{DMatrix, DVector};

use super::rng::Normal;

/// A matrix as an array of rows, like `numpy.ndarray.tolist()`.
pub fn to_rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    m.row_iter().map(|row| row.iter().copied().collect()).collect()
}

/// An array of rows as a matrix. The caller has checked that every row has `cols` entries.
pub fn from_rows(rows: &[Vec<f64>], cols: usize) -> DMatrix<f64> {
    DMatrix::from_fn(rows.len(), cols, |i, j| rows[i][j])
}

/// `m` resized to rows×cols: the overlapping block is kept, new cells come from `fill`,
/// drawn row by row over the new cells only.
pub fn resized(m: &DMatrix<f64>, rows: usize, cols: usize, mut fill: impl FnMut() -> f64) -> DMatrix<f64> {
    resized_in_blocks(m, 1, rows, cols, &mut |_| fill())
}

/// `m`, rows stacked in `blocks` equal blocks (a gated cell's gates), resized to rows×cols
/// block by block: each block's overlap kept, new cells from `fill` (given the block's index),
/// block after block, each row by row over its new cells only.
pub fn resized_in_blocks(
    m: &DMatrix<f64>,
    blocks: usize,
    rows: usize,
    cols: usize,
    fill: &mut dyn FnMut(usize) -> f64,
) -> DMatrix<f64> {
    let (old_block, new_block) = (m.nrows() / blocks.max(1), rows / blocks.max(1));
    let mut out = DMatrix::zeros(rows, cols);
    for k in 0..blocks {
        for i in 0..new_block {
            for j in 0..cols {
                let kept = i < old_block && j < m.ncols();
                out[(k * new_block + i, j)] = if kept { m[(k * old_block + i, j)] } else { fill(k) };
            }
        }
    }
    out
}

/// `v` resized to `n` entries: the first ones kept, new ones from `fill`.
pub fn resized_vector(v: &DVector<f64>, n: usize, mut fill: impl FnMut() -> f64) -> DVector<f64> {
    DVector::from_fn(n, |i, _| if i < v.len() { v[i] } else { fill() })
}

/// `m` resized, new cells drawn from N(0, 1).
pub fn resized_normal(m: &DMatrix<f64>, rows: usize, cols: usize, rng: &mut Normal) -> DMatrix<f64> {
    resized(m, rows, cols, || rng.draw())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip() {
        let m = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let rows = to_rows(&m);
        assert_eq!(rows, vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]]);
        assert_eq!(from_rows(&rows, 3), m);
    }

    #[test]
    fn resizing_keeps_the_overlap_and_fills_the_rest_row_by_row() {
        let m = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
        let mut next = 10.0;
        let grown = resized(&m, 3, 3, || {
            next += 1.0;
            next
        });
        let expected = DMatrix::from_row_slice(3, 3, &[1.0, 2.0, 11.0, 3.0, 4.0, 12.0, 13.0, 14.0, 15.0]);
        assert_eq!(grown, expected);
        let shrunk = resized(&grown, 1, 2, || unreachable!("shrinking draws nothing"));
        assert_eq!(shrunk, DMatrix::from_row_slice(1, 2, &[1.0, 2.0]));
    }
}
