//! Which operations to generate: all bound ones, or those named, with the nearest known
//! names suggested for a misspelled one.

use std::collections::BTreeMap;

use super::OperationSelection;
use crate::error::Error;

/// Picks the selected operations from those bound to the service, by name.
pub fn choose(
    bound: &BTreeMap<String, String>,
    selection: &OperationSelection,
) -> Result<BTreeMap<String, String>, Error> {
    match selection {
        OperationSelection::All => Ok(bound.clone()),
        OperationSelection::Named(names) => {
            let mut chosen = BTreeMap::new();
            let mut unknown = Vec::new();
            for name in names {
                match bound.get_key_value(name.as_str()) {
                    Some((k, v)) => {
                        chosen.insert(k.clone(), v.clone());
                    }
                    None => unknown.push((name.clone(), nearest(name, bound.keys()))),
                }
            }
            if unknown.is_empty() {
                Ok(chosen)
            } else {
                Err(Error::UnknownOperations { unknown })
            }
        }
    }
}

/// Up to three known names closest to `name` (case-insensitive edit distance).
fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, &String)> = known
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .collect();
    scored.sort();
    let limit = (name.len() / 2).max(3);
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(3)
        .map(|(_, k)| k.clone())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names() {
        let known: Vec<String> = [
            "GetContainerServiceDeployments",
            "GetContainerServices",
            "GetBundles",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            nearest("GetContainerServiceDeployment", known.iter()),
            vec!["GetContainerServiceDeployments", "GetContainerServices"]
        );
        assert!(nearest("Zzzzzzzzzzzzzzzzzzzzzzzzzz", known.iter()).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
