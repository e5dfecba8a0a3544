//! Collections: objects and maps by key, lists by longest common subsequence (Terraform's `TransformSlice`), nested
//! lists by index, sets by equality.

use super::change::{compare, Change};
use super::{Act, Diff};
use serde_json::Value as Json;

pub(super) fn object_attributes<'s, T: 's>(
    change: &Change,
    attributes: impl Iterator<Item = (&'s String, &'s T)>,
    diff: impl Fn(Change, &'s T) -> Diff,
) -> (Vec<(String, Diff)>, Act) {
    let mut current = change.default_iteration_action();
    let mut out = vec![];
    for (key, attr) in attributes {
        let mut child = change.key(key);
        child.before_explicit = false;
        child.after_explicit = false;
        let (both_null, d) = (child.before.is_null() && child.after.is_null(), diff(child, attr));
        if d.action == Act::NoOp && both_null {
            continue;
        }
        current = compare(current, d.action);
        out.push((key.clone(), d));
    }
    (out, current)
}

/// Terraform's `TransformMap`: by key, starting from create/delete when only one side is a map.
pub(super) fn map_elements<'a>(
    change: &Change<'a>,
    keys: Vec<&'a str>,
    diff: impl Fn(Change<'a>) -> Diff,
) -> (Vec<(String, Diff)>, Act) {
    let (b, a) = (change.before.is_object(), change.after.is_object());
    let mut current = match (b, a) {
        (true, false) => Act::Delete,
        (false, true) => Act::Create,
        _ => Act::NoOp,
    };
    let mut out = vec![];
    for k in keys {
        let d = diff(change.key(k));
        current = compare(current, d.action);
        out.push((k.to_string(), d));
    }
    (out, current)
}

/// Blocks and nested attribute lists: paired by index.
pub(super) fn nested_list_elements<'a>(change: &Change<'a>, diff: impl Fn(Change<'a>) -> Diff) -> (Vec<Diff>, Act) {
    let mut current = change.default_iteration_action();
    let n = change
        .before
        .as_array()
        .map_or(0, Vec::len)
        .max(change.after.as_array().map_or(0, Vec::len));
    let mut out = vec![];
    for i in 0..n {
        let d = diff(change.index(i, i));
        current = compare(current, d.action);
        out.push(d);
    }
    (out, current)
}

/// Repeated blocks paired by identity ([`super::Options::identity`], [`pair_by_identity`]) rather than by position
/// or equality.
pub(super) fn identity_elements<'a>(
    change: &Change<'a>,
    block_type: &str,
    diff: impl Fn(Change<'a>) -> Diff,
) -> (Vec<Diff>, Act) {
    let empty = vec![];
    let bs = change.before.as_array().unwrap_or(&empty);
    let as_ = change.after.as_array().unwrap_or(&empty);
    let mut current = change.default_iteration_action();
    let mut out = vec![];
    for (bi, ai) in pair_by_identity(bs, as_, block_type) {
        let d = diff(change.index(bi.unwrap_or(bs.len()), ai.unwrap_or(as_.len())));
        current = compare(current, d.action);
        out.push(d);
    }
    (out, current)
}

/// Old and new blocks of type `block_type` paired, as indices into `bs` and `as_`: by the first of the type's
/// [`crate::azurerm::facts::blocks::identity_keys`] (a replica's `location`, an IP rule's `ip_range`, else `name`)
/// that every block on both sides has as a distinct string — new blocks in order with their old partner, then
/// the old ones left — else by position.
pub(crate) fn pair_by_identity(bs: &[Json], as_: &[Json], block_type: &str) -> Vec<(Option<usize>, Option<usize>)> {
    let key_of = |o: &'_ Json, k: &str| o.get(k).and_then(Json::as_str).map(str::to_string);
    let distinct = |side: &[Json], k: &str| {
        let mut seen = std::collections::BTreeSet::new();
        side.iter().all(|o| key_of(o, k).is_some_and(|v| seen.insert(v)))
    };
    let key = crate::azurerm::facts::blocks::identity_keys(block_type)
        .iter()
        .find(|k| !(bs.is_empty() && as_.is_empty()) && distinct(bs, k) && distinct(as_, k));
    let index = |i: usize, len: usize| (i < len).then_some(i);
    let Some(k) = key else {
        return (0..bs.len().max(as_.len()))
            .map(|i| (index(i, bs.len()), index(i, as_.len())))
            .collect();
    };
    let mut used = vec![false; bs.len()];
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = as_
        .iter()
        .enumerate()
        .map(|(j, y)| {
            let found = (0..bs.len()).find(|&i| !used[i] && key_of(&bs[i], k) == key_of(y, k));
            if let Some(i) = found {
                used[i] = true;
            }
            (found, Some(j))
        })
        .collect();
    pairs.extend((0..bs.len()).filter(|&i| !used[i]).map(|i| (Some(i), None)));
    pairs
}

/// Sets: an old element equal to a new one (and not unknown, same sensitivity) is the same element; the rest are
/// removed and added.
pub(super) fn set_elements<'a>(change: &Change<'a>, diff: impl Fn(Change<'a>) -> Diff) -> (Vec<Diff>, Act) {
    let mut current = change.default_iteration_action();
    let before_len = change.before.as_array().map_or(0, Vec::len);
    let after_len = change.after.as_array().map_or(0, Vec::len);
    let mut found_before: Vec<Option<usize>> = vec![None; before_len];
    let mut found_after: Vec<bool> = vec![false; after_len];
    for (ix, found) in found_before.iter_mut().enumerate() {
        for (jx, taken) in found_after.iter_mut().enumerate() {
            if *taken {
                continue;
            }
            let child = change.index(ix, jx);
            if child.before == child.after
                && child.is_before_sensitive() == child.is_after_sensitive()
                && !child.is_unknown()
            {
                *found = Some(jx);
                *taken = true;
            }
        }
    }
    let mut out = vec![];
    let mut push = |c: Change<'a>| {
        let d = diff(c);
        current = compare(current, d.action);
        out.push(d);
    };
    for (ix, found) in found_before.iter().enumerate() {
        push(change.index(ix, found.unwrap_or(after_len)));
    }
    for (jx, taken) in found_after.iter().enumerate() {
        if !taken {
            push(change.index(before_len, jx));
        }
    }
    (out, current)
}

