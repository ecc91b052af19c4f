//! Recorded links replay to the same numbers: every token of the log of changes, replayed as the page replays a link.
//!
//! Each link below is read by the page's own reader (`url_hash::from_hash`) and its moment is
//! replayed from the log's start, change by change, in slices (`Replay::advance`). The losses,
//! weights, gradients, last change and hidden states it reaches are compared with
//! `tests/fixtures/links.json`, written by today's code. To record them again after a change of
//! numbers that is intended: `RNN_RECORD_LINKS=1 cargo test --release --test links`.

use rnn_playground::model::Session;
use rnn_playground::model::run_file::WeightsJson;
use rnn_playground::page::app::App;
use rnn_playground::page::text::Lang;
use rnn_playground::page::url_hash::{PageSettings, from_hash, to_hash};
use serde_json::{Value, json};

/// One link for each kind of entry, and the entries together: sizes naming one, two and three
/// sizes (`D3`, `T12_H13`, `T6_D4_H7`), two entries at one step (an empty step), `lr_`, `data`,
/// `reset`, `train_`, `task_`, `init_`, `g_`, `clip_` (a norm and `off`), `k_` (a k and `all`),
/// `carry_` (1 and 0), and starts that name settings beyond T, D, H, rate and training.
const LINKS: &[&str] = &[
    "seed=42&log=10_5_10_0.01_seed~120_lr_0.1~350_T12_H13~_H14~400_data~500_reset~600_train_bptt&at=1234",
    "seed=7&log=10_5_10_0.01_bptt~40_D3~80_T6_D4_H7~120_data~200_reset~260_train_seed~400_lr_0.02&at=700",
    "seed=3&log=10_5_10_0.05_bptt~50_task_sine-next~300_lr_0.1~500_H6&at=900",
    "seed=5&log=8_3_8_0.05_bptt_task_remember-first~100_init_unscaled~250_init_scaled~400_g_1.5&at=800",
    "seed=11&log=8_3_8_0.1_bptt_task_remember-first~90_clip_1~300_k_3~450_carry_1~700_carry_0~800_clip_off~950_k_all&at=1200",
    "seed=13&log=6_2_6_0.05_bptt_task_adding_g_0.9~60_H12~300_task_sine-next~500_task_random-target&at=800",
    "seed=17&log=8_3_6_0.1_bptt_task_remember-first_init_scaled_g_1.2_clip_0.5_k_2_carry_1~30_lr_0.3~200_reset&at=400",
    "seed=19&log=10_5_10_0.01_seed~0_lr_0.5~13_lr_2~26_data~39_T4~52_D7~65_H3&at=150",
    "seed=23&log=5_4_4_0.2_bptt_clip_2~25_clip_0.5~_lr_0.05~60_carry_1~61_train_seed~90_train_bptt&at=300",
    "seed=29&log=12_1_8_0.05_bptt_task_sine-next~77_g_2.5~150_init_unscaled~151_init_scaled~300_data&at=500",
    "seed=31&log=7_3_5_0.1_bptt_k_4~40_k_1~80_T9~120_k_all~160_task_adding~200_k_2&at=420",
    "seed=37&log=10_5_10_0.01_seed~5_H2~9_H3~14_H4~_T3~_D2~40_reset~41_data&at=120",
    "seed=41&log=6_3_6_0.1_bptt_task_remember-first_carry_1~50_data~100_T8_D2~150_reset~200_g_0.5&at=360",
    "seed=43&log=4_2_3_1_bptt_init_scaled~10_lr_5~30_clip_1~50_lr_10&at=200",
    "seed=47&log=10_2_16_0.05_bptt_task_adding~100_train_seed~130_task_sine-next~200_H4_T5~260_lr_0.01&at=500",
];

/// The page's replay of a link's moment: the log's start, then each change at its step.
fn replay(link: &str) -> Session {
    let (settings, notices) = from_hash(link, &PageSettings::default());
    assert!(notices.is_empty(), "{link}: {notices:?}");
    let (journal, at) = settings.moment.unwrap_or_else(|| panic!("{link} carries no moment"));
    let mut session = Session::new(journal.start());
    let mut replay = journal.replay(at);
    while !replay.advance(&mut session, 97) {}
    assert!(session.divergence().is_none(), "{link} diverged: {:?}", session.divergence());
    assert_eq!(session.steps_run(), at, "{link} stopped early");
    session
}

