//! The guided tour as plain data: its stops, when the learner has done what a stop asks, where its card goes, and when to offer it.

use crate::model::Phase;
use crate::page::text::Text;

/// What a stop waits for the learner to do (Next always works too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Only Next.
    Next,
    /// Any micro-step (Step, →).
    AnyStep,
    /// An epoch completed (Step epoch, or Step through the update).
    Epoch,
    /// A backward step ran.
    Backward,
    /// An update ran.
    Update,
}

/// How far the run is: what a stop compares with how it was when the stop began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub steps_run: u64,
    pub epoch: usize,
    pub last_step: Option<Phase>,
}

impl Wait {
    /// Whether the learner has done what the stop asks since it began at `start`.
    pub fn done(self, start: Progress, now: Progress) -> bool {
        let stepped = now.steps_run > start.steps_run;
        match self {
            Wait::Next => false,
            Wait::AnyStep => stepped,
            Wait::Epoch => now.epoch > start.epoch,
            Wait::Backward => stepped && matches!(now.last_step, Some(Phase::Backward { .. })),
            Wait::Update => stepped && now.last_step == Some(Phase::Update),
        }
    }
}

/// One stop of the tour.
pub struct Stop {
    /// A CSS selector for what the stop talks about: highlighted, the card beside it.
    pub target: &'static str,
    /// The id of the button the stop asks the learner to press, highlighted too.
    pub press: Option<&'static str>,
    pub wait: Wait,
    pub title: TextOf,
    pub text: TextOf,
    /// For a card whose text tells what an earlier stop's action did: whether that happened
    /// (the learner may have pressed Next instead), and the text asking for it when not.
    pub unless: Option<Unless>,
}

/// What a card's text claims an earlier action did, and the text to say instead until it has.
pub struct Unless {
    pub happened: fn(Progress) -> bool,
    pub todo: TextOf,
}

/// A text of the table, chosen by key.
pub type TextOf = fn(&Text) -> &'static str;

impl Stop {
    /// The card's text for a run at `now`: it claims only what has happened.
    pub fn text_at(&self, w: &Text, now: Progress) -> &'static str {
        match &self.unless {
            Some(Unless { happened, todo }) if !happened(now) => todo(w),
            _ => (self.text)(w),
        }
    }
}

/// The tour: step, see h₁, finish the epoch, the loss, the gradient going back, the weights
/// changing, and where the settings and downloads are.
pub const STOPS: [Stop; 7] = [
    Stop {
        target: "#panel-x",
        press: Some("btn-step"),
        wait: Wait::AnyStep,
        title: |w| w.tour_step_title,
        text: |w| w.tour_step,
        unless: None,
    },
    Stop {
        target: "#panel-hidden",
        press: None,
        wait: Wait::Next,
        title: |w| w.tour_hidden_title,
        text: |w| w.tour_hidden,
        unless: Some(Unless { happened: |now| now.last_step.is_some(), todo: |w| w.tour_hidden_todo }),
    },
    Stop {
        target: "#panel-hidden",
        press: Some("btn-epoch"),
        wait: Wait::Epoch,
        title: |w| w.tour_epoch_title,
        text: |w| w.tour_epoch,
        unless: None,
    },
    Stop {
        target: "#panel-loss",
        press: None,
        wait: Wait::Next,
        title: |w| w.tour_loss_title,
        text: |w| w.tour_loss,
        unless: Some(Unless { happened: |now| now.epoch > 0, todo: |w| w.tour_loss_todo }),
    },
    Stop {
        target: "#panel-grad",
        press: Some("btn-step"),
        wait: Wait::Backward,
        title: |w| w.tour_grad_title,
        text: |w| w.tour_grad,
        unless: None,
    },
    Stop {
        target: "#panel-weights",
        press: Some("btn-step"),
        wait: Wait::Update,
        title: |w| w.tour_weights_title,
        text: |w| w.tour_weights,
        unless: None,
    },
    Stop {
        target: ".controls",
        press: None,
        wait: Wait::Next,
        title: |w| w.tour_yours_title,
        text: |w| w.tour_yours,
        unless: None,
    },
];

/// The key in the browser's storage that remembers the tour: any value means this visitor has
/// been offered it already ("seen"), declined or skipped it ("dismissed"), or finished it ("done").
pub const STORAGE_KEY: &str = "rnn-playground.tour";

/// Whether to offer the tour: on a first visit only (`stored` is what [`STORAGE_KEY`] holds,
/// `None` when the storage is unavailable: the page could not remember a refusal, so it does
/// not ask), never on a link to a moment (`log=`), nor in the benchmark (`?bench`).
pub fn offer(stored: Option<Option<String>>, hash: &str, search: &str) -> bool {
    let first_visit = matches!(stored, Some(None));
    let moment = form_urlencoded::parse(hash.trim_start_matches('#').as_bytes()).any(|(key, _)| key.trim() == "log");
    first_visit && !moment && !search.contains("bench")
}

/// A rectangle in CSS pixels of the viewport.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// Space kept between the card, its target and the viewport's edges.
const GAP: f64 = 12.0;

/// A card beside its target starts this far below the target's top, leaving the captions of
/// the panels in the same row readable.
const BELOW_CAPTIONS: f64 = 36.0;

