//! Present mode for a class: which of the seven panels it shows, as a link writes them (`panels=2,4,6,7`).

/// How many panels the page has, numbered 1 … 7 as on the page.
pub const PANEL_COUNT: usize = 7;

/// The page's panels by number (panel n at n − 1), by their element ids: the panels Present
/// mode shows or hides, and those slow motion lights.
pub const PANEL_IDS: [&str; PANEL_COUNT] =
    ["panel-x", "panel-hidden", "panel-output", "panel-loss", "panel-weights", "panel-grad", "panel-eq"];

/// A set of the page's panels, by their numbers 1 … 7 (bit n − 1 is panel n). Never empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panels(u8);

impl Default for Panels {
    /// The hidden state (2), the loss (4), the gradient per timestep (6) and the step just run
    /// (7): what a lesson on recurrence points at, large enough for a room at 1280×720.
    fn default() -> Self {
        Panels::of(&[2, 4, 6, 7])
    }
}

impl Panels {
    const ALL: u8 = (1 << PANEL_COUNT) - 1;

    /// The panels numbered in `numbers` (numbers outside 1 … 7 are left out); the default set
    /// when none is left.
    pub fn of(numbers: &[usize]) -> Panels {
        let bits = numbers.iter().filter(|n| (1..=PANEL_COUNT).contains(n)).fold(0u8, |bits, n| bits | 1 << (n - 1));
        if bits == 0 { Panels::default() } else { Panels(bits) }
    }

    /// Whether panel `n` (1 … 7) is shown.
    pub fn shows(self, n: usize) -> bool {
        (1..=PANEL_COUNT).contains(&n) && self.0 & 1 << (n - 1) != 0
    }

    /// How many panels are shown.
    pub fn count(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Panel `n` shown if hidden, hidden if shown; the last one shown stays.
    pub fn toggled(self, n: usize) -> Panels {
        if !(1..=PANEL_COUNT).contains(&n) {
            return self;
        }
        let bits = self.0 ^ 1 << (n - 1);
        if bits == 0 { self } else { Panels(bits & Panels::ALL) }
    }

    /// As a link writes it: the numbers in order, comma-separated (`2,4,6,7`).
    pub fn text(self) -> String {
        let shown: Vec<String> = (1..=PANEL_COUNT).filter(|&n| self.shows(n)).map(|n| n.to_string()).collect();
        shown.join(",")
    }

    /// Reads [`Panels::text`]: `None` unless every item is a panel number.
    pub fn from_text(text: &str) -> Option<Panels> {
        let numbers: Option<Vec<usize>> = text.split(',').map(|n| n.trim().parse().ok()).collect();
        numbers
            .filter(|ns| !ns.is_empty() && ns.iter().all(|n| (1..=PANEL_COUNT).contains(n)))
            .map(|ns| Panels::of(&ns))
    }

    /// The grid that holds them, as (columns, rows): side by side up to three, then in two rows.
    pub fn grid(self) -> (usize, usize) {
        match self.count() {
            n @ 0..=3 => (n.max(1), 1),
            4 => (2, 2),
            n => (n.div_ceil(2), 2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_reads_back_as_it_is_written() {
        let p = Panels::of(&[7, 2, 4]);
        assert_eq!(p.text(), "2,4,7");
        assert_eq!(Panels::from_text("2,4,7"), Some(p));
        assert_eq!(Panels::from_text(" 1 , 3"), Some(Panels::of(&[1, 3])));
        for bad in ["", "0", "8", "2,x", "2,,4", "-1"] {
            assert_eq!(Panels::from_text(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_last_panel_shown_stays() {
        let one = Panels::of(&[4]);
        assert_eq!(one.toggled(4), one);
        assert_eq!(one.toggled(5), Panels::of(&[4, 5]));
        assert_eq!(Panels::of(&[4, 5]).toggled(4), Panels::of(&[5]));
        assert_eq!(one.toggled(9), one);
        assert_eq!(Panels::of(&[]), Panels::default());
    }

    #[test]
    fn the_grid_holds_every_panel_shown() {
        for bits in 1..=Panels::ALL {
            let p = Panels(bits);
            let (columns, rows) = p.grid();
            assert!(columns * rows >= p.count() && columns * rows < p.count() + columns, "{bits:b}: {columns}×{rows}");
        }
        assert_eq!(Panels::default().grid(), (2, 2));
        assert_eq!(Panels::of(&[2, 4]).grid(), (2, 1));
    }
}
