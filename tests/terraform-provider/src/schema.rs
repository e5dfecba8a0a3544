//! The azurerm 4.79.0 schema as infra vendors it (`src/azurerm/data/schema/*.json`, one resource type per file,
//! in the shape `terraform providers schema -json` prints), parsed into a small model that can be turned into
//! the plugin protocol's `Schema` message and walked alongside msgpack values.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::proto::tfplugin6 as pb;

/// Every resource type infra emits, with its schema JSON embedded at compile time.
pub const RESOURCE_SCHEMAS: &[(&str, &str)] = &[
    (
        "azurerm_container_app",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_app.json"),
    ),
    (
        "azurerm_container_app_environment",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_app_environment.json"),
    ),
    (
        "azurerm_container_app_environment_storage",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_app_environment_storage.json"),
    ),
    (
        "azurerm_container_app_job",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_app_job.json"),
    ),
    (
        "azurerm_container_registry",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_registry.json"),
    ),
    (
        "azurerm_container_registry_task",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_registry_task.json"),
    ),
    (
        "azurerm_container_registry_task_schedule_run_now",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_registry_task_schedule_run_now.json"),
    ),
    (
        "azurerm_container_registry_webhook",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_registry_webhook.json"),
    ),
    (
        "azurerm_key_vault",
        include_str!("../../../src/azurerm/data/schema/azurerm_key_vault.json"),
    ),
    (
        "azurerm_log_analytics_workspace",
        include_str!("../../../src/azurerm/data/schema/azurerm_log_analytics_workspace.json"),
    ),
    (
        "azurerm_resource_group",
        include_str!("../../../src/azurerm/data/schema/azurerm_resource_group.json"),
    ),
    (
        "azurerm_role_assignment",
        include_str!("../../../src/azurerm/data/schema/azurerm_role_assignment.json"),
    ),
    (
        "azurerm_storage_account",
        include_str!("../../../src/azurerm/data/schema/azurerm_storage_account.json"),
    ),
    (
        "azurerm_storage_share",
        include_str!("../../../src/azurerm/data/schema/azurerm_storage_share.json"),
    ),
    (
        "azurerm_user_assigned_identity",
        include_str!("../../../src/azurerm/data/schema/azurerm_user_assigned_identity.json"),
    ),
    (
        "azurerm_network_security_group",
        include_str!("../../../src/azurerm/data/schema/azurerm_network_security_group.json"),
    ),
    (
        "azurerm_private_dns_zone",
        include_str!("../../../src/azurerm/data/schema/azurerm_private_dns_zone.json"),
    ),
    (
        "azurerm_private_dns_zone_virtual_network_link",
        include_str!("../../../src/azurerm/data/schema/azurerm_private_dns_zone_virtual_network_link.json"),
    ),
    (
        "azurerm_private_endpoint",
        include_str!("../../../src/azurerm/data/schema/azurerm_private_endpoint.json"),
    ),
    (
        "azurerm_subnet",
        include_str!("../../../src/azurerm/data/schema/azurerm_subnet.json"),
    ),
    (
        "azurerm_subnet_network_security_group_association",
        include_str!("../../../src/azurerm/data/schema/azurerm_subnet_network_security_group_association.json"),
    ),
    (
        "azurerm_virtual_network",
        include_str!("../../../src/azurerm/data/schema/azurerm_virtual_network.json"),
    ),
    // Hand-written from the provider's Go source (src/azurerm/data/README.md).
    (
        "azurerm_private_dns_a_record",
        include_str!("../../../src/azurerm/data/schema/azurerm_private_dns_a_record.json"),
    ),
    // From the same reference folder (custom domains).
    (
        "azurerm_container_app_custom_domain",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_app_custom_domain.json"),
    ),
    (
        "azurerm_container_app_environment_certificate",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_app_environment_certificate.json"),
    ),
    // Hand-written from the provider's Go source (src/azurerm/data/README.md).
    (
        "azurerm_container_app_environment_managed_certificate",
        include_str!("../../../src/azurerm/data/schema/azurerm_container_app_environment_managed_certificate.json"),
    ),
    (
        "azurerm_dns_cname_record",
        include_str!("../../../src/azurerm/data/schema/azurerm_dns_cname_record.json"),
    ),
    (
        "azurerm_dns_txt_record",
        include_str!("../../../src/azurerm/data/schema/azurerm_dns_txt_record.json"),
    ),
];

