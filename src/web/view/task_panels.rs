//! The panels of the tasks with an output layer: their predictions (in the output panel), their running success, and Wy, by.

use super::param_map_style;
use crate::model::{LossAt, Task, tasks};
use crate::page::app::App;
use crate::page::hit::{HitArea, HoverSource};
use crate::page::run::RECENT_EPOCHS;
use crate::page::text::{fill, t};
use crate::web::canvas::Surface;
use crate::web::charts::heatmap::{self, Area, Heatmap};
use crate::web::charts::{DrawError, colour::limit_of, prediction};
use crate::web::dom;

/// Adding counts an answer right within this of its target (the usual threshold of the task).
pub const ADDING_TOLERANCE: f64 = 0.04;

/// The running measure of success over recent epochs, for the tasks with a loss at the last
/// step: the mean loss, and for adding the share of answers within [`ADDING_TOLERANCE`].
pub fn success_note(app: &App) -> Option<String> {
    let c = app.run().config();
    if c.loss_at() != LossAt::LastOutput {
        return None;
    }
    let losses = app.run().session().losses();
    let recent = &losses[losses.len().saturating_sub(RECENT_EPOCHS)..];
    if recent.is_empty() {
        return Some(t().score_empty.into());
    }
    let mean = recent.iter().sum::<f64>() / recent.len() as f64;
    let mut note = fill(t().score_mean, &[("n", &recent.len()), ("mean", &fmt(mean))]);
    let answers: Vec<(f64, f64)> = app.run().answers().iter().flatten().copied().collect();
    if c.task == Task::Adding && !answers.is_empty() {
        let right = answers.iter().filter(|(y, y_hat)| (y - y_hat).abs() <= ADDING_TOLERANCE).count();
        let share = 100.0 * right as f64 / answers.len() as f64;
        let args: [(&str, &dyn std::fmt::Display); 3] =
            [("tolerance", &ADDING_TOLERANCE), ("share", &format!("{share:.0}")), ("n", &answers.len())];
        note.push(' ');
        note.push_str(&fill(t().score_adding, &args));
    }
    Some(note)
}

fn fmt(v: f64) -> String {
    if v.abs() >= 0.01 { format!("{v:.3}") } else { format!("{v:.2e}") }
}

/// The sine's run over its x from h_0, then T steps on its own predictions: (input, target,
/// prediction), the prediction 2T long. The weights change only at the update, so this is the
/// epoch's forward pass.
pub fn sine_run(app: &App) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let session = app.run().session();
    let x = session.x();
    let h0 = session.hidden_states().column(0).into_owned();
    let run = tasks::free_run(&session.cell(), session.params(), &x, &h0, session.config().seq_length);
    let input = x.column(0).iter().copied().collect();
    (input, session.y().iter().copied().collect(), run.row(0).iter().copied().collect())
}

/// Draws the prediction of a task with an output layer on `s`, or `None` for the seed's task;
/// the sine's sequence is hoverable.
pub fn draw_prediction(app: &App, s: &Surface, hits: &mut Vec<HitArea>) -> Option<Result<(), DrawError>> {
    let session = app.run().session();
    let c = session.config();
    dom::set_text("task-score", &success_note(app).unwrap_or_default());
    match c.loss_at() {
        LossAt::LastHidden => None,
        LossAt::EveryOutput => {
            let (input, target, prediction) = sine_run(app);
            let labels = ["x", t().target_y, "ŷ", t().fed_back];
            let data = prediction::Sequence { input: &input, target: &target, prediction: &prediction, labels };
            Some(prediction::draw_sequence(s, &data).map(|grid| {
                hits.push(HitArea { canvas: "canvas-output", grid, source: HoverSource::Sequence });
            }))
        }
        LossAt::LastOutput => {
            let pairs: Vec<(f64, f64)> = app.run().answers().iter().flatten().copied().collect();
            let latest = app.run().answers().back().map_or(0, Vec::len);
            let band = (c.task == Task::Adding).then_some(ADDING_TOLERANCE);
            let labels = [t().target_y, t().prediction_y_hat, t().answers_latest, t().answers_earlier];
            Some(prediction::draw_answers(s, &prediction::Answers { pairs: &pairs, latest, band, labels }))
        }
    }
}

/// Wy (O×H) and by (O) under the weights, for the tasks that have them: the output layer's
/// parameters of the list, side by side.
pub fn draw_output_weights(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let p = app.run().session().params();
    if p.output_size() == 0 {
        return Ok(());
    }
    let canvas = dom::by_id("canvas-wy").map_err(DrawError)?;
    let s = Surface::prepare(&canvas).map_err(DrawError)?;
    let (w, h) = (s.width / s.dpr, s.height / s.dpr);
    let maps: Vec<_> = p.iter().enumerate().filter(|(_, (spec, _))| spec.is_output()).collect();
    let limit = limit_of(maps.iter().flat_map(|(_, (_, m))| m.iter()), 1e-9);
    let o = maps.iter().map(|(_, (_, m))| m.nrows()).max().unwrap_or(0);
    let cols: usize = maps.iter().map(|(_, (_, m))| m.ncols()).sum();
    let cell = ((h - 34.0) / o as f64).min((w - 120.0) / cols as f64).clamp(0.5, 18.0);
    let mut x = 0.0;
    for (index, (spec, values)) in maps {
        let (col_label, least_w) = param_map_style(spec);
        let width = (cell * values.ncols() as f64 + 28.0).max(least_w);
        let area = Area { x, y: 2.0, w: width, h: h - 4.0 };
        let map = Heatmap {
            values,
            limit,
            title: spec.symbol,
            row_label: t().axis_out,
            col_label,
            lit_row: None,
            lit_col: None,
            filled_cols: None,
            show_legend: false,
            max_cell: Some(cell),
        };
        let grid = heatmap::draw(&s, area, &map)?;
        hits.push(HitArea { canvas: "canvas-wy", grid, source: HoverSource::OutputWeights(index) });
        x += width;
    }
    Ok(())
}
