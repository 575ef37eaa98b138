//! The pieces of the `khien` binary that tests and tools reuse: configuration, first-start
//! bootstrap and demo loading, and the benchmark.

pub mod bench;
pub mod bootstrap;
pub mod config;
pub mod demo;
pub mod reminders;

/// A list read round and round: `items[n % len]`, `None` only for an empty list. The demo and
/// the benchmark vary their data this way.
pub(crate) fn nth_round<T>(items: &[T], n: usize) -> Option<&T> {
    items.get(n.checked_rem(items.len())?)
}

/// [`nth_round`] over fixed, non-empty data (the type's default would stand in for an empty list).
pub(crate) fn round<T: Copy + Default>(items: &[T], n: usize) -> T {
    nth_round(items, n).copied().unwrap_or_default()
}
