//! An insertion sort for the few short lists the checks order (issues of one field, the rows of a
//! segment table). The standard library's sorts are faster on long input but add several KB of
//! code to the wasm module each time they are used with a new type; these lists are short.

/// Sorts `items` by `key`, stable. Quadratic: for lists of at most a few thousand items.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by `compare`, stable. Quadratic: for lists of at most a few thousand items.
pub(crate) fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> core::cmp::Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 {
            let (Some(before), Some(current)) = (items.get(j - 1), items.get(j)) else {
                break;
            };
            if compare(before, current) != core::cmp::Ordering::Greater {
                break;
            }
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Sorts `items` so that no item is `less` than one before it: a heapsort, O(n log n) on any
/// input (a hostile document with many keys cannot make it quadratic), not stable, and a few
/// hundred bytes of wasm where `sort_unstable_by` added 9 KB to the consent module.
pub(crate) fn heap_sort_by<T>(items: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let mut sift = |items: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        let right = child + 1;
        if right < end {
            if let (Some(a), Some(b)) = (items.get(child), items.get(right)) {
                if less(a, b) {
                    child = right;
                }
            }
        }
        match (items.get(root), items.get(child)) {
            (Some(a), Some(b)) if less(a, b) => items.swap(root, child),
            _ => break,
        }
        root = child;
    };
    let n = items.len();
    for start in (0..n / 2).rev() {
        sift(items, start, n);
    }
    for end in (1..n).rev() {
        items.swap(0, end);
        sift(items, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::{heap_sort_by, sort_by_key};

    #[test]
    fn heap_sort_sorts_everything() {
        let mut seed: u64 = 0xDEAD_BEEF_1234_5678;
        for len in 0..200 {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 50) as u32
                })
                .collect();
            let mut expected = v.clone();
            expected.sort();
            heap_sort_by(&mut v, |a, b| a < b);
            assert_eq!(v, expected, "length {len}");
        }
    }

    #[test]
    fn sorts_stably() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by_key(&mut empty, |x| *x);
        assert!(empty.is_empty());
    }
}
