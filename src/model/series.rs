//! The learner's own sequence for the next-value task: numbers pasted or a curve drawn, read, checked and written for links.
//!
//! A series s_0 … s_{n−1} replaces the built-in waves: each epoch reads a window of T + 1
//! consecutive values (x_t = s_{start+t−1}, y_t = s_{start+t}, t = 1 … T; see `tasks`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most values a series may hold.
pub const MAX_SERIES_LEN: usize = 10_000;
/// Largest |value| a series may hold.
pub const MAX_SERIES_VALUE: f64 = 1e6;
/// Points a drawn curve is resampled to.
pub const DRAWN_POINTS: usize = 200;
/// Most values a link carries (longer series: Download run).
pub const MAX_LINK_VALUES: usize = 400;

/// The values, s_0 … s_{n−1}.
#[derive(Clone, Debug, PartialEq)]
pub struct Series(Vec<f64>);

/// Why a text is not a series: the first bad item and its 1-based position where there is one.
#[derive(Clone, Debug, PartialEq)]
pub enum SeriesError {
    /// No number at all.
    Empty,
    /// Fewer than `need` numbers (T + 1 for a window of T steps and their targets).
    TooFew { got: usize, need: usize },
    /// More than [`MAX_SERIES_LEN`].
    TooMany { got: usize },
    /// An item that is not a number.
    NotANumber { position: usize, item: String },
    /// An item that is NaN or ±∞ (`1e309` overflows to ∞).
    NotFinite { position: usize, item: String },
    /// An item beyond ±[`MAX_SERIES_VALUE`].
    TooLarge { position: usize, item: String },
}

impl std::fmt::Display for SeriesError {
    /// In English, for the command line and run files (the page says it in its own words).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SeriesError::Empty => write!(f, "holds no number"),
            SeriesError::TooFew { got, need } => write!(f, "needs at least {need} values (T + 1), got {got}"),
            SeriesError::TooMany { got } => write!(f, "may hold at most {MAX_SERIES_LEN} values, got {got}"),
            SeriesError::NotANumber { position, item } => write!(f, "item {position}, \"{item}\", is not a number"),
            SeriesError::NotFinite { position, item } => write!(f, "item {position}, \"{item}\", is not finite"),
            SeriesError::TooLarge { position, item } => {
                write!(f, "item {position}, \"{item}\", is beyond ±{MAX_SERIES_VALUE:e}")
            }
        }
    }
}

/// Whether `c` separates items: commas (also the full-width ，and 、), spaces (also the
/// full-width one), tabs, new lines.
fn is_separator(c: char) -> bool {
    c == ',' || c == '，' || c == '、' || c == '\u{3000}' || c.is_ascii_whitespace()
}

