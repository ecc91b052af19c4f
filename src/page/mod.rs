//! The page's settings, apart from the model: the URL hash, the play speeds and the text in two languages. Plain Rust, tested natively.

pub mod listing;
pub mod moment;
pub mod playback;
pub mod text;
pub mod url_hash;