/// What a replayed session holds: its settings, where it is, every loss, and its numbers.
fn state(link: &str, s: &Session) -> Value {
    let h = s.hidden_states();
    json!({
        "link": link,
        "config": s.config(),
        "steps_run": s.steps_run(),
        "phase": s.phase().name(),
        "losses": s.losses(),
        "weights": WeightsJson::from(s.params()),
        "grads": WeightsJson::from(s.grads()),
        "last_change": WeightsJson::from(s.last_change()),
        "hidden_states": (0..h.ncols()).map(|t| h.column(t).iter().copied().collect::<Vec<f64>>()).collect::<Vec<_>>(),
    })
}

#[test]
fn recorded_links_replay_to_the_same_numbers() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/links.json");
    let states: Vec<Value> = LINKS.iter().map(|link| state(link, &replay(link))).collect();
    let out = serde_json::to_string_pretty(&states).unwrap();
    if std::env::var_os("RNN_RECORD_LINKS").is_some() {
        std::fs::write(path, format!("{out}\n")).unwrap();
    }
    let recorded = std::fs::read_to_string(path).expect("tests/fixtures/links.json");
    let recorded: Vec<Value> = serde_json::from_str(&recorded).unwrap();
    assert_eq!(recorded.len(), LINKS.len(), "record the links again (see the file's summary)");
    for (want, got) in recorded.iter().zip(&states) {
        // Compared as text: a number that changed in its last bit prints differently.
        let (want, got) = (serde_json::to_string(want).unwrap(), serde_json::to_string(got).unwrap());
        assert!(want == got, "a link replays to other numbers now:\n{}", &got[..got.len().min(300)]);
    }
}

/// The page itself replays each link, given with the settings its moment ends with (as the
/// page writes a link), to the same state: through `App` and `Run`, which make each change as
/// a person's change is made.
#[test]
fn the_page_replays_each_link_to_the_same_numbers() {
    for link in LINKS {
        let direct = replay(link);
        let (settings, _) = from_hash(link, &PageSettings::default());
        let full = to_hash(&PageSettings { config: direct.config().clone(), ..settings });
        let mut app = App::from_hash(&full, Lang::En);
        for _ in 0..10_000 {
            if app.run().replay_progress().is_none() {
                break;
            }
            app.advance(0.0, 1.0, || 0.0);
        }
        assert!(app.run().replay_progress().is_none(), "{link}: the replay never ended");
        assert!(app.notices().is_empty(), "{full}");
        let (page, direct) = (state(link, app.run().session()), state(link, &direct));
        assert!(page == direct, "{full} replays on the page to other numbers");
    }
}

/// The run file of each replayed moment is valid and runs again to the same losses, after a
/// Reset with fresh data too (its `data_offset` goes on from the sequence the Reset kept).
#[test]
fn each_moment_downloads_as_a_run_file_that_runs_again() {
    for link in LINKS {
        let s = replay(link);
        let file = rnn_playground::model::run_file::RunFile::of_session(&s).to_json();
        let again = rnn_playground::model::run_file::parse(&file).unwrap_or_else(|e| panic!("{link}: {e}"));
        let done = again.complete().unwrap_or_else(|e| panic!("{link}: {}", e.1));
        assert_eq!(done.losses.as_deref(), Some(s.run_losses()), "{link}");
    }
}

#[test]
fn the_links_use_every_kind_of_entry() {
    let entries: String = LINKS.iter().map(|l| l.split("log=").nth(1).unwrap()).collect::<Vec<_>>().join("~");
    for token in [
        "_T12_H13",
        "_D3",
        "_T6_D4_H7",
        "~_",
        "_lr_",
        "_data",
        "_reset",
        "_train_",
        "_task_",
        "_init_",
        "_g_",
        "_clip_",
        "_clip_off",
        "_k_",
        "_k_all",
        "_carry_1",
        "_carry_0",
    ] {
        assert!(entries.contains(token), "no recorded link has `{token}`");
    }
}