impl Series {
    /// Reads numbers separated by commas, spaces or new lines (runs of separators count as
    /// one), as Rust reads them (`1e-3`, `-.5`), and checks them as [`Series::check`] does;
    /// the first bad item is named with its position.
    pub fn parse(text: &str, need: usize) -> Result<Series, SeriesError> {
        let items: Vec<&str> = text.split(is_separator).filter(|s| !s.is_empty()).collect();
        let shown = |i: usize| items[i].chars().take(20).collect::<String>();
        let mut values = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let v = item.parse().map_err(|_| SeriesError::NotANumber { position: i + 1, item: shown(i) })?;
            values.push(v);
        }
        let series = Series(values);
        series.check_naming(need, shown)?;
        Ok(series)
    }

    /// Whether the series keeps the limits: at least `need` values (T + 1), at most
    /// [`MAX_SERIES_LEN`], each finite within ±[`MAX_SERIES_VALUE`].
    pub fn check(&self, need: usize) -> Result<(), SeriesError> {
        self.check_naming(need, |i| self.0[i].to_string())
    }

    /// [`Series::check`], naming the bad item `i` (0-based) as `item(i)`.
    fn check_naming(&self, need: usize, item: impl Fn(usize) -> String) -> Result<(), SeriesError> {
        if let Some(i) = self.0.iter().position(|v| !v.is_finite()) {
            return Err(SeriesError::NotFinite { position: i + 1, item: item(i) });
        }
        if let Some(i) = self.0.iter().position(|v| v.abs() > MAX_SERIES_VALUE) {
            return Err(SeriesError::TooLarge { position: i + 1, item: item(i) });
        }
        match self.0.len() {
            0 => Err(SeriesError::Empty),
            got if got < need => Err(SeriesError::TooFew { got, need }),
            got if got > MAX_SERIES_LEN => Err(SeriesError::TooMany { got }),
            _ => Ok(()),
        }
    }

    /// A curve drawn left to right, `points` (x, v) in the order drawn with v growing upward:
    /// sampled at [`DRAWN_POINTS`] evenly spaced x from the leftmost to the rightmost point.
    /// Each stroke between two points sets the samples it spans, linearly, so where the pen
    /// went back the later stroke wins; samples no stroke spans lie on the line between their
    /// neighbours. Then scaled so the lowest value is −1 and the highest +1 (a flat line is 0)
    /// and rounded to 3 decimals, so the page, the link and the run file hold the same numbers.
    /// `None` for fewer than two distinct x.
    pub fn from_drawing(points: &[(f64, f64)]) -> Option<Series> {
        let points: Vec<(f64, f64)> = points.iter().copied().filter(|(x, v)| x.is_finite() && v.is_finite()).collect();
        let x0 = points.iter().fold(f64::INFINITY, |m, p| m.min(p.0));
        let x1 = points.iter().fold(f64::NEG_INFINITY, |m, p| m.max(p.0));
        if x1 <= x0 {
            return None;
        }
        let last = (DRAWN_POINTS - 1) as f64;
        let mut samples: Vec<Option<f64>> = vec![None; DRAWN_POINTS];
        for pair in points.windows(2) {
            let ((ka, va), (kb, vb)) =
                (((pair[0].0 - x0) / (x1 - x0) * last, pair[0].1), ((pair[1].0 - x0) / (x1 - x0) * last, pair[1].1));
            let (from, to) = (ka.min(kb).ceil() as usize, ka.max(kb).floor() as usize);
            for (k, sample) in samples.iter_mut().enumerate().take(to + 1).skip(from) {
                let along = if kb == ka { 1.0 } else { (k as f64 - ka) / (kb - ka) };
                *sample = Some(va + (vb - va) * along);
            }
        }
        // The first and last samples are set (a stroke ends at x0 and one at x1): fill between.
        let set: Vec<(usize, f64)> = samples.iter().enumerate().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
        let mut values = vec![0.0; DRAWN_POINTS];
        for pair in set.windows(2) {
            let ((ka, va), (kb, vb)) = (pair[0], pair[1]);
            for (k, value) in values.iter_mut().enumerate().take(kb + 1).skip(ka) {
                *value = va + (vb - va) * (k - ka) as f64 / (kb - ka) as f64;
            }
        }
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let scaled = values.iter().map(|v| if hi > lo { 2.0 * (v - lo) / (hi - lo) - 1.0 } else { 0.0 });
        Some(Series(scaled.map(|v| (v * 1000.0).round() / 1000.0 + 0.0).collect()))
    }

    pub fn values(&self) -> &[f64] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a value lies outside [−1, 1], where tanh's h cannot go (Wy and by still can).
    pub fn leaves_unit_range(&self) -> bool {
        self.0.iter().any(|v| v.abs() > 1.0)
    }

    /// The link's value: thousandths as whole numbers after `m` when every value is one
    /// within ±1,000 (`m12,-500,1000`: a drawn curve), else the numbers as Rust prints them (the shortest
    /// that reads back the same bits), comma-separated. `None` past [`MAX_LINK_VALUES`].
    pub fn to_link(&self) -> Option<String> {
        if self.len() > MAX_LINK_VALUES {
            return None;
        }
        let thousandths: Option<Vec<String>> = self
            .0
            .iter()
            .map(|v| {
                let k = (v * 1000.0).round();
                (k / 1000.0 == *v && k.abs() <= MAX_SERIES_VALUE).then(|| format!("{}", k as i64))
            })
            .collect();
        Some(match thousandths {
            Some(ks) => format!("m{}", ks.join(",")),
            None => self.0.iter().map(f64::to_string).collect::<Vec<_>>().join(","),
        })
    }

    /// Reads [`Series::to_link`]'s value (k/1000 is the nearest double to the decimal, as
    /// reading `0.123` gives), checked as [`Series::parse`] checks.
    pub fn from_link(text: &str, need: usize) -> Result<Series, SeriesError> {
        let Some(ks) = text.strip_prefix('m') else {
            return Series::parse(text, need);
        };
        let parsed = Series::parse(ks, need)?;
        if let Some(i) = parsed.0.iter().position(|k| k.fract() != 0.0) {
            return Err(SeriesError::NotANumber { position: i + 1, item: parsed.0[i].to_string() });
        }
        Ok(Series(parsed.0.iter().map(|k| k / 1000.0).collect()))
    }
}

impl Serialize for Series {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Series {
    /// Any array of numbers; its limits are checked with the rest of the config.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<f64>::deserialize(d).map(Series)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<f64>, SeriesError> {
        Series::parse(text, 3).map(|s| s.values().to_vec())
    }

