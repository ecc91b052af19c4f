//! The page (wasm32 only).
