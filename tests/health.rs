//! Training that goes wrong without a NaN is named: runaway weights, saturated tanh, a vanished gradient, the blog task's loss floor.

use rnn_playground::model::health::{self, loss_floor, runaway};
use rnn_playground::model::{Config, Init, Session, Task, Training};

/// Full BPTT at the page's largest sizes and learning rate 1: the weights run away while tanh
/// keeps every number finite, so nothing else would say so.
#[test]
fn runaway_fires_when_a_large_learning_rate_blows_the_weights_up() {
    let config = Config {
        seq_length: 100,
        input_size: 32,
        hidden_size: 128,
        learning_rate: 1.0,
        training: Training::Bptt,
        ..Config::default()
    };
    let mut s = Session::new(&config);
    let mut fired_at = None;
    for epoch in 1..=400 {
        s.finish_epoch();
        if runaway(s.params()).is_some() {
            fired_at = Some(epoch);
            break;
        }
    }
    assert!(s.divergence().is_none(), "no NaN: {:?}", s.divergence());
    assert!(fired_at.is_some(), "the weights ran away: largest now {:?}", s.params().values()[1].amax());
}

/// At the default learning rate the weights run away only where the gradient explodes: full
/// BPTT over long sequences with the blog's unscaled N(0, 1) weights, where each step back
/// multiplies the gradient by Whᵀ (norm about 2√H). It happens in the very first update.
#[test]
fn at_the_default_learning_rate_only_an_exploding_gradient_runs_away() {
    for (t_len, d, h) in [(1, 1, 1), (10, 5, 10), (10, 32, 128), (100, 1, 10), (2, 32, 1), (100, 32, 1), (100, 32, 128)]
    {
        for training in [Training::BlogLoop, Training::Bptt] {
            let config = Config { seq_length: t_len, input_size: d, hidden_size: h, training, ..Config::default() };
            let mut s = Session::new(&config);
            s.finish_epoch();
            let first = s.grads();
            let first_norm: f64 = first.iter().filter(|(spec, _)| !spec.is_output()).map(|(_, m)| m.norm()).sum();
            s.run_epochs(299);
            let exploded = first_norm * config.learning_rate > health::RUNAWAY_WEIGHT;
            assert_eq!(runaway(s.params()).is_some(), exploded, "{config:?}: first gradient norm {first_norm:e}");
            assert_eq!(exploded, training == Training::Bptt && t_len == 100 && h == 128, "{config:?}");
        }
    }
}

/// Weights that ran away drive every pre-activation far out on tanh's flat tails.
#[test]
fn a_run_that_ran_away_is_saturated_and_the_blogs_default_is_not() {
    let mut s = Session::new(&Config::default());
    s.finish_epoch();
    assert!(!health::is_saturated(s.pre_activations(), 10));
    let config =
        Config { seq_length: 100, input_size: 32, hidden_size: 128, training: Training::Bptt, ..Config::default() };
    let mut s = Session::new(&Config { learning_rate: 1.0, ..config });
    s.run_epochs(2);
    let share = health::saturated_share(s.pre_activations(), 100);
    assert!(health::is_saturated(s.pre_activations(), 100), "share {share}");
}

/// The loss never goes below the floor that tanh imposes on the blog's task.
#[test]
fn the_blog_tasks_loss_stays_above_its_floor() {
    for training in [Training::BlogLoop, Training::Bptt] {
        let mut s = Session::new(&Config { training, learning_rate: 0.5, ..Config::default() });
        s.run_epochs(2000);
        let floor = loss_floor(s.y().as_slice());
        assert!(floor > 0.0, "seed 42 has a target outside (−1, 1)");
        assert!(s.losses().iter().all(|&l| l >= floor));
    }
}

/// The gradient vanishes across a long sequence with a small recurrent gain, and not across a
/// short one: the health note's test, on a real backward pass.
#[test]
fn the_gradient_reaching_h1_vanishes_over_fifty_steps_at_a_small_gain() {
    let long = Config {
        task: Task::RememberFirst,
        seq_length: 50,
        input_size: 3,
        hidden_size: 16,
        training: Training::Bptt,
        init_scale: Some(0.5),
        init: Some(Init::Scaled),
        ..Config::default()
    };
    let mut session = Session::new(&long);
    session.run_epochs(1);
    let ratio = health::vanished(session.gradient_norms()).expect("vanished over 50 steps at g = 0.5");
    assert!(ratio < health::VANISHED_BELOW, "{ratio:e}");
    let short = Config { seq_length: 5, init_scale: Some(1.0), ..long.clone() };
    let mut session = Session::new(&short);
    session.run_epochs(1);
    assert_eq!(health::vanished(session.gradient_norms()), None, "{:?}", session.gradient_norms());
    let truncated = Config { truncation: Some(10), ..long };
    let mut session = Session::new(&truncated);
    session.run_epochs(1);
    assert_eq!(health::vanished(session.gradient_norms()), None, "h_1 is not reached");
}