/// Lists (attributes and JSON arrays): Terraform's `TransformSlice`, the longest common subsequence.
pub(super) fn slice_elements<'a>(
    change: &Change<'a>,
    is_object: impl Fn(&Json) -> bool,
    diff: impl Fn(Change<'a>) -> Diff,
) -> (Vec<Diff>, Act) {
    let before = change.before.as_array();
    let after = change.after.as_array();
    let mut current = match (before.is_some(), after.is_some()) {
        (true, false) => Act::Delete,
        (false, true) => Act::Create,
        _ => Act::NoOp,
    };
    let empty = vec![];
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let mut out = vec![];
    process_slice(b, a, &is_object, &mut |bi, ai| {
        let d = diff(change.index(bi, ai));
        current = compare(current, d.action);
        out.push(d);
    });
    (out, current)
}

/// Terraform's `ProcessSlice`: pairs of (old index, new index), an index out of range meaning absent.
pub(crate) fn process_slice<T: PartialEq>(
    before: &[T],
    after: &[T],
    is_object: &dyn Fn(&T) -> bool,
    process: &mut dyn FnMut(usize, usize),
) {
    let reorder = before.len() == after.len() && before.iter().all(|b| after.contains(b));
    if before.len() == after.len() && !reorder {
        for i in 0..before.len() {
            process(i, i);
        }
        return;
    }
    let lcs = longest_common_subsequence(before, after);
    let (mut bi, mut ai, mut li) = (0, 0, 0);
    while bi < before.len() || ai < after.len() || li < lcs.len() {
        while bi < before.len() && (li >= lcs.len() || before[bi] != *lcs[li]) {
            let object_diff = is_object(&before[bi])
                && ai < after.len()
                && is_object(&after[ai])
                && (li >= lcs.len() || after[ai] != *lcs[li]);
            if object_diff {
                process(bi, ai);
                bi += 1;
                ai += 1;
                continue;
            }
            process(bi, after.len());
            bi += 1;
        }
        while ai < after.len() && (li >= lcs.len() || after[ai] != *lcs[li]) {
            process(before.len(), ai);
            ai += 1;
        }
        if li < lcs.len() {
            process(bi, ai);
            bi += 1;
            ai += 1;
            li += 1;
        }
    }
}

