//! Opening a run file on the page: its run replayed to its end and checked against its losses, or why it was refused.

use crate::model::Session;
use crate::model::run_file::{self, RunFile};
use crate::page::moment::{MAX_REPLAY_WORK, work_per_step};
use crate::page::notice::{Notice, Opened};
use crate::page::url_hash::{PAGE_MAX_HIDDEN_SIZE, PAGE_MAX_INPUT_SIZE, PAGE_MAX_SEQ_LENGTH};

/// A run file opened: its session at the file's end, the epochs run before the file's first
/// (its `epochs_before`, 0 when absent) and the notice that says how it went.
pub struct OpenedRun {
    pub session: Session,
    pub epochs_before: usize,
    pub notice: Notice,
}

/// The run a file's `text` describes; or the notice that says why it was not opened (a bad
/// file, or sizes beyond the page's).
pub fn open(name: &str, text: &str) -> Result<OpenedRun, Notice> {
    let spec = run_file::parse(text).map_err(|e| Notice::NotOpened { name: name.into(), error: e.to_string() })?;
    let c = &spec.config;
    if c.seq_length > PAGE_MAX_SEQ_LENGTH || c.input_size > PAGE_MAX_INPUT_SIZE || c.hidden_size > PAGE_MAX_HIDDEN_SIZE
    {
        return Err(Notice::TooBigToOpen { name: name.into() });
    }
    let (session, replay) = replay_run_file(&spec);
    let epochs_before = spec.epochs_before.map_or(0, |n| n as usize);
    Ok(OpenedRun { session, epochs_before, notice: Notice::Opened { name: name.into(), replay } })
}

/// The session a run file describes, at its end: a completed run (one with `losses`, as
/// Download run writes) is replayed through its epochs (as many as the page replays quickly),
/// and its losses checked against the file's; a spec without results starts at its beginning.
fn replay_run_file(spec: &RunFile) -> (Session, Opened) {
    let mut session = spec.session();
    let Some(recorded) = &spec.losses else {
        return (session, Opened::Spec);
    };
    let c = &spec.config;
    let per_epoch = c.steps_per_epoch() as f64 * work_per_step(c.hidden_size, c.input_size);
    let most = (MAX_REPLAY_WORK / per_epoch) as usize;
    let epochs = c.epochs.min(most);
    session.run_epochs(epochs);
    let replayed = session.losses();
    let opened = if epochs < c.epochs {
        Opened::Part { epochs, all: c.epochs }
    } else if replayed.len() == recorded.len() && replayed.iter().zip(recorded).all(|(a, b)| a.to_bits() == b.to_bits())
    {
        Opened::Same { epochs }
    } else {
        let first = replayed.iter().zip(recorded).position(|(a, b)| a.to_bits() != b.to_bits());
        let at = first.map_or(replayed.len().min(recorded.len()) + 1, |e| e + 1);
        Opened::Differ { epochs, at }
    };
    (session, opened)
}
