//! The page's state and logic, natively: each change applied and marked, markers merged, a link replayed to its moment, notices and markers in either language, derived values going stale, two runs side by side.

use std::sync::{Mutex, MutexGuard};

use rnn_playground::model::run_file::RunFile;
use rnn_playground::model::settings::{Key, Value};
use rnn_playground::model::{Activation, CellKind, Config, Init, Phase, Session, Task, Training};
use rnn_playground::page::app::App;
use rnn_playground::page::chart_data::Output;
use rnn_playground::page::marker::Marker;
use rnn_playground::page::moment::Edit;
use rnn_playground::page::notice::{Notice, Opened};
use rnn_playground::page::own_series::Source;
use rnn_playground::page::run::{Changed, DERIVED_EVERY_MS, Run};
use rnn_playground::page::text::{self, Lang};
use rnn_playground::page::url_hash;
use rnn_playground::page::{chart_data, describe};

/// The language is the page's one global: the tests that open a page (which sets it) take turns.
static LANGUAGE: Mutex<()> = Mutex::new(());

/// The page opened with `hash`, the browser asking for English; the guard keeps the language.
fn page(hash: &str) -> (MutexGuard<'static, ()>, App) {
    let guard = LANGUAGE.lock().unwrap_or_else(|e| e.into_inner());
    (guard, App::from_hash(hash, Lang::En))
}

/// The page after `epochs` whole epochs of its run.
fn trained(hash: &str, epochs: usize) -> (MutexGuard<'static, ()>, App) {
    let (guard, mut app) = page(hash);
    for _ in 0..epochs {
        app.step_epoch();
    }
    (guard, app)
}

/// Runs frames until a link's replay is done (the clock stands still, so each frame's slice
/// is a whole chunk).
fn finish_replay(app: &mut App) {
    for _ in 0..10_000 {
        if app.run().replay_progress().is_none() {
            return;
        }
        app.advance(0.0, 1.0, || 0.0);
    }
    panic!("the replay never ended");
}

#[test]
fn each_kind_of_change_is_applied_to_the_run_and_marked_at_its_epoch() {
    let (_guard, mut app) = trained("", 2);
    app.set_learning_rate(0.5);
    assert_eq!(app.run().config().learning_rate, 0.5);
    app.set_sizes(10, 5, 12);
    assert_eq!(app.run().config().hidden_size, 12);
    app.set_training(Training::Bptt);
    app.step_epoch();
    app.set_init(Init::Scaled);
    app.set_init_scale(0.5);
    app.set_clip_norm(Some(1.0));
    app.set_truncation(Some(3));
    app.set_stateful(true);
    let c = app.run().config().clone();
    assert_eq!(
        (c.init(), c.init_scale(), c.clip_norm, c.truncation, c.stateful()),
        (Init::Scaled, 0.5, Some(1.0), Some(3), true)
    );
    app.set_truncation(Some(c.seq_length));
    assert_eq!(app.run().config().truncation, None, "k = T is all of them");
    let x_before = app.run().session().x();
    app.new_data();
    assert_ne!(app.run().session().x(), x_before);
    let markers: Vec<&Marker> = app.run().markers().iter().map(|(_, m)| m).collect();
    assert_eq!(markers[0], &Marker::LearningRate { from: 0.01, to: 0.5 });
    assert_eq!(markers[1], &Marker::Sizes(vec![("H", 10, 12)]));
    assert_eq!(markers[2], &Marker::Training(Training::Bptt));
    let bptt = [
        Marker::Init(Init::Scaled),
        Marker::InitScale { from: 1.0, to: 0.5 },
        Marker::Clip { from: None, to: Some(1.0) },
    ];
    assert_eq!(markers[3..6], bptt.iter().collect::<Vec<_>>());
    let rest = [
        Marker::Truncation { from: None, to: Some(3) },
        Marker::Carry(true),
        Marker::Truncation { from: Some(3), to: None },
        Marker::NewData,
    ];
    assert_eq!(markers[6..], rest.iter().collect::<Vec<_>>());
}

