//! The clean dev builds' `cargo build --timings` pages, read back by crate: cargo writes
//! `cargo-timings/cargo-timing.html` in the target dir with every unit it ran (compiling a
//! crate's lib, a build script, running it) as a `const UNIT_DATA = [...]` JSON array of
//! `{i, name, version, target, start, duration, unblocked_units, ...}`. From it the report shows
//! where the clean build's compile seconds go (the crates ours compiles beyond the floor) and
//! the chain of units that ends the build (each unit started when the one before it in the
//! chain finished, so that chain is the critical path).

use std::collections::BTreeMap;
use std::path::Path;

/// One unit of a `--timings` page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Unit {
    /// Cargo's index of the unit (what `unblocked_units` refers to).
    pub(super) index: u64,
    pub(super) name: String,
    pub(super) version: String,
    /// What was built: `""` for a lib, `" build-script"`, `" build-script (run)"`,
    /// `" bench-floor \"bin\""`.
    pub(super) target: String,
    /// Seconds from the start of the build.
    pub(super) start: f64,
    pub(super) duration: f64,
    /// Units that could start once this one finished (or once its metadata was ready).
    pub(super) unlocked: Vec<u64>,
}

impl Unit {
    pub(super) fn end(&self) -> f64 {
        self.start + self.duration
    }

    /// `name version`, the key crates are compared by.
    pub(super) fn key(&self) -> String {
        format!("{} {}", self.name, self.version)
    }

    /// `name` plus what was built when it is not the lib (`serde (build script run)`).
    pub(super) fn label(&self) -> String {
        let what = self.target.trim().replace('"', "");
        if what.is_empty() || what == "lib" {
            self.name.clone()
        } else if what.ends_with(" bin") {
            format!("{} (bin)", self.name)
        } else {
            format!("{} ({what})", self.name)
        }
    }
}

/// The units of one `--timings` build.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Timings {
    pub(super) units: Vec<Unit>,
}

