//! Blocs of aligned actors: Louvain communities of a weighted, undirected graph, used by the
//! page (`/api/graph`) and by `entente graph communities` alike.

use std::collections::{BTreeMap, HashMap};

/// Louvain aggregates at most this many levels (and moves nodes for at most five times as
/// many passes per level); both bounds only keep a pathological graph from looping.
const ROUNDS: usize = 20;

/// Blocs by Louvain modularity optimisation over `links` (node `i` links to `(j, weight)`;
/// weighted, undirected: each link listed from both ends), made deterministic:
/// nodes are visited in slot (id) order, a node moves only for a strictly better gain, ties
/// going to the smallest community, and levels are aggregated until nothing moves. Label
/// propagation, tried first, let a hub like NATO pull nearly every actor into one bloc.
/// Communities are then numbered by size (largest first, ties by first slot), so colours are
/// stable across reloads.
pub fn louvain(links: &[Vec<(usize, f64)>]) -> Vec<usize> {
    let mut graph = links.to_vec();
    let mut membership: Vec<usize> = (0..links.len()).collect();
    for _ in 0..ROUNDS {
        let Some(part) = one_level(&graph) else { break };
        membership = membership.iter().map(|&c| part[c]).collect();
        graph = aggregate(&graph, &part);
    }
    renumber(&membership)
}

/// Louvain's first phase on `graph` (self-loops allowed): each node moves to the neighbouring
/// community that most raises modularity, until a pass moves none. Returns the communities
/// numbered 0.. in order of first node, or `None` when no node moved at all.
fn one_level(graph: &[Vec<(usize, f64)>]) -> Option<Vec<usize>> {
    let n = graph.len();
    let degree: Vec<f64> = graph.iter().map(|l| l.iter().map(|&(_, w)| w).sum()).collect();
    let total: f64 = degree.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mut community: Vec<usize> = (0..n).collect();
    let mut tot = degree.clone();
    let mut moved_ever = false;
    for _ in 0..ROUNDS * 5 {
        let mut moved = false;
        for node in 0..n {
            let own = community[node];
            tot[own] -= degree[node];
            let mut to: BTreeMap<usize, f64> = BTreeMap::new();
            to.insert(own, 0.0);
            for &(other, w) in graph[node].iter().filter(|&&(other, _)| other != node) {
                *to.entry(community[other]).or_default() += w;
            }
            let gain = |c: usize, w: f64| w - tot[c] * degree[node] / total;
            let mut best = (own, gain(own, to[&own]));
            for (&c, &w) in &to {
                if gain(c, w) > best.1 + 1e-12 {
                    best = (c, gain(c, w));
                }
            }
            community[node] = best.0;
            tot[best.0] += degree[node];
            moved |= best.0 != own;
        }
        moved_ever |= moved;
        if !moved {
            break;
        }
    }
    moved_ever.then(|| first_seen(&community))
}

/// Community labels renumbered 0.. in order of first appearance.
fn first_seen(community: &[usize]) -> Vec<usize> {
    let mut number: HashMap<usize, usize> = HashMap::new();
    community
        .iter()
        .map(|c| {
            let next = number.len();
            *number.entry(*c).or_insert(next)
        })
        .collect()
}

/// The graph of communities: a link's weight is the sum of the links between their members,
/// those inside one community becoming its self-loop.
fn aggregate(graph: &[Vec<(usize, f64)>], part: &[usize]) -> Vec<Vec<(usize, f64)>> {
    let k = part.iter().max().map_or(0, |m| m + 1);
    let mut links = vec![BTreeMap::<usize, f64>::new(); k];
    for (node, l) in graph.iter().enumerate() {
        for &(other, w) in l {
            *links[part[node]].entry(part[other]).or_default() += w;
        }
    }
    links.into_iter().map(|m| m.into_iter().collect()).collect()
}

fn renumber(label: &[usize]) -> Vec<usize> {
    let mut size: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (slot, &l) in label.iter().enumerate() {
        let e = size.entry(l).or_insert((0, slot));
        e.0 += 1;
    }
    let mut order: Vec<(usize, (usize, usize))> = size.into_iter().collect();
    order.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    let number: HashMap<usize, usize> = order.iter().enumerate().map(|(i, (l, _))| (*l, i)).collect();
    label.iter().map(|l| number[l]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_cliques_make_two_blocs_whatever_the_order() {
        // 0-1-2 tightly linked, 3-4-5 tightly linked, one weak link 2-3.
        let mut links = vec![Vec::new(); 6];
        let mut link = |a: usize, b: usize, w: f64| {
            links[a].push((b, w));
            links[b].push((a, w));
        };
        for (a, b) in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)] {
            link(a, b, 5.0);
        }
        link(2, 3, 1.0);
        let c = louvain(&links);
        assert_eq!(c, louvain(&links), "deterministic");
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_eq!(c[3], c[4]);
        assert_eq!(c[4], c[5]);
        assert_ne!(c[0], c[3]);
    }

    #[test]
    fn a_hub_does_not_swallow_the_blocs_it_links() {
        // 0 is linked to everyone once; 1-2-3 and 4-5-6 are tight among themselves.
        let mut links = vec![Vec::new(); 7];
        let mut link = |a: usize, b: usize, w: f64| {
            links[a].push((b, w));
            links[b].push((a, w));
        };
        for other in 1..7 {
            link(0, other, 1.0);
        }
        for (a, b) in [(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6)] {
            link(a, b, 5.0);
        }
        let c = louvain(&links);
        assert_eq!((c[1], c[2]), (c[3], c[3]));
        assert_eq!((c[4], c[5]), (c[6], c[6]));
        assert_ne!(c[1], c[4]);
    }
}
