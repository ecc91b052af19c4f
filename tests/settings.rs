//! The one table of settings: the command line's strict reading and the page's lenient one both follow each row's ranges, and every setting a link carries survives the hash and the log of changes.

use rnn_playground::model::config::{Activation, CellKind, DataMode, Init, Task, Training};
use rnn_playground::model::run_file;
use rnn_playground::model::settings::{Key, Kind, Link, SETTINGS, Value};
use rnn_playground::model::{Config, Session};
use rnn_playground::page::moment::{Edit, Journal};
use rnn_playground::page::text::Lang;
use rnn_playground::page::url_hash::{self, PageSettings};

/// A BPTT run where every setting of the table applies: sine-next, the scaled init, fresh data.
fn everything_applies() -> Config {
    Config {
        task: Task::SineNext,
        input_size: 1,
        training: Training::Bptt,
        init: Some(Init::Scaled),
        data: Some(DataMode::Fresh),
        ..Config::default()
    }
}

/// `config` as a run file's text.
fn run_file_text(config: &Config) -> String {
    let config = serde_json::to_string(config).unwrap();
    format!(r#"{{"format": "{}", "config": {config}}}"#, run_file::FORMAT)
}

#[test]
fn the_command_line_refuses_just_past_each_range_naming_the_key() {
    let mut ranged = 0;
    for s in SETTINGS.iter() {
        let Some((lo, hi)) = s.range else { continue };
        ranged += 1;
        let whole = s.kind == Kind::Size || s.kind == Kind::Whole;
        let value = |v: f64| if whole { Value::Whole(v as u64) } else { Value::Number(v) };
        let mut at_edge = everything_applies();
        // The input size is the task's; at its edge the task is the seed's (any D).
        if s.key == Key::InputSize {
            at_edge.task = Task::RememberFirst;
        }
        // The keep bias is a gated cell's.
        if s.key == Key::KeepBias {
            at_edge.cell = Some(CellKind::Gru);
        }
        at_edge.set(s.key, Some(value(hi)));
        assert_eq!(at_edge.validate(), Ok(()), "{} at {hi}", s.name);
        let mut beyond = at_edge.clone();
        beyond.set(s.key, Some(value(hi + 1.0)));
        let error = run_file::parse(&run_file_text(&beyond)).unwrap_err();
        assert_eq!(error.key, format!("config.{}", s.name), "{error}");
        assert!(error.problem.contains(&format!("from {lo} to {hi}")), "{error}");
    }
    assert_eq!(ranged, 8, "T, D, H, the rate, g, epochs, the data offset and the keep bias have ranges");
}

#[test]
fn the_page_clamps_a_link_to_each_page_range_at_either_end_with_one_notice() {
    for s in SETTINGS.iter().filter(|s| s.link != Link::No) {
        let Some((lo, hi)) = s.page_range else { continue };
        // Remember-first: any D, and truncation up to T.
        let mut config = Config { task: Task::RememberFirst, seq_length: 100, ..everything_applies() };
        if s.key == Key::KeepBias {
            config.cell = Some(CellKind::Lstm);
        }
        let base = PageSettings { config, ..PageSettings::default() };
        let hash = format!("{}={}", s.name, hi * 2.0 + 1.0);
        let (read, notices) = url_hash::from_hash(&hash, &base);
        let english: Vec<String> = notices.iter().map(|n| n.text_in(Lang::En.text())).collect();
        assert_eq!(read.config.get(s.key).and_then(Value::number), Some(hi), "{hash}: {english:?}");
        assert_eq!(english.len(), 1, "{hash}: {english:?}");
        assert!(english[0].starts_with(&format!("{}=", s.name)) && english[0].contains("out of range"), "{english:?}");
        let hash = format!("{}={}", s.name, lo - 1.0);
        let (read, notices) = url_hash::from_hash(&hash, &base);
        assert_eq!(read.config.get(s.key).and_then(Value::number), Some(lo), "{hash}");
        assert_eq!(notices.len(), 1, "{hash}: {notices:?}");
    }
}

#[test]
fn every_setting_a_link_carries_round_trips_through_the_hash_and_the_log() {
    let config = Config {
        seq_length: 12,
        hidden_size: 7,
        learning_rate: 0.3,
        seed: 9,
        init_scale: Some(1.5),
        clip_norm: Some(0.5),
        stateful: Some(true),
        ..everything_applies()
    };
    let config = Config { task: Task::Adding, input_size: 2, truncation: Some(4), data: None, ..config };
    // A gated cell carries its keep bias; the plain RNN (below) its activation.
    let config = Config { cell: Some(CellKind::Gru), keep_bias: Some(2.5), ..config };
    let relu = Config { cell: None, keep_bias: None, activation: Some(Activation::Relu), ..config.clone() };
    for config in [&config, &relu] {
        let settings = PageSettings { config: config.clone(), ..PageSettings::default() };
        let hash = url_hash::to_hash(&settings);
        let not_for = if config.cell.is_some() { Key::Activation } else { Key::KeepBias };
        // (The plain RNN is the default cell, which a link leaves out.)
        let default_cell = |key| key == Key::Cell && config.cell.is_none();
        for s in SETTINGS.iter().filter(|s| s.link != Link::No && s.key != not_for && !default_cell(s.key)) {
            assert!(hash.contains(&format!("{}=", s.name)), "{} is in {hash}", s.name);
        }
        assert!(!hash.contains(&format!("{}=", not_for.setting().name)), "{hash}");
        assert_eq!(url_hash::from_hash(&hash, &PageSettings::default()), (settings, vec![]));
    }

    let mut journal = Journal::new(&config);
    let mut session = Session::new(&config);
    let changes = [
        Edit::set(Key::LearningRate, Value::Number(0.2)),
        Edit::set(Key::InitScale, Value::Number(2.5)),
        Edit::set(Key::ClipNorm, Value::Off),
        Edit::set(Key::Truncation, Value::Off),
        Edit::set(Key::Stateful, Value::Bool(false)),
        Edit::set(Key::Init, Value::Init(Init::Unscaled)),
        Edit::set(Key::KeepBias, Value::Number(0.5)),
        Edit::sizes(15, 2, 9),
        Edit::set(Key::Cell, Value::Cell(CellKind::Lstm)),
        Edit::set(Key::Cell, Value::Cell(CellKind::Rnn)),
        Edit::set(Key::Activation, Value::Activation(Activation::Linear)),
        Edit::set(Key::Activation, Value::Activation(Activation::Tanh)),
        Edit::set(Key::Task, Value::Task(Task::RandomTarget)),
        Edit::set(Key::Training, Value::Training(Training::BlogLoop)),
        Edit::NewData,
        Edit::Reset,
    ];
    for (k, edit) in changes.into_iter().enumerate() {
        session.run_until(10 * (k as u64 + 1));
        edit.apply(&mut session);
        journal.record(session.steps_run(), edit);
    }
    let decoded = Journal::decode(&journal.encode(), &config).unwrap();
    assert_eq!(decoded, journal, "{}", journal.encode());
    let mut replayed = Session::new(decoded.start());
    assert!(decoded.replay(200).advance(&mut replayed, 10_000));
    session.run_until(200);
    assert_eq!((session.config().cell(), session.config().training), (CellKind::Rnn, Training::BlogLoop));
    assert_eq!((replayed.config(), replayed.losses()), (session.config(), session.losses()));
    assert_eq!(replayed.params(), session.params());
}