/// The cell, the plain RNN's activation and the keep bias are changes like any other: applied
/// live, marked, carried by a link. A gated cell chosen in Seed code switches to full BPTT
/// first and says why; the link replays all of it to the same numbers.
#[test]
fn a_cell_chosen_in_seed_code_switches_to_full_bptt_says_why_and_is_marked() {
    let (_guard, mut app) = trained("", 2);
    app.set_cell(CellKind::Lstm);
    let c = app.run().config().clone();
    assert_eq!((c.cell(), c.training), (CellKind::Lstm, Training::Bptt));
    let said: Vec<String> = app.notices().iter().map(|n| n.text()).collect();
    assert!(said.iter().any(|n| n.contains("LSTM") && n.contains("Full BPTT")), "{said:?}");
    app.step_epoch();
    app.set_keep_bias(3.0);
    assert_eq!(app.run().config().keep_bias(), 3.0);
    app.step_epoch();
    app.set_cell(CellKind::Rnn);
    app.set_activation(Activation::Relu);
    assert_eq!(app.run().config().activation(), Activation::Relu);
    let markers: Vec<&Marker> = app.run().markers().iter().map(|(_, m)| m).collect();
    let expected = [
        Marker::Training(Training::Bptt),
        Marker::Cell(CellKind::Lstm),
        Marker::KeepBias { from: 1.0, to: 3.0 },
        Marker::Cell(CellKind::Rnn),
        Marker::Activation(Activation::Relu),
    ];
    assert_eq!(markers, expected.iter().collect::<Vec<_>>());
    app.step_epoch();
    let hash = url_hash::to_hash(&app.page_settings());
    let mut again = App::from_hash(&hash, Lang::En);
    finish_replay(&mut again);
    assert_eq!(again.run().session().losses(), app.run().session().losses(), "the link replays every change");
}

/// A link pasted into a running page sets the cell and its settings too (not only at the
/// page's start).
#[test]
fn a_link_applied_to_a_running_page_sets_the_cell_and_its_settings() {
    let (_guard, mut app) = trained("", 1);
    app.apply_hash("training=bptt&cell=gru&keep_bias=4");
    let c = app.run().config().clone();
    assert_eq!((c.training, c.cell(), c.keep_bias()), (Training::Bptt, CellKind::Gru, 4.0));
    app.apply_hash("training=bptt&cell=rnn&activation=relu");
    let c = app.run().config().clone();
    assert_eq!((c.cell(), c.activation()), (CellKind::Rnn, Activation::Relu));
}

/// A lesson's run starts a new run from its settings, the one before faint beside it, and
/// plays; Play stops where its claim is measured, and there the bar's verdict is the one
/// `tests/lessons.rs` pins (seed 42). A setting changed afterwards makes the claim not this
/// run's.
#[test]
fn a_lesson_sets_the_page_up_plays_and_stops_where_its_claim_holds() {
    use rnn_playground::page::lessons::{LESSONS, Progress};
    let (_guard, mut app) = trained("", 3);
    let lesson = LESSONS.iter().position(|l| l.id == "exploding-vanishing").unwrap();
    app.start_lesson(lesson, 1);
    let (page, notices) = url_hash::from_hash(LESSONS[lesson].runs[1].hash, &url_hash::PageSettings::default());
    assert!(notices.is_empty());
    assert_eq!((app.run().config(), app.speed_index()), (&page.config, page.speed));
    assert!(app.is_playing() && app.run().curve().is_empty());
    assert_eq!(app.run().previous_losses().len(), 3, "the run before, faint");
    for _ in 0..1000 {
        app.advance(0.0, 1e9, || 0.0);
    }
    assert!(!app.is_playing(), "Play stops at the claim's epoch");
    let p: Progress = app.lesson_progress().unwrap();
    assert_eq!((p.epoch, p.holds, p.changed), (LESSONS[lesson].runs[1].epochs, Some(true), false));
    assert!(p.text(Lang::En.text()).contains("✓"), "{}", p.text(Lang::En.text()));
    app.toggle_play();
    app.advance(0.0, 1e9, || 0.0);
    assert!(app.is_playing(), "Play again goes on past it");
    app.set_learning_rate(0.5);
    let p = app.lesson_progress().unwrap();
    assert!(p.changed && p.holds.is_none());
    assert_eq!(p.text(Lang::En.text()), Lang::En.text().lesson_changed);
    app.close_lesson();
    assert!(app.lesson_progress().is_none());
}

