//! `BENCHMARKS.svg`: the ratio rows of the report at a glance. One horizontal bar per row
//! (ours / anchor; shorter is better for every row but the calls/s ones), a line at parity and
//! a tick at each ratio target (and a dashed one at floor / anchor where the floor program
//! measures the row too); green where the target is met, red where missed, grey where
//! the row has no target. Plain SVG written here, so the bench needs no plotting crate.

use std::fmt::Write as _;

use super::rows::{Row, Target};

const WIDTH: f64 = 900.0;
const LABEL: f64 = 430.0;
const BAR_H: f64 = 18.0;
const GAP: f64 = 8.0;
const TOP: f64 = 40.0;

/// Escapes text for an SVG text node.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "")
}

pub(super) fn render(rows: &[Row], title: &str) -> String {
    let shown: Vec<(&Row, f64)> = rows
        .iter()
        .filter_map(|r| r.ratio().map(|ratio| (r, ratio)))
        .collect();
    let max = shown
        .iter()
        .map(|(_, r)| *r)
        .fold(1.2f64, f64::max)
        .min(4.0);
    let plot = WIDTH - LABEL - 60.0;
    let x = |v: f64| LABEL + v.min(max) / max * plot;
    let height = TOP + shown.len() as f64 * (BAR_H + GAP) + 30.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="100%" height="100%" fill="white"/><text x="10" y="22" font-size="14" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (i, (row, ratio)) in shown.iter().enumerate() {
        let y = TOP + i as f64 * (BAR_H + GAP);
        let colour = match row.met() {
            Some(true) => "#2e7d32",
            Some(false) => "#c62828",
            None => "#9e9e9e",
        };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            LABEL - 8.0,
            y + 13.0,
            escape(row.name)
        );
        let _ = writeln!(
            s,
            r#"<rect x="{LABEL}" y="{y}" width="{:.1}" height="{BAR_H}" fill="{colour}"/>"#,
            x(*ratio) - LABEL
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{}">{ratio:.2}</text>"#,
            x(*ratio) + 4.0,
            y + 13.0
        );
        if let Some(Target::RatioAtMost(t)) = row.target {
            let _ = writeln!(
                s,
                r#"<line x1="{0:.1}" x2="{0:.1}" y1="{1}" y2="{2}" stroke="black" stroke-width="2"/>"#,
                x(t),
                y - 2.0,
                y + BAR_H + 2.0
            );
        }
        if let Some(f) = row.floor_ratio() {
            // A dashed blue tick: the ratio the floor program alone reaches.
            let _ = writeln!(
                s,
                r##"<line x1="{0:.1}" x2="{0:.1}" y1="{1}" y2="{2}" stroke="#1565c0" stroke-width="3" stroke-dasharray="3 2" class="floor"/>"##,
                x(f),
                y - 2.0,
                y + BAR_H + 2.0
            );
        }
    }
    let bottom = TOP + shown.len() as f64 * (BAR_H + GAP);
    let _ = writeln!(
        s,
        r##"<line x1="{0:.1}" x2="{0:.1}" y1="{TOP}" y2="{bottom}" stroke="#555" stroke-dasharray="4 3"/><text x="{0:.1}" y="{1}" text-anchor="middle">1.0 = anchor</text>"##,
        x(1.0),
        bottom + 16.0
    );
    let _ = writeln!(
        s,
        r#"<text x="10" y="{}">bar: ours / anchor; black tick: target; dashed blue tick: floor / anchor</text>"#,
        bottom + 16.0
    );
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::super::rows::Unit;
    use super::*;

    #[test]
    fn only_measured_rows_are_drawn_with_their_target() {
        let rows = vec![
            Row {
                name: "build <wall>",
                anchor: 10.0,
                ours: 3.0,
                unit: Unit::Secs,
                target: Some(Target::RatioAtMost(0.4)),
                floor: Some(2.5),
            },
            Row {
                name: "not measured",
                anchor: 0.0,
                ours: 3.0,
                unit: Unit::Secs,
                target: None,
                floor: None,
            },
        ];
        let svg = render(&rows, "t");
        assert!(svg.contains("build &lt;wall&gt;"));
        assert!(!svg.contains("not measured"));
        assert!(svg.contains("#2e7d32"), "a met target is green");
        assert!(svg.contains(">0.30<"));
        assert_eq!(svg.matches("stroke-width=\"2\"").count(), 1);
        assert_eq!(
            svg.matches("class=\"floor\"").count(),
            1,
            "the floor at 0.25"
        );
    }
}
