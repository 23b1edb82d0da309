//! The phases of a build as the user sees and the report counts them: on a terminal a
//! progress bar for the phase running (counting its items where it can, else a spinner),
//! never on a non-terminal; the wall time, CPU time and peak memory of each; and the phase
//! the out-of-memory message names ([`crate::memory::set_phase`]).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

use crate::memory::{self, Phase};

/// What one phase of a build used.
#[derive(Debug, Clone, Copy)]
pub struct PhaseUsage {
    pub cpu: Duration,
    pub peak_rss_kib: u64,
}

/// CPU time of the process so far (user + system, all threads) and its peak resident memory.
#[cfg(target_os = "linux")]
pub(crate) fn usage_so_far() -> Option<(Duration, u64)> {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return None;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Some((tv(u.ru_utime) + tv(u.ru_stime), u.ru_maxrss as u64))
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn usage_so_far() -> Option<(Duration, u64)> {
    None
}

/// The phases of a build: the time each took, and on a terminal a progress bar (or, where
/// nothing is counted, a spinner) for the phase running.
pub(super) struct Phases {
    start: Instant,
    pub(super) done: Vec<(&'static str, Duration)>,
    pub(super) usage: Vec<PhaseUsage>,
    /// Whether bars are drawn.
    pub(super) show: bool,
    current: Option<ProgressBar>,
}

impl Phases {
    pub(super) fn new(show: bool, start: Instant) -> Self {
        Phases {
            start,
            done: Vec::new(),
            usage: Vec::new(),
            show,
            current: None,
        }
    }

    fn draw(&mut self, template: &str, length: Option<u64>) -> Option<ProgressBar> {
        if !self.show {
            return None;
        }
        let pb = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(Duration::from_millis(120));
        self.current = Some(pb.clone());
        Some(pb)
    }

    /// A spinner naming the phase that starts (`what`: what it does).
    pub(super) fn spin(&mut self, phase: Phase, what: &str) {
        memory::set_phase(phase);
        let name = phase.name();
        self.draw(&format!("{{spinner}} {name}: {what} {{elapsed}}"), None);
    }

    /// A bar counting the phase's items (`label` may use `{pos}` and `{len}`).
    pub(super) fn bar(&mut self, phase: Phase, label: &str) -> Option<ProgressBar> {
        memory::set_phase(phase);
        let name = phase.name();
        self.draw(
            &format!("{{spinner}} {name}: {label} {{wide_bar}} {{elapsed}}"),
            Some(0),
        )
    }

    /// A bar counting `len` items of the phase (`label` may use `{pos}` and `{len}`).
    pub(super) fn count(&mut self, phase: Phase, label: &str, len: usize) -> Option<ProgressBar> {
        let bar = self.bar(phase, label);
        if let Some(bar) = &bar {
            bar.set_length(len as u64);
        }
        bar
    }

    /// The phase ended: its bar is cleared and its time recorded.
    pub(super) fn mark(&mut self, phase: Phase) {
        let name = phase.name();
        if let Some(pb) = self.current.take() {
            pb.finish_and_clear();
        }
        let total: Duration = self.done.iter().map(|(_, d)| *d).sum();
        self.done.push((name, self.start.elapsed() - total));
        if let Some((cpu, peak_rss_kib)) = usage_so_far() {
            let before: Duration = self.usage.iter().map(|u| u.cpu).sum();
            self.usage.push(PhaseUsage {
                cpu: cpu.saturating_sub(before),
                peak_rss_kib,
            });
        }
    }
}

impl Drop for Phases {
    fn drop(&mut self) {
        if let Some(pb) = self.current.take() {
            pb.finish_and_clear();
        }
    }
}

/// Show the next step of a phase on its bar (`label` may use `{pos}`, counted from 0 again):
/// a spinner with a count and the time, for a step whose total is not known beforehand.
pub(super) fn next_step(bar: Option<&ProgressBar>, phase: Phase, label: &str) {
    let Some(bar) = bar else { return };
    let name = phase.name();
    if let Ok(style) =
        ProgressStyle::with_template(&format!("{{spinner}} {name}: {label} {{elapsed}}"))
    {
        bar.set_style(style);
    }
    bar.set_position(0);
    // Drawn now (a short step may end before the next steady tick; with a ticker, `tick`
    // does not draw, setting the message does).
    bar.set_message("");
}