#[test]
fn a_task_fits_the_sizes_and_starts_a_new_curve_and_a_reset_too_each_with_the_old_one_faint() {
    let (_guard, mut app) = trained("", 3);
    let before = app.run().session().losses().to_vec();
    app.set_task(Task::Adding);
    let c = app.run().config().clone();
    assert_eq!((c.task, c.training, c.input_size), (Task::Adding, Training::Bptt, 2));
    // A new task: a new curve and epoch count, the old curve faint; the data index goes on.
    assert_eq!(app.run().previous_losses(), before);
    assert!(app.run().curve().is_empty() && app.run().markers().is_empty());
    assert_eq!((app.run().epochs_shown(), app.run().session().epoch()), (0, 3));
    assert!(describe::status_line(&app).starts_with("Epoch 1 ·"), "{}", describe::status_line(&app));
    app.step_epoch();
    app.step_epoch();
    let losses = app.run().curve().to_vec();
    assert_eq!(losses, app.run().session().losses()[3..]);
    assert_eq!(app.run().epochs_shown(), 2);
    app.set_learning_rate(0.05);
    assert_eq!(app.run().marker_labels().iter().map(|(at, _)| *at).collect::<Vec<_>>(), [2], "counted as the curve is");
    app.reset();
    assert_eq!(app.run().previous_losses(), losses);
    assert!(app.run().markers().is_empty() && app.run().session().losses().is_empty());
    assert_eq!(app.run().config().task, Task::Adding, "a reset keeps the settings");
}

/// A link replays a task change as the person made it: the same new curve and epoch count.
#[test]
fn a_link_replays_a_change_of_task_as_a_new_curve() {
    let (_guard, mut app) = trained("", 3);
    app.set_task(Task::SineNext);
    app.step_epoch();
    app.step_epoch();
    let hash = url_hash::to_hash(&app.page_settings());
    let mut replayed = App::from_hash(&hash, Lang::En);
    finish_replay(&mut replayed);
    assert_eq!(replayed.run().curve(), app.run().curve());
    assert_eq!(replayed.run().previous_losses(), app.run().previous_losses());
    assert_eq!(replayed.run().epochs_shown(), 2);
    assert_eq!(replayed.run().session().losses(), app.run().session().losses(), "bit for bit");
}

/// A run saved at a late epoch opens at that epoch, with the step just run (the update) and
/// the prediction of its last epoch on show; a file without `epochs_before` opens as before.
#[test]
fn a_run_file_opens_at_the_epoch_it_was_saved_at() {
    let (_guard, mut app) = trained("", 5);
    app.set_learning_rate(0.05);
    for _ in 0..4 {
        app.step_epoch();
    }
    let file = app.run().run_file();
    assert_eq!((file.epochs_before, file.config.epochs), (Some(5), 4));
    let json = file.to_json();
    assert!(json.contains("\"epochs_before\": 5"), "{json}");
    let mut opened = App::from_hash("", Lang::En);
    opened.open_run_file("run.json", &json);
    assert_eq!(opened.run().epochs_shown(), 9);
    assert!(describe::status_line(&opened).starts_with("Epoch 10 ·"), "{}", describe::status_line(&opened));
    assert_eq!(opened.run().last_step(), Some(Phase::Update), "panel 7 explains the update just run");
    let chart_data::Output::Target(panel) = chart_data::output(opened.run()) else { panic!("the blog's task") };
    let prediction = panel.prediction;
    assert_eq!(prediction, app.run().session().hidden_states().column(10).as_slice(), "panel 3: the last epoch's h_T");
    assert_eq!(opened.run().curve(), &app.run().session().losses()[5..]);
    // Saved again, it says the same.
    assert_eq!(opened.run().run_file().epochs_before, Some(5));
    // A file from before the key: it opens at its own epochs.
    let mut old = file.clone();
    old.epochs_before = None;
    opened.open_run_file("old.json", &old.to_json());
    assert_eq!(opened.run().epochs_shown(), 4);
    // A bad value is refused, naming the key.
    let bad = json.replace("\"epochs_before\": 5", "\"epochs_before\": 10000000000");
    opened.open_run_file("bad.json", &bad);
    assert!(
        matches!(opened.notices().last(), Some(Notice::NotOpened { error, .. }) if error.contains("epochs_before"))
    );
    assert_eq!(opened.run().epochs_shown(), 4, "a bad file changes nothing");
}

#[test]
fn a_slider_dragged_within_an_epoch_leaves_one_marker_from_its_first_value() {
    let (_guard, mut app) = trained("", 1);
    for h in [12, 14, 16] {
        app.set_sizes(10, 5, h);
    }
    for lr in [0.02, 0.05] {
        app.set_learning_rate(lr);
    }
    app.step_epoch();
    app.set_sizes(10, 5, 8);
    let labels = app.run().marker_labels();
    assert_eq!(labels, [(1, "H 10→16".to_string()), (1, "η 0.01→0.05".to_string()), (2, "H 16→8".to_string())]);
}

