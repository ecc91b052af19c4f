//! Each panel's chart data built natively from a run: two runs side by side each yield their own, the lit row and column follow the micro-step, the prediction waits for h_T, the floor belongs to the seed's task.

use rnn_playground::model::params::Dim;
use rnn_playground::model::settings::{Key, Value};
use rnn_playground::model::{Activation, CellKind, Config, Phase, Task, Training, health};
use rnn_playground::page::app::App;
use rnn_playground::page::chart_data::{
    self, ADDING_TOLERANCE, Canvases, Heatmap, Hidden, Inputs, Output, View, Weights, filled_steps,
};
use rnn_playground::page::hit::HoverSource;
use rnn_playground::page::moment::Edit;
use rnn_playground::page::run::Run;
use rnn_playground::page::text::{Lang, t};

/// A run after `epochs` whole epochs.
fn trained(config: &Config, epochs: usize) -> Run {
    let mut run = Run::new(config);
    for _ in 0..epochs {
        run.step_epoch();
    }
    run
}

/// The hidden-state panel's history as numbers, column by column.
fn history_of(run: &Run) -> Vec<f64> {
    chart_data::hidden(run).history.values.to_vec()
}

/// The seed's task with T = 3, so that an epoch is a handful of micro-steps.
fn short(training: Training) -> Config {
    Config { seq_length: 3, training, ..Config::default() }
}

/// The inputs heatmap's lit row and the hidden history's lit column of `run` now.
fn lit(run: &Run) -> (Option<usize>, Option<usize>) {
    let x = run.session().x();
    let Inputs::Map(map) = chart_data::inputs(run, &View::default(), &x) else { panic!("the heatmap view") };
    (map.lit_row, chart_data::hidden(run).history.lit_col)
}

#[test]
fn a_second_run_beside_the_first_trains_and_yields_its_own_chart_data() {
    let mut first = trained(&Config::default(), 3);
    let mut second = trained(&Config { seed: 7, learning_rate: 0.1, ..Config::default() }, 5);
    let (loss_1, loss_2) = (chart_data::loss(&first), chart_data::loss(&second));
    assert_eq!(loss_1.curve.losses, first.session().losses());
    assert_eq!(loss_2.curve.losses, second.session().losses());
    assert_eq!((loss_1.curve.losses.len(), loss_2.curve.losses.len()), (3, 5));
    assert_ne!(loss_1.curve.losses, &loss_2.curve.losses[..3]);
    for run in [&first, &second] {
        let hs = run.session().hidden_states();
        assert_eq!(history_of(run), hs.columns(1, 10).iter().copied().collect::<Vec<_>>());
        let Weights { weights, .. } = chart_data::weights(run);
        let wh = weights.iter().find(|m| m.spec.cols == Dim::Hidden).expect("Wh is drawn");
        let values = run.session().params().values().iter().find(|m| m.ncols() == 10).unwrap();
        assert_eq!(wh.map.values, values.as_slice(), "the map shows this run's own Wh");
    }
    assert_ne!(history_of(&first), history_of(&second));
    // Stepping one run leaves the other's chart data as it was.
    let (history, losses) = (history_of(&first), first.session().losses().to_vec());
    let bits = |run: &Run| chart_data::gradients(run, &View::default()).norms.iter().map(|v| v.to_bits()).collect();
    let gradients: Vec<u64> = bits(&first);
    for _ in 0..7 {
        second.step();
    }
    second.step_epoch();
    assert_eq!(history_of(&first), history);
    assert_eq!(chart_data::loss(&first).curve.losses, losses);
    assert_eq!(bits(&first), gradients, "NaN where the gradient has not arrived, bit for bit");
    // And a run trained alone to the same point draws the same charts.
    let alone = trained(&Config::default(), 3);
    assert_eq!(chart_data::hidden(&first), chart_data::hidden(&alone));
    assert_eq!(chart_data::weights(&first), chart_data::weights(&alone));
    assert_eq!(chart_data::output(&first), chart_data::output(&alone));
    first.step();
    assert_ne!(chart_data::hidden(&first), chart_data::hidden(&alone), "h_1 of the next epoch");
}

