//! The "Resend code" button with its cooldown, shared by the two code-entry screens.

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;

use super::form::{flag, text};
use crate::app::{now_ms, Widget};
use crate::i18n::Msg;

/// How long the button stays disabled after a code was sent.
pub const COOLDOWN_MS: f64 = 30_000.0;

/// Whole seconds left until `until` (rounded up); 0 when it has passed.
pub fn seconds_left(now_ms: f64, until_ms: f64) -> u32 {
    ((until_ms - now_ms) / 1000.0).ceil().max(0.0) as u32
}

/// The button; `send` requests a new code and tells whether it went out. A code was just sent
/// when the screen opens, so the cooldown starts at once.
pub fn button<F: Future<Output = bool> + 'static>(w: Widget, send: impl Fn() -> F + Copy + 'static) -> impl IntoView {
    let until = RwSignal::new(now_ms() + COOLDOWN_MS);
    let now = RwSignal::new(now_ms());
    let sent = RwSignal::new(false);
    if let Ok(ticker) = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1)) {
        on_cleanup(move || ticker.clear());
    }
    let left = Memo::new(move |_| seconds_left(now.get(), until.get()));
    let on_click = move |_: leptos::ev::MouseEvent| {
        if left.get_untracked() > 0 {
            return;
        }
        until.set(now_ms() + COOLDOWN_MS);
        now.set(now_ms());
        leptos::task::spawn_local(async move {
            let ok = send().await;
            sent.set(ok);
            if !ok {
                until.set(0.0);
            }
        });
    };
    view! {
        <button type="button" class="cognate-link" on:click=on_click disabled=flag(move || left.get() > 0)>
            {text(move || Some(match left.get() {
                0 => w.t(Msg::Resend),
                seconds => w.fill(Msg::ResendWait, "seconds", &seconds.to_string()),
            }))}
        </button>
        <p class="cognate-status" role="status">{text(move || sent.get().then(|| w.t(Msg::Resent)))}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooldown_counts_whole_seconds_down_to_zero() {
        assert_eq!(seconds_left(0.0, COOLDOWN_MS), 30);
        assert_eq!(seconds_left(100.0, COOLDOWN_MS), 30);
        assert_eq!(seconds_left(29_001.0, COOLDOWN_MS), 1);
        assert_eq!(seconds_left(30_000.0, COOLDOWN_MS), 0);
        assert_eq!(seconds_left(99_000.0, COOLDOWN_MS), 0);
    }
}
