//! "Did you mean" suggestions.

/// The edit distance between `a` and `b` in characters, counting an
/// insertion, a deletion, a substitution or a swap of two neighbours as one
/// edit (optimal string alignment), in `O(len(a) * len(b))` time.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    Rows::default()
        .distance(&a, &b, usize::MAX)
        .unwrap_or(usize::MAX)
}

/// The three rows of the distance table, kept from one candidate to the
/// next.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The distance between `a` and `b`, or `None` once it is sure to
    /// exceed `limit`.
    fn distance(&mut self, a: &[char], b: &[char], limit: usize) -> Option<usize> {
        let width = b.len() + 1;
        let Rows {
            before,
            previous,
            current,
        } = self;
        before.clear();
        before.resize(width, 0);
        previous.clear();
        previous.extend(0..width);
        current.clear();
        current.resize(width, 0);
        for i in 1..=a.len() {
            current[0] = i;
            for j in 1..width {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (previous[j] + 1)
                    .min(current[j - 1] + 1)
                    .min(previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(before[j - 2] + 1);
                }
                current[j] = best;
            }
            // Every later entry is at least the least of the last row, or
            // of the row before it plus one (a swap): past `limit` for
            // both, the distance is too.
            let least = current.iter().copied().min().unwrap_or(0);
            let least_previous = previous.iter().copied().min().unwrap_or(0);
            if least > limit && least_previous > limit {
                return None;
            }
            std::mem::swap(before, previous);
            std::mem::swap(previous, current);
        }
        Some(previous[b.len()]).filter(|&d| d <= limit)
    }
}

/// The candidate closest to `word` (ignoring ASCII case), if it is close
/// enough to be a likely typo: at most a third of the word's length away.
/// Of equally close candidates, the shortest, then the first.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
    let limit = (word.len() / 3).max(1);
    let mut rows = Rows::default();
    let mut candidate = Vec::new();
    let mut best: Option<(usize, usize, &str)> = None;
    for name in candidates {
        candidate.clear();
        candidate.extend(name.chars().map(|c| c.to_ascii_lowercase()));
        // The lengths alone may put it out of reach.
        if candidate.len().abs_diff(word.len()) > limit {
            continue;
        }
        let Some(distance) = rows.distance(&word, &candidate, limit) else {
            continue;
        };
        if best.is_none_or(|(d, len, _)| (distance, name.len()) < (d, len)) {
            best = Some((distance, name.len(), name));
        }
    }
    best.map(|(_, _, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ñame", "name"), 1);
        assert_eq!(edit_distance("nmae", "name"), 1);
    }

    #[test]
    fn suggestions() {
        let fields = ["name", "owner", "detected_in_release"];
        assert_eq!(did_you_mean("nmae", fields), Some("name"));
        assert_eq!(
            did_you_mean("detected_in_relase", fields),
            Some("detected_in_release")
        );
        assert_eq!(did_you_mean("zzz", fields), None);
    }

    /// `did_you_mean` as its definition reads: every candidate's full
    /// distance, the closest within the limit.
    fn reference<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
        let lower = word.to_ascii_lowercase();
        let limit = (lower.chars().count() / 3).max(1);
        candidates
            .iter()
            .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), *c))
            .filter(|&(distance, _)| distance <= limit)
            .min_by_key(|&(distance, c)| (distance, c.len()))
            .map(|(_, c)| c)
    }

    proptest::proptest! {
        /// Cutting a candidate short never changes the answer.
        #[test]
        fn cut_short_agrees_with_the_definition(
            word in "[abcAB_é]{0,9}",
            candidates in proptest::collection::vec("[abcAB_é]{0,9}", 0..12),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(did_you_mean(&word, candidates.iter().copied()), reference(&word, &candidates));
        }
    }
}