impl Timings {
    /// Reads `<target>/cargo-timings/cargo-timing.html`.
    pub(super) fn read(target: &Path) -> Result<Timings, String> {
        let path = target.join("cargo-timings").join("cargo-timing.html");
        let html =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Timings::parse(&html).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The `UNIT_DATA` array of a `--timings` page.
    pub(super) fn parse(html: &str) -> Result<Timings, String> {
        const MARKER: &str = "const UNIT_DATA = ";
        let at = html
            .find(MARKER)
            .ok_or_else(|| format!("no `{MARKER}` in the page"))?;
        // The array is followed by `;` and more script: read one JSON value, not the rest.
        let value = serde_json::Deserializer::from_str(&html[at + MARKER.len()..])
            .into_iter::<serde_json::Value>()
            .next()
            .ok_or("UNIT_DATA is empty")?
            .map_err(|e| format!("UNIT_DATA: {e}"))?;
        let items = value.as_array().ok_or("UNIT_DATA is not an array")?;
        let units = items
            .iter()
            .enumerate()
            .map(|(i, item)| unit(item).ok_or_else(|| format!("UNIT_DATA[{i}]: missing fields")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Timings { units })
    }

    /// Seconds of every unit (lib, build script, its run) summed by crate, largest first.
    pub(super) fn by_crate(&self) -> Vec<(String, f64)> {
        let mut by: BTreeMap<String, f64> = BTreeMap::new();
        for u in &self.units {
            *by.entry(u.key()).or_default() += u.duration;
        }
        let mut v: Vec<(String, f64)> = by.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// Sum of the units' seconds (more than the wall time when units ran in parallel).
    pub(super) fn total(&self) -> f64 {
        self.units.iter().map(|u| u.duration).sum()
    }

    /// When the last unit finished, seconds from the start.
    pub(super) fn end(&self) -> f64 {
        self.units.iter().map(Unit::end).fold(0.0, f64::max)
    }

    /// The critical path, last unit first: the unit that finished last, then the unit whose
    /// completion let it start (cargo lists it in `unblocked_units`), and so on back to a unit
    /// nothing had to wait for.
    pub(super) fn critical_path(&self) -> Vec<&Unit> {
        let mut unlocked_by: BTreeMap<u64, &Unit> = BTreeMap::new();
        for u in &self.units {
            for &next in &u.unlocked {
                unlocked_by.insert(next, u);
            }
        }
        let mut path = Vec::new();
        let mut current = self.units.iter().max_by(|a, b| a.end().total_cmp(&b.end()));
        while let Some(u) = current {
            // The data comes from a file: never loop on a cycle.
            if path.len() > self.units.len() {
                break;
            }
            path.push(u);
            current = unlocked_by.get(&u.index).copied();
        }
        path
    }
}

fn unit(item: &serde_json::Value) -> Option<Unit> {
    // Cargo 1.95 says `unblocked_units` (and `unblocked_rmeta_units` for the units that only
    // needed this one's metadata); older pages said `unlocked_units`.
    let unlocked = [
        "unblocked_units",
        "unblocked_rmeta_units",
        "unlocked_units",
        "unlocked_rmeta_units",
    ]
    .iter()
    .filter_map(|key| item.get(*key).and_then(|v| v.as_array()))
    .flatten()
    .filter_map(|v| v.as_u64())
    .collect();
    Some(Unit {
        index: item.get("i")?.as_u64()?,
        name: item.get("name")?.as_str()?.to_string(),
        version: item.get("version")?.as_str()?.to_string(),
        target: item
            .get("target")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        start: item.get("start")?.as_f64()?,
        duration: item.get("duration")?.as_f64()?,
        unlocked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units of a real clean dev build of `bench/floor` (cargo 1.95), trimmed to the
    /// critical path and two early units; `bench-floor` failed there, hence its 0 s.
    const SAMPLE: &str = include_str!("../../tests/data/cargo-timing-unit-data.html");

    #[test]
    fn unit_data_is_read_from_the_page() {
        let t = Timings::parse(SAMPLE).expect("sample parses");
        assert_eq!(t.units.len(), 7);
        let reqwest = t
            .units
            .iter()
            .find(|u| u.name == "reqwest")
            .expect("reqwest");
        assert_eq!(reqwest.key(), "reqwest 0.13.5");
        assert_eq!((reqwest.start, reqwest.duration), (85.01, 5.55));
        assert_eq!(reqwest.label(), "reqwest");
        let build_script = t
            .units
            .iter()
            .find(|u| u.index == 77)
            .expect("proc-macro2's build script");
        assert_eq!(build_script.label(), "proc-macro2 (build-script)");
        assert_eq!(build_script.unlocked, vec![76]);
        assert!((t.end() - 90.58).abs() < 1e-9);
        assert!((t.total() - 8.18).abs() < 1e-9, "{}", t.total());
    }

    #[test]
    fn seconds_are_summed_by_crate_largest_first() {
        let t = Timings::parse(SAMPLE).expect("sample parses");
        let by = t.by_crate();
        assert_eq!(by[0], ("reqwest 0.13.5".to_string(), 5.55));
        assert_eq!(by.len(), 7, "one entry per crate: {by:?}");
        assert!(by.windows(2).all(|w| w[0].1 >= w[1].1));
    }

    #[test]
    fn the_critical_path_follows_the_unit_that_unblocked_each() {
        let t = Timings::parse(SAMPLE).expect("sample parses");
        let path: Vec<String> = t.critical_path().iter().map(|u| u.label()).collect();
        assert_eq!(
            path,
            [
                "bench-floor (bin)",
                "reqwest",
                "rustls-platform-verifier",
                "rustls-native-certs",
                "openssl-probe"
            ]
        );
    }

    #[test]
    fn a_page_without_unit_data_is_an_error() {
        assert!(Timings::parse("<html></html>").is_err());
        assert!(Timings::parse("const UNIT_DATA = [{\"name\": 1}];").is_err());
        assert_eq!(
            Timings::parse("const UNIT_DATA = [];\nconst X = 1;"),
            Ok(Timings::default())
        );
    }
}
