//! Loss-curve markers as data: which setting changed, from what to what; put in words in the language on show.

use crate::model::settings::{Key, Value};
use crate::model::{Activation, CellKind, Config, Init, LossAt, Task, Training};
use crate::page::moment::Edit;
use crate::page::text::{Text, fill, t};

/// A change of setting, marked on the loss curve at the epoch it was made.
#[derive(Clone, Debug, PartialEq)]
pub enum Marker {
    LearningRate {
        from: f64,
        to: f64,
    },
    /// The sizes that changed, each as (symbol: "T", "D" or "H", from, to).
    Sizes(Vec<(&'static str, usize, usize)>),
    NewData,
    /// New weights from the seed (said in the status; a Reset starts a new curve instead).
    Reset,
    Training(Training),
    Task(Task),
    Init(Init),
    /// g of the scaled init.
    InitScale {
        from: f64,
        to: f64,
    },
    /// Gradient clipping (`None`: off).
    Clip {
        from: Option<f64>,
        to: Option<f64>,
    },
    /// BPTT through the last k steps (`None`: all).
    Truncation {
        from: Option<usize>,
        to: Option<usize>,
    },
    /// Carrying h across epochs turned on or off.
    Carry(bool),
    /// Another cell (new weights from the seed).
    Cell(CellKind),
    /// The plain RNN's φ.
    Activation(Activation),
    /// The gated cells' starting bias toward keeping the state.
    KeepBias {
        from: f64,
        to: f64,
    },
}

impl Marker {
    /// The marker for `edit` made to a run with settings `before`, or `None` when it changes nothing.
    pub fn of_edit(before: &Config, edit: &Edit) -> Option<Marker> {
        let sizes = (before.seq_length, before.input_size, before.hidden_size);
        match edit {
            Edit::NewData => Some(Marker::NewData),
            Edit::Reset => Some(Marker::Reset),
            Edit::Set(_) => match edit.setting() {
                Some((key, value)) => Marker::of_setting(before, key, value),
                None => Some(edit.size_changes(sizes)).filter(|c| !c.is_empty()).map(Marker::Sizes),
            },
        }
    }

    /// The marker for setting `key` to `value` (`None`: it changes nothing, or the blog's loop
    /// does not have the control).
    fn of_setting(before: &Config, key: Key, value: Value) -> Option<Marker> {
        match (key, value) {
            (Key::LearningRate, Value::Number(lr)) => {
                (lr != before.learning_rate).then_some(Marker::LearningRate { from: before.learning_rate, to: lr })
            }
            (Key::Training, Value::Training(Training::BlogLoop)) if before.task != Task::RandomTarget => None,
            (Key::Training, Value::Training(training)) => {
                (training != before.training).then_some(Marker::Training(training))
            }
            _ if before.training == Training::BlogLoop && key != Key::Task => None,
            (Key::Task, Value::Task(task)) => (task != before.task).then_some(Marker::Task(task)),
            (Key::Init, Value::Init(init)) => (init != before.init()).then_some(Marker::Init(init)),
            (Key::InitScale, Value::Number(g)) => (before.init() != Init::Scaled || g != before.init_scale())
                .then_some(Marker::InitScale { from: before.init_scale(), to: g }),
            (Key::ClipNorm, value) => {
                let to = value.number();
                (to != before.clip_norm).then_some(Marker::Clip { from: before.clip_norm, to })
            }
            (Key::Truncation, value) => {
                let to = value.whole();
                (to != before.truncation && before.loss_at() != LossAt::EveryOutput)
                    .then_some(Marker::Truncation { from: before.truncation, to })
            }
            (Key::Stateful, Value::Bool(on)) => (on != before.stateful()).then_some(Marker::Carry(on)),
            (Key::Cell, Value::Cell(cell)) => (cell != before.cell()).then_some(Marker::Cell(cell)),
            (Key::Activation, Value::Activation(a)) => (a != before.activation()).then_some(Marker::Activation(a)),
            (Key::KeepBias, Value::Number(k)) => {
                (k != before.keep_bias()).then_some(Marker::KeepBias { from: before.keep_bias(), to: k })
            }
            _ => None,
        }
    }

    /// The marker's words in the language on show: "H 10→16", "full BPTT".
    pub fn label(&self) -> String {
        self.label_in(t())
    }

    /// The marker's words in the language of `w`.
    pub fn label_in(&self, w: &Text) -> String {
        let off = |v: &Option<f64>| v.map_or(w.off.to_string(), |v| v.to_string());
        let all = |k: &Option<usize>| k.map_or(w.all.to_string(), |k| k.to_string());
        match self {
            Marker::LearningRate { from, to } => format!("η {from}→{to}"),
            Marker::Sizes(changes) => {
                let each: Vec<String> = changes.iter().map(|(n, from, to)| format!("{n} {from}→{to}")).collect();
                each.join(", ")
            }
            Marker::NewData => w.mark_new_data.into(),
            Marker::Reset => w.mark_reset.into(),
            Marker::Training(Training::BlogLoop) => w.mark_seed_code.into(),
            Marker::Training(Training::Bptt) => w.mark_bptt.into(),
            Marker::Task(task) => fill(w.mark_task, &[("name", &task_label(*task, w))]),
            Marker::Init(init) => fill(w.mark_init, &[("name", &init_label(*init, w))]),
            Marker::InitScale { from, to } => format!("{} g {from}→{to}", w.init_scale),
            Marker::Clip { from, to } => fill(w.mark_clip, &[("from", &off(from)), ("to", &off(to))]),
            Marker::Truncation { from, to } => format!("k {}→{}", all(from), all(to)),
            Marker::Carry(on) => if *on { w.mark_carry_on } else { w.mark_carry_off }.into(),
            Marker::Cell(cell) => cell_label(*cell, w).into(),
            Marker::Activation(a) => format!("φ {}", activation_label(*a, w)),
            Marker::KeepBias { from, to } => format!("{} {from}→{to}", w.keep_bias),
        }
    }

    /// Folds `next`, a change of the same one setting right after this one (a slider being
    /// dragged), into this marker: "H 10→12" then "H 12→16" is "H 10→16", and a choice is the
    /// last one chosen. False (and this marker as it was) for any other change; a change of
    /// several sizes at once never merges.
    pub fn merge(&mut self, next: &Marker) -> bool {
        use Marker::*;
        let merged = match (&*self, next) {
            (LearningRate { from, .. }, LearningRate { to, .. }) => LearningRate { from: *from, to: *to },
            (InitScale { from, .. }, InitScale { to, .. }) => InitScale { from: *from, to: *to },
            (Clip { from, .. }, Clip { to, .. }) => Clip { from: *from, to: *to },
            (Truncation { from, .. }, Truncation { to, .. }) => Truncation { from: *from, to: *to },
            (KeepBias { from, .. }, KeepBias { to, .. }) => KeepBias { from: *from, to: *to },
            (Sizes(a), Sizes(b)) if a.len() == 1 && b.len() == 1 && a[0].0 == b[0].0 => {
                Sizes(vec![(a[0].0, a[0].1, b[0].2)])
            }
            (NewData, NewData) | (Task(_), Task(_)) | (Init(_), Init(_)) | (Carry(_), Carry(_)) => next.clone(),
            (Cell(_), Cell(_)) | (Activation(_), Activation(_)) => next.clone(),
            _ => return false,
        };
        *self = merged;
        true
    }
}

/// A task as its selector names it, in the language of `w`.
pub fn task_label(task: Task, w: &Text) -> &'static str {
    match task {
        Task::RandomTarget => w.task_random_target,
        Task::SineNext => w.task_sine_next,
        Task::RememberFirst => w.task_remember_first,
        Task::Adding => w.task_adding,
    }
}

/// A cell as its selector names it, in the language of `w`.
pub fn cell_label(cell: CellKind, w: &Text) -> &'static str {
    match cell {
        CellKind::Rnn => w.cell_rnn,
        CellKind::Lstm => w.cell_lstm,
        CellKind::Gru => w.cell_gru,
    }
}

