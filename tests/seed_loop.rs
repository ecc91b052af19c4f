//! The blog's training loop, transcribed plainly inside the test, replayed number for number by the readable model.
//!
//! The fast layer equals the readable model (`fast_equals_readable.rs`), so the command line and
//! the page replay it too; the last test here checks that end to end.

use nalgebra::{DMatrix, DVector};
use rnn_playground::model::params::Sizes;
use rnn_playground::model::rnn::{self, Params};
use rnn_playground::model::run_file::{self, RunFile, WeightsJson};
use rnn_playground::model::tanh::tanh;
use rnn_playground::model::{Config, Training};

type Mat = Vec<Vec<f64>>;

/// `np.dot(W, v)`: each row summed first to last.
fn dot(w: &Mat, v: &[f64]) -> Vec<f64> {
    w.iter()
        .map(|row| {
            let mut s = 0.0;
            for (wij, vj) in row.iter().zip(v) {
                s += wij * vj;
            }
            s
        })
        .collect()
}

/// `np.dot(u, v.T)` for column vectors: the outer product.
fn outer(u: &[f64], v: &[f64]) -> Mat {
    u.iter().map(|ui| v.iter().map(|vj| ui * vj).collect()).collect()
}

fn sgd(w: &mut Mat, dw: &Mat, lr: f64) {
    for (row, drow) in w.iter_mut().zip(dw) {
        for (wij, dij) in row.iter_mut().zip(drow) {
            *wij -= lr * dij;
        }
    }
}

struct Replayed {
    losses: Vec<f64>,
    first_grads: (Mat, Mat, Vec<f64>),
    wx: Mat,
    wh: Mat,
    b: Vec<f64>,
}

/// The seed's loop: h0 = 0 once and carried; each epoch a forward over every row of X, the
/// loss mean((h − y)²), dh = 2 (h − y), a backward through the last step only, then SGD.
fn replay_seed_loop(x: &Mat, y: &[f64], mut wx: Mat, mut wh: Mat, mut b: Vec<f64>, lr: f64, epochs: usize) -> Replayed {
    let hidden = y.len();
    let mut h_t = vec![0.0; hidden];
    let mut losses = Vec::new();
    let mut first_grads = None;
    for _epoch in 0..epochs {
        let (mut last_x, mut last_h_prev, mut last_a) = (vec![], vec![], vec![]);
        for x_t in x {
            let (wx_x, wh_h) = (dot(&wx, x_t), dot(&wh, &h_t));
            let a: Vec<f64> = (0..hidden).map(|i| wx_x[i] + wh_h[i] + b[i]).collect();
            last_x = x_t.clone();
            last_h_prev = std::mem::replace(&mut h_t, a.iter().map(|&v| tanh(v)).collect());
            last_a = a;
        }
        let mut sum = 0.0;
        for i in 0..hidden {
            sum += (h_t[i] - y[i]) * (h_t[i] - y[i]);
        }
        losses.push(sum / hidden as f64);
        let dh_next: Vec<f64> = (0..hidden).map(|i| 2.0 * (h_t[i] - y[i])).collect();
        let da: Vec<f64> = (0..hidden)
            .map(|i| {
                let th = tanh(last_a[i]);
                dh_next[i] * (1.0 - th * th)
            })
            .collect();
        let (dwh, dwx, db) = (outer(&da, &last_h_prev), outer(&da, &last_x), da.clone());
        first_grads.get_or_insert_with(|| (dwx.clone(), dwh.clone(), db.clone()));
        sgd(&mut wx, &dwx, lr);
        sgd(&mut wh, &dwh, lr);
        for (bi, dbi) in b.iter_mut().zip(&db) {
            *bi -= lr * dbi;
        }
    }
    Replayed { losses, first_grads: first_grads.unwrap(), wx, wh, b }
}

fn matrix(rows: &Mat) -> DMatrix<f64> {
    DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j])
}

fn rows(m: &DMatrix<f64>) -> Mat {
    m.row_iter().map(|r| r.iter().copied().collect()).collect()
}

