//! A network's parameters as one named list: what each one is (name, symbol, shape, gate blocks, how it starts) and its values, in the list's order.
//!
//! A cell declares its list once (the plain RNN's is [`crate::model::rnn::PARAMS`]: Wx, Wh, b,
//! then the output layer's Wy, by). Everything that treats the parameters alike (clipping,
//! SGD, zeroing, finiteness, resizing, the run file, the gradient check, the page's tooltips
//! and code hovers) loops over that list instead of naming fields. Gradients and the change an
//! update made have the same shapes, so they are lists of the same kind ([`Grads`]).
//!
//! Every parameter is held as a matrix, column-major; a vector (b, by) is a matrix of one column.

use nalgebra::DMatrix;
use rnn_kernels::finite::all_finite;

use super::config::Init;
use super::matrix;
use super::rng::Normal;

/// The sizes a parameter's shape is made from: H hidden units, D inputs, O outputs (0: none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub h: usize,
    pub d: usize,
    pub o: usize,
}

/// One side of a parameter's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim {
    /// H (times the gate blocks, for the rows).
    Hidden,
    /// D.
    Input,
    /// O.
    Output,
    /// 1: the parameter is a vector.
    One,
}

impl Dim {
    /// This side's length for `s`.
    pub fn of(self, s: Sizes) -> usize {
        match self {
            Dim::Hidden => s.h,
            Dim::Input => s.d,
            Dim::Output => s.o,
            Dim::One => 1,
        }
    }

    /// How the run file's messages name this side.
    pub fn described(self) -> &'static str {
        match self {
            Dim::Hidden => "hidden_size",
            Dim::Input => "input_size",
            Dim::Output => "the task's outputs",
            Dim::One => "1",
        }
    }
}

/// How the weights stream gives a parameter its starting values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// All zeros; drawn from nothing.
    Zero,
    /// N(0, 1), row by row, and with the scaled init times this scale.
    Normal(Scale),
    /// A gated cell's bias: 0, except its gate block `block`, which starts at the keep bias
    /// (given to [`Params::init`] and [`Params::resized`]), negated when `negative`: the LSTM's forget gate at +keep bias
    /// keeps c, the GRU's update gate at −keep bias keeps h. Drawn from nothing.
    KeepBias { block: usize, negative: bool },
}

impl Start {
    /// A new entry's starting value in gate block `block` when nothing is drawn (0, or the keep
    /// bias in the keep block); `None` when it is drawn from N(0, 1).
    fn undrawn(self, block: usize, keep_bias: f64) -> Option<f64> {
        match self {
            Start::Zero => Some(0.0),
            Start::Normal(_) => None,
            Start::KeepBias { block: keep, negative } if keep == block => {
                Some(if negative { -keep_bias } else { keep_bias })
            }
            Start::KeepBias { .. } => Some(0.0),
        }
    }
}

/// The scaled init's factor for one parameter (the unscaled init uses N(0, 1) as drawn).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// 1/√D: an input weight.
    ByInput,
    /// g/√H with g = `init_scale`: a recurrent weight, so that ρ ≈ g.
    ByGain,
    /// 1/√H: a weight reading the hidden state (the output layer).
    ByHidden,
}

/// What one parameter is: its names, its shape, its gate blocks and how it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// The run file's key and the numpy name in lower case: "wx".
    pub name: &'static str,
    /// How the page and the listing write it: "Wx".
    pub symbol: &'static str,
    /// Its gradient's: "dWx".
    pub grad_symbol: &'static str,
    /// Rows: `blocks` blocks of this length (a gated cell stacks one block per gate).
    pub rows: Dim,
    pub cols: Dim,
    /// Gate blocks stacked in the rows (1 for the plain RNN).
    pub blocks: usize,
    pub start: Start,
}

impl ParamSpec {
    /// Wx, input → the cell's `blocks` gate blocks, (blocks·H)×D; from N(0, 1), scaled by 1/√D.
    pub const fn input_weights(blocks: usize) -> ParamSpec {
        ParamSpec {
            name: "wx",
            symbol: "Wx",
            grad_symbol: "dWx",
            rows: Dim::Hidden,
            cols: Dim::Input,
            blocks,
            start: Start::Normal(Scale::ByInput),
        }
    }

    /// Wh, hidden → the cell's `blocks` gate blocks, (blocks·H)×H; from N(0, 1), scaled by g/√H.
    pub const fn recurrent_weights(blocks: usize) -> ParamSpec {
        ParamSpec {
            name: "wh",
            symbol: "Wh",
            grad_symbol: "dWh",
            cols: Dim::Hidden,
            start: Start::Normal(Scale::ByGain),
            ..Self::input_weights(blocks)
        }
    }

    /// b, the biases of the cell's `blocks` gate blocks, blocks·H, starting as `start` says.
    pub const fn bias(blocks: usize, start: Start) -> ParamSpec {
        ParamSpec { name: "b", symbol: "b", grad_symbol: "db", cols: Dim::One, start, ..Self::input_weights(blocks) }
    }

