//! The tasks' panels from a run: the prediction chart of each kind of loss, the running measure of success, Wy and by.

use super::panels::target_vs_prediction;
use super::{Answers, Sequence, TargetVsPrediction};
use crate::model::{LossAt, Task, tasks};
use crate::page::run::{RECENT_EPOCHS, Run};
use crate::page::text::{fill, t};

/// Adding counts an answer right within this of its target (the usual threshold of the task).
pub const ADDING_TOLERANCE: f64 = 0.04;

/// The running measure of success over recent epochs, for the tasks with a loss at the last
/// step: the mean loss, and for adding the share of answers within [`ADDING_TOLERANCE`].
pub fn success_note(run: &Run) -> Option<String> {
    let c = run.config();
    if c.loss_at() != LossAt::LastOutput {
        return None;
    }
    let losses = run.curve();
    let recent = &losses[losses.len().saturating_sub(RECENT_EPOCHS)..];
    if recent.is_empty() {
        return Some(t().score_empty.into());
    }
    let mean = recent.iter().sum::<f64>() / recent.len() as f64;
    let mut note = fill(t().score_mean, &[("n", &recent.len()), ("mean", &fmt(mean))]);
    let answers: Vec<(f64, f64)> = run.answers().iter().flatten().copied().collect();
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

/// The next-value task's run over its x from h_0, then T steps on its own predictions, and
/// what the learner's series really does next: the sequence, the prediction 2T long. The weights
/// change only at the update, so this is the epoch's forward pass.
pub fn sine_run<'a>(run: &Run, labels: [&'a str; 4]) -> Sequence<'a> {
    let session = run.session();
    let (c, x) = (session.config(), session.x());
    let h0 = session.hidden_states().column(0).into_owned();
    let free = tasks::free_run(&session.cell(), session.params(), &x, &h0, c.seq_length);
    let after = tasks::series_after(c, c.data_offset + session.epoch() as u64, c.seq_length).to_vec();
    Sequence {
        input: x.column(0).iter().copied().collect(),
        target: session.y().iter().copied().collect(),
        prediction: free.row(0).iter().copied().collect(),
        after,
        labels,
    }
}

/// Panel 3, by where the task's loss is: the seed's target against h_T, the sine's sequence
/// read then run free, or the recent answers against their targets.
#[derive(Clone, Debug, PartialEq)]
pub enum Output<'a> {
    Target(TargetVsPrediction<'a>),
    Sequence(Sequence<'a>),
    Answers(Answers<'a>),
}

/// The output panel of `run`.
#[inline]
pub fn output(run: &Run) -> Output<'_> {
    match run.config().loss_at() {
        LossAt::LastHidden => Output::Target(target_vs_prediction(run)),
        LossAt::EveryOutput => Output::Sequence(sine_run(run, ["x", t().target_y, "ŷ", t().fed_back])),
        LossAt::LastOutput => {
            let pairs = run.answers().iter().flatten().copied().collect();
            let latest = run.answers().back().map_or(0, Vec::len);
            let band = (run.config().task == Task::Adding).then_some(ADDING_TOLERANCE);
            let labels = [t().target_y, t().prediction_y_hat, t().answers_latest, t().answers_earlier];
            Output::Answers(Answers { pairs, latest, band, labels })
        }
    }
}