#[test]
fn a_link_to_a_moment_replays_the_run_to_the_same_micro_step() {
    let (guard, mut app) = trained("seed=7", 2);
    app.set_learning_rate(0.05);
    app.set_sizes(8, 5, 6);
    for _ in 0..7 {
        app.step();
    }
    let hash = url_hash::to_hash(&app.page_settings());
    assert!(hash.contains("&log="), "{hash}");
    drop(guard);
    let (_guard, mut copy) = page(&hash);
    finish_replay(&mut copy);
    let (a, b) = (app.run().session(), copy.run().session());
    assert_eq!((b.steps_run(), b.epoch(), b.phase()), (a.steps_run(), a.epoch(), a.phase()));
    assert_eq!(b.losses(), a.losses());
    assert_eq!(b.params(), a.params());
    assert_eq!(b.config(), a.config());
    assert_eq!(copy.run().last_step(), app.run().last_step(), "the equation explains the same step");
    assert!(copy.notices().is_empty());
}

#[test]
fn a_links_notices_are_said_in_its_language_and_again_in_the_next() {
    let (_guard, mut app) = page("lang=ja&seed=abc&colour=red");
    assert_eq!(text::lang(), Lang::Ja, "the link's language, read in the one parse");
    assert_eq!(app.notices().len(), 2);
    let ja: Vec<String> = app.notices().iter().map(Notice::text).collect();
    assert_eq!(ja, app.notices().iter().map(|n| n.text_in(Lang::Ja.text())).collect::<Vec<_>>());
    app.set_lang(Lang::En);
    let en: Vec<String> = app.notices().iter().map(Notice::text).collect();
    assert_eq!(en[1], "ignored the unknown setting \"colour\"");
    assert_ne!(en, ja);
    app.refuse_seed("x1");
    assert_eq!(app.notices()[2], Notice::BadSeed { typed: "x1".into(), kept: 42 });
    app.clear_notices();
    assert!(app.notices().is_empty());
}

#[test]
fn markers_and_the_restart_note_are_said_again_after_a_language_switch() {
    let (_guard, mut app) = trained("training=bptt", 1);
    app.step();
    app.set_clip_norm(Some(2.0));
    app.set_stateful(true);
    let en = app.run().marker_labels();
    assert_eq!(en[0].1, format!("clip {}→2", Lang::En.text().off));
    let note = app.run().restart_note().expect("the change mid-epoch restarted it");
    assert!(note.starts_with("carry h on: "), "{note}");
    app.set_lang(Lang::Ja);
    let ja = app.run().marker_labels();
    assert_eq!(ja[0].1, format!("クリップ {}→2", Lang::Ja.text().off));
    assert_eq!(ja[1].1, "h の引き継ぎ あり");
    assert!(app.run().restart_note().is_some_and(|n| n.starts_with("h の引き継ぎ あり: ")));
    app.set_lang(Lang::En);
    assert_eq!(app.run().marker_labels(), en);
}

#[test]
fn derived_values_go_stale_after_a_step_and_stand_a_while_during_play() {
    let mut run = Run::new(&Config { training: Training::Bptt, ..Config::default() });
    let rho = run.spectral_radius(0.0, false);
    let at = run.session().steps_run();
    assert_eq!(run.spectral().map(|d| (d.at_step, d.value)), Some((at, rho)));
    for _ in 0..run.config().steps_per_epoch() {
        run.step();
    }
    let now = run.session().steps_run();
    assert!(!run.spectral().unwrap().stands(now, 1.0, false), "stale once the run has stepped on");
    assert_ne!(run.spectral_radius(1.0, false), rho, "the update changed Wh");
    assert_eq!(run.spectral().unwrap().at_step, now);
    run.step_epoch();
    let playing_rho = run.spectral_radius(1.0 + DERIVED_EVERY_MS / 2.0, true);
    assert_eq!(run.spectral().unwrap().at_step, now, "while playing, it stands for a while");
    let later = run.spectral_radius(1.0 + DERIVED_EVERY_MS, true);
    assert_eq!(run.spectral().unwrap().at_step, run.session().steps_run());
    assert_ne!(later, playing_rho);
    assert_eq!(run.apply_edit(Edit::set(Key::LearningRate, Value::Number(0.5))), Changed::Live);
    assert!(run.spectral().is_none(), "a change of setting forgets it");
}

