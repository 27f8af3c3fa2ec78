//! Stable sorting for the lists the crates of octane-kit put in order
//! (diagnostics and tokens by span, completions by label): one merge
//! routine, not generic, that every caller shares. The standard sort is
//! generic, and each list type and key would add its own copy of it to
//! the wasm module (about 3 KB each).

use crate::span::Span;

/// Sorts `items` stably: an item moves before another only when
/// `less(item, other)`. Lists already in order are left as they are after
/// one pass; lists made of a few ordered runs (tokens, then the errors
/// appended after them) are merged in a pass per doubling of runs.
pub fn sort_stable<T>(items: &mut Vec<T>, less: impl Fn(&T, &T) -> bool) {
    if items.windows(2).all(|pair| !less(&pair[1], &pair[0])) {
        return;
    }
    let order = {
        let items: &[T] = items;
        merged_order(items.len(), &|a, b| less(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `items` stably by their spans: by start, then by end.
pub fn sort_by_span<T>(items: &mut Vec<T>, span: impl Fn(&T) -> Span) {
    sort_stable(items, |a, b| {
        let (a, b) = (span(a), span(b));
        (a.start, a.end) < (b.start, b.end)
    });
}

/// The indices `0..n` in sorted order: the ascending runs found, then
/// merged two by two until one is left.
fn merged_order(n: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut buffer = order.clone();
    // Where each run starts, and the end.
    let mut runs: Vec<usize> = std::iter::once(0)
        .chain((1..n).filter(|&i| less(i, i - 1)))
        .chain(std::iter::once(n))
        .collect();
    while runs.len() > 2 {
        let mut next = vec![0];
        for pair in runs[1..].chunks(2) {
            let start = *next.last().unwrap_or(&0);
            let (middle, end) = (pair[0], *pair.get(1).unwrap_or(&pair[0]));
            merge(
                &order[start..middle],
                &order[middle..end],
                &mut buffer[start..end],
                less,
            );
            next.push(end);
        }
        std::mem::swap(&mut order, &mut buffer);
        runs = next;
    }
    order
}

/// Merges two sorted runs into `out`; on a tie the left one's item goes
/// first, which keeps the sort stable.
fn merge(left: &[usize], right: &[usize], out: &mut [usize], less: &dyn Fn(usize, usize) -> bool) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        let take_right = j < right.len() && (i == left.len() || less(right[j], left[i]));
        if take_right {
            *slot = right[j];
            j += 1;
        } else {
            *slot = left[i];
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties
        /// included, for lists of every shape.
        #[test]
        fn sorts_as_the_standard_stable_sort(keys in prop::collection::vec(0u8..12, 0..200)) {
            let mut items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(key, _)| key);
            sort_stable(&mut items, |a, b| a.0 < b.0);
            prop_assert_eq!(items, expected);
        }
    }

    #[test]
    fn spans_order_by_start_then_end() {
        let mut spans = vec![
            Span::new(4, 6),
            Span::new(0, 3),
            Span::new(4, 5),
            Span::new(0, 1),
        ];
        sort_by_span(&mut spans, |s| *s);
        assert_eq!(
            spans,
            [
                Span::new(0, 1),
                Span::new(0, 3),
                Span::new(4, 5),
                Span::new(4, 6)
            ]
        );
    }

    #[test]
    fn runs_merge_in_order() {
        // Two ordered runs, as tokens with their errors appended.
        let mut items: Vec<u32> = (0..1000).step_by(2).chain((1..1000).step_by(2)).collect();
        sort_stable(&mut items, |a, b| a < b);
        assert_eq!(items, (0..1000).collect::<Vec<_>>());
    }
}