#[test]
fn the_lit_row_of_x_and_column_of_h_follow_the_micro_step() {
    let mut run = Run::new(&short(Training::BlogLoop));
    assert_eq!(lit(&run), (None, None), "nothing has run");
    // Forward t = 1, 2, 3: the row just read and the state just computed.
    for t in 0..3 {
        run.step();
        assert_eq!(lit(&run), (Some(t), Some(t)), "after forward step {}", t + 1);
    }
    assert_eq!(run.session().phase(), Phase::Loss);
    run.step(); // the loss
    assert_eq!(run.session().phase(), Phase::Backward { t: 2 });
    assert_eq!(lit(&run), (Some(2), Some(2)), "the backward step to come, at h_T");
    run.step(); // backward through t = 3 only (the seed's k = 1)
    assert_eq!(run.session().phase(), Phase::Update);
    assert_eq!(lit(&run), (Some(2), None), "x's row the backward step went through");
    run.step(); // the update
    assert_eq!(lit(&run), (None, None));
}

#[test]
fn in_full_bptt_the_row_lit_is_the_one_the_last_backward_step_went_through() {
    let mut run = Run::new(&short(Training::Bptt));
    for _ in 0..4 {
        run.step(); // forward t = 1, 2, 3, the loss
    }
    run.step(); // backward through t = 3
    assert_eq!(run.session().phase(), Phase::Backward { t: 1 });
    assert_eq!(lit(&run), (Some(2), Some(2)), "the step just run, not the one to come");
    let bars = chart_data::gradients(&run, &View { traced_source: Some(1), ..View::default() });
    assert_eq!((bars.current, bars.traced), (Some(2), Some(1)));
    assert_eq!(bars.empty_note, t().gradient_note_bptt);
    assert!(bars.norms[2].is_finite() && bars.norms[0].is_nan(), "the gradient has reached t = 3 only");
    run.step();
    assert_eq!(lit(&run), (Some(1), Some(1)));
    assert_eq!(chart_data::gradients(&Run::new(&short(Training::BlogLoop)), &View::default()).current, None);
}

#[test]
fn the_prediction_is_pending_until_h_t_then_stays_the_last_epochs() {
    let mut run = Run::new(&short(Training::BlogLoop));
    let target = |run: &Run| match chart_data::output(run) {
        Output::Target(data) => (data.prediction.to_vec(), data.prediction_label.to_string(), data.target.to_vec()),
        _ => panic!("the seed's task compares y with h_T"),
    };
    for _ in 0..2 {
        run.step();
        let (prediction, label, y) = target(&run);
        assert!(prediction.is_empty(), "h_1 and h_2 are no prediction");
        assert_eq!((label.as_str(), y.as_slice()), (t().prediction_pending, run.session().y().as_slice()));
    }
    run.step(); // forward t = 3: h_T
    let h_t: Vec<f64> = run.session().hidden_states().column(3).iter().copied().collect();
    assert_eq!(target(&run).0, h_t);
    assert_eq!(target(&run).1, t().prediction);
    for _ in 0..3 {
        run.step(); // the loss, backward, update
    }
    assert!(run.session().shows_last_epoch());
    assert_eq!((target(&run).0, target(&run).1), (h_t, t().prediction_last.to_string()));
    assert_eq!(chart_data::hidden(&run).history.title, t().hidden_title_last);
    assert_eq!(chart_data::hidden(&run).history.filled_cols, Some(filled_steps(run.session())));
}

