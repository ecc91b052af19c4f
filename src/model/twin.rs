//! The twin run: a second copy of a session with one weight moved by 1e-9, trained in lockstep, and how far apart the twins' hidden states drift.
//!
//! The twin is the main session cloned, with Wh[0, 0] (row 0, column 0: the recurrent weight
//! from hidden unit 1 to itself, present in every task) moved by [`TWIN_SHIFT`]. It then runs
//! exactly the micro-steps the main session runs, on the same data (fresh data too: epoch e's
//! sequence is a function of the seed and e alone). After each completed epoch the distance
//! ‖h_T − h_T'‖ between the two final hidden states is recorded. Whether the run is chaotic is
//! read from these distances ([`health::chaotic_at`]), never from the sizes.

use super::health;
use super::session::Session;

/// How far the twin's Wh[0, 0] is moved: about the size of a rounding difference in the weights.
pub const TWIN_SHIFT: f64 = 1e-9;

/// A second copy of a session, one weight apart, following the main session step for step.
#[derive(Clone, Debug)]
pub struct Twin {
    session: Session,
    /// ‖h_T − h_T'‖ after each epoch completed since the twin was made.
    distances: Vec<f64>,
}

impl Twin {
    /// The twin of `main` as it is now, with Wh[0, 0] moved by `shift` ([`TWIN_SHIFT`] on the
    /// page and the command line; 0 gives an exact copy).
    pub fn new(main: &Session, shift: f64) -> Self {
        let mut session = main.clone();
        session.shift_first_recurrent_weight(shift);
        Self { session, distances: Vec::new() }
    }

    /// Runs the twin to the main session's micro-step and records the distance when that
    /// completed an epoch. Call it after every step or epoch of the main session: an epoch
    /// the main session ran past without a call gets no distance of its own.
    pub fn follow(&mut self, main: &Session) {
        let before = self.session.epoch();
        self.session.run_until(main.steps_run());
        let (now, at_main) = (self.session.epoch(), main.epoch());
        if now > before && now == at_main && self.session.steps_run() == main.steps_run() {
            self.distances.push(distance(main, &self.session));
        }
    }

    /// ‖h_T − h_T'‖ after each epoch completed since the twin was made (NaN once a twin has
    /// diverged).
    pub fn distances(&self) -> &[f64] {
        &self.distances
    }

    /// The twin's own session (its weights, losses and hidden states).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The epoch (1-based, counted from the twin's start) at which the run showed itself
    /// chaotic, if it has ([`health::chaotic_at`]).
    pub fn chaotic_at(&self) -> Option<usize> {
        health::chaotic_at(&self.distances)
    }
}

/// ‖h_T − h_T'‖: the Euclidean distance between two sessions' last hidden states (their
/// hidden-state matrices' last columns, H each). NaN when the sizes differ.
pub fn distance(a: &Session, b: &Session) -> f64 {
    let (ha, hb) = (a.hidden_states(), b.hidden_states());
    if ha.shape() != hb.shape() {
        return f64::NAN;
    }
    let last = ha.ncols() - 1;
    (ha.column(last) - hb.column(last)).norm()
}

/// Runs `epochs` epochs of `main` and its twin in lockstep (epoch by epoch) and returns the
/// twin with its distances: what the command line's `twin` prints.
pub fn run_twins(main: &mut Session, epochs: usize, shift: f64) -> Twin {
    let mut twin = Twin::new(main, shift);
    for _ in 0..epochs {
        main.finish_epoch();
        twin.follow(main);
        if main.divergence().is_some() {
            break;
        }
    }
    twin
}