/// An activation as its selector names it, in the language of `w`.
pub fn activation_label(a: Activation, w: &Text) -> &'static str {
    match a {
        Activation::Tanh => w.activation_tanh,
        Activation::Relu => w.activation_relu,
        Activation::Linear => w.activation_linear,
    }
}

/// An init as its selector names it, in the language of `w`.
pub fn init_label(init: Init, w: &Text) -> &'static str {
    match init {
        Init::Unscaled => w.init_unscaled,
        Init::Scaled => w.init_scaled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::text::Lang;

    #[test]
    fn a_drag_of_one_size_merges_into_one_marker_from_its_first_value() {
        let mut m = Marker::Sizes(vec![("H", 10, 12)]);
        assert!(m.merge(&Marker::Sizes(vec![("H", 12, 16)])));
        assert_eq!(m.label_in(Lang::En.text()), "H 10→16");
        assert!(!m.merge(&Marker::Sizes(vec![("T", 10, 8)])), "another size is another marker");
        let mut both = Marker::Sizes(vec![("T", 10, 8), ("D", 5, 3)]);
        assert!(!both.merge(&Marker::Sizes(vec![("T", 8, 6)])));
        assert_eq!(both.label_in(Lang::En.text()), "T 10→8, D 5→3");
    }

    #[test]
    fn markers_are_put_in_words_in_either_language() {
        let clip = Marker::Clip { from: None, to: Some(1.0) };
        assert_eq!(clip.label_in(Lang::En.text()), "clip off→1");
        assert_eq!(clip.label_in(Lang::Ja.text()), format!("クリップ {}→1", Lang::Ja.text().off));
        assert_eq!(Marker::Training(Training::Bptt).label_in(Lang::Ja.text()), "完全な BPTT");
        let k = Marker::Truncation { from: None, to: Some(3) };
        assert_eq!(k.label_in(Lang::En.text()), format!("k {}→3", Lang::En.text().all));
        // Names as the selectors say them, never the run file's words.
        assert_eq!(Marker::Init(Init::Scaled).label_in(Lang::Ja.text()), "初期化 スケールあり");
        assert_eq!(
            Marker::Task(Task::Adding).label_in(Lang::Ja.text()),
            format!("タスク {}", Lang::Ja.text().task_adding)
        );
        assert_eq!(Marker::InitScale { from: 1.0, to: 0.5 }.label_in(Lang::Ja.text()), "初期化のスケール g 1→0.5");
        assert_eq!(Marker::Cell(CellKind::Lstm).label_in(Lang::En.text()), "LSTM");
        assert_eq!(Marker::Activation(Activation::Relu).label_in(Lang::En.text()), "φ ReLU");
        assert_eq!(Marker::KeepBias { from: 1.0, to: 3.0 }.label_in(Lang::En.text()), "Keep bias 1→3");
    }

    #[test]
    fn a_change_that_changes_nothing_has_no_marker() {
        let c = Config { training: Training::Bptt, ..Config::default() };
        assert_eq!(Marker::of_edit(&c, &Edit::set(Key::LearningRate, Value::Number(c.learning_rate))), None);
        assert_eq!(Marker::of_edit(&c, &Edit::set(Key::ClipNorm, Value::Off)), None);
        let lr = Marker::of_edit(&c, &Edit::set(Key::LearningRate, Value::Number(0.5)));
        assert_eq!(lr, Some(Marker::LearningRate { from: c.learning_rate, to: 0.5 }));
    }
}
