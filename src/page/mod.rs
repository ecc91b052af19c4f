//! The page apart from the browser: its state and runs, their logic, the URL hash, the play speeds, slow motion, present mode, the tour, the Lessons menu and the text in two languages. Plain Rust, tested natively.

pub mod app;
pub mod chart_data;
pub mod controls;
pub mod describe;
pub mod hit;
pub mod lessons;
pub mod listing;
pub mod marker;
pub mod moment;
pub mod notice;
pub mod numbers;
pub mod opening;
pub mod own_series;
pub mod playback;
pub mod present;
pub mod run;
pub mod slow_motion;
pub mod text;
pub mod tour;
pub mod url_hash;
