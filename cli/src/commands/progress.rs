//! The progress line `stepwise run` keeps on a terminal during a long run:
//! how many states were entered, the state running now, and a Map's
//! items done out of its total. Nothing is drawn when standard error is not
//! a terminal, or for runs that end within half a second.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stepwise_asl::history::{Details, HistoryEvent};

/// What the run has done so far, from its history events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// States entered.
    pub entered: u64,
    /// The state entered last and its type (`Wait`, `Task`, …).
    pub current: Option<(String, String)>,
    /// Items of the Maps started so far.
    pub map_items: u64,
    /// Of those, iterations that ended (succeeded, failed or aborted).
    pub map_done: u64,
}

impl Progress {
    /// Takes in one event.
    pub fn observe(&mut self, event: &HistoryEvent) {
        let kind = event.event_type.as_ref();
        if let Some(state_type) = kind.strip_suffix("StateEntered") {
            self.entered += 1;
            if let Details::StateEntered { name, .. } = &event.details {
                self.current = Some((name.clone(), state_type.to_owned()));
            }
        }
        match (&event.details, kind) {
            (Details::MapStateStarted { length }, _) => self.map_items += *length,
            (_, "MapIterationSucceeded" | "MapIterationFailed" | "MapIterationAborted") => self.map_done += 1,
            _ => {}
        }
    }

    /// The line shown: `42 states entered · now: Wait 3 sec (Wait) · Map items 340/1000`.
    pub fn line(&self) -> String {
        let mut line = format!("{} state{} entered", self.entered, if self.entered == 1 { "" } else { "s" });
        if let Some((name, kind)) = &self.current {
            line.push_str(&format!(" · now: {name} ({kind})"));
        }
        if self.map_items > 0 {
            line.push_str(&format!(" · Map items {}/{}", self.map_done, self.map_items));
        }
        line
    }
}

/// The progress line on standard error, or nothing when that is not a
/// terminal.
pub struct Display {
    bar: ProgressBar,
    progress: Mutex<Progress>,
}

/// After this long a run counts as long and its progress is drawn.
const SHOW_AFTER: Duration = Duration::from_millis(500);

impl Display {
    /// A display for a run starting now; `None` when standard error is not
    /// a terminal (piped or redirected runs stay quiet).
    pub fn for_terminal() -> Option<Arc<Display>> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}").unwrap_or(ProgressStyle::default_spinner()),
        );
        // Shown once the run has lasted, even while it sits in a Wait.
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Some(Arc::new(Display { bar, progress: Mutex::default() }))
    }

    /// Takes in one event (drawn once the run has lasted [`SHOW_AFTER`]).
    pub fn observe(&self, event: &HistoryEvent) {
        let line = {
            let mut progress = self.progress.lock().unwrap_or_else(|p| p.into_inner());
            progress.observe(event);
            progress.line()
        };
        self.bar.set_message(line);
    }

    /// Clears the line before the result is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{self, RunOptions};
    use serde_json::json;

    // The events a Map of three items over a Wait produces, as the
    // interpreter records them ("Map state", "Execution history events"
    // in the Developer Guide: MapStateStarted carries the item count).
    #[test]
    fn counts_states_the_current_one_and_map_items() {
        let definition = json!({"StartAt": "Items", "States": {
            "Items": {"Type": "Map", "ItemsPath": "$.items", "Next": "Done",
                "ItemProcessor": {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 1, "End": true}}}},
            "Done": {"Type": "Pass", "End": true}}});
        let seen = Arc::new(Mutex::new(Progress::default()));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (progress, record) = (seen.clone(), lines.clone());
        let options = RunOptions {
            observer: Some(Arc::new(move |event: &HistoryEvent| {
                let mut progress = progress.lock().unwrap();
                progress.observe(event);
                record.lock().unwrap().push(progress.line());
            })),
            ..RunOptions::default()
        };
        let report = runner::run(&definition, &json!({"items": [1, 2, 3]}), &options).unwrap();
        assert_eq!(report.status, runner::ExecutionStatus::Succeeded);
        let progress = seen.lock().unwrap().clone();
        // Items (1) + Pause three times + Done.
        assert_eq!(progress.entered, 5);
        assert_eq!((progress.map_items, progress.map_done), (3, 3));
        assert_eq!(progress.current, Some(("Done".to_owned(), "Pass".to_owned())));
        let lines = lines.lock().unwrap();
        assert!(lines.contains(&"2 states entered · now: Pause (Wait) · Map items 0/3".to_owned()), "{lines:?}");
        assert_eq!(lines.last().unwrap(), "5 states entered · now: Done (Pass) · Map items 3/3");
    }
}
