//! Graph walks over the converted shapes: which members must be boxed (recursion), and
//! which operations need each shape's serializer and parser (so the emitters only emit
//! and feature-gate what is used).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Operation, Shape, Type};

/// Boxes members whose type leads back to their own shape without passing through a
/// list or map (which already allocate), so every generated type has a finite size.
pub fn box_recursive_members(shapes: &mut BTreeMap<String, Shape>) {
    let direct = |shape: &Shape| -> Vec<String> {
        shape
            .kind
            .members()
            .iter()
            .filter_map(|m| match &m.target {
                Type::Named(id) => Some(id.clone()),
                _ => None,
            })
            .collect()
    };
    let edges: BTreeMap<String, Vec<String>> = shapes
        .iter()
        .map(|(id, s)| (id.clone(), direct(s)))
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if seen.insert(id.clone()) {
                stack.extend(edges.get(&id).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (id, targets) in &edges {
        for target in targets {
            if reaches(target, id) {
                to_box.push((id.clone(), target.clone()));
            }
        }
    }
    for (id, target) in to_box {
        if let Some(shape) = shapes.get_mut(&id) {
            for m in shape.kind.members_mut() {
                if m.target == Type::Named(target.clone()) {
                    m.boxed = true;
                }
            }
        }
    }
}

/// Records in each named shape the operations that need its serializer (those whose
/// input reaches it) and its parser (those whose output or errors reach it). An
/// operation's own input and output are written and read by the operation's functions.
pub fn record_serde_needs(operations: &[Operation], shapes: &mut BTreeMap<String, Shape>) {
    let mut ser: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut de: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in operations {
        for id in reachable(shapes, std::slice::from_ref(&op.input)) {
            ser.entry(id).or_default().insert(op.name.clone());
        }
        let mut roots = vec![op.output.clone()];
        roots.extend(op.errors.iter().cloned());
        for e in &op.errors {
            de.entry(e.clone()).or_default().insert(op.name.clone());
        }
        for id in reachable(shapes, &roots) {
            de.entry(id).or_default().insert(op.name.clone());
        }
    }
    for (id, shape) in shapes.iter_mut() {
        shape.ser_operations = ser.remove(id).unwrap_or_default();
        shape.de_operations = de.remove(id).unwrap_or_default();
    }
}

/// The named shapes the members of `roots` lead to (not the roots themselves, unless a
/// member leads back to one).
fn reachable(shapes: &BTreeMap<String, Shape>, roots: &[String]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.to_vec();
    while let Some(id) = stack.pop() {
        let Some(shape) = shapes.get(&id) else {
            continue;
        };
        for n in shape.kind.named_targets() {
            if seen.insert(n.clone()) {
                stack.push(n);
            }
        }
    }
    seen
}
