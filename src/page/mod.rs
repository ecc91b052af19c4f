//! The page's settings, apart from the model: the URL hash, the play speeds, slow motion, the tour and the text in two languages. Plain Rust, tested natively.

pub mod listing;
pub mod moment;
pub mod playback;
pub mod slow_motion;
pub mod text;
pub mod tour;
pub mod url_hash;
