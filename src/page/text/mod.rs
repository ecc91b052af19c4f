//! Every visible string of the page, in one table per language (`en.rs`, `ja.rs`), and the language now in use.
//!
//! A string is a field of [`Text`]; both tables must fill every field, so a key missing in one
//! language does not compile (and `tests::every_key_has_the_same_placeholders` checks the
//! `{name}` placeholders match). Values may hold `{name}` placeholders, filled by [`fill`], so
//! a translation can put them in its own order. Keys ending in `_html` hold markup.

mod en;
mod ja;

use std::sync::atomic::{AtomicU8, Ordering};

/// The page's two languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    /// The code used in the URL hash and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The language for a browser's preferred language tag: `ja*` is Japanese, anything else English.
    pub fn from_browser(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("ja") { Lang::Ja } else { Lang::En }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::En => &en::EN,
            Lang::Ja => &ja::JA,
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Chooses the language every later [`t`] answers in.
pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

pub fn lang() -> Lang {
    if LANG.load(Ordering::Relaxed) == Lang::Ja as u8 { Lang::Ja } else { Lang::En }
}

/// The strings in the language now in use.
pub fn t() -> &'static Text {
    lang().text()
}

/// `template` with each `{name}` replaced by its value: `fill("epoch {n}", &[("n", &3)])` is "epoch 3".
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// Declares [`Text`], one `&'static str` per key, with a lookup by key name for the page's
/// `data-t` attributes.
macro_rules! text_keys {
    (page: [$($page:ident),* $(,)?], code: [$($code:ident),* $(,)?] $(,)?) => {
        /// One language's strings. The field names are the keys.
        pub struct Text {
            $(pub $page: &'static str,)*
            $(pub $code: &'static str,)*
        }

        /// The keys index.html names (`data-t`, `data-th`, `data-t-aria`, `data-t-title`), in
        /// declaration order: data, not code, in the wasm.
        pub const PAGE_KEYS: &[&str] = &[$(stringify!($page),)*];

        impl Text {
            /// The strings of [`PAGE_KEYS`], in their order; evaluated at compile time.
            pub const fn page_values(&self) -> [&'static str; PAGE_KEYS.len()] {
                [$(self.$page,)*]
            }

            /// Every key with its string, in declaration order (for the tests).
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($page), self.$page),)* $((stringify!($code), self.$code),)*]
            }
        }
    };
}

impl Text {
    /// The string for a key given by name, if there is such a key.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.entries().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// The page's strings of both tables, in the order of [`PAGE_KEYS`], built at compile time.
static EN_PAGE: [&str; PAGE_KEYS.len()] = en::EN.page_values();
static JA_PAGE: [&str; PAGE_KEYS.len()] = ja::JA.page_values();

/// The string for `key`, one of [`PAGE_KEYS`] (index.html's `data-t` attributes), in the
/// language now in use.
pub fn by_key(key: &str) -> Option<&'static str> {
    let values = if lang() == Lang::Ja { &JA_PAGE } else { &EN_PAGE };
    PAGE_KEYS.iter().position(|k| *k == key).map(|i| values[i])
}

