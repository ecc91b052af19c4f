//! The controls apart from the browser: each slider's scale, which controls are off and why, and the words beside each value.

use crate::model::{Activation, CellKind, Config, DataMode, LossAt, Task, Training};
use crate::page::text::Text;

/// Learning-rate slider: positions 0..=500 are 10^(−4 + v/100) (1e-4 to 10), kept to two
/// significant digits.
pub fn lr_from_slider(v: f64) -> f64 {
    two_digits(10f64.powf(v / 100.0 - 4.0))
}

/// The learning-rate slider's position for `lr` (the nearest one).
pub fn slider_from_lr(lr: f64) -> f64 {
    ((lr.log10() + 4.0) * 100.0).round().clamp(0.0, 500.0)
}

/// Clip slider: position 0 is off, positions 1..=80 are 10^(−2 + v/20) (0.011 to 100), kept
/// to two significant digits.
pub fn clip_from_slider(v: f64) -> Option<f64> {
    (v >= 1.0).then(|| two_digits(10f64.powf(v / 20.0 - 2.0)))
}

/// The clip slider's position for `clip` (0: off).
pub fn slider_from_clip(clip: Option<f64>) -> f64 {
    clip.map_or(0.0, |c| ((c.log10() + 2.0) * 20.0).round().clamp(1.0, 80.0))
}

/// Init-scale slider (and the keep-bias slider): positions 0..=100 are g = v/10 (0 to 10).
pub fn scale_from_slider(v: f64) -> f64 {
    v.round() / 10.0
}

/// The init-scale slider's position for g.
pub fn slider_from_scale(g: f64) -> f64 {
    (g * 10.0).round()
}

/// `v` to two significant digits, as a slider shows it (0.0123… is 0.012).
fn two_digits(v: f64) -> f64 {
    format!("{v:.1e}").parse().unwrap_or(v)
}

/// A control that is off, by its element id, with the reason its hover gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Off {
    pub id: &'static str,
    pub off: bool,
    pub why: &'static str,
}

/// Whether each control that can be off is off with these settings, and why, in the language
/// of `w`: full BPTT's controls in the seed's code, truncation with a loss at every step, New
/// data with fresh data, D where the task fixes it.
pub fn controls_off(c: &Config, w: &Text) -> Vec<Off> {
    let seed_code = c.training == Training::BlogLoop;
    let every_step = c.loss_at() == LossAt::EveryOutput;
    let mut out: Vec<Off> = ["sel-init", "in-init-scale", "in-clip", "in-stateful"]
        .into_iter()
        .map(|id| Off { id, off: seed_code, why: w.hint_bptt_only })
        .collect();
    let why = if every_step { w.hint_truncation_sine } else { w.hint_bptt_only };
    out.push(Off { id: "in-trunc", off: seed_code || every_step, why });
    out.push(Off { id: "btn-newdata", off: c.data() == DataMode::Fresh, why: w.hint_fresh_data });
    let why = if c.task == Task::SineNext { w.hint_input_sine } else { w.hint_input_adding };
    out.push(Off { id: "in-input", off: c.task.input_size().is_some(), why });
    let why = if seed_code { w.hint_bptt_only } else { w.hint_activation };
    out.push(Off { id: "sel-activation", off: seed_code || c.cell() != CellKind::Rnn, why });
    out.push(Off { id: "in-keep-bias", off: c.cell() == CellKind::Rnn, why: w.hint_keep_bias });
    out
}

/// Whether the blog's loop can run these settings: its task with the tanh RNN.
pub fn blog_loop_allowed(c: &Config) -> bool {
    c.task == Task::RandomTarget && c.cell() == CellKind::Rnn && c.activation() == Activation::Tanh
}

/// The reasons for every control that is off right now, and that ρ(Wh) is the plain RNN's, for
/// the line under the controls, in the language of `w`.
pub fn hints(c: &Config, w: &Text) -> Vec<&'static str> {
    let mut out = Vec::new();
    if c.task != Task::RandomTarget {
        out.push(w.hint_seed_code);
    }
    if c.training == Training::BlogLoop {
        out.push(w.hint_bptt_only);
    }
    if c.loss_at() == LossAt::EveryOutput {
        out.push(w.hint_truncation_sine);
    }
    if c.data() == DataMode::Fresh {
        out.push(w.hint_fresh_data);
    }
    match c.task {
        Task::SineNext => out.push(w.hint_input_sine),
        Task::Adding => out.push(w.hint_input_adding),
        _ => {}
    }
    if c.cell() != CellKind::Rnn {
        out.push(w.hint_rho_gated);
    }
    out
}