/// The readable model's blog loop on the run file's data and starting weights, against the
/// transcription; then the command line's completed run (the fast layer) against both.
fn check_replay(config: Config) {
    let spec = RunFile::from_config(config.clone());
    let done = spec.complete().expect("the seed's setup does not diverge");
    let (x, y) = (done.x.as_ref().unwrap(), &done.y_flat().unwrap());
    let sizes = Sizes { h: config.hidden_size, d: config.input_size, o: 0 };
    // The plain RNN's Wx, Wh and b, as rows (the output layer's list entries are empty here).
    let named = |w: &WeightsJson| -> (Mat, Mat, Vec<f64>) {
        let [wx, wh, b, ..] = w.params(sizes).as_array::<5>().clone();
        (rows(&wx), rows(&wh), b.iter().copied().collect())
    };
    let (wx, wh, b) = named(done.init.as_ref().unwrap());
    let replay = replay_seed_loop(x, y, wx, wh, b, config.learning_rate, config.epochs);

    let mut p = done.init.as_ref().unwrap().params(sizes);
    let (x, y) = (matrix(x), DVector::from_vec(y.clone()));
    let mut h = DVector::zeros(config.hidden_size);
    let epochs: Vec<_> =
        (0..config.epochs).map(|_| rnn::blog_loop_epoch(&mut p, &x, &y, &mut h, config.learning_rate)).collect();
    let losses: Vec<f64> = epochs.iter().map(|e| e.loss).collect();
    assert_eq!(losses, replay.losses, "readable losses");
    let as_rows = |p: &Params| named(&WeightsJson::from(p));
    assert_eq!(as_rows(&epochs[0].backward.grads), replay.first_grads, "readable first gradients");
    assert_eq!(as_rows(&p), (replay.wx.clone(), replay.wh.clone(), replay.b.clone()));

    assert_eq!(done.losses.as_ref().unwrap(), &replay.losses, "losses");
    assert_eq!(named(done.grads.as_ref().unwrap()), replay.first_grads, "first gradients");
    let last = named(done.final_weights.as_ref().unwrap());
    assert_eq!(last, (replay.wx.clone(), replay.wh.clone(), replay.b.clone()), "final weights");
}

#[test]
fn seed_training_replays_the_seed_loop_bit_for_bit() {
    check_replay(Config::default());
}

#[test]
fn seed_training_replays_the_seed_loop_on_other_sizes_and_rates() {
    check_replay(Config {
        seq_length: 3,
        input_size: 7,
        hidden_size: 4,
        learning_rate: 0.1,
        epochs: 300,
        seed: 9,
        ..Config::default()
    });
    check_replay(Config {
        seq_length: 1,
        input_size: 1,
        hidden_size: 1,
        learning_rate: 0.5,
        epochs: 50,
        seed: 1,
        ..Config::default()
    });
}

#[test]
fn the_seeds_loss_never_falls_below_the_floor_of_unreachable_targets() {
    // A target outside tanh's (−1, 1) cannot be reached: that unit's error stays above |y| − 1.
    let done = RunFile::from_config(Config { epochs: 2000, ..Config::default() }).complete().unwrap();
    let y = done.y_flat().unwrap();
    let floor: f64 = y.iter().map(|v| (v.abs() - 1.0).max(0.0).powi(2)).sum::<f64>() / y.len() as f64;
    assert!(floor > 0.0, "seed 42 has a target outside (−1, 1)");
    assert!(done.losses.unwrap().iter().all(|&l| l >= floor));
}

#[test]
fn a_run_file_given_x_y_and_init_uses_exactly_those() {
    let first = RunFile::from_config(Config { epochs: 5, ..Config::default() }).complete().unwrap();
    // Feed the completed file back with another seed: x, y and init are given, so the seed
    // no longer matters and the results are the same.
    let mut again = first.clone();
    again.config.seed = 12345;
    let text = again.to_json();
    let second = run_file::parse(&text).unwrap().complete().unwrap();
    assert_eq!(second.losses, first.losses);
    assert_eq!(second.final_weights, first.final_weights);
    let bptt = RunFile { config: Config { training: Training::Bptt, ..first.config.clone() }, ..first.clone() };
    assert_ne!(bptt.complete().unwrap().losses, first.losses);
}