/// The azurerm data sources infra emits for `[existing]` references, schemas embedded at compile time
/// (`src/azurerm/data/data-sources/`, the same 4.79.0 source as the resources).
pub const DATA_SOURCE_SCHEMAS: &[(&str, &str)] = &[
    (
        "azurerm_container_app_environment",
        include_str!("../../../src/azurerm/data/data-sources/azurerm_container_app_environment.json"),
    ),
    (
        "azurerm_container_registry",
        include_str!("../../../src/azurerm/data/data-sources/azurerm_container_registry.json"),
    ),
    (
        "azurerm_log_analytics_workspace",
        include_str!("../../../src/azurerm/data/data-sources/azurerm_log_analytics_workspace.json"),
    ),
    (
        "azurerm_subnet",
        include_str!("../../../src/azurerm/data/data-sources/azurerm_subnet.json"),
    ),
    (
        "azurerm_user_assigned_identity",
        include_str!("../../../src/azurerm/data/data-sources/azurerm_user_assigned_identity.json"),
    ),
    (
        "azurerm_virtual_network",
        include_str!("../../../src/azurerm/data/data-sources/azurerm_virtual_network.json"),
    ),
];

/// The data source schemas one provider serves, parsed (only azurerm has any).
pub fn data_sources_of(served: Served) -> BTreeMap<String, ResourceSchema> {
    let files: &[(&str, &str)] = match served {
        Served::Azurerm => DATA_SOURCE_SCHEMAS,
        Served::Time | Served::Corpus => &[],
    };
    files
        .iter()
        .map(|(name, src)| {
            let s = ResourceSchema::from_json_str(src).unwrap_or_else(|e| panic!("data source schema of {name}: {e}"));
            (name.to_string(), s)
        })
        .collect()
}

/// The hashicorp/time resource types infra emits (version [`TIME_VERSION`]); their schema is vendored next to
/// azurerm's and written from the provider's Go source (see `src/azurerm/data/README.md`).
pub const TIME_RESOURCE_SCHEMAS: &[(&str, &str)] = &[(
    "time_sleep",
    include_str!("../../../src/azurerm/data/schema/time_sleep.json"),
)];

/// The hashicorp/time version the vendored `time_sleep` schema describes.
pub const TIME_VERSION: &str = "0.13.1";

/// Which provider a plugin process serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    /// `hashicorp/azurerm`: [`RESOURCE_SCHEMAS`] and the provider block with `features {}`.
    Azurerm,
    /// `hashicorp/time`: [`TIME_RESOURCE_SCHEMAS`]; the provider takes no configuration.
    Time,
    /// `hashicorp/corpus`, the hand-made provider of the plan corpus: [`CORPUS_SCHEMAS`]; no configuration.
    Corpus,
}

impl Served {
    /// Every provider, with the binary file name dev_overrides looks for (`terraform-provider-<type>`).
    pub const ALL: [(Served, &'static str); 3] = [
        (Served::Azurerm, "terraform-provider-azurerm"),
        (Served::Time, "terraform-provider-time"),
        (Served::Corpus, "terraform-provider-corpus"),
    ];

    /// The binary file name of this provider.
    pub fn binary_name(self) -> &'static str {
        Served::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map(|(_, name)| *name)
            .expect("every provider is in Served::ALL")
    }

    /// The provider a process serves, by the file name it was started as (its `argv[0]`): one binary, linked
    /// under each provider's name. Terraform also accepts `terraform-provider-<type>_v<version>`, hence the
    /// prefix match; any other name serves azurerm.
    pub fn for_program(argv0: Option<&std::ffi::OsStr>) -> Served {
        let name = argv0
            .and_then(|p| std::path::Path::new(p).file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        Served::ALL
            .iter()
            .find(|(_, bin)| name == *bin || name.strip_prefix(bin).is_some_and(|rest| rest.starts_with("_v")))
            .map(|(s, _)| *s)
            .unwrap_or(Served::Azurerm)
    }
}

/// A cty type, as the schema JSON spells it (`"string"`, `["list","string"]`, `["object",{..}]`, …).
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    Number,
    Bool,
    Dynamic,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Object(BTreeMap<String, Ty>),
    Tuple(Vec<Ty>),
}

