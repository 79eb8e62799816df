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

#[cfg(test)]
mod tests {
    use super::sort_by_key;

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
