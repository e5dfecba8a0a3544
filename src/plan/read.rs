//! Reading a plan document in one pass: its top-level keys tell a plan from a state file, and a document that does
//! not read as a plan is read again only for those keys, so the error says what it is and where the JSON breaks.

use super::raw::{from_json_bytes, json_depth};
use super::*;
use crate::terraform::json::tree::MAX_DEPTH;

/// A plan's `resource_changes` (or `resource_drift`), each change read into an [`Arc`]: the change model shares
/// them rather than copying their facts.
pub(super) fn shared_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Arc<ResourceChange>>, D::Error> {
    SharedList::deserialize(d).map(|l| l.0)
}

/// [`shared_list`] of a key that may be absent or `null`.
fn shared_list_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<Arc<ResourceChange>>>, D::Error> {
    Option::<SharedList>::deserialize(d).map(|l| l.map(|l| l.0))
}

/// See [`shared_list`].
struct SharedList(Vec<Arc<ResourceChange>>);

impl<'de> Deserialize<'de> for SharedList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SharedList, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SharedList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<SharedList, A::Error> {
                let mut list = Vec::new();
                while let Some(c) = seq.next_element::<ResourceChange>()? {
                    list.push(Arc::new(c));
                }
                Ok(SharedList(list))
            }
        }
        d.deserialize_seq(V)
    }
}

/// serde_json's message without its " at line L column C" (infra puts the position first, as file:line:col).
pub(super) fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A plan document: the [`Plan`] and the top-level keys of [`Probe`], read in one pass.
#[derive(Deserialize)]
pub(super) struct Document {
    format_version: Option<Value>,
    version: Option<serde::de::IgnoredAny>,
    resources: Option<serde::de::IgnoredAny>,
    lineage: Option<serde::de::IgnoredAny>,
    values: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    terraform_version: Option<String>,
    #[serde(default)]
    variables: BTreeMap<String, VariableValue>,
    #[serde(default)]
    planned_values: Option<RawJson>,
    #[serde(default, deserialize_with = "shared_list")]
    resource_drift: Vec<Arc<ResourceChange>>,
    #[serde(default, deserialize_with = "shared_list_option")]
    resource_changes: Option<Vec<Arc<ResourceChange>>>,
    #[serde(default)]
    output_changes: BTreeMap<String, Change>,
    #[serde(default)]
    prior_state: Option<RawJson>,
    #[serde(default)]
    configuration: Option<RawJson>,
    #[serde(default)]
    errored: bool,
}

impl Document {
    /// The plan (its format version checked to be a string by then).
    pub(super) fn plan(self) -> Plan {
        Plan {
            format_version: match self.format_version {
                Some(Value::String(v)) => v,
                _ => String::new(),
            },
            terraform_version: self.terraform_version,
            variables: self.variables,
            planned_values: self.planned_values,
            resource_drift: self.resource_drift,
            resource_changes: self.resource_changes.unwrap_or_default(),
            output_changes: self.output_changes,
            prior_state: self.prior_state,
            configuration: self.configuration,
            errored: self.errored,
            warnings: Vec::new(),
        }
    }
}

/// The top-level keys that tell a plan from a state file, read without keeping their (possibly huge) values.
#[derive(Deserialize)]
pub(super) struct Probe {
    format_version: Option<Value>,
    version: Option<serde::de::IgnoredAny>,
    resources: Option<serde::de::IgnoredAny>,
    lineage: Option<serde::de::IgnoredAny>,
    values: Option<serde::de::IgnoredAny>,
    resource_changes: Option<serde::de::IgnoredAny>,
    planned_values: Option<serde::de::IgnoredAny>,
}

/// The top level of `text` before anything is read: a JSON value that is not an object is not a plan, and JSON
/// nested deeper than [`MAX_DEPTH`] is not read.
pub(super) fn check_shape(name: &str, text: &[u8]) -> Result<(), PlanError> {
    if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{')
        && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok()
    {
        return Err(PlanError::new(
            PlanErrorKind::NotAPlan,
            format!("{name}: not a Terraform plan: expected a JSON object from `terraform show -json PLANFILE`"),
        ));
    }
    let depth = json_depth(text);
    if depth > MAX_DEPTH {
        return Err(PlanError::new(
            PlanErrorKind::InvalidJson,
            format!(
                "{name}: the JSON nests {depth} levels deep, more than the {MAX_DEPTH} infra reads\nhelp: is it \
                 the output of `terraform show -json PLANFILE`? infra reads values nested up to {MAX_DEPTH} levels"
            ),
        ));
    }
    Ok(())
}

impl Probe {
    /// The keys of a document read in full.
    pub(super) fn of(d: &Document) -> Probe {
        Probe {
            format_version: d.format_version.clone(),
            version: d.version,
            resources: d.resources,
            lineage: d.lineage,
            values: d.values,
            resource_changes: d.resource_changes.as_ref().map(|_| serde::de::IgnoredAny),
            planned_values: d.planned_values.as_ref().map(|_| serde::de::IgnoredAny),
        }
    }

    /// The keys of a document that did not read as a plan; the error says where the JSON is broken.
    pub(super) fn read(name: &str, text: &[u8]) -> Result<Probe, PlanError> {
        from_json_bytes::<Probe>(text).map_err(|e| {
            let what = if e.is_eof() {
                "the JSON ends early (truncated?)"
            } else {
                "not valid JSON"
            };
            PlanError::new(
                PlanErrorKind::InvalidJson,
                format!(
                    "{name}:{}:{}: {what}: {}; expected the output of `terraform show -json PLANFILE`",
                    e.line(),
                    e.column(),
                    without_position(&e)
                ),
            )
            .caused_by(e)
        })
    }

    /// Whether these keys make a plan of a format infra reads: not a state file (raw or shown), a string
    /// `format_version` of a supported major version, and resource changes or planned values.
    pub(super) fn check(&self, name: &str) -> Result<(), PlanError> {
        use PlanErrorKind::*;
        let err = PlanError::new;
        let state = (self.version.is_some()
            && self.resources.is_some()
            && (self.lineage.is_some() || self.format_version.is_none()))
            || (self.values.is_some() && self.resource_changes.is_none() && self.planned_values.is_none());
        if state {
            return Err(err(
                StateFile,
                format!(
                    "{name}: this is a state file, not a plan: run `terraform show -json PLANFILE` on a saved plan \
                 (`terraform plan -out PLANFILE`)"
                ),
            ));
        }
        let Some(Value::String(version)) = &self.format_version else {
            return Err(err(
                NotAPlan,
                format!(
                    "{name}: not a Terraform plan: no \"format_version\"; expected the output of \
                     `terraform show -json PLANFILE`"
                ),
            ));
        };
        let supported = match version.split('.').next().unwrap_or("") {
            "1" => true,
            "0" => matches!(version.as_str(), "0.1" | "0.2"),
            _ => false,
        };
        if !supported {
            return Err(err(
                UnsupportedVersion,
                format!(
                    "{name}: unsupported plan format_version {version:?}: infra reads format {SUPPORTED_FORMAT_VERSIONS}"
                ),
            ));
        }
        if self.resource_changes.is_none() && self.planned_values.is_none() {
            return Err(err(
                NotAPlan,
                format!("{name}: not a Terraform plan: it has neither \"resource_changes\" nor \"planned_values\""),
            ));
        }
        Ok(())
    }
}
