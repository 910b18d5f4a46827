//! Rendering a [`Report`]: JSON (the contract), Markdown (a terminal or a
//! wiki) and one self-contained HTML page. Pure functions from the report to
//! a string: no analysis happens here, and nothing is read or written.

pub mod html;
pub mod labels;
pub mod markdown;
pub mod since;
pub mod view;

use chorus_model::Report;

pub use html::html;
pub use markdown::markdown;

/// The report as pretty-printed JSON following the contract.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("report types always serialise")
}
