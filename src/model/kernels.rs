//! Column-major matrix–vector kernels on slices. Each output sums its terms first to last (as a
//! plain loop does), while the loop over outputs vectorises; no allocation, same bits everywhere.

/// `y = A x` for A (rows×cols, column-major, `a.len() == rows * x.len()`):
/// `y[i] = 0 + A[i,0] x[0] + A[i,1] x[1] + …`, summed in that order.
#[inline]
pub fn mat_vec(a: &[f64], x: &[f64], y: &mut [f64]) {
    let rows = y.len();
    debug_assert_eq!(a.len(), rows * x.len());
    y.fill(0.0);
    for (col, &xj) in a.chunks_exact(rows).zip(x) {
        for (yi, &aij) in y.iter_mut().zip(col) {
            *yi += aij * xj;
        }
    }
}

/// `M += u vᵀ` for M (u.len()×v.len(), column-major): `M[i,j] += u[i] v[j]`.
#[inline]
pub fn add_outer(m: &mut [f64], u: &[f64], v: &[f64]) {
    let rows = u.len();
    debug_assert_eq!(m.len(), rows * v.len());
    for (col, &vj) in m.chunks_exact_mut(rows).zip(v) {
        for (mij, &ui) in col.iter_mut().zip(u) {
            *mij += ui * vj;
        }
    }
}

/// `Aᵀ` of A (rows×cols, column-major), written column-major into `out` (cols×rows).
pub fn transpose_into(a: &[f64], rows: usize, out: &mut [f64]) {
    let cols = a.len() / rows.max(1);
    debug_assert_eq!(out.len(), a.len());
    for j in 0..cols {
        for i in 0..rows {
            out[i * cols + j] = a[j * rows + i];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    #[test]
    fn kernels_agree_with_nalgebra() {
        let a = DMatrix::from_fn(3, 4, |i, j| (i * 4 + j) as f64 * 0.37 - 1.1);
        let x = DVector::from_vec(vec![0.5, -1.5, 2.0, 0.25]);
        let mut y = vec![9.0; 3];
        mat_vec(a.as_slice(), x.as_slice(), &mut y);
        let expected = &a * &x;
        for (got, want) in y.iter().zip(expected.iter()) {
            assert!((got - want).abs() < 1e-14);
        }

        let mut m = a.clone();
        let u = DVector::from_vec(vec![1.0, -2.0, 0.5]);
        add_outer(m.as_mut_slice(), u.as_slice(), x.as_slice());
        assert_eq!(m, &a + &u * x.transpose());

        let mut t = vec![0.0; 12];
        transpose_into(a.as_slice(), 3, &mut t);
        assert_eq!(DMatrix::from_column_slice(4, 3, &t), a.transpose());
    }
}
