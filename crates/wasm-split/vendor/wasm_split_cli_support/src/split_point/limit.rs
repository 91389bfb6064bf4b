//! `Options::chunk_limit` (a change of this vendored copy): merges the shared
//! chunks until no split needs more than the limit, choosing each merge by the
//! bytes it adds to the splits' downloads.
//!
//! After the painting, a chunk holds the symbols needed by exactly its set of
//! splits. Merging two chunks gives one chunk loaded by the union of their
//! sets, so a split in only one of them now downloads the other's bytes too:
//! that is the merge's cost (times the split's weight, 1 unless
//! `Options::split_weights` names it). While some splits load more chunks
//! than the limit, the merge with the lowest cost per chunk it takes off
//! their lists is made (merging two chunks that a split loads takes one off
//! its list).
//!
//! A merged chunk is loaded by more splits than its symbols' dependencies may
//! be; so after every merge the sets are closed over the dependencies: a chunk
//! whose symbols use a symbol of another chunk makes that chunk loaded by
//! every split that loads it. Loading stays complete: a split instantiates
//! every chunk whose set names it, and those chunks' dependencies too.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{OutputModuleInfo, SplitModuleIdentifier};
use crate::dep_graph::{DepGraph, DepNode};
use crate::read::InputModule;

struct Chunk {
    splits: BTreeSet<String>,
    symbols: HashSet<DepNode>,
    bytes: u64,
}

pub(super) fn merge_to_limit(
    contents: HashMap<SplitModuleIdentifier, OutputModuleInfo>,
    module: &InputModule,
    deps: &DepGraph,
    limit: usize,
    weights: &HashMap<String, u64>,
) -> HashMap<SplitModuleIdentifier, OutputModuleInfo> {
    let mut out = HashMap::new();
    let mut chunks = Vec::new();
    for (identifier, info) in contents {
        match identifier {
            SplitModuleIdentifier::Chunk(splits) => chunks.push(Chunk {
                bytes: info.included_symbols.iter().map(|s| symbol_bytes(module, s)).sum(),
                splits,
                symbols: info.included_symbols,
            }),
            other => {
                out.insert(other, info);
            }
        }
    }
    loop {
        close_over_dependencies(&mut chunks, deps);
        merge_equal(&mut chunks);
        let over = over_limit(&chunks, limit.max(1));
        if over.is_empty() {
            break;
        }
        merge_best_pair(&mut chunks, &over, deps, weights);
    }
    for chunk in chunks {
        out.entry(SplitModuleIdentifier::Chunk(chunk.splits))
            .or_default()
            .included_symbols
            .extend(chunk.symbols);
    }
    out
}

/// The code or data bytes a symbol brings into a module.
fn symbol_bytes(module: &InputModule, symbol: &DepNode) -> u64 {
    match *symbol {
        DepNode::Function(id) => id
            .checked_sub(module.imported_funcs.len())
            .map(|defined| {
                let range = module.defined_funcs[defined].body.range();
                (range.end - range.start) as u64
            })
            .unwrap_or(0),
        DepNode::DataSymbol(index) => match module.reloc_info.symbols.get(index) {
            Some(wasmparser::SymbolInfo::Data { symbol: Some(def), .. }) => u64::from(def.size),
            _ => 0,
        },
        _ => 0,
    }
}

/// For each chunk, the chunks whose symbols its own use (directly).
fn dependency_edges(chunks: &[Chunk], deps: &DepGraph) -> Vec<BTreeSet<usize>> {
    let owner: HashMap<DepNode, usize> = chunks
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.symbols.iter().map(move |s| (*s, i)))
        .collect();
    chunks
        .iter()
        .enumerate()
        .map(|(user, chunk)| {
            chunk
                .symbols
                .iter()
                .flat_map(|symbol| deps.get(symbol).into_iter().flatten())
                .filter_map(|dep| owner.get(dep).copied())
                .filter(|&used| used != user)
                .collect()
        })
        .collect()
}

/// Grows each chunk's set of splits to include the sets of the chunks that use
/// its symbols, until nothing changes.
fn close_over_dependencies(chunks: &mut [Chunk], deps: &DepGraph) {
    let edges = dependency_edges(chunks, deps);
    let mut changed = true;
    while changed {
        changed = false;
        for (user, used_by_user) in edges.iter().enumerate() {
            for &used in used_by_user {
                if !chunks[used].splits.is_superset(&chunks[user].splits) {
                    let extra = chunks[user].splits.clone();
                    chunks[used].splits.extend(extra);
                    changed = true;
                }
            }
        }
    }
}