#[test]
fn the_newest_hidden_state_is_titled_by_its_step_and_fills_the_history_up_to_it() {
    let mut run = Run::new(&Config { seq_length: 12, ..Config::default() });
    for _ in 0..11 {
        run.step();
    }
    let Hidden { now, history, cell_states, gates } = chart_data::hidden(&run);
    assert!(cell_states.is_none() && gates.is_none(), "the plain RNN has no cell state and no gates");
    assert_eq!(now.title, "h₁₁");
    assert_eq!((now.shape, history.shape), ((10, 1), (10, 12)));
    assert_eq!(now.values, run.session().hidden_states().column(11).as_slice());
    assert_eq!((history.filled_cols, history.lit_col), (Some(11), Some(10)));
    assert!(history.show_legend && !now.show_legend);
}

/// A gated cell's panel 2: the gates σ(A) of the blocks shown (the LSTM's f, i, o; the GRU's z,
/// r), filled step by step on a 0-to-1 scale, and for the LSTM its cell states c_1 … c_T on a
/// scale that follows them (c is unbounded).
#[test]
fn a_gated_cell_shows_its_gates_step_by_step_and_the_lstm_its_cell_state() {
    use rnn_playground::model::lstm::sigmoid;
    let bptt = Config { training: Training::Bptt, seq_length: 6, hidden_size: 3, ..Config::default() };
    for (cell, names, blocks) in
        [(CellKind::Lstm, &["f", "i", "o"][..], &[0, 2, 3][..]), (CellKind::Gru, &["z", "r"], &[0, 1])]
    {
        let mut run = Run::new(&Config { cell: Some(cell), ..bptt.clone() });
        for _ in 0..4 {
            run.step();
        }
        let Hidden { history, cell_states, gates, .. } = chart_data::hidden(&run);
        assert_eq!(history.limit, 1.0, "{cell:?}: h stays inside (−1, 1)");
        let gates = gates.expect("a gated cell has gates");
        assert_eq!((gates.names, gates.shape, gates.filled), (names, (3 * names.len(), 6), 4));
        let map = gates.map();
        assert!(map.unit_scale && map.blocks == names && map.filled_cols == Some(4));
        let pre = run.session().pre_activations();
        for (k, &block) in blocks.iter().enumerate() {
            for t in 0..4 {
                for i in 0..3 {
                    assert_eq!(gates.values[t * gates.shape.0 + k * 3 + i], sigmoid(pre[(block * 3 + i, t)]));
                }
            }
        }
        match cell {
            CellKind::Lstm => {
                let c = cell_states.expect("the LSTM has a cell state");
                let cs = run.session().cell_states();
                assert_eq!((c.shape, c.values), ((3, 6), &cs.as_slice()[3..]));
                let largest = cs.as_slice()[3..][..12].iter().fold(0f64, |m, v| m.max(v.abs()));
                assert_eq!(c.limit, largest);
            }
            _ => assert!(cell_states.is_none()),
        }
    }
    // A ReLU RNN's h is unbounded: its scale follows the values shown.
    let mut run = Run::new(&Config { activation: Some(Activation::Relu), ..bptt });
    run.step();
    run.step();
    let shown = &run.session().hidden_states().as_slice()[3..][..6];
    assert_eq!(chart_data::hidden(&run).history.limit, shown.iter().fold(1e-9, |m: f64, v| m.max(v.abs())));
}