impl Ty {
    pub fn from_json(j: &Json) -> Result<Ty, String> {
        match j {
            Json::String(s) => match s.as_str() {
                "string" => Ok(Ty::String),
                "number" => Ok(Ty::Number),
                "bool" => Ok(Ty::Bool),
                "dynamic" => Ok(Ty::Dynamic),
                other => Err(format!("unknown primitive type {other:?}")),
            },
            Json::Array(a) if a.len() >= 2 => {
                let kind = a[0].as_str().ok_or("type kind is not a string")?;
                match kind {
                    "list" => Ok(Ty::List(Box::new(Ty::from_json(&a[1])?))),
                    "set" => Ok(Ty::Set(Box::new(Ty::from_json(&a[1])?))),
                    "map" => Ok(Ty::Map(Box::new(Ty::from_json(&a[1])?))),
                    "object" => {
                        let attrs = a[1].as_object().ok_or("object type without attributes")?;
                        let mut out = BTreeMap::new();
                        for (k, v) in attrs {
                            out.insert(k.clone(), Ty::from_json(v)?);
                        }
                        Ok(Ty::Object(out))
                    }
                    "tuple" => {
                        let elems = a[1].as_array().ok_or("tuple type without elements")?;
                        Ok(Ty::Tuple(elems.iter().map(Ty::from_json).collect::<Result<_, _>>()?))
                    }
                    other => Err(format!("unknown type kind {other:?}")),
                }
            }
            other => Err(format!("unrecognised type {other}")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Attribute {
    /// The type JSON exactly as given in the schema file (sent to Terraform as bytes); null for an attribute
    /// with a nested type.
    pub type_json: Json,
    /// The value's type (for a nested type, the type it implies).
    pub ty: Ty,
    /// A nested type (protocol 6 `nested_type`): how its attributes nest, and the attributes.
    pub nested: Option<(Nesting, BTreeMap<String, Attribute>)>,
    pub description: String,
    pub markdown: bool,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Debug, Clone)]
pub struct NestedBlock {
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: i64,
    pub max_items: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Block {
    pub attributes: BTreeMap<String, Attribute>,
    pub block_types: BTreeMap<String, NestedBlock>,
    pub description: String,
    pub markdown: bool,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct ResourceSchema {
    pub version: i64,
    pub block: Block,
}

fn str_field(j: &Json, key: &str) -> String {
    j.get(key).and_then(Json::as_str).unwrap_or_default().to_string()
}

fn bool_field(j: &Json, key: &str) -> bool {
    j.get(key).and_then(Json::as_bool).unwrap_or(false)
}

fn nesting(mode: Option<&str>) -> Result<Nesting, String> {
    Ok(match mode {
        Some("single") => Nesting::Single,
        Some("list") => Nesting::List,
        Some("set") => Nesting::Set,
        Some("map") => Nesting::Map,
        Some("group") => Nesting::Group,
        other => return Err(format!("unknown nesting mode {other:?}")),
    })
}

fn attributes_from_json(attrs: &serde_json::Map<String, Json>) -> Result<BTreeMap<String, Attribute>, String> {
    let mut out = BTreeMap::new();
    for (name, a) in attrs {
        let (type_json, ty, nested) = if let Some(n) = a.get("nested_type") {
            let mode = nesting(n.get("nesting_mode").and_then(Json::as_str)).map_err(|e| format!("{name}: {e}"))?;
            let inner = n
                .get("attributes")
                .and_then(Json::as_object)
                .ok_or_else(|| format!("attribute {name}: nested type without attributes"))?;
            let inner = attributes_from_json(inner).map_err(|e| format!("{name}.{e}"))?;
            let obj = Ty::Object(inner.iter().map(|(k, a)| (k.clone(), a.ty.clone())).collect());
            let ty = match mode {
                Nesting::Single | Nesting::Group => obj,
                Nesting::List => Ty::List(Box::new(obj)),
                Nesting::Set => Ty::Set(Box::new(obj)),
                Nesting::Map => Ty::Map(Box::new(obj)),
            };
            (Json::Null, ty, Some((mode, inner)))
        } else {
            let type_json = a
                .get("type")
                .cloned()
                .ok_or_else(|| format!("attribute {name} has no type"))?;
            let ty = Ty::from_json(&type_json).map_err(|e| format!("attribute {name}: {e}"))?;
            (type_json, ty, None)
        };
        out.insert(
            name.clone(),
            Attribute {
                type_json,
                ty,
                nested,
                description: str_field(a, "description"),
                markdown: str_field(a, "description_kind") == "markdown",
                required: bool_field(a, "required"),
                optional: bool_field(a, "optional"),
                computed: bool_field(a, "computed"),
                sensitive: bool_field(a, "sensitive"),
                deprecated: bool_field(a, "deprecated"),
            },
        );
    }
    Ok(out)
}

fn attribute_to_proto(name: &str, a: &Attribute) -> pb::schema::Attribute {
    use pb::schema::object::NestingMode;
    pb::schema::Attribute {
        name: name.to_string(),
        r#type: if a.nested.is_some() {
            vec![]
        } else {
            serde_json::to_vec(&a.type_json).expect("a JSON value serialises")
        },
        nested_type: a.nested.as_ref().map(|(mode, attrs)| pb::schema::Object {
            attributes: attrs.iter().map(|(n, a)| attribute_to_proto(n, a)).collect(),
            nesting: match mode {
                Nesting::Single | Nesting::Group => NestingMode::Single,
                Nesting::List => NestingMode::List,
                Nesting::Set => NestingMode::Set,
                Nesting::Map => NestingMode::Map,
            } as i32,
            min_items: 0,
            max_items: 0,
        }),
        description: a.description.clone(),
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        description_kind: kind(a.markdown),
        deprecated: a.deprecated,
        write_only: false,
    }
}

impl Block {
    pub fn from_json(j: &Json) -> Result<Block, String> {
        let mut block = Block {
            description: str_field(j, "description"),
            markdown: str_field(j, "description_kind") == "markdown",
            deprecated: bool_field(j, "deprecated"),
            ..Block::default()
        };
        if let Some(attrs) = j.get("attributes").and_then(Json::as_object) {
            block.attributes = attributes_from_json(attrs)?;
        }
        if let Some(blocks) = j.get("block_types").and_then(Json::as_object) {
            for (name, b) in blocks {
                let nesting = match b.get("nesting_mode").and_then(Json::as_str) {
                    Some("single") => Nesting::Single,
                    Some("list") => Nesting::List,
                    Some("set") => Nesting::Set,
                    Some("map") => Nesting::Map,
                    Some("group") => Nesting::Group,
                    other => return Err(format!("block {name}: unknown nesting mode {other:?}")),
                };
                let inner = b.get("block").ok_or_else(|| format!("block {name} has no block"))?;
                block.block_types.insert(
                    name.clone(),
                    NestedBlock {
                        nesting,
                        block: Block::from_json(inner).map_err(|e| format!("{name}.{e}"))?,
                        min_items: b.get("min_items").and_then(Json::as_i64).unwrap_or(0),
                        max_items: b.get("max_items").and_then(Json::as_i64).unwrap_or(0),
                    },
                );
            }
        }
        Ok(block)
    }

    /// The cty object type that values of this block have.
    pub fn implied_type(&self) -> Ty {
        let mut attrs: BTreeMap<String, Ty> = self.attributes.iter().map(|(k, a)| (k.clone(), a.ty.clone())).collect();
        for (k, nb) in &self.block_types {
            let obj = nb.block.implied_type();
            let t = match nb.nesting {
                Nesting::Single | Nesting::Group => obj,
                Nesting::List => Ty::List(Box::new(obj)),
                Nesting::Set => Ty::Set(Box::new(obj)),
                Nesting::Map => Ty::Map(Box::new(obj)),
            };
            attrs.insert(k.clone(), t);
        }
        Ty::Object(attrs)
    }

    pub fn to_proto(&self, version: i64) -> pb::schema::Block {
        use pb::schema::nested_block::NestingMode;
        pb::schema::Block {
            version,
            attributes: self
                .attributes
                .iter()
                .map(|(name, a)| attribute_to_proto(name, a))
                .collect(),
            block_types: self
                .block_types
                .iter()
                .map(|(name, nb)| pb::schema::NestedBlock {
                    type_name: name.clone(),
                    block: Some(nb.block.to_proto(0)),
                    nesting: match nb.nesting {
                        Nesting::Single => NestingMode::Single,
                        Nesting::List => NestingMode::List,
                        Nesting::Set => NestingMode::Set,
                        Nesting::Map => NestingMode::Map,
                        Nesting::Group => NestingMode::Group,
                    } as i32,
                    min_items: nb.min_items,
                    max_items: nb.max_items,
                })
                .collect(),
            description: self.description.clone(),
            description_kind: kind(self.markdown),
            deprecated: self.deprecated,
        }
    }
}

fn kind(markdown: bool) -> i32 {
    if markdown {
        pb::StringKind::Markdown as i32
    } else {
        pb::StringKind::Plain as i32
    }
}

impl ResourceSchema {
    pub fn from_json_str(s: &str) -> Result<ResourceSchema, String> {
        let j: Json = serde_json::from_str(s).map_err(|e| e.to_string())?;
        let block = Block::from_json(j.get("block").ok_or("no block")?)?;
        Ok(ResourceSchema {
            version: j.get("version").and_then(Json::as_i64).unwrap_or(0),
            block,
        })
    }

    pub fn to_proto(&self) -> pb::Schema {
        pb::Schema {
            version: self.version,
            block: Some(self.block.to_proto(self.version)),
        }
    }
}

/// The second, hand-made provider the same binary serves when started as `terraform-provider-corpus`
/// (`hashicorp/corpus`): one resource type, `corpus_thing`, with what azurerm's SDKv2 schemas lack — nested
/// attribute types of every nesting mode, single and map blocks, object and set types — so that infra's plan
/// renderer is tested on more than azurerm.
pub const CORPUS_SCHEMAS: &[(&str, &str)] = &[("corpus_thing", include_str!("corpus_thing.json"))];

/// All azurerm resource schemas, parsed. Panics if an embedded file is malformed (caught by the crate's unit
/// tests).
pub fn resources() -> BTreeMap<String, ResourceSchema> {
    resources_of(Served::Azurerm)
}

/// The resource schemas one provider serves, parsed.
pub fn resources_of(served: Served) -> BTreeMap<String, ResourceSchema> {
    let files = match served {
        Served::Azurerm => RESOURCE_SCHEMAS,
        Served::Time => TIME_RESOURCE_SCHEMAS,
        Served::Corpus => CORPUS_SCHEMAS,
    };
    files
        .iter()
        .map(|(name, src)| {
            let s = ResourceSchema::from_json_str(src).unwrap_or_else(|e| panic!("schema of {name}: {e}"));
            (name.to_string(), s)
        })
        .collect()
}

fn attr(ty: Ty, optional: bool, sensitive: bool, deprecated: bool, description: &str) -> Attribute {
    let type_json = match &ty {
        Ty::String => Json::from("string"),
        Ty::Bool => Json::from("bool"),
        Ty::List(_) => serde_json::json!(["list", "string"]),
        Ty::Set(_) => serde_json::json!(["set", "string"]),
        _ => unreachable!("only the types used below"),
    };
    Attribute {
        type_json,
        ty,
        nested: None,
        description: description.to_string(),
        markdown: false,
        required: false,
        optional,
        computed: false,
        sensitive,
        deprecated,
    }
}

fn bool_block(names: &[&str]) -> NestedBlock {
    let mut block = Block::default();
    for n in names {
        block
            .attributes
            .insert(n.to_string(), attr(Ty::Bool, true, false, false, ""));
    }
    NestedBlock {
        nesting: Nesting::List,
        block,
        min_items: 0,
        max_items: 1,
    }
}

/// The provider block of `served`.
pub fn provider_of(served: Served) -> ResourceSchema {
    match served {
        Served::Azurerm => provider(),
        // hashicorp/time's provider has an empty schema (`internal/provider/provider.go`); so has the
        // hand-made corpus provider.
        Served::Time | Served::Corpus => ResourceSchema {
            version: 0,
            block: Block::default(),
        },
    }
}

/// The provider block: `features {}` (a list block, min 1, max 1, as in the real provider) and the usual
/// optional arguments. A subset of the real provider's `features` sub-blocks is declared.
pub fn provider() -> ResourceSchema {
    let s = |d: &str| attr(Ty::String, true, false, false, d);
    let secret = |d: &str| attr(Ty::String, true, true, false, d);
    let b = |d: &str| attr(Ty::Bool, true, false, false, d);
    let strings = |d: &str| attr(Ty::List(Box::new(Ty::String)), true, false, false, d);
    let mut block = Block::default();
    let a = &mut block.attributes;
    a.insert("subscription_id".into(), s("The Subscription ID which should be used."));
    a.insert("tenant_id".into(), s("The Tenant ID which should be used."));
    a.insert("client_id".into(), s("The Client ID which should be used."));
    a.insert(
        "client_id_file_path".into(),
        s("The path to a file containing the Client ID."),
    );
    a.insert(
        "client_secret".into(),
        secret("The Client Secret which should be used."),
    );
    a.insert(
        "client_secret_file_path".into(),
        s("The path to a file containing the Client Secret."),
    );
    a.insert("client_certificate".into(), secret("A base64-encoded PKCS#12 bundle."));
    a.insert(
        "client_certificate_path".into(),
        s("The path to the Client Certificate."),
    );
    a.insert(
        "client_certificate_password".into(),
        secret("The password of the Client Certificate."),
    );
    a.insert("auxiliary_tenant_ids".into(), strings("Auxiliary tenant IDs."));
    a.insert("environment".into(), s("The Cloud Environment which should be used."));
    a.insert("metadata_host".into(), s("The Hostname of the Azure Metadata Service."));
    a.insert(
        "msi_endpoint".into(),
        s("The path to a custom endpoint for Managed Identity."),
    );
    a.insert(
        "msi_api_version".into(),
        s("The API version to use for Managed Identity."),
    );
    a.insert(
        "oidc_request_token".into(),
        secret("The bearer token for the OIDC request."),
    );
    a.insert("oidc_request_url".into(), s("The URL of the OIDC token endpoint."));
    a.insert("oidc_token".into(), secret("The OIDC ID token."));
    a.insert(
        "oidc_token_file_path".into(),
        s("The path to a file containing an OIDC ID token."),
    );
    a.insert(
        "ado_pipeline_service_connection_id".into(),
        s("The Azure DevOps service connection ID."),
    );
    a.insert("use_cli".into(), b("Allow Azure CLI to be used for authentication."));
    a.insert(
        "use_msi".into(),
        b("Allow Managed Identity to be used for authentication."),
    );
    a.insert(
        "use_oidc".into(),
        b("Allow OpenID Connect to be used for authentication."),
    );
    a.insert(
        "use_aks_workload_identity".into(),
        b("Allow AKS workload identity to be used."),
    );
    a.insert("partner_id".into(), s("A GUID/UUID used for partner attribution."));
    a.insert("disable_correlation_request_id".into(), b(""));
    a.insert("disable_terraform_partner_id".into(), b(""));
    a.insert(
        "storage_use_azuread".into(),
        b("Use Azure AD for the Storage data plane."),
    );
    a.insert(
        "resource_provider_registrations".into(),
        s("The set of Resource Providers to register."),
    );
    a.insert(
        "resource_providers_to_register".into(),
        strings("Additional Resource Providers to register."),
    );
    a.insert(
        "skip_provider_registration".into(),
        attr(
            Ty::Bool,
            true,
            false,
            true,
            "Deprecated: use resource_provider_registrations.",
        ),
    );

    let mut features = Block::default();
    let f = &mut features.block_types;
    f.insert(
        "key_vault".into(),
        bool_block(&[
            "purge_soft_delete_on_destroy",
            "purge_soft_deleted_certificates_on_destroy",
            "purge_soft_deleted_keys_on_destroy",
            "purge_soft_deleted_secrets_on_destroy",
            "purge_soft_deleted_hardware_security_modules_on_destroy",
            "recover_soft_deleted_key_vaults",
            "recover_soft_deleted_certificates",
            "recover_soft_deleted_keys",
            "recover_soft_deleted_secrets",
        ]),
    );
    f.insert(
        "log_analytics_workspace".into(),
        bool_block(&["permanently_delete_on_destroy"]),
    );
    f.insert(
        "resource_group".into(),
        bool_block(&["prevent_deletion_if_contains_resources"]),
    );
    // infra renders `storage { data_plane_available = false }` (issue 22): azurerm v4.79.0
    // `internal/provider/features.go` declares `storage` a list block of at most one with the optional bool
    // `data_plane_available` (default true).
    f.insert("storage".into(), bool_block(&["data_plane_available"]));
    f.insert(
        "template_deployment".into(),
        bool_block(&["delete_nested_items_during_deletion"]),
    );
    f.insert("application_insights".into(), bool_block(&["disable_generated_rule"]));
    f.insert(
        "cognitive_account".into(),
        bool_block(&["purge_soft_delete_on_destroy"]),
    );
    f.insert(
        "app_configuration".into(),
        bool_block(&["purge_soft_delete_on_destroy", "recover_soft_deleted"]),
    );
    f.insert("managed_disk".into(), bool_block(&["expand_without_downtime"]));
    f.insert(
        "virtual_machine".into(),
        bool_block(&[
            "delete_os_disk_on_deletion",
            "graceful_shutdown",
            "skip_shutdown_and_force_delete",
            "detach_implicit_data_disk_on_deletion",
        ]),
    );
    f.insert("subscription".into(), bool_block(&["prevent_cancellation_on_destroy"]));
    block.block_types.insert(
        "features".into(),
        NestedBlock {
            nesting: Nesting::List,
            block: features,
            min_items: 1,
            max_items: 1,
        },
    );
    ResourceSchema { version: 0, block }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_parses_and_round_trips_its_types() {
        let all = resources();
        // Every azurerm schema infra vendors is served (one file per resource type; time_sleep is the time
        // provider's).
        let vendored = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/azurerm/data/schema"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("azurerm_") && n.ends_with(".json"))
            .count();
        assert_eq!(all.len(), vendored);
        assert_eq!(all.len(), 28);
        for (name, s) in &all {
            let raw: Json = serde_json::from_str(RESOURCE_SCHEMAS.iter().find(|(n, _)| n == name).unwrap().1).unwrap();
            let p = s.to_proto();
            let block = p.block.unwrap();
            let raw_attrs = raw["block"]["attributes"].as_object().unwrap();
            assert_eq!(block.attributes.len(), raw_attrs.len(), "{name}");
            for a in &block.attributes {
                let t: Json = serde_json::from_slice(&a.r#type).unwrap();
                assert_eq!(t, raw_attrs[&a.name]["type"], "{name}.{}", a.name);
                assert_eq!(a.required, raw_attrs[&a.name]["required"] == true);
            }
        }
    }

    #[test]
    fn the_binary_name_chooses_the_provider() {
        use std::ffi::OsStr;
        let by = |argv0: &str| Served::for_program(Some(OsStr::new(argv0)));
        assert_eq!(by("/x/target/debug/terraform-provider-azurerm"), Served::Azurerm);
        assert_eq!(by("/x/infra-test-providers/terraform-provider-time"), Served::Time);
        assert_eq!(by("terraform-provider-corpus"), Served::Corpus);
        assert_eq!(by("terraform-provider-corpus_v0.1.0"), Served::Corpus);
        assert_eq!(by("terraform-provider-timex"), Served::Azurerm);
        assert_eq!(Served::for_program(None), Served::Azurerm);
        for (served, name) in Served::ALL {
            assert_eq!(by(name), served);
            assert_eq!(served.binary_name(), name);
        }
        assert_eq!(
            resources_of(Served::Corpus).keys().collect::<Vec<_>>(),
            ["corpus_thing"]
        );
        assert!(provider_of(Served::Corpus).block.attributes.is_empty());
    }

    #[test]
    fn time_sleep_schema_parses_with_its_computed_id() {
        let time = resources_of(Served::Time);
        assert_eq!(time.keys().collect::<Vec<_>>(), ["time_sleep"]);
        let b = &time["time_sleep"].block;
        assert!(b.attributes["id"].computed && !b.attributes["id"].optional);
        assert_eq!(b.attributes["triggers"].ty, Ty::Map(Box::new(Ty::String)));
        assert!(
            !resources().contains_key("time_sleep"),
            "azurerm does not serve time_sleep"
        );
        assert!(provider_of(Served::Time).block.attributes.is_empty());
    }

    #[test]
    fn container_app_ingress_is_a_list_block_of_at_most_one() {
        let all = resources();
        let ingress = &all["azurerm_container_app"].block.block_types["ingress"];
        assert_eq!(ingress.nesting, Nesting::List);
        assert_eq!(ingress.max_items, 1);
    }
}