    /// (rows, columns) for sizes `s`.
    pub fn shape(&self, s: Sizes) -> (usize, usize) {
        (self.blocks * self.rows.of(s), self.cols.of(s))
    }

    /// Whether it is a vector (the run file writes it flat).
    pub fn is_vector(&self) -> bool {
        self.cols == Dim::One
    }

    /// Whether it belongs to the output layer (absent from a run file without one).
    pub fn is_output(&self) -> bool {
        self.rows == Dim::Output
    }

    /// The scaled init's factor: 1/√D, g/√H or 1/√H.
    fn scale(&self, scale: Scale, init_scale: f64, s: Sizes) -> f64 {
        match scale {
            Scale::ByInput => 1.0 / (s.d as f64).sqrt(),
            Scale::ByGain => init_scale / (s.h as f64).sqrt(),
            Scale::ByHidden => 1.0 / (s.h as f64).sqrt(),
        }
    }
}

/// A network's parameters (or their gradients, or an update's change): one matrix per entry
/// of the cell's list, in its order.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    specs: &'static [ParamSpec],
    sizes: Sizes,
    values: Vec<DMatrix<f64>>,
}

/// The gradient of the loss with respect to each parameter: the same list, the same shapes.
pub type Grads = Params;

impl Params {
    /// All zeros, shaped by `specs` for sizes `s`.
    pub fn zeros(specs: &'static [ParamSpec], s: Sizes) -> Self {
        let mut values = Vec::with_capacity(specs.len());
        for spec in specs {
            let (rows, cols) = spec.shape(s);
            values.push(DMatrix::zeros(rows, cols));
        }
        Self { specs, sizes: s, values }
    }

    /// The given values, one per entry of `specs` (shapes checked).
    pub fn from_values(specs: &'static [ParamSpec], s: Sizes, values: Vec<DMatrix<f64>>) -> Self {
        let fits = values.len() == specs.len() && specs.iter().zip(&values).all(|(spec, v)| v.shape() == spec.shape(s));
        assert!(fits, "one value per parameter, each of its shape");
        Self { specs, sizes: s, values }
    }

    /// Starting weights: N(0, 1) draws from `rng` for each parameter that starts from them, in
    /// the list's order, each row by row (all of a parameter's gate blocks at once, top to
    /// bottom); with the scaled init each is then multiplied by its scale. The others draw
    /// nothing: 0, or a gated cell's keep bias in its keep block.
    pub fn init(
        specs: &'static [ParamSpec],
        init: Init,
        init_scale: f64,
        keep_bias: f64,
        s: Sizes,
        rng: &mut Normal,
    ) -> Self {
        let mut p = Self::zeros(specs, s);
        for (spec, value) in specs.iter().zip(&mut p.values) {
            match spec.start {
                Start::Normal(scale) => {
                    let (rows, cols) = spec.shape(s);
                    *value = rng.matrix(rows, cols);
                    if init == Init::Scaled {
                        *value *= spec.scale(scale, init_scale, s);
                    }
                }
                start => {
                    let block_rows = spec.rows.of(s);
                    value.row_iter_mut().enumerate().for_each(|(i, mut row)| {
                        row.fill(start.undrawn(i / block_rows.max(1), keep_bias).unwrap_or(0.0))
                    });
                }
            }
        }
        p
    }

    /// These parameters resized to `s`, block by block: each block's overlap kept, new entries
    /// drawn from `rng` (row by row, in the list's order) where the parameter starts from
    /// N(0, 1), and where it does not as it starts (0, or the keep bias in a keep block).
    pub fn resized(&self, s: Sizes, keep_bias: f64, rng: &mut Normal) -> Self {
        let mut values = Vec::with_capacity(self.specs.len());
        for (spec, m) in self.iter() {
            values.push(resized_by_spec(spec, m, s, keep_bias, rng));
        }
        Self { specs: self.specs, sizes: s, values }
    }