/// The weights panel names a gated cell's blocks beside Wx, Wh and b (not beside Wy), and the
/// gradient panel draws the LSTM's ‖∂L/∂c_t‖ beside ‖∂L/∂h_t‖ once the backward pass reaches it.
#[test]
fn a_gated_cells_weights_are_labelled_by_gate_and_the_lstms_cell_gradient_is_drawn() {
    let lstm = Config { training: Training::Bptt, cell: Some(CellKind::Lstm), ..Config::default() };
    let mut run = Run::new(&lstm);
    let weights = chart_data::weights(&run);
    assert!(weights.weights.iter().all(|m| m.map.blocks == ["f", "g", "i", "o"]));
    assert!(chart_data::gradients(&run, &View::default()).cell.is_some_and(|c| c.iter().all(|v| v.is_nan())));
    run.step_epoch();
    let bars = chart_data::gradients(&run, &View::default());
    let cell = bars.cell.expect("the LSTM's cell gradient");
    assert!(cell.iter().all(|v| v.is_finite() && *v > 0.0), "{cell:?}");
    let gru = Run::new(&Config { cell: Some(CellKind::Gru), ..lstm });
    assert_eq!(chart_data::weights(&gru).weights[0].map.blocks, ["z", "r", "h̃"]);
    assert!(chart_data::gradients(&gru, &View::default()).cell.is_none());
    let plain = Run::new(&Config::default());
    assert!(chart_data::weights(&plain).weights.iter().all(|m| m.map.blocks.is_empty()));
}

#[test]
fn the_loss_floor_shows_only_on_the_random_target_task() {
    let seed_run = trained(&Config::default(), 2);
    let y = seed_run.session().y().as_slice();
    assert!(y.iter().any(|v| v.abs() > 1.0), "seed 42's target has a unit tanh cannot reach");
    assert_eq!(chart_data::loss(&seed_run).curve.floor, Some(health::loss_floor(y)));
    for (task, input_size) in [(Task::SineNext, 1), (Task::RememberFirst, 3), (Task::Adding, 2)] {
        let run = trained(&Config { task, input_size, training: Training::Bptt, ..Config::default() }, 2);
        assert_eq!(chart_data::loss(&run).curve.floor, None, "{task:?} has an output layer");
    }
    // A target within (-1, 1) can be reached: no floor either.
    let calm = Config { hidden_size: 1, ..Config::default() };
    let calm = (0..50).map(|seed| Run::new(&Config { seed, ..calm.clone() }));
    let reachable = calm.into_iter().find(|run| run.session().y()[0].abs() < 1.0).expect("one of 50 seeds");
    assert_eq!(chart_data::loss(&reachable).curve.floor, None);
}

#[test]
fn the_loss_curve_carries_its_markers_and_the_seed_caption_its_mode() {
    let mut run = trained(&Config::default(), 2);
    run.apply_edit(Edit::set(Key::LearningRate, Value::Number(0.05)));
    run.step_epoch();
    let loss = chart_data::loss(&run);
    assert_eq!(loss.curve.markers, run.marker_labels());
    assert_eq!(loss.curve.markers.len(), 1);
    assert!(loss.seed_caption, "the seed's loop has its caption");
    assert!(chart_data::twin(&run).is_none());
    run.apply_edit(Edit::set(Key::Training, Value::Training(Training::Bptt)));
    assert!(!chart_data::loss(&run).seed_caption);
    run.apply_edit(Edit::Reset);
    assert_eq!(chart_data::loss(&run).curve.previous.len(), 3, "the curve before Reset, faint");
}

#[test]
fn the_twin_chart_shows_the_twins_distance_while_the_twin_runs() {
    let mut run = trained(&Config::default(), 1);
    run.set_twin(true);
    for _ in 0..3 {
        run.step_epoch();
    }
    let twin = chart_data::twin(&run).expect("the twin is on");
    assert_eq!(twin.curve.losses, run.twin().unwrap().distances());
    assert_eq!(twin.curve.losses.len(), 3);
    assert_eq!((twin.curve.floor, twin.curve.markers.len(), twin.verdict.is_some()), (None, 0, false));
    run.set_twin(false);
    assert!(chart_data::twin(&run).is_none());
}

