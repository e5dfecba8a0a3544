//! The JSON view: a documented, stable schema for machines (see docs/diff.md, "JSON schema").
//!
//! ```text
//! { "format_version": "1.0", "source": "configuration"|"plan"|"drift",
//!   "summary": { "import", "add", "change", "destroy", "move", "forget", "read", "unchanged" },
//!   "has_changes": bool, "destructive": bool,
//!   "resource_changes": [ { "address", "previous_address", "kind", "resource_type", "name",
//!       "action", "create_before_destroy", "reasons": [ { "kind", … } ], "attributes": [ node… ],
//!       "unchanged_attributes", "unchanged_blocks", "importing", "notes" } ],
//!   "output_changes": [ { "name", "change", "before", "after" } ], "warnings": [ string ] }
//! node: { "name", "change": "create"|"update"|"delete"|"unchanged", "forces_replacement",
//!         "type": "attribute", "before": value|null, "after": value|null }
//!     | { "name", "change", "forces_replacement", "type": "block", "key", "attributes": [node…],
//!         "unchanged_attributes", "unchanged_blocks" }
//! value: {"value": json} | {"expression": "text"} | {"unknown": true} | {"sensitive": true}
//! ```

use crate::diff::model::{ChangeSet, OutputChange, ResourceChange, Summary};
use serde::Serialize;

/// The schema version of the JSON view; bumped on any incompatible change.
pub const FORMAT_VERSION: &str = "1.0";

#[derive(Serialize)]
struct Doc<'a> {
    format_version: &'static str,
    source: crate::diff::model::Source,
    summary: Summary,
    has_changes: bool,
    destructive: bool,
    resource_changes: Changes<'a>,
    output_changes: &'a [OutputChange],
    warnings: &'a [String],
}

#[derive(Serialize)]
struct Res<'a> {
    address: &'a str,
    previous_address: &'a Option<String>,
    kind: &'a str,
    resource_type: &'a str,
    name: &'a str,
    action: &'static str,
    create_before_destroy: bool,
    reasons: &'a [crate::diff::model::Reason],
    attributes: &'a [crate::diff::model::AttributeChange],
    unchanged_attributes: usize,
    unchanged_blocks: usize,
    importing: &'a Option<String>,
    notes: &'a [String],
}

/// The changes, each serialised from its details ([`ResourceChange::details`]) computed when it is written.
struct Changes<'a>(&'a [ResourceChange]);

impl Serialize for Changes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for c in self.0 {
            seq.serialize_element(&res(&crate::diff::details(c)))?;
        }
        seq.end()
    }
}

fn res(c: &ResourceChange) -> Res<'_> {
    Res {
        address: &c.address,
        previous_address: &c.previous_address,
        kind: &c.kind,
        resource_type: &c.resource_type,
        name: &c.name,
        action: c.action.name(),
        create_before_destroy: matches!(
            c.action,
            crate::diff::model::Action::Replace {
                create_before_destroy: true
            }
        ),
        reasons: &c.reasons,
        attributes: &c.attributes,
        unchanged_attributes: c.unchanged_attributes,
        unchanged_blocks: c.unchanged_blocks,
        importing: &c.importing,
        notes: &c.notes,
    }
}

fn doc(set: &ChangeSet) -> Doc<'_> {
    Doc {
        format_version: FORMAT_VERSION,
        source: set.source,
        summary: set.summary(),
        has_changes: set.has_changes(),
        destructive: set.is_destructive(),
        resource_changes: Changes(&set.changes),
        output_changes: &set.outputs,
        warnings: &set.warnings,
    }
}

/// The change set as the value of the JSON view.
pub(crate) fn to_value(set: &ChangeSet) -> serde_json::Value {
    serde_json::to_value(doc(set)).expect("the change model serialises")
}

/// The change set as pretty-printed JSON, with a final newline.
pub fn render(set: &ChangeSet) -> String {
    let mut out = Vec::new();
    write(set, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// [`render`], written to `w` as it is produced, one resource change at a time.
pub fn write(set: &ChangeSet, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &doc(set)).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}