/// Every chunk reachable from each chunk through `edges`, itself included.
fn reachable(edges: &[BTreeSet<usize>]) -> Vec<BTreeSet<usize>> {
    (0..edges.len())
        .map(|start| {
            let mut seen = BTreeSet::from([start]);
            let mut stack = vec![start];
            while let Some(at) = stack.pop() {
                for &next in &edges[at] {
                    if seen.insert(next) {
                        stack.push(next);
                    }
                }
            }
            seen
        })
        .collect()
}

/// One chunk per set of splits.
fn merge_equal(chunks: &mut Vec<Chunk>) {
    chunks.sort_by(|a, b| a.splits.cmp(&b.splits));
    let mut merged: Vec<Chunk> = Vec::with_capacity(chunks.len());
    for chunk in chunks.drain(..) {
        match merged.last_mut() {
            Some(last) if last.splits == chunk.splits => {
                last.symbols.extend(chunk.symbols);
                last.bytes += chunk.bytes;
            }
            _ => merged.push(chunk),
        }
    }
    *chunks = merged;
}

/// The splits loading more chunks than `limit`.
fn over_limit(chunks: &[Chunk], limit: usize) -> BTreeSet<String> {
    let mut counts = HashMap::<&String, usize>::new();
    for split in chunks.iter().flat_map(|c| &c.splits) {
        *counts.entry(split).or_default() += 1;
    }
    counts.into_iter().filter(|(_, n)| *n > limit).map(|(s, _)| s.clone()).collect()
}

/// Makes the merge with the lowest cost per chunk it takes off the lists of
/// splits over the limit (a merge of two chunks both loaded by such a split
/// takes one off its list).
fn merge_best_pair(chunks: &mut Vec<Chunk>, over: &BTreeSet<String>, deps: &DepGraph, weights: &HashMap<String, u64>) {
    let reach = reachable(&dependency_edges(chunks, deps));
    let mut best: Option<(u64, u64, usize, usize)> = None;
    for a in 0..chunks.len() {
        if chunks[a].splits.is_disjoint(over) {
            continue;
        }
        for b in a + 1..chunks.len() {
            let gain = chunks[a].splits.intersection(&chunks[b].splits).filter(|s| over.contains(*s)).count() as u64;
            if gain == 0 {
                continue;
            }
            let cost = merge_cost(chunks, &reach[a] | &reach[b], a, b, weights);
            if best.is_none_or(|(c, g, _, _)| u128::from(cost) * u128::from(g) < u128::from(c) * u128::from(gain)) {
                best = Some((cost, gain, a, b));
            }
        }
    }
    let Some((_, _, a, b)) = best else { return };
    let absorbed = chunks.remove(b);
    let into = &mut chunks[a];
    into.splits.extend(absorbed.splits);
    into.symbols.extend(absorbed.symbols);
    into.bytes += absorbed.bytes;
}

