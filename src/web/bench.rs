//! The in-page benchmark (`?bench`): training speed and frame time at the largest sizes, written as JSON to `#bench-result`.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{dom, view};
use crate::model::{CellKind, Config, Session, Training};
use crate::page::app::App;

/// The work measured: BPTT at T = 100, D = 32, H = 128 (the page's largest sizes).
pub fn bench_config() -> Config {
    Config { seq_length: 100, input_size: 32, hidden_size: 128, training: Training::Bptt, ..Config::default() }
}

/// Runs the benchmark shortly after the first frame, so the page is laid out.
pub fn schedule(app: Rc<RefCell<App>>) {
    // Frames skip everything while the benchmark runs: write the page's text (and show a page
    // that waits for its Japanese) first.
    super::language::show();
    app.borrow_mut().start_benchmark();
    let run = Closure::once(move || {
        let result = measure(&mut app.borrow_mut());
        dom::set_text("bench-result", &result);
        app.borrow_mut().finish_benchmark();
    });
    let _ = dom::window().set_timeout_with_callback_and_timeout_and_arguments_0(run.as_ref().unchecked_ref(), 300);
    run.forget();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_unstable_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `v` to `places` decimals, as the result reports it.
fn rounded(v: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (v * scale).round() / scale
}

/// Trains whole epochs, five at a time, for about `ms` milliseconds; returns epochs per second.
fn train_for(session: &mut Session, ms: f64) -> f64 {
    let (start, mut epochs) = (dom::now_ms(), 0);
    while dom::now_ms() - start < ms {
        session.run_epochs(5);
        epochs += 5;
    }
    epochs as f64 / ((dom::now_ms() - start) / 1000.0)
}

fn measure(app: &mut App) -> String {
    let config = bench_config();
    // Training: whole epochs for about 1.5 s, after 3 s of warming up. V8 first runs wasm from
    // its baseline compiler and swaps in optimised code once a function is hot; a learner who
    // trains for minutes gets the optimised code, and native is timed after a warm-up too. The
    // warm-up's own rate is reported beside it.
    let mut session = Session::new(&config);
    let warm_up_epochs_per_s = train_for(&mut session, 3000.0);
    let epochs_per_s = train_for(&mut session, 1500.0);

    let (times, panels) = match frames(app, session, config.seq_length) {
        Ok(measured) => measured,
        Err(e) => return to_json(&Failed { error: e }),
    };
    // The same frames with the LSTM, whose panels draw the most (its gates, c and 4H rows of weights).
    let lstm = Config { cell: Some(CellKind::Lstm), ..config.clone() };
    let (lstm_times, _) = match frames(app, Session::new(&lstm), config.seq_length) {
        Ok(measured) => measured,
        Err(e) => return to_json(&Failed { error: e }),
    };
    let per_panel = panels.into_iter().map(|(name, t)| (name, rounded(median(t), 2))).collect();
    app.clear_notices();
    to_json(&Measured {
        epochs_per_s: rounded(epochs_per_s, 1),
        warm_up_epochs_per_s: rounded(warm_up_epochs_per_s, 1),
        frame_ms_median: rounded(median(times.clone()), 2),
        frame_ms_max: rounded(times.iter().cloned().fold(0.0, f64::max), 2),
        lstm_frame_ms_median: rounded(median(lstm_times.clone()), 2),
        lstm_frame_ms_max: rounded(lstm_times.iter().cloned().fold(0.0, f64::max), 2),
        panel_ms_median: per_panel,
        config: "bptt T=100 D=32 H=128, twin run on (and the same with the LSTM)",
    })
}

/// Draw times of 40 frames (ms) and of each panel, with `session` loaded: every panel at its
/// sizes, mid-way through a backward pass so all have data, one micro-step apart (as when
/// playing slowly, so the equation changes every frame). With T = `t_len` = 100 the 131 + 40
/// steps stay inside the first epoch's backward pass (T + 1 + T steps).
type PanelTimes = Vec<(&'static str, Vec<f64>)>;

fn frames(app: &mut App, session: Session, t_len: usize) -> Result<(Vec<f64>, PanelTimes), String> {
    app.load(session, 0);
    // With the twin run on: each step trains a second copy, and its chart is drawn too.
    app.set_twin(true);
    for _ in 0..(t_len + 1 + 30) {
        app.step();
    }
    let mut times = Vec::new();
    let mut panels: PanelTimes = Vec::new();
    for _ in 0..40 {
        app.step();
        let t0 = dom::now_ms();
        view::draw_all_timed(app, |name, ms| match panels.iter_mut().find(|p| p.0 == name) {
            Some(p) => p.1.push(ms),
            None => panels.push((name, vec![ms])),
        })
        .map_err(|e| e.to_string())?;
        dom::set_html("equation", &view::equation_html(app));
        times.push(dom::now_ms() - t0);
    }
    Ok((times, panels))
}

/// What `#bench-result` says when the benchmark ran.
#[derive(Serialize)]
struct Measured {
    epochs_per_s: f64,
    warm_up_epochs_per_s: f64,
    frame_ms_median: f64,
    frame_ms_max: f64,
    /// The same frames with the LSTM at those sizes.
    lstm_frame_ms_median: f64,
    lstm_frame_ms_max: f64,
    /// Each panel's median drawing time, by name (a JSON object).
    #[serde(serialize_with = "as_object")]
    panel_ms_median: Vec<(&'static str, f64)>,
    config: &'static str,
}

/// What it says when a panel could not be drawn.
#[derive(Serialize)]
struct Failed {
    error: String,
}

fn as_object<S: serde::Serializer>(pairs: &[(&'static str, f64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(name, ms)| (name, ms)))
}

fn to_json(result: &impl Serialize) -> String {
    serde_json::to_string(result).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