/// The longest common subsequence, as Terraform's `objchange.LongestCommonSubsequence` finds it (a dynamic
/// programming table, walked back from the end; on a tie it steps back in `ys`), which decides which of equal
/// elements are kept.
pub(super) fn longest_common_subsequence<'t, T: PartialEq>(xs: &'t [T], ys: &'t [T]) -> Vec<&'t T> {
    if xs.is_empty() || ys.is_empty() {
        return vec![];
    }
    let (n, m) = (xs.len(), ys.len());
    let mut c = vec![0usize; n * m];
    let idx = |x: usize, y: usize| y * n + x;
    for y in 0..m {
        for x in 0..n {
            if xs[x] == ys[y] {
                let top_left = if x > 0 && y > 0 { c[idx(x - 1, y - 1)] } else { 0 };
                c[idx(x, y)] = top_left + 1;
            } else {
                let left = if x > 0 { c[idx(x - 1, y)] } else { 0 };
                let top = if y > 0 { c[idx(x, y - 1)] } else { 0 };
                c[idx(x, y)] = left.max(top);
            }
        }
    }
    let mut ret = vec![];
    let (mut x, mut y) = (n as isize - 1, m as isize - 1);
    while x >= 0 && y >= 0 {
        let (ux, uy) = (x as usize, y as usize);
        if xs[ux] == ys[uy] {
            ret.push(&xs[ux]);
            x -= 1;
            y -= 1;
        } else {
            let left = if x > 0 { c[idx(ux - 1, uy)] } else { 0 };
            let top = if y > 0 { c[idx(ux, uy - 1)] } else { 0 };
            if left > top {
                x -= 1;
            } else {
                y -= 1;
            }
        }
    }
    ret.reverse();
    ret
}

#[cfg(test)]
mod tests {
    use super::pair_by_identity;
    use crate::azurerm::facts::blocks;
    use serde_json::{json, Value as Json};

    fn block(attrs: &[(&str, &str)]) -> Json {
        Json::Object(attrs.iter().map(|(k, v)| (k.to_string(), json!(v))).collect())
    }

    /// Every block type with a key in `facts::blocks` is paired by it, whatever the order, and by nothing else:
    /// two blocks whose key and another attribute are swapped pair up by the key.
    #[test]
    fn repeated_blocks_are_paired_by_the_facts_identity_key() {
        for kind in [
            "georeplications",
            "ip_rule",
            "registry",
            "container",
            "env",
            "timer_trigger",
        ] {
            let key = blocks::identity_key(kind).unwrap();
            let other = if key == "name" { "value" } else { "name" };
            let before = [block(&[(key, "a"), (other, "x")]), block(&[(key, "b"), (other, "y")])];
            let reordered = [block(&[(key, "b"), (other, "y")]), block(&[(key, "a"), (other, "x")])];
            assert_eq!(
                pair_by_identity(&before, &reordered, kind),
                vec![(Some(1), Some(0)), (Some(0), Some(1))],
                "{kind}: paired by {key}"
            );
            let swapped = [block(&[(key, "a"), (other, "y")]), block(&[(key, "b"), (other, "x")])];
            assert_eq!(
                pair_by_identity(&before, &swapped, kind),
                vec![(Some(0), Some(0)), (Some(1), Some(1))],
                "{kind}: paired by {key}, not by {other}"
            );
        }
    }

    /// A block type without a key of its own is paired by the first fallback key that is distinct on both sides,
    /// and by position when none is; new blocks come first, then the old ones left.
    #[test]
    fn other_blocks_fall_back_to_name_then_location_then_position() {
        assert_eq!(blocks::identity_keys("secret"), blocks::FALLBACK_KEYS);
        let (a, b) = (block(&[("name", "a")]), block(&[("name", "b")]));
        assert_eq!(
            pair_by_identity(&[a.clone(), b.clone()], &[b, a], "secret"),
            vec![(Some(1), Some(0)), (Some(0), Some(1))]
        );
        let (x, y) = (block(&[("location", "x")]), block(&[("location", "y")]));
        assert_eq!(
            pair_by_identity(&[x.clone(), y.clone()], &[y, x.clone()], "replica"),
            vec![(Some(1), Some(0)), (Some(0), Some(1))]
        );
        let z = block(&[("location", "z")]);
        assert_eq!(
            pair_by_identity(std::slice::from_ref(&x), &[z], "replica"),
            vec![(None, Some(0)), (Some(0), None)]
        );
        // Duplicate names: by position.
        let (one, two) = (block(&[("name", "a"), ("v", "1")]), block(&[("name", "a"), ("v", "2")]));
        assert_eq!(
            pair_by_identity(&[one.clone(), two.clone()], &[two, one], "secret"),
            vec![(Some(0), Some(0)), (Some(1), Some(1))]
        );
    }
}