/// The words beside each setting's slider, by the element's id: the value, "off" for no
/// clipping, "all" for truncation through every step (or in the seed's code), in the language
/// of `w`.
pub fn value_labels(c: &Config, w: &Text) -> [(&'static str, String); 8] {
    let k = c.truncation.filter(|_| c.training == Training::Bptt);
    [
        ("out-seq", c.seq_length.to_string()),
        ("out-input", c.input_size.to_string()),
        ("out-hidden", c.hidden_size.to_string()),
        ("out-lr", c.learning_rate.to_string()),
        ("out-init-scale", c.init_scale().to_string()),
        ("out-clip", c.clip_norm.map_or(w.off.to_string(), |v| v.to_string())),
        ("out-trunc", k.map_or(w.all.to_string(), |k| k.to_string())),
        ("out-keep-bias", c.keep_bias().to_string()),
    ]
}

/// ρ(Wh) to two decimals; a dash when it could not be computed, or for a gated cell (whose
/// gates scale the gradient step by step, so no one matrix's ρ says whether it fades).
pub fn rho_text(rho: f64) -> String {
    if rho.is_finite() { format!("ρ(Wh) {rho:.2}") } else { "ρ(Wh) –".into() }
}

/// What the ρ(Wh) label's hover says for the cell of `c`.
pub fn rho_title(c: &Config, w: &Text) -> &'static str {
    if c.cell() == CellKind::Rnn { w.rho_title } else { w.rho_gated_title }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Init;
    use crate::page::text::Lang;

    #[test]
    fn each_slider_position_maps_to_a_value_and_back() {
        // Two significant digits make neighbours share a value near a power of ten (1.0e-4
        // and 1.05e-4); the slider then stands within two positions of where it was.
        for v in 0..=500 {
            let lr = lr_from_slider(v as f64);
            assert!((slider_from_lr(lr) - v as f64).abs() <= 2.0, "lr {lr} at {v}");
        }
        assert_eq!((lr_from_slider(0.0), lr_from_slider(200.0), lr_from_slider(500.0)), (1e-4, 0.01, 10.0));
        assert_eq!(
            (clip_from_slider(0.0), clip_from_slider(40.0), clip_from_slider(80.0)),
            (None, Some(1.0), Some(100.0))
        );
        for v in 0..=80 {
            assert!((slider_from_clip(clip_from_slider(v as f64)) - v as f64).abs() <= 2.0, "clip at {v}");
        }
        for v in 0..=100 {
            assert_eq!(slider_from_scale(scale_from_slider(v as f64)), v as f64);
        }
    }

    #[test]
    fn the_controls_a_setting_rules_out_are_off_with_their_reason() {
        let w = Lang::En.text();
        let off = |c: &Config| -> Vec<&str> { controls_off(c, w).iter().filter(|o| o.off).map(|o| o.id).collect() };
        let seed = Config::default();
        assert_eq!(
            off(&seed),
            ["sel-init", "in-init-scale", "in-clip", "in-stateful", "in-trunc", "sel-activation", "in-keep-bias"]
        );
        assert_eq!(hints(&seed, w), [w.hint_bptt_only]);
        let sine = Config { task: Task::SineNext, input_size: 1, training: Training::Bptt, ..seed.clone() };
        assert_eq!(off(&sine), ["in-trunc", "btn-newdata", "in-input", "in-keep-bias"]);
        assert_eq!(controls_off(&sine, w)[4].why, w.hint_truncation_sine);
        assert_eq!(hints(&sine, w).len(), 4);
        let bptt = Config { training: Training::Bptt, init: Some(Init::Scaled), ..seed.clone() };
        assert_eq!(off(&bptt), ["in-keep-bias"]);
        assert!(hints(&bptt, w).is_empty());
        let gru = Config { cell: Some(CellKind::Gru), ..bptt };
        assert_eq!(off(&gru), ["sel-activation"]);
        assert_eq!(hints(&gru, w), [w.hint_rho_gated]);
        assert_eq!(
            controls_off(&gru, w).iter().find(|o| o.id == "sel-activation").map(|o| o.why),
            Some(w.hint_activation)
        );
        assert!(blog_loop_allowed(&seed) && !blog_loop_allowed(&gru));
    }

    #[test]
    fn value_labels_say_off_and_all_in_the_language_on_show() {
        let labels = value_labels(&Config::default(), Lang::Ja.text());
        assert_eq!(labels[3], ("out-lr", "0.01".to_string()));
        assert_eq!(labels[5].1, Lang::Ja.text().off);
        assert_eq!(labels[6].1, Lang::Ja.text().all);
        assert_eq!((rho_text(1.234), rho_text(f64::NAN)), ("ρ(Wh) 1.23".to_string(), "ρ(Wh) –".to_string()));
    }
}