/// Bytes downloaded by splits that did not need them once `a` and `b` are
/// one chunk: every chunk in `affected` (the two and what they use) is then
/// loaded by every split of the union. Each split's bytes count `weights`
/// times (1 if not named).
fn merge_cost(chunks: &[Chunk], affected: BTreeSet<usize>, a: usize, b: usize, weights: &HashMap<String, u64>) -> u64 {
    let union: BTreeSet<&String> = chunks[a].splits.iter().chain(&chunks[b].splits).collect();
    let weight = |split: &String| weights.get(split).copied().unwrap_or(1);
    affected
        .into_iter()
        .map(|i| chunks[i].bytes * union.iter().filter(|s| !chunks[i].splits.contains(**s)).map(|s| weight(s)).sum::<u64>())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(splits: &[&str], symbols: &[usize], bytes: u64) -> Chunk {
        Chunk {
            splits: splits.iter().map(|s| s.to_string()).collect(),
            symbols: symbols.iter().map(|&f| DepNode::Function(f)).collect(),
            bytes,
        }
    }

    fn sets(chunks: &[Chunk]) -> Vec<Vec<&str>> {
        chunks.iter().map(|c| c.splits.iter().map(String::as_str).collect()).collect()
    }

    fn over(splits: &[&str]) -> BTreeSet<String> {
        splits.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_cheapest_merge_is_the_one_adding_fewest_bytes_to_other_splits() {
        // a loads three chunks; merging the two small ones costs 1 byte each to
        // b and c; merging with the big one would give 1000 bytes to others.
        let mut chunks = vec![chunk(&["a", "b"], &[1], 1), chunk(&["a", "c"], &[2], 1), chunk(&["a", "d"], &[3], 1000)];
        assert_eq!(over_limit(&chunks, 2), over(&["a"]));
        merge_best_pair(&mut chunks, &over(&["a"]), &DepGraph::new(), &HashMap::new());
        assert_eq!(sets(&chunks), vec![vec!["a", "b", "c"], vec!["a", "d"]]);
        assert!(over_limit(&chunks, 2).is_empty());
    }

    #[test]
    fn a_merge_helping_two_splits_over_the_limit_may_cost_up_to_twice_as_much() {
        // a and b are over a limit of 1. (a,b,c)+(a,b,d) costs 22 bytes but
        // takes a chunk off both lists (11 each); (a,b,c)+(a,e) costs 20 for
        // one chunk off a's list.
        let mut chunks = vec![chunk(&["a", "b", "c"], &[1], 10), chunk(&["a", "b", "d"], &[2], 12), chunk(&["a", "e"], &[3], 5)];
        assert_eq!(over_limit(&chunks, 1), over(&["a", "b"]));
        merge_best_pair(&mut chunks, &over(&["a", "b"]), &DepGraph::new(), &HashMap::new());
        assert_eq!(sets(&chunks), vec![vec!["a", "b", "c", "d"], vec!["a", "e"]]);
    }

    #[test]
    fn a_merge_costs_the_chunks_the_merged_one_uses_too() {
        // By their own sizes, merging (a, b) with (a, c) is cheapest (101
        // bytes to others against 200 for merging it into the chunk it uses),
        // but c would then also download the 1000-byte chunk (a, b) uses.
        let mut chunks = vec![
            chunk(&["a", "b"], &[1], 100),
            chunk(&["a", "c"], &[2], 1),
            chunk(&["a", "e"], &[3], 500),
            chunk(&["a", "b", "d", "f"], &[4], 1000),
        ];
        let deps: DepGraph = [(DepNode::Function(1), HashSet::from([DepNode::Function(4)]))].into();
        merge_best_pair(&mut chunks, &over(&["a"]), &deps, &HashMap::new());
        close_over_dependencies(&mut chunks, &deps);
        merge_equal(&mut chunks);
        assert_eq!(sets(&chunks), vec![vec!["a", "b", "d", "f"], vec!["a", "c"], vec!["a", "e"]]);
    }

    #[test]
    fn a_weighted_split_is_given_other_splits_code_last() {
        // Unweighted, (a, b)+(a, c) is cheapest (b and c get 10 bytes each);
        // with b weighted 5, (a, c)+(a, d) is (c and d get 10 and 12 bytes).
        let make = || vec![chunk(&["a", "b"], &[1], 10), chunk(&["a", "c"], &[2], 10), chunk(&["a", "d"], &[3], 12)];
        let mut plain = make();
        merge_best_pair(&mut plain, &over(&["a"]), &DepGraph::new(), &HashMap::new());
        assert_eq!(sets(&plain), vec![vec!["a", "b", "c"], vec!["a", "d"]]);
        let mut weighted = make();
        merge_best_pair(&mut weighted, &over(&["a"]), &DepGraph::new(), &HashMap::from([("b".to_string(), 5)]));
        assert_eq!(sets(&weighted), vec![vec!["a", "b"], vec!["a", "c", "d"]]);
    }

    #[test]
    fn a_chunk_is_loaded_by_every_split_that_loads_a_chunk_using_it() {
        // chunk 0 (a, b) calls a function of chunk 1 (a, b, c); after chunk 0
        // is merged with (a, d), d must load chunk 1 too.
        let mut chunks = vec![chunk(&["a", "b", "d"], &[1], 10), chunk(&["a", "b", "c"], &[2], 10)];
        let deps: DepGraph = [(DepNode::Function(1), HashSet::from([DepNode::Function(2)]))].into();
        close_over_dependencies(&mut chunks, &deps);
        assert_eq!(sets(&chunks), vec![vec!["a", "b", "d"], vec!["a", "b", "c", "d"]]);
    }

    #[test]
    fn chunks_with_the_same_splits_become_one() {
        let mut chunks = vec![chunk(&["a", "b"], &[1], 3), chunk(&["a", "c"], &[2], 5), chunk(&["a", "b"], &[3], 7)];
        merge_equal(&mut chunks);
        assert_eq!(sets(&chunks), vec![vec!["a", "b"], vec!["a", "c"]]);
        assert_eq!(chunks[0].bytes, 10);
        assert_eq!(chunks[0].symbols.len(), 2);
    }
}
