use std::collections::BTreeMap;

use benefits_domain::{Catalog, InputError};
use leptos::prelude::*;

use crate::locale::{self, Locale};

/// The catalog version being edited, shared by the form and the JSON editor:
/// the catalog itself, a counter of its shape (rows added or removed, or the
/// JSON replaced it: the form redraws its rows then, never while typing), the
/// fields whose typed text does not parse, and the domain's problems.
#[derive(Clone, Copy)]
pub struct Draft {
    pub catalog: RwSignal<Catalog>,
    pub shape: RwSignal<u32>,
    /// Field path → why its text is not a value (an amount, a whole number).
    pub typed: RwSignal<BTreeMap<String, String>>,
    /// `Catalog::problems` of the draft: the same rule the server applies.
    pub problems: Memo<Vec<InputError>>,
}

impl Draft {
    pub fn new(catalog: Catalog) -> Draft {
        let catalog = RwSignal::new(catalog);
        Draft {
            catalog,
            shape: RwSignal::new(0),
            typed: RwSignal::new(BTreeMap::new()),
            problems: Memo::new(move |_| catalog.with(Catalog::problems)),
        }
    }

    /// A change of values: the form keeps its inputs.
    pub fn edit(&self, f: impl FnOnce(&mut Catalog)) {
        self.catalog.update(f);
    }

    /// A change of rows: the form redraws.
    pub fn reshape(&self, f: impl FnOnce(&mut Catalog)) {
        self.catalog.update(f);
        self.typed.set(BTreeMap::new());
        self.shape.update(|n| *n += 1);
    }

    /// Replaces the whole draft (the JSON editor, or starting again).
    pub fn replace(&self, c: Catalog) {
        self.reshape(|old| *old = c);
    }

    /// The typed text of `path` parsed (`Ok`) or not (`Err`, why).
    pub fn typed_result(&self, path: &str, r: Result<(), String>) {
        self.typed.update(|t| match r {
            Ok(()) => {
                t.remove(path);
            }
            Err(m) => {
                t.insert(path.to_string(), m);
            }
        });
    }

    /// What is wrong with the field at `path` (or, for a tier's threshold,
    /// its whole row `row`), in the current language.
    pub fn error(&self, path: &str, row: Option<&str>) -> Option<String> {
        if let Some(m) = self.typed.with(|t| t.get(path).cloned()) {
            return Some(m);
        }
        self.problems.with(|ps| {
            ps.iter().find(|e| e.field == path || Some(e.field.as_str()) == row).map(|e| problem_text(locale::current(), e))
        })
    }

    /// Every problem, field by field, for the summary above the buttons.
    pub fn all(&self) -> Vec<(String, String)> {
        let l = locale::current();
        let mut out: Vec<(String, String)> = self.typed.with(|t| t.iter().map(|(f, m)| (f.clone(), m.clone())).collect());
        out.extend(self.problems.with(|ps| ps.iter().map(|e| (e.field.clone(), problem_text(l, e))).collect::<Vec<_>>()));
        out
    }
}

/// The domain's problem in the current language, worded from its code and
/// parameters (the field is shown beside it).
pub fn problem_text(l: Locale, e: &InputError) -> String {
    crate::locale::text::input_reason(l, e.code, &e.params)
}

/// An element id for a field path: `catalog.metrics.mbs.tiers[1]` → `cf-catalog-metrics-mbs-tiers-1-`.
pub fn field_id(path: &str) -> String {
    format!("cf-{}", path.replace(['.', '[', ']'], "-"))
}
