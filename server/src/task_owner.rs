//! A request's reactive owner travels with its task, not with the thread that last polled it.
//!
//! Leptos keeps "the current owner" in a thread-local. Rendering a page starts with
//! `Owner::new_root`, which makes the page's owner current on the thread and leaves it there
//! across the render's awaits. On tokio's multi-threaded runtime that goes wrong both ways:
//! - the request's task may resume on another thread and find some other request's owner
//!   current there: Leptos's preload hints for a lazy page then look for the wrong request's
//!   meta context (the "without `ServerMetaContext`" log lines);
//! - the next task polled on the thread finds this page's owner current, and an owner it
//!   makes without naming a parent becomes this page's child, to be cleaned up (its values
//!   disposed) when this unrelated page ends.
//!
//! [`OwnedByTask`] keeps the owner with the task: it puts the task's owner back when the task
//! resumes and takes it away when the task yields, leaving the thread with none in between.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use leptos::reactive::owner::{Owner, WeakOwner};
use pin_project_lite::pin_project;

pin_project! {
    /// A future run with its own current reactive owner, whichever thread polls it.
    pub struct OwnedByTask<F> {
        #[pin]
        future: F,
        // Weak, as Leptos's own slot is: the task does not keep a finished page alive.
        owner: Option<WeakOwner>,
    }
}

impl<F> OwnedByTask<F> {
    /// Runs `future` starting with no current owner.
    pub fn new(future: F) -> Self {
        Self { future, owner: None }
    }
}

impl<F: Future> Future for OwnedByTask<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        match this.owner.take().and_then(|owner| owner.upgrade()) {
            Some(owner) => owner.set(),
            None => forget_current_owner(),
        }
        let poll = this.future.poll(cx);
        *this.owner = take_current_owner().map(|owner| owner.downgrade());
        poll
    }
}

/// Takes this thread's current reactive owner away, leaving it with none.
pub fn take_current_owner() -> Option<Owner> {
    let owner = Owner::current()?;
    // `unset` clears the slot because this owner is the current one.
    owner.clone().unset();
    Some(owner)
}

/// Leaves this thread with no current reactive owner.
pub fn forget_current_owner() {
    take_current_owner();
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::prelude::{provide_context, use_context};

    /// What one render saw: the context it provided, read back after other renders ran,
    /// and whether an owner it made without naming a parent hangs under its own root.
    async fn render(name: &'static str) -> (Option<&'static str>, bool) {
        let root = Owner::new_root(None);
        provide_context(name);
        tokio::task::yield_now().await;
        let seen = use_context::<&'static str>();
        tokio::task::yield_now().await;
        let child = Owner::new();
        let under_own_root = child.parent().is_some_and(|parent| parent == root);
        (seen, under_own_root)
    }

    #[tokio::test]
    async fn interleaved_renders_on_one_thread_each_keep_their_own_owner() {
        // The test's runtime has one thread: both renders take turns on it, as requests
        // do on a busy worker.
        let (first, second) =
            tokio::join!(OwnedByTask::new(render("first")), OwnedByTask::new(render("second")));
        assert_eq!(first, (Some("first"), true), "the first render saw another's owner");
        assert_eq!(second, (Some("second"), true), "the second render saw another's owner");
        assert!(Owner::current().is_none(), "a render's owner was left on the thread");
    }

    #[test]
    fn forgetting_the_current_owner_leaves_none() {
        let owner = Owner::new_root(None);
        assert!(Owner::current().is_some_and(|current| current == owner));
        forget_current_owner();
        assert!(Owner::current().is_none());
    }
}
