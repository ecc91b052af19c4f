//! In the browser this starts the page; natively it is the command line (`rnn-playground run SPEC.json`).

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    rnn_playground::cli::main();
    #[cfg(target_arch = "wasm32")]
    rnn_playground::web::start();
}
