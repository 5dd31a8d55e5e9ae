//! JSON: the report as documented in the README, pretty-printed.

use super::{Exporter, Report};

/// Renders [`Report`] as JSON.
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn render(&self, report: &Report) -> String {
        let mut s = serde_json::to_string_pretty(report).expect("a report always serialises");
        s.push('\n');
        s
    }
}
