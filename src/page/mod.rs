//! The page's settings, apart from the model: the URL hash and the play speeds. Plain Rust, tested natively.

pub mod moment;
pub mod playback;
pub mod url_hash;