#[test]
fn the_inputs_are_x_by_rows_as_a_heatmap_or_x_by_features_as_lines() {
    let run = trained(&Config { seq_length: 4, input_size: 3, ..Config::default() }, 1);
    let x = run.session().x();
    let Inputs::Map(map) = chart_data::inputs(&run, &View::default(), &x) else { panic!("the heatmap") };
    assert_eq!((map.shape, map.values), ((4, 3), x.as_slice()));
    assert_eq!(map.limit, x.iter().fold(1.0f64, |m, v| m.max(v.abs())));
    assert_eq!((map.title.as_ref(), map.col_label), (t().x_title, t().axis_feature));
    let as_lines = View { x_as_lines: true, ..View::default() };
    let Inputs::Lines(lines) = chart_data::inputs(&run, &as_lines, &x) else { panic!("the line view") };
    assert_eq!(lines.x, run.session().x_columns(), "one row per feature");
    assert_eq!(lines.current, None, "between epochs nothing is lit");
}

#[test]
fn the_weights_panel_maps_the_cells_own_parameters_and_their_last_change() {
    let run = trained(&Config::default(), 2);
    let Weights { weights, changes } = chart_data::weights(&run);
    let (p, c) = (run.session().params(), run.session().last_change());
    assert_eq!(weights.len(), p.specs().iter().filter(|s| !s.is_output()).count());
    for (k, (w, d)) in weights.iter().zip(&changes).enumerate() {
        assert_eq!((w.source, d.source), (HoverSource::Weight(k), HoverSource::Change(k)));
        assert_eq!((w.map.values, d.map.values), (p.values()[k].as_slice(), c.values()[k].as_slice()));
        assert_eq!(d.map.title, format!("Δ{}", w.map.title));
        assert_eq!(w.map.show_legend, w.spec.cols == Dim::Hidden, "the legend goes with Wh");
    }
    let limit =
        |maps: &[chart_data::ParamMap]| maps.iter().flat_map(|m| m.map.values).fold(0.0f64, |a, v| a.max(v.abs()));
    assert!(weights.iter().all(|m| m.map.limit == limit(&weights)), "one colour scale for the weights");
    assert!(changes.iter().all(|m| m.map.limit == limit(&changes)), "another for the changes");
    assert!(changes[0].map.limit < weights[0].map.limit);
    assert!(chart_data::output_weights(&run).is_none(), "the seed's task has no Wy");
}

#[test]
fn each_task_gets_its_kind_of_prediction_chart_and_the_output_layers_maps() {
    let bptt = Config { training: Training::Bptt, ..Config::default() };
    let sine = trained(&Config { task: Task::SineNext, seq_length: 8, input_size: 1, ..bptt.clone() }, 2);
    let Output::Sequence(sequence) = chart_data::output(&sine) else { panic!("the sine's sequence") };
    assert_eq!((sequence.input.len(), sequence.target.len(), sequence.prediction.len()), (8, 8, 16));
    assert_eq!(sequence.target, sine.session().y().as_slice());
    let maps = chart_data::output_weights(&sine).expect("Wy and by");
    assert!(maps.iter().all(|m| m.spec.is_output() && !m.map.show_legend && m.map.row_label == t().axis_out));
    assert!(matches!(maps[0].source, HoverSource::OutputWeights(i) if sine.session().params().specs()[i].is_output()));
    assert!(chart_data::success_note(&sine).is_none(), "a loss at every step: no running score");
    let adding = trained(&Config { task: Task::Adding, input_size: 2, ..bptt.clone() }, 3);
    let Output::Answers(answers) = chart_data::output(&adding) else { panic!("the answers") };
    let recorded: Vec<(f64, f64)> = adding.answers().iter().flatten().copied().collect();
    assert_eq!((answers.pairs, answers.latest, answers.band), (recorded, 1, Some(ADDING_TOLERANCE)));
    assert!(chart_data::success_note(&adding).is_some_and(|note| note.contains('3')), "over the last 3 epochs");
    let remember =
        trained(&Config { task: Task::RememberFirst, input_size: 3, training: Training::Bptt, ..Config::default() }, 1);
    let Output::Answers(answers) = chart_data::output(&remember) else { panic!("the answers") };
    assert_eq!((answers.pairs.len(), answers.band), (3, None));
}

