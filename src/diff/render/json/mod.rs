//! The JSON view: a documented, stable schema for machines (see docs/diff.md, "JSON schema").
//!
//! ```text
//! { "format_version": "1.0", "source": "configuration"|"plan"|"drift",
//!   "summary": { "import", "add", "change", "destroy", "move", "forget", "read", "unchanged" },
//!   "has_changes": bool, "destructive": bool,
//!   "resource_changes": [ { "address", "previous_address", "kind", "resource_type", "name",
//!       "action", "create_before_destroy", "reasons": [ { "kind", … } ], "attributes": [ node… ],
//!       "unchanged_attributes", "unchanged_blocks", "importing", "notes" } ],
//!   "output_changes": [ { "name", "change", "before", "after" } ], "warnings": [ string ],
//!   "not_compared": { address: [ path ] } (drift only, every resource with any) }
//! node: { "name", "change": "create"|"update"|"delete"|"unchanged", "forces_replacement",
//!         "type": "attribute", "before": value|null, "after": value|null }
//!     | { "name", "change", "forces_replacement", "type": "block", "key", "attributes": [node…],
//!         "unchanged_attributes", "unchanged_blocks" }
//! value: {"value": json} | {"expression": "text"} | {"unknown": true} | {"sensitive": true}
//! ```
//!
//! A change's tree is read from its structured change (`crate::diff::structured`, the differ Terraform's text is
//! rendered from): `block.rs` walks blocks and block types, `value.rs` gives an attribute's value on each side, one
//! function per kind of node, `node.rs` is the document's node. A change with no structured change (an offline
//! import, a `removed` block's forget, a data source read again: nothing in it changes) has only its counts.

mod block;
mod node;
mod value;

use crate::diff::model::{ChangeSet, OutputChange, ResourceChange, Summary};
use node::Body;
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
    /// Drift only: what was not compared, on every resource.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    not_compared: &'a std::collections::BTreeMap<String, Vec<String>>,
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
    #[serde(flatten)]
    tree: Body,
    importing: &'a Option<String>,
    notes: &'a [String],
}

/// The changes, each serialised with its change tree, computed when it is written and dropped after: a large
/// plan's trees are never all held at once.
struct Changes<'a>(&'a [ResourceChange]);

impl Serialize for Changes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for c in self.0 {
            seq.serialize_element(&res(c, tree(c)))?;
        }
        seq.end()
    }
}

/// The change tree of `c`: from its structured change, which every change read from a plan, computed offline or
/// by `infra drift` has (save those where nothing changes: only counted).
fn tree(c: &ResourceChange) -> Body {
    match crate::diff::from_plan::structured_of(c) {
        Some(d) => block::resource(&d),
        None => Body {
            attributes: Vec::new(),
            unchanged_attributes: c.unchanged_attributes,
            unchanged_blocks: c.unchanged_blocks,
        },
    }
}

fn res(c: &ResourceChange, tree: Body) -> Res<'_> {
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
        tree,
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
        not_compared: &set.not_compared,
    }
}

/// A node's whole value before (`before`) or after its change, as the JSON view shows it (masked where any part is
/// sensitive, unknown where any part is known only after apply); `None` when it is absent on that side.
pub(crate) fn value_of(d: &crate::diff::structured::Diff, before: bool) -> Option<crate::diff::model::Value> {
    value::side(
        d,
        if before {
            value::Side::Before
        } else {
            value::Side::After
        },
    )
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

#[cfg(test)]
mod tests {
    use crate::plan::Plan;
    use serde_json::{json, Value as Json};

    const PLAN: &[u8] = br#"{"format_version": "1.2",
      "resource_changes": [
        {"address": "azurerm_container_registry.r", "mode": "managed", "type": "azurerm_container_registry",
         "name": "r",
         "change": {"actions": ["update"],
           "before": {"name": "acr", "sku": "Basic", "admin_password": "s3cret-pw-old",
                      "tags": {"k": "s3cret-tag", "o": "1"},
                      "georeplications": [{"location": "westeurope", "tags": {}}],
                      "identity": [{"type": "UserAssigned", "identity_ids": ["a"]}]},
           "after": {"name": "acr", "sku": "Premium", "admin_password": "s3cret-pw-new",
                     "tags": {"k": "s3cret-tag", "o": "2"},
                     "georeplications": [{"location": "westeurope", "tags": {"g": "s3cret-geo"}},
                                         {"location": "northeurope", "tags": {}}],
                     "identity": [{"type": "UserAssigned", "identity_ids": ["a", null]}]},
           "after_unknown": {"identity": [{"identity_ids": [false, true]}]},
           "before_sensitive": {"admin_password": true, "tags": {"k": true}},
           "after_sensitive": {"admin_password": true, "tags": {"k": true},
                               "georeplications": [{"tags": true}, {}]}}}]}"#;

    fn attribute<'a>(nodes: &'a Json, name: &str) -> &'a Json {
        let found = nodes.as_array().unwrap().iter().find(|n| n["name"] == name);
        found.unwrap_or_else(|| panic!("no {name} in {nodes:#}"))
    }

    /// The tree comes from the structured change: masked wherever any part of a value is sensitive, unknown
    /// where any part is known only after apply, blocks paired by position and labelled by their identity.
    #[test]
    fn a_plans_tree_masks_every_secret_and_reads_the_structured_change() {
        let set = crate::diff::from_plan(&Plan::parse("p", PLAN).unwrap());
        let text = super::render(&set);
        assert!(!text.contains("s3cret"), "{text}");
        let v: Json = serde_json::from_str(&text).unwrap();
        let attrs = &v["resource_changes"][0]["attributes"];
        let sensitive = json!({"sensitive": true});
        for name in ["admin_password", "tags"] {
            let a = attribute(attrs, name);
            assert_eq!((&a["before"], &a["after"]), (&sensitive, &sensitive), "{name}");
        }
        assert_eq!(attribute(attrs, "name")["change"], "unchanged");
        assert_eq!(attribute(attrs, "sku")["after"], json!({"value": "Premium"}));
        let geo: Vec<&Json> = attrs
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["name"] == "georeplications")
            .collect();
        assert_eq!(geo.len(), 2, "{attrs:#}");
        assert_eq!(
            (&geo[0]["change"], &geo[0]["key"]),
            (&json!("update"), &json!("location = \"westeurope\""))
        );
        assert_eq!(attribute(&geo[0]["attributes"], "tags")["after"], sensitive);
        assert_eq!(
            (&geo[1]["change"], &geo[1]["key"]),
            (&json!("create"), &json!("location = \"northeurope\""))
        );
        let identity = attribute(attrs, "identity");
        let ids = attribute(&identity["attributes"], "identity_ids");
        assert_eq!(
            (&ids["before"], &ids["after"]),
            (&json!({"value": ["a"]}), &json!({"unknown": true}))
        );
    }
}