#[test]
fn a_second_run_beside_the_first_trains_and_keeps_its_own_values() {
    let mut first = Run::new(&Config::default());
    let mut second = Run::new(&Config { hidden_size: 4, seed: 9, training: Training::Bptt, ..Config::default() });
    for _ in 0..3 {
        first.step_epoch();
    }
    second.step_epoch();
    second.apply_edit(Edit::set(Key::ClipNorm, Value::Number(1.0)));
    second.step_epoch();
    let mut alone = Session::new(&Config::default());
    alone.run_epochs(3);
    assert_eq!(first.session().losses(), alone.losses(), "the other run changes nothing of this one");
    assert_eq!(first.session().params(), alone.params());
    assert_eq!(second.session().losses().len(), 2);
    assert!(first.markers().is_empty());
    assert_eq!(second.markers(), [(1, Marker::Clip { from: None, to: Some(1.0) })]);
    assert_ne!(first.spectral_radius(0.0, false), second.spectral_radius(0.0, false));
    second.refresh_gradient_sources(0.0, false);
    assert!(second.gradient_sources().is_none(), "a loss at the last step only: nothing to break down");
    assert_eq!(first.session().hidden_states().nrows(), 10);
    assert_eq!(second.session().hidden_states().nrows(), 4);
    assert_eq!(second.last_step(), Some(Phase::Update));
}

#[test]
fn a_run_file_opens_replayed_with_its_losses_checked_and_a_bad_one_is_refused() {
    let (_guard, mut app) = page("");
    let mut session = Session::new(&Config { seed: 5, ..Config::default() });
    session.run_epochs(4);
    let json = RunFile::of_session(&session).to_json();
    app.open_run_file("run.json", &json);
    assert_eq!(app.run().session().losses(), session.losses());
    let opened = Notice::Opened { name: "run.json".into(), replay: Opened::Same { epochs: 4 } };
    assert_eq!(app.notices(), [opened]);
    assert!(app.page_settings().moment.is_none(), "a link cannot carry a file's numbers");
    app.open_run_file("bad.json", "not json");
    assert!(matches!(&app.notices()[1], Notice::NotOpened { name, .. } if name == "bad.json"));
    assert_eq!(app.run().session().losses(), session.losses(), "a bad file changes nothing");
}

/// Every control shows what the run does: a change that restarts the run sets the controls
/// from it again (switching to full BPTT stops carrying h, so its box must go unticked).
#[test]
fn a_change_that_changes_other_settings_sets_the_controls_again() {
    let (_guard, mut app) = page("");
    assert!(app.run().config().stateful(), "the seed's loop carries h");
    app.take_redraw();
    app.set_training(Training::Bptt);
    assert!(!app.run().config().stateful(), "full BPTT starts every epoch from h_0 = 0");
    assert!(app.take_redraw().controls, "the Carry h box is set from the run");
    app.set_learning_rate(0.2);
    assert!(!app.take_redraw().controls, "a live setting leaves the controls as they are");
}

/// What the page says in words is native too: the status line keeps a blown-up loss short,
/// and the divergence message names the loss in the page's language.
#[test]
fn a_blow_up_is_said_short_and_in_the_language_on_show() {
    // The sine task at η = 1 (seed 42): the loss grows to about 1e306 and overflows at epoch 122.
    let (_guard, mut app) = trained("task=sine-next&learning_rate=1&lang=ja", 121);
    let status = describe::status_line(&app);
    let loss = status.split("損失 ").nth(1).and_then(|rest| rest.split(' ').next()).expect("a loss");
    assert!(loss.len() < 12 && loss.contains('e'), "{status}");
    app.step_epoch();
    let divergence = app.run().session().divergence().expect("the loss overflows in epoch 122").clone();
    let said = describe::divergence_text(&divergence);
    assert!(said.contains("損失 が NaN か無限大") && !said.contains("the loss"), "{said}");
    text::set_lang(Lang::En);
    assert!(describe::divergence_text(&divergence).contains("the loss became NaN or infinite"));
}

/// The page on the next-value task, T = 8, H = 6.
const NEXT_VALUE: &str = "task=sine-next&training=bptt&seq_length=8&input_size=1&hidden_size=6";

