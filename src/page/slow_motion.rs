//! Slow motion for Play: one micro-step per beat, and which panels each micro-step lights up.

use crate::model::Phase;

/// The beats slow motion offers, in seconds per micro-step: a beat of half a second gets a
/// long sequence to its backward pass sooner, one of two leaves time to talk.
pub const BEATS: [f64; 3] = [0.5, 1.0, 2.0];

/// The beat a page starts with: one micro-step a second, whatever the speed slider says.
pub const DEFAULT_BEAT: f64 = 1.0;

/// The beat `text` names (`0.5`, `1`, `2`: seconds), if slow motion offers it.
pub fn beat_from_text(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().and_then(|v| BEATS.into_iter().find(|b| *b == v))
}

/// The panels (their element ids) a micro-step changes, in reading order: forward t lights
/// the input row x_t (1), the new column h_t (2) and the equation (7); the loss lights the
/// target against the prediction (3) and the loss curve (4); backward lights the gradient
/// (6) and the hidden states it goes back through (2); the update lights the weights (5).
pub fn lit_panels(step: Phase) -> &'static [&'static str] {
    match step {
        Phase::Forward { .. } => &["panel-x", "panel-hidden", "panel-eq"],
        Phase::Loss => &["panel-output", "panel-loss"],
        Phase::Backward { .. } => &["panel-grad", "panel-hidden"],
        Phase::Update => &["panel-weights"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_micro_step_lights_the_panels_it_changes() {
        assert_eq!(lit_panels(Phase::Forward { t: 3 }), ["panel-x", "panel-hidden", "panel-eq"]);
        assert!(lit_panels(Phase::Loss).contains(&"panel-loss"));
        assert!(lit_panels(Phase::Backward { t: 9 }).starts_with(&["panel-grad"]));
        assert!(lit_panels(Phase::Update).starts_with(&["panel-weights"]));
        let all = [Phase::Forward { t: 0 }, Phase::Loss, Phase::Backward { t: 0 }, Phase::Update];
        assert!(all.iter().flat_map(|&p| lit_panels(p)).all(|id| crate::page::present::PANEL_IDS.contains(id)));
    }

    #[test]
    fn the_beat_goes_in_the_link_when_slow_motion_is_on_and_it_is_not_a_second() {
        use crate::page::url_hash::{PageSettings, from_hash, to_hash};
        let fast = PageSettings { slow: true, beat: 0.5, ..PageSettings::default() };
        assert!(to_hash(&fast).ends_with("&slow=true&beat=0.5"));
        assert_eq!(from_hash(&to_hash(&fast), &PageSettings::default()), (fast, vec![]));
        let off = PageSettings { beat: 2.0, ..PageSettings::default() };
        assert!(!to_hash(&off).contains("beat"), "no slow motion, no beat");
        let (kept, notices) = from_hash("slow=true&beat=0.3", &PageSettings::default());
        assert!(kept.slow && kept.beat == DEFAULT_BEAT && notices.len() == 1, "{notices:?}");
        assert_eq!((beat_from_text("2"), beat_from_text("1.0"), beat_from_text("x")), (Some(2.0), Some(1.0), None));
    }

    #[test]
    fn slow_motion_goes_in_the_link_only_when_on() {
        use crate::page::url_hash::{PageSettings, from_hash, to_hash};
        let on = PageSettings { slow: true, ..PageSettings::default() };
        assert!(to_hash(&on).ends_with("&slow=true"));
        assert!(!to_hash(&PageSettings::default()).contains("slow"));
        assert_eq!(from_hash(&to_hash(&on), &PageSettings::default()), (on, vec![]));
        let (kept, notices) = from_hash("slow=fast", &PageSettings::default());
        assert!(!kept.slow && notices.len() == 1, "a bad value is refused with a notice: {notices:?}");
    }
}
