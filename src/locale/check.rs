//! The translation files agree: every key of one locale is in the other, with
//! the same `{placeholders}` (filled in by `text::fill`; leptos_i18n's own
//! `{{ x }}` interpolation builds views, not the strings attributes and
//! titles need). Run by `build.rs` (a mismatch fails the
//! build, naming the key) and by the browser tests. Plain `serde_json`, no
//! app code, so the build script can include this file as it is.

use std::collections::BTreeSet;

use serde_json::Value;

/// Every problem found between two locales' JSON trees, one line each
/// (`pl: missing key "nav.overview"`). Empty when they agree.
pub fn compare(a_name: &str, a: &Value, b_name: &str, b: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    walk("", a_name, a, b_name, b, &mut problems);
    walk_missing("", b_name, b, a_name, a, &mut problems);
    problems
}

/// Checks `a` against `b`: keys of `a` missing in `b`, shape and placeholder mismatches.
fn walk(path: &str, a_name: &str, a: &Value, b_name: &str, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(am), Value::Object(bm)) => {
            for (k, av) in am {
                let p = join(path, k);
                match bm.get(k) {
                    Some(bv) => walk(&p, a_name, av, b_name, bv, out),
                    None => out.push(format!("{b_name}: missing key \"{p}\" (present in {a_name})")),
                }
            }
        }
        (Value::String(at), Value::String(bt)) => {
            let (pa, pb) = (placeholders(at), placeholders(bt));
            if pa != pb {
                out.push(format!(
                    "key \"{path}\": placeholders differ: {a_name} has {:?}, {b_name} has {:?}",
                    pa.iter().collect::<Vec<_>>(),
                    pb.iter().collect::<Vec<_>>()
                ));
            }
        }
        _ => out.push(format!("key \"{path}\": {a_name} and {b_name} differ in shape (text vs. group)")),
    }
}

/// Keys of `b` that `a` lacks (the other direction; shapes were checked by `walk`).
fn walk_missing(path: &str, b_name: &str, b: &Value, a_name: &str, a: &Value, out: &mut Vec<String>) {
    if let (Value::Object(bm), Value::Object(am)) = (b, a) {
        for (k, bv) in bm {
            let p = join(path, k);
            match am.get(k) {
                Some(av) => walk_missing(&p, b_name, bv, a_name, av, out),
                None => out.push(format!("{a_name}: missing key \"{p}\" (present in {b_name})")),
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The names of a text's `{name}` placeholders.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                names.insert(after[..end].trim().to_string());
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    names
}