#[test]
fn a_pasted_series_starts_a_new_run_on_it_and_a_bad_paste_changes_nothing() {
    let (_guard, mut app) = trained(NEXT_VALUE, 3);
    let before = (app.run().session().losses().to_vec(), app.run().session().params().clone());
    for bad in ["", "0.1 0.2 0.3", "0.1, 0.2, wave, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9", "1 2 3 4 5 6 7 8 1e309"] {
        app.use_pasted(bad);
        assert_eq!(app.run().config().series, None, "{bad:?}");
        assert_eq!((app.run().session().losses().to_vec(), app.run().session().params().clone()), before);
    }
    assert_eq!(app.notices().len(), 4, "one notice per refusal");
    assert!(app.notices()[2].text().contains("wave") && app.notices()[2].text().contains('3'));
    let numbers: Vec<String> = (0..40).map(|k| format!("{:.3}", (k as f64 * 0.4).sin() * 3.0)).collect();
    app.use_pasted(&numbers.join("\n"));
    let series = app.run().config().series.clone().expect("the numbers are used");
    assert_eq!(series.len(), 40);
    assert!(
        app.notices().last().unwrap().text().contains("outside −1…1"),
        "values up to ±3 are used as given, with a word"
    );
    assert_eq!(app.run().session().epoch(), 0, "a new run");
    assert_eq!(app.series_source(), Source::Paste);
    app.step_epoch();
    let x = app.run().session().x();
    let start = numbers.iter().position(|v| v.parse::<f64>().unwrap() == x[(0, 0)]).unwrap();
    assert_eq!(x.as_slice(), &series.values()[start..start + 8], "a window of the series");
}

#[test]
fn a_drawn_series_keeps_through_a_change_of_t_and_goes_with_a_change_of_task() {
    let (_guard, mut app) = page(NEXT_VALUE);
    app.use_drawing(&[(5.0, 0.0)]);
    assert_eq!(app.run().config().series, None, "a dot is no curve");
    assert!(!app.notices().is_empty());
    let wave: Vec<(f64, f64)> = (0..300).map(|i| (i as f64, -(i as f64 / 20.0).sin() * 40.0)).collect();
    app.use_drawing(&wave);
    let series = app.run().config().series.clone().unwrap();
    assert_eq!(series.len(), 200);
    app.set_sizes(30, 1, 6);
    assert_eq!(
        (app.run().config().seq_length, app.run().config().series.as_ref()),
        (30, Some(&series)),
        "T changed, the series kept"
    );
    app.set_sizes(500, 1, 6);
    assert_eq!(app.run().config().seq_length, 199, "T at most the series' length − 1");
    app.set_task(Task::Adding);
    assert_eq!(app.run().config().series, None);
    app.set_task(Task::SineNext);
    assert_eq!(app.run().config().series, None, "back to the built-in waves");
}

#[test]
fn a_link_carries_a_drawn_series_and_a_fresh_page_trains_on_the_same_numbers() {
    let (guard, mut app) = page(NEXT_VALUE);
    let wave: Vec<(f64, f64)> =
        (0..120).map(|i| (i as f64, (i as f64 / 9.0).cos() + (i as f64 / 31.0).sin())).collect();
    app.use_drawing(&wave);
    for _ in 0..3 {
        app.step_epoch();
    }
    app.step();
    let hash = url_hash::to_hash(&app.page_settings());
    assert!(hash.contains("&series=m") && hash.contains("&log="), "{hash}");
    drop(guard);
    let (guard, mut copy) = page(&hash);
    finish_replay(&mut copy);
    assert_eq!(copy.run().config(), app.run().config(), "the same series, to the bit");
    assert_eq!(copy.run().session().losses(), app.run().session().losses());
    assert_eq!(copy.run().session().params(), app.run().session().params());
    assert!(copy.notices().is_empty(), "{:?}", copy.notices());
    let Output::Sequence(sequence) = chart_data::output(copy.run()) else { panic!("a sequence") };
    assert_eq!(sequence.after.len(), 8, "the series' true continuation past T");
    drop(guard);
    let (_guard, mut long) = page(NEXT_VALUE);
    long.use_pasted(&vec!["0.5"; 1000].join(" "));
    assert!(!long.run().series_fits_link() && long.run().link_moment().is_none());
    let hash = url_hash::to_hash(&long.page_settings());
    assert!(!hash.contains("series=") && hash.contains("task=sine-next"), "the settings without the series: {hash}");
}
