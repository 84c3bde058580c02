//! Which struct fields need a `Box`: only those that close a cycle of structs held by
//! value. A box on every struct-typed field costs compile time and an allocation per
//! value; a struct needs one only where it would otherwise contain itself.

use std::collections::{BTreeMap, BTreeSet};

/// The edges "struct `a` holds struct `b` by value", by struct name.
pub type ByValue<'s> = BTreeMap<&'s str, BTreeSet<&'s str>>;

/// The strongly connected components of the by-value graph, as struct name → component
/// number. A field from `a` to `b` must be boxed when both are in one component (a
/// self-reference included): every cycle lies inside one component, so boxing those
/// edges breaks every cycle and no other edge needs it.
pub fn components<'s>(graph: &ByValue<'s>) -> BTreeMap<&'s str, usize> {
    Tarjan::new(graph).run()
}

/// Whether the field from `owner` to `target` must be boxed.
pub fn needs_box(
    graph: &ByValue<'_>,
    components: &BTreeMap<&str, usize>,
    owner: &str,
    target: &str,
) -> bool {
    let held = graph.get(owner).is_some_and(|to| to.contains(target));
    held && components.get(owner).is_some() && components.get(owner) == components.get(target)
}

/// Tarjan's algorithm, iterative so that a long chain of types cannot overflow the stack.
struct Tarjan<'g, 's> {
    graph: &'g ByValue<'s>,
    index: BTreeMap<&'s str, usize>,
    low: BTreeMap<&'s str, usize>,
    on_stack: BTreeSet<&'s str>,
    stack: Vec<&'s str>,
    component: BTreeMap<&'s str, usize>,
    next_component: usize,
}

impl<'g, 's> Tarjan<'g, 's> {
    fn new(graph: &'g ByValue<'s>) -> Self {
        Tarjan {
            graph,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            on_stack: BTreeSet::new(),
            stack: Vec::new(),
            component: BTreeMap::new(),
            next_component: 0,
        }
    }

    fn run(mut self) -> BTreeMap<&'s str, usize> {
        let nodes: Vec<&'s str> = self.graph.keys().copied().collect();
        for node in nodes {
            if !self.index.contains_key(node) {
                self.visit(node);
            }
        }
        self.component
    }

    fn successors(&self, node: &str) -> Vec<&'s str> {
        self.graph
            .get(node)
            .map(|to| to.iter().copied().collect())
            .unwrap_or_default()
    }

    fn enter(&mut self, node: &'s str) {
        let n = self.index.len();
        self.index.insert(node, n);
        self.low.insert(node, n);
        self.stack.push(node);
        self.on_stack.insert(node);
    }

    fn visit(&mut self, root: &'s str) {
        // Each frame: a node and the successors still to look at.
        let mut frames: Vec<(&'s str, Vec<&'s str>)> = Vec::new();
        self.enter(root);
        frames.push((root, self.successors(root)));
        while let Some((node, pending)) = frames.last_mut() {
            let node = *node;
            if let Some(next) = pending.pop() {
                if !self.index.contains_key(next) {
                    self.enter(next);
                    let successors = self.successors(next);
                    frames.push((next, successors));
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _)) = frames.last() {
                let low = self.low[*parent].min(self.low[node]);
                self.low.insert(*parent, low);
            }
            if self.low[node] == self.index[node] {
                self.close_component(node);
            }
        }
    }

    fn close_component(&mut self, root: &'s str) {
        while let Some(member) = self.stack.pop() {
            self.on_stack.remove(member);
            self.component.insert(member, self.next_component);
            if member == root {
                break;
            }
        }
        self.next_component += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph<'a>(edges: &[(&'a str, &'a str)]) -> ByValue<'a> {
        let mut g = ByValue::new();
        for (a, b) in edges {
            g.entry(*a).or_default().insert(*b);
            g.entry(*b).or_default();
        }
        g
    }

    #[test]
    fn only_cycle_edges_are_boxed() {
        let g = graph(&[("a", "b"), ("b", "a"), ("b", "c"), ("d", "d"), ("e", "a")]);
        let c = components(&g);
        assert!(needs_box(&g, &c, "a", "b"));
        assert!(needs_box(&g, &c, "b", "a"));
        assert!(!needs_box(&g, &c, "b", "c"), "c holds nothing");
        assert!(needs_box(&g, &c, "d", "d"), "a type holding itself");
        assert!(!needs_box(&g, &c, "e", "a"), "e is outside the cycle");
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let names: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
        let edges: Vec<(&str, &str)> = names
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        let g = graph(&edges);
        let c = components(&g);
        assert_eq!(c.len(), names.len());
        assert!(!needs_box(&g, &c, "t0", "t1"));
    }
}
