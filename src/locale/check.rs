//! The translation files agree: every key of one locale is in the other, with
//! the same `{placeholders}` and the same literal numbers (filled in by `text::fill`; leptos_i18n's own
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
            let (na, nb) = (numbers(at), numbers(bt));
            if na != nb {
                out.push(format!("key \"{path}\": numbers differ: {a_name} has {na:?}, {b_name} has {nb:?}"));
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

/// The numbers a text states, outside placeholders: digits read through the
/// grouping and decimal signs of either language (`1,000.00` and `1 000,00`
/// are both `100000`), and the words for numbers the other language writes in
/// digits ("twelve months" and "TTM" are "12 miesięcy").
pub fn numbers(text: &str) -> BTreeSet<String> {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        plain.push_str(&rest[..start]);
        rest = rest[start..].find('}').map_or("", |end| &rest[start + end + 1..]);
    }
    plain.push_str(rest);
    for (word, digits) in [("twelve", " 12 "), ("Twelve", " 12 "), ("TTM", " 12 ")] {
        plain = plain.replace(word, digits);
    }
    let chars: Vec<char> = plain.chars().collect();
    let mut found = BTreeSet::new();
    let mut current = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            current.push(*c);
        } else if !current.is_empty() && [',', '.', ' ', '\u{a0}', '\u{202f}'].contains(c) && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            // a separator inside a number
        } else if !current.is_empty() {
            found.insert(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        found.insert(current);
    }
    found
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