/// Where the card (`card` = width, height) goes beside `target` in a viewport of `view` (width,
/// usable height): to the right, else the left, else below, else above, else at the bottom of
/// the viewport over the target; always wholly on screen when it fits at all.
pub fn place_card(target: Rect, card: (f64, f64), view: (f64, f64)) -> (f64, f64) {
    let (cw, ch) = card;
    let (vw, vh) = view;
    let clamp = |v: f64, hi: f64| v.min(hi - GAP).max(GAP.min(hi));
    let beside_y = clamp(target.top + BELOW_CAPTIONS, vh - ch);
    let under_x = clamp(target.left, vw - cw);
    let right = target.left + target.width + GAP;
    let left = target.left - GAP - cw;
    let below = target.top + target.height + GAP;
    let above = target.top - GAP - ch;
    if right + cw <= vw - GAP {
        (right, beside_y)
    } else if left >= GAP {
        (left, beside_y)
    } else if below + ch <= vh - GAP {
        (under_x, below)
    } else if above >= GAP {
        (under_x, above)
    } else {
        (under_x, clamp(vh - ch, vh - ch))
    }
}

/// Whether the first visit's offer stays up: only until the visitor starts doing something
/// (a step run, Play pressed); then it would only cover the panels.
pub fn offer_stays(steps_run: u64, playing: bool) -> bool {
    steps_run == 0 && !playing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::text::Lang;

    fn at(steps_run: u64, epoch: usize, last_step: Option<Phase>) -> Progress {
        Progress { steps_run, epoch, last_step }
    }

    #[test]
    fn a_stop_is_done_when_the_learner_has_done_what_it_asks() {
        let start = at(1, 0, Some(Phase::Forward { t: 0 }));
        assert!(!Wait::AnyStep.done(start, start));
        assert!(Wait::AnyStep.done(start, at(2, 0, Some(Phase::Forward { t: 1 }))));
        assert!(Wait::Epoch.done(start, at(13, 1, Some(Phase::Update))));
        assert!(!Wait::Backward.done(start, at(12, 0, Some(Phase::Loss))));
        assert!(Wait::Backward.done(start, at(13, 0, Some(Phase::Backward { t: 9 }))));
        assert!(!Wait::Update.done(at(13, 1, Some(Phase::Update)), at(13, 1, Some(Phase::Update))));
        assert!(Wait::Update.done(start, at(14, 1, Some(Phase::Update))));
        assert!(!Wait::Next.done(start, at(99, 9, None)));
    }

    #[test]
    fn the_tour_has_seven_stops_in_both_languages() {
        for lang in [Lang::En, Lang::Ja] {
            for stop in &STOPS {
                assert!(!(stop.title)(lang.text()).is_empty() && !(stop.text)(lang.text()).is_empty());
            }
        }
        assert!(STOPS.iter().any(|s| s.press == Some("btn-epoch")));
        assert_eq!(STOPS.last().map(|s| s.wait), Some(Wait::Next));
    }

    #[test]
    fn a_card_claims_only_what_happened() {
        let w = crate::page::text::Lang::En.text();
        let at = |steps_run, epoch| Progress { steps_run, epoch, last_step: None };
        let stepped = Progress { last_step: Some(Phase::Forward { t: 0 }), ..at(1, 0) };
        assert_eq!(STOPS[1].text_at(w, at(0, 0)), w.tour_hidden_todo, "Next without a step: it asks for one");
        assert_eq!(STOPS[1].text_at(w, at(7, 0)), w.tour_hidden_todo, "steps run, then Reset: panel 2 is empty");
        assert_eq!(STOPS[1].text_at(w, stepped), w.tour_hidden);
        assert_eq!(STOPS[3].text_at(w, at(5, 0)), w.tour_loss_todo, "no epoch yet: no point in panel 4");
        assert_eq!(STOPS[3].text_at(w, at(24, 1)), w.tour_loss);
        assert_eq!(STOPS[0].text_at(w, at(0, 0)), w.tour_step);
    }

    #[test]
    fn the_offer_leaves_once_the_visitor_starts() {
        assert!(offer_stays(0, false));
        assert!(!offer_stays(1, false), "a step");
        assert!(!offer_stays(0, true), "Play");
    }

    #[test]
    fn the_tour_is_offered_on_a_first_visit_only() {
        assert!(offer(Some(None), "", ""));
        assert!(offer(Some(None), "#seq_length=10&lang=ja", ""));
        assert!(!offer(Some(Some("dismissed".into())), "", ""), "dismissed");
        assert!(!offer(Some(Some("seen".into())), "", ""), "a returning visitor");
        assert!(!offer(None, "", ""), "no storage: it could not remember a refusal");
        assert!(!offer(Some(None), "#seed=42&log=abc&at=12", ""), "a link to a moment");
        assert!(!offer(Some(None), "", "?bench"), "the benchmark");
    }

    #[test]
    fn the_card_goes_beside_its_target_and_stays_on_screen() {
        let panel = Rect { left: 20.0, top: 100.0, width: 300.0, height: 250.0 };
        assert_eq!(place_card(panel, (320.0, 200.0), (1440.0, 900.0)), (332.0, 136.0), "to the right");
        let right_edge = Rect { left: 1100.0, ..panel };
        assert_eq!(place_card(right_edge, (320.0, 200.0), (1440.0, 900.0)), (768.0, 136.0), "to the left");
        let phone = Rect { left: 8.0, top: 8.0, width: 374.0, height: 260.0 };
        assert_eq!(place_card(phone, (366.0, 220.0), (390.0, 772.0)), (12.0, 280.0), "below on a phone");
        let tall = Rect { left: 8.0, top: -300.0, width: 374.0, height: 1400.0 };
        let (x, y) = place_card(tall, (366.0, 220.0), (390.0, 772.0));
        assert!(x >= 0.0 && x + 366.0 <= 390.0 && y >= 0.0 && y + 220.0 <= 772.0, "on screen: {x}, {y}");
    }
}