    /// The list these parameters follow.
    pub fn specs(&self) -> &'static [ParamSpec] {
        self.specs
    }

    /// (H, D, O).
    pub fn sizes(&self) -> Sizes {
        self.sizes
    }

    /// Each parameter with what it is, in the list's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static ParamSpec, &DMatrix<f64>)> {
        self.specs.iter().zip(&self.values)
    }

    /// The values, in the list's order.
    pub fn values(&self) -> &[DMatrix<f64>] {
        &self.values
    }

    /// The values, to change, in the list's order (their entries: each keeps its shape).
    pub fn values_mut(&mut self) -> &mut [DMatrix<f64>] {
        &mut self.values
    }

    /// The values as an array of the list's length, for a cell's own code to name them:
    /// `let [wx, wh, b, wy, by] = p.as_array();`.
    pub fn as_array<const N: usize>(&self) -> &[DMatrix<f64>; N] {
        debug_assert_eq!(self.values.len(), N, "the cell's list has N parameters");
        self.values.first_chunk().expect("the cell's list has N parameters")
    }

    /// [`Params::as_array`], to change.
    pub fn as_array_mut<const N: usize>(&mut self) -> &mut [DMatrix<f64>; N] {
        debug_assert_eq!(self.values.len(), N, "the cell's list has N parameters");
        self.values.first_chunk_mut().expect("the cell's list has N parameters")
    }

    /// The parameter named `name` in the run file ("wx"), if the list has it.
    pub fn get(&self, name: &str) -> Option<&DMatrix<f64>> {
        Some(&self.values[self.specs.iter().position(|spec| spec.name == name)?])
    }

    /// [`Params::get`], to change.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut DMatrix<f64>> {
        Some(&mut self.values[self.specs.iter().position(|spec| spec.name == name)?])
    }

    /// The parameter whose symbol is `symbol` ("Wx"), if the list has it.
    pub fn by_symbol(&self, symbol: &str) -> Option<&DMatrix<f64>> {
        Some(&self.values[self.specs.iter().position(|spec| spec.symbol == symbol)?])
    }

    /// The first parameter with an entry that is not finite, by its symbol ("Wx"; for gradients
    /// `as_gradient`, "dWx").
    pub fn first_non_finite(&self, as_gradient: bool) -> Option<&'static str> {
        let spec = &self.specs[self.values.iter().position(|m| !all_finite(m.as_slice()))?];
        Some(if as_gradient { spec.grad_symbol } else { spec.symbol })
    }

    /// Sets every entry to 0 without reallocating: where a backward pass starts adding.
    pub fn fill_zero(&mut self) {
        for m in &mut self.values {
            m.as_mut_slice().fill(0.0);
        }
    }

    /// `√(Σ ‖W‖²)` over the whole list, as one vector: each parameter's squared norm, added in
    /// the list's order.
    pub fn global_norm(&self) -> f64 {
        let mut sum = 0.0;
        for m in &self.values {
            sum += m.norm_squared();
        }
        sum.sqrt()
    }

    /// Every entry times `factor`.
    pub fn scale(&mut self, factor: f64) {
        for m in &mut self.values {
            *m *= factor;
        }
    }

    /// O, the outputs (0: no output layer).
    pub fn output_size(&self) -> usize {
        self.sizes.o
    }
}

/// `m` (shaped by `spec`) resized to sizes `s` block by block, as [`Params::resized`] says.
fn resized_by_spec(spec: &ParamSpec, m: &DMatrix<f64>, s: Sizes, keep_bias: f64, rng: &mut Normal) -> DMatrix<f64> {
    let (rows, cols) = spec.shape(s);
    matrix::resized_in_blocks(m, spec.blocks, rows, cols, &mut |block| {
        spec.start.undrawn(block, keep_bias).unwrap_or_else(|| rng.draw())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rng::Stream;

    const SPECS: [ParamSpec; 2] = [
        ParamSpec {
            name: "w",
            symbol: "W",
            grad_symbol: "dW",
            rows: Dim::Hidden,
            cols: Dim::Input,
            blocks: 2,
            start: Start::Normal(Scale::ByInput),
        },
        ParamSpec {
            name: "b",
            symbol: "b",
            grad_symbol: "db",
            rows: Dim::Hidden,
            cols: Dim::One,
            blocks: 2,
            start: Start::Zero,
        },
    ];

    #[test]
    fn shapes_come_from_the_sizes_and_the_blocks() {
        let p = Params::zeros(&SPECS, Sizes { h: 3, d: 2, o: 0 });
        let shapes: Vec<_> = p.values().iter().map(|m| m.shape()).collect();
        assert_eq!(shapes, vec![(6, 2), (6, 1)]);
        assert!(SPECS[1].is_vector() && !SPECS[0].is_vector());
    }

    #[test]
    fn resizing_keeps_each_blocks_overlap() {
        let mut rng = Normal::new(1, Stream::Weights);
        let p = Params::init(&SPECS, Init::Unscaled, 1.0, 1.0, Sizes { h: 2, d: 1, o: 0 }, &mut rng);
        let grown = p.resized(Sizes { h: 3, d: 1, o: 0 }, 1.0, &mut rng);
        let (w, big) = (&p.values()[0], &grown.values()[0]);
        // Block 1 is rows 0..2 before and 0..3 after; block 2 rows 2..4 before and 3..6 after.
        assert_eq!((big[(0, 0)], big[(1, 0)]), (w[(0, 0)], w[(1, 0)]));
        assert_eq!((big[(3, 0)], big[(4, 0)]), (w[(2, 0)], w[(3, 0)]));
        assert!(grown.values()[1].iter().all(|&v| v == 0.0), "biases start at 0");
    }

    #[test]
    fn the_global_norm_covers_every_parameter() {
        let mut g = Params::zeros(&SPECS, Sizes { h: 1, d: 1, o: 0 });
        g.values_mut()[0][(0, 0)] = 3.0;
        g.values_mut()[1][(1, 0)] = 4.0;
        assert_eq!(g.global_norm(), 5.0);
        g.scale(0.5);
        assert_eq!(g.global_norm(), 2.5);
        assert_eq!(g.first_non_finite(true), None);
        g.values_mut()[1][(0, 0)] = f64::NAN;
        assert_eq!((g.first_non_finite(true), g.first_non_finite(false)), (Some("db"), Some("b")));
    }
}