text_keys! {
    // The strings index.html shows by key (`data-t`…): looked up by name when the language changes.
    page: [
        page_title, tagline_html, language, loading, controls, play, step, step_epoch, reset, new_data, seed,
        random_seed, random_seed_title, copy_link, download_run, open_run, download_python, download_python_title,
        shortcuts, shortcuts_html, seq_length, input_size, hidden_size, learning_rate, speed, training,
        training_seed, training_bptt, sizes_hint, task_group, task, task_random_target, task_sine_next,
        task_remember_first, task_adding, init, init_unscaled, init_scaled, init_scale, clip, off,
        truncation, all, stateful, check, check_title, dismiss, reset_weights, panel_x, line_view, canvas_x,
        panel_hidden, canvas_hidden, panel_output, canvas_output, panel_loss, log_scale, canvas_loss,
        panel_weights, canvas_weights, canvas_wy, panel_grad, grad_hint_html, canvas_grad, panel_eq, code,
        equation_group, about_x, about_hidden, about_output, about_loss, about_weights, about_grad, about_eq,
        press_step_html, why_start, tour, tour_offer, tour_start, tour_no_thanks, tour_back, tour_skip,
        slow_motion, slow_motion_title, beat, beat_title, beat_half, beat_one, beat_two, settings, code_class, code_class_title, code_expand, seq_less,
        seq_more, input_less, input_more, hidden_less, hidden_more, present, present_title, present_panels, present_exit, twin, twin_title,
        canvas_twin, twin_caption, cell, cell_rnn, cell_lstm, cell_gru, activation, activation_tanh, activation_relu,
        activation_linear, keep_bias, keep_bias_title, lessons, lessons_title, lesson_bar,
        series_source, series_builtin, series_draw, series_paste, series_draw_hint, series_clear, series_use,
        series_paste_label, canvas_draw, about_series, notices_label,
    ],
    // The strings only the code uses.
    code: [
        fatal, status, next_forward, next_loss, next_backward, next_update, playing, paused, replaying,
        restarted, pause, speed_one_step, speed_steps, speed_beat, speed_one_epoch, speed_epochs, speed_max,
        check_heading, check_meaning, check_agrees, check_close, check_disagrees, check_none, hint_seed_code, hint_bptt_only, hint_truncation_sine,
        hint_fresh_data, hint_input_sine, hint_input_adding, about_x_text, about_hidden_text,
        about_output_text, about_output_task_text, about_loss_text, about_weights_text, about_grad_text,
        about_eq_text, x_title, lines_title, axis_unit, axis_feature, axis_input, axis_from, axis_from_output, axis_out,
        hidden_title, hidden_title_last, prediction, prediction_last, prediction_pending, target_y,
        prediction_y_hat, fed_back, answers_latest, answers_earlier, loss_empty, key_this_run, key_before_reset, key_floor, floor,
        key_current, key_earlier, key_sources, gradient_note_seed, gradient_note_bptt, seed_loss_caption,
        score_empty, score_mean, score_adding, mark_new_data, mark_reset, mark_seed_code, mark_bptt,
        mark_task, mark_init, mark_clip, mark_carry_on, mark_carry_off, tip_x_line, tip_x, tip_h,
        tip_h_pending, tip_last_epoch, tip_output_pending, tip_output, tip_output_last, tip_loss,
        tip_loss_previous, tip_wx, tip_wh, tip_b, tip_wy, tip_by, tip_parameter, tip_trace, tip_sequence,
        tip_free_run, tip_gradient_pending, tip_markers, changes, tip_variable, tip_variable_pending,
        tip_marker, unit, eq_seed_gradient, eq_update_for_html, eq_change, why_forward, why_loss_seed,
        why_loss_bptt, why_backward_seed, why_backward_bptt, why_update_seed, why_update_bptt, code_ran, code_next,
        transposes_note, tour_next, tour_done, tour_count, tour_step_title, tour_step, tour_hidden_title,
        tour_hidden, tour_hidden_todo, tour_epoch_title, tour_epoch, tour_loss_title, tour_loss, tour_loss_todo, tour_grad_title, tour_grad,
        tour_weights_title, tour_weights, tour_yours_title, tour_yours, diverged, step_forward_at,
        step_backward_at, step_loss, step_update, runaway_short, runaway, saturated_short, saturated, vanished_short, vanished, link_copied, link_copied_settings, link_not_copied, output_bias_by, quantity_loss, quantity_weight,
        no_random_seed, bad_seed, no_python, opened_spec, opened_part, opened_same, opened_differ,
        too_big_to_open, not_opened, link_too_long, hash_bad_seed, hash_bad_training, hash_bad_task,
        hash_bad_init, hash_bad_bool, hash_bad_speed, hash_bad_panels, hash_bad_beat, hash_bad_lang, hash_unknown, hash_task_needs_bptt,
        hash_input_fit, hash_too_short, hash_bptt_only, hash_truncation_every_step, hash_truncation_long,
        hash_scale_needs_scaled, hash_invalid, hash_out_of_range, hash_not_number_ignored,
        hash_not_number_kept, moment_needs_both, moment_bad_at, moment_refused, moment_beyond, moment_bad_log,
        twin_empty, tip_twin, twin_chaotic, rho_title, rho_gated_title, hint_activation, hint_keep_bias, cell_needs_bptt,
        gates_title, cell_states_title, why_forward_free, why_forward_lstm, why_forward_gru, why_backward_lstm,
        why_backward_gru, about_hidden_free_text, about_hidden_lstm_text, about_hidden_gru_text, about_grad_lstm_text,
        about_weights_gated_text, key_dc, key_dh,
        // The Lessons menu: per lesson a title, a one-line claim and a label per run.
        lesson_blog_title, lesson_blog_claim, lesson_blog_a, lesson_memory_title, lesson_memory_claim,
        lesson_memory_a, lesson_memory_b, lesson_explode_title, lesson_explode_claim, lesson_explode_a,
        lesson_explode_b, lesson_rate_title, lesson_rate_claim, lesson_rate_a, lesson_rate_b, lesson_rate_c,
        lesson_clip_title, lesson_clip_claim, lesson_clip_a, lesson_clip_b, lesson_gated_title,
        lesson_gated_claim, lesson_gated_a, lesson_gated_b, lesson_close, lesson_epoch, lesson_loss_ratio,
        lesson_loss_ratio_10, lesson_gradient_ratio, lesson_holds, lesson_does_not_hold, lesson_changed,
        baseline, key_baseline, key_trend, hint_rho_gated, why_backward_free, vanished_free, lesson_diverged,
        about_output_free_text,
        // The learner's own sequence.
        series_empty, series_too_few, series_too_many, series_not_number, series_not_finite, series_too_large,
        series_wide, series_draw_wider, hash_bad_series, hash_series_short, link_copied_no_series,
        about_series_text, series_in_use, series_nothing_yet, tip_free_run_series,
    ],
}
