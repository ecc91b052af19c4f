//! Hover areas as plain data: a chart's grid of cells in CSS pixels, which panel's values it shows, and the cell under the pointer.

/// A grid of cells in CSS pixels, returned by a chart so the page can tell which cell the
/// pointer is over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub rows: usize,
    pub cols: usize,
}

impl Grid {
    /// The (row, column) under the point (CSS pixels in the canvas), if any.
    pub fn cell_at(&self, px: f64, py: f64) -> Option<(usize, usize)> {
        if px < self.x || py < self.y || px >= self.x + self.w || py >= self.y + self.h {
            return None;
        }
        let col = ((px - self.x) / self.w * self.cols as f64) as usize;
        let row = ((py - self.y) / self.h * self.rows as f64) as usize;
        Some((row.min(self.rows - 1), col.min(self.cols - 1)))
    }
}

/// What a hovered cell shows: which panel's matrix or curve it is a cell of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoverSource {
    X,
    HiddenNow,
    HiddenHistory,
    /// The LSTM's cell states c_1 … c_T.
    CellStates,
    /// A gated cell's gates per timestep, their blocks stacked in the rows.
    Gates,
    Output,
    Loss,
    /// A weight of the cell, by its index in the parameter list.
    Weight(usize),
    /// The change the last update made to the parameter at this index in the list.
    Change(usize),
    Gradient,
    /// A label on the loss chart standing for `.1` change markers from index `.0`.
    Markers(usize, usize),
    /// The sine's sequence: read for T steps, then run free for T more.
    Sequence,
    /// A parameter of the output layer (Wy or by), by its index in the parameter list.
    OutputWeights(usize),
    /// The twin run's distance per epoch.
    Twin,
}

/// A hoverable grid on one canvas.
#[derive(Clone, Debug)]
pub struct HitArea {
    pub canvas: &'static str,
    pub grid: Grid,
    pub source: HoverSource,
}

/// The hovered cell under (`x`, `y`) (CSS pixels) of `canvas` among `areas`: what it shows,
/// its row and its column.
pub fn hovered(areas: &[HitArea], canvas: &str, x: f64, y: f64) -> Option<(HoverSource, usize, usize)> {
    areas
        .iter()
        .filter(|h| h.canvas == canvas)
        .find_map(|h| h.grid.cell_at(x, y).map(|(row, col)| (h.source, row, col)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_found_under_the_pointer() {
        let g = Grid { x: 10.0, y: 20.0, w: 100.0, h: 50.0, rows: 5, cols: 10 };
        assert_eq!(g.cell_at(10.0, 20.0), Some((0, 0)));
        assert_eq!(g.cell_at(109.9, 69.9), Some((4, 9)));
        assert_eq!(g.cell_at(9.0, 30.0), None);
    }

    #[test]
    fn the_first_area_of_the_canvas_under_the_pointer_answers() {
        let grid = Grid { x: 0.0, y: 0.0, w: 10.0, h: 10.0, rows: 1, cols: 1 };
        let areas = [
            HitArea { canvas: "canvas-loss", grid, source: HoverSource::Markers(0, 2) },
            HitArea { canvas: "canvas-loss", grid, source: HoverSource::Loss },
            HitArea { canvas: "canvas-x", grid, source: HoverSource::X },
        ];
        assert_eq!(hovered(&areas, "canvas-loss", 5.0, 5.0), Some((HoverSource::Markers(0, 2), 0, 0)));
        assert_eq!(hovered(&areas, "canvas-x", 5.0, 5.0), Some((HoverSource::X, 0, 0)));
        assert_eq!(hovered(&areas, "canvas-grad", 5.0, 5.0), None);
    }
}