#[test]
fn the_pages_canvases_are_distinct_and_each_on_the_page() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/index.html")).unwrap();
    let c = Canvases::MAIN;
    let ids = c.canvas_ids();
    let captions = [c.loss_caption, c.twin_caption, c.twin_verdict, c.task_score];
    for id in ids {
        assert!(html.contains(&format!("<canvas id=\"{id}\"")), "www/index.html has no canvas {id}");
    }
    for id in captions {
        assert!(html.contains(&format!("id=\"{id}\"")), "www/index.html has no #{id}");
    }
    let mut all: Vec<&str> = ids.iter().chain(&captions).copied().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 12, "every panel draws into its own element");
}

#[test]
fn a_heatmap_starts_plain_and_borrows_its_cells() {
    let cells = [1.0, -2.0, 0.5, 4.0];
    let map = Heatmap::new((&cells, (2, 2)), 4.0, "Wh".into(), ("unit", "from"));
    assert_eq!((map.values, map.shape, map.limit), (&cells[..], (2, 2), 4.0));
    assert_eq!(
        (map.lit_row, map.lit_col, map.filled_cols, map.show_legend, map.max_cell),
        (None, None, None, false, None)
    );
}

#[test]
fn the_line_view_and_the_traced_source_are_the_view_the_page_draws_its_run_with() {
    // English, as every other test here reads it.
    let mut app = App::from_hash("", Lang::En);
    assert_eq!(app.view(), View::default());
    app.toggle_x_view();
    app.trace_source(Some(2));
    assert_eq!(app.view(), View { x_as_lines: true, traced_source: Some(2) });
    let x = app.run().session().x();
    assert!(matches!(chart_data::inputs(app.run(), &app.view(), &x), Inputs::Lines(_)));
    assert_eq!(chart_data::gradients(app.run(), &app.view()).traced, Some(2));
}

/// The loss curve's trend is the mean of the last 100 epochs (all of them before the first
/// hundred), drawn on a noisy curve (fresh data) from 200 epochs on; the trivial answer's line
/// where the task has one.
#[test]
fn a_noisy_loss_curve_gets_its_trend_and_the_trivial_answer_its_line() {
    let losses: Vec<f64> = (0..250).map(|e| e as f64).collect();
    let trend = chart_data::trend(&losses);
    assert_eq!((trend[0], trend[9], trend[99], trend[249]), (0.0, 4.5, 49.5, 199.5));
    let remember = Config { task: Task::RememberFirst, input_size: 3, training: Training::Bptt, ..Config::default() };
    let run = trained(&remember, 200);
    let curve = chart_data::loss(&run).curve;
    assert_eq!((curve.trend.len(), curve.baseline), (200, Some(1.0)));
    assert_eq!(curve.trend[199], run.curve()[100..].iter().sum::<f64>() / 100.0);
    assert!(chart_data::loss(&trained(&remember, 199)).curve.trend.is_empty());
    assert_eq!(chart_data::loss(&trained(&Config::default(), 1)).curve.baseline, None);
}

/// The target chart shades what h can reach: tanh's and the gated cells' (−1, 1), ReLU's
/// [0, ∞), nothing without an activation.
#[test]
fn the_reachable_band_follows_the_activation_and_the_cell() {
    let bptt = Config { training: Training::Bptt, ..Config::default() };
    let band = |c: Config| match chart_data::output(&Run::new(&c)) {
        Output::Target(d) => d.reachable,
        _ => panic!("the blog's task draws target against prediction"),
    };
    assert_eq!(band(bptt.clone()), Some((-1.0, 1.0)));
    assert_eq!(band(Config { cell: Some(CellKind::Gru), ..bptt.clone() }), Some((-1.0, 1.0)));
    assert_eq!(band(Config { activation: Some(Activation::Relu), ..bptt.clone() }), Some((0.0, f64::INFINITY)));
    assert_eq!(band(Config { activation: Some(Activation::Linear), ..bptt }), None);
}