    #[test]
    fn pasted_numbers_split_on_commas_spaces_and_new_lines() {
        assert_eq!(parse("1, 2,3\n4\t-.5  1e-3"), Ok(vec![1.0, 2.0, 3.0, 4.0, -0.5, 0.001]));
        assert_eq!(parse("0.1，0.2、0.3"), Ok(vec![0.1, 0.2, 0.3]), "full-width commas");
        assert_eq!(parse(",,1,,2,\n\n3,"), Ok(vec![1.0, 2.0, 3.0]), "runs of separators are one");
    }

    #[test]
    fn every_bad_paste_is_refused_naming_its_first_bad_item() {
        assert_eq!(parse(""), Err(SeriesError::Empty));
        assert_eq!(parse(" \n, "), Err(SeriesError::Empty));
        assert_eq!(parse("0.5"), Err(SeriesError::TooFew { got: 1, need: 3 }));
        assert_eq!(parse("1 2 wave 3"), Err(SeriesError::NotANumber { position: 3, item: "wave".into() }));
        assert_eq!(parse("1 NaN 2"), Err(SeriesError::NotFinite { position: 2, item: "NaN".into() }));
        assert_eq!(parse("1 2 3 1e309"), Err(SeriesError::NotFinite { position: 4, item: "1e309".into() }));
        assert_eq!(parse("-inf 1 2"), Err(SeriesError::NotFinite { position: 1, item: "-inf".into() }));
        assert_eq!(parse("1 2 -2e6"), Err(SeriesError::TooLarge { position: 3, item: "-2e6".into() }));
        assert_eq!(parse("1; 2; 3"), Err(SeriesError::NotANumber { position: 1, item: "1;".into() }));
        let many = vec!["0.5"; MAX_SERIES_LEN + 2].join(" ");
        assert_eq!(parse(&many), Err(SeriesError::TooMany { got: MAX_SERIES_LEN + 2 }));
        assert_eq!(parse(&vec!["0.5"; MAX_SERIES_LEN].join(",")).map(|v| v.len()), Ok(MAX_SERIES_LEN));
        assert!(SeriesError::NotANumber { position: 3, item: "wave".into() }.to_string().contains("item 3"));
    }

    #[test]
    fn a_drawing_is_resampled_scaled_to_one_and_rounded() {
        // Left to right, then the pen goes back over the right part: the later strokes win.
        let points = [(0.0, 0.0), (100.0, 10.0), (199.0, 0.0), (150.0, 20.0), (120.0, 20.0)];
        let s = Series::from_drawing(&points).unwrap();
        assert_eq!(s.len(), DRAWN_POINTS);
        let v = s.values();
        assert_eq!((v[0], v[50], v[130], v[199]), (-1.0, -0.5, 1.0, -1.0));
        assert!(v.iter().all(|x| (x * 1000.0).round() / 1000.0 == *x), "3 decimals");
        let sparse = Series::from_drawing(&[(0.0, 0.0), (1.0, 1.0)]).unwrap();
        assert_eq!(sparse.values()[100], 0.005, "between two points, on the line between them");
        assert_eq!(Series::from_drawing(&[(1.0, 2.0), (1.0, 3.0)]), None, "no width");
        assert_eq!(Series::from_drawing(&[]), None);
        let flat = Series::from_drawing(&[(0.0, 4.0), (1.0, 4.0)]).unwrap();
        assert!(flat.values().iter().all(|v| *v == 0.0 && v.is_sign_positive()));
    }

    #[test]
    fn a_link_holds_the_same_bits() {
        let drawn = Series::from_drawing(&[(0.0, 0.0), (1.0, 3.0), (2.0, -1.0)]).unwrap();
        let link = drawn.to_link().unwrap();
        assert!(link.starts_with('m'), "{link}");
        assert_eq!(Series::from_link(&link, 2), Ok(drawn));
        let pasted = Series::parse("0.1 2.5e-7 -3 123456.789", 2).unwrap();
        let link = pasted.to_link().unwrap();
        assert_eq!(link, "0.1,0.00000025,-3,123456.789");
        assert_eq!(Series::from_link(&link, 2), Ok(pasted));
        assert_eq!(Series::from_link("m1,2.5,3", 2), Err(SeriesError::NotANumber { position: 2, item: "2.5".into() }));
        let large = Series::parse("5000 -1 0", 2).unwrap();
        assert_eq!(Series::from_link(&large.to_link().unwrap(), 2), Ok(large));
        let long = Series::parse(&vec!["1"; MAX_LINK_VALUES + 1].join(","), 2).unwrap();
        assert_eq!(long.to_link(), None);
    }
}
