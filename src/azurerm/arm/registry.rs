//! The one list of resource types infra maps between azurerm and Azure Resource Manager: for each, the azurerm
//! type, the ARM resource type, how its ARM path is formed, the api-version it is read at and its reader (the
//! ARM body → document form). Drift's list of checked types ([`crate::drift::compare::CHECKED_TYPES`], in this
//! order), the paths and api-versions drift requests (`drift/read.rs`, `network.rs`, `storage.rs`,
//! `azure/registry.rs`) and `infra check`'s azapi mapping ([`crate::check::azapi`]) are derived from it.
//!
//! Adding a resource type: its file in `src/azurerm/arm/` with an `ENTRY`, and that entry in [`RESOURCES`] (at
//! the place drift reports it); the tests then require a vendored schema for it and an azapi decision.

use super::{
    container_app, container_app_environment, container_app_environment_storage, container_app_job, container_registry,
    container_registry_task, container_registry_webhook, log_analytics_workspace, network_security_group,
    private_dns_zone, private_dns_zone_virtual_network_link, private_endpoint, resource_group, role_assignment,
    storage_account, storage_share, subnet, subnet_network_security_group_association, user_assigned_identity,
    virtual_network, LiveObject,
};
use serde_json::Value;

/// How the ARM path of a resource is formed from the `scope` it is read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArmPath {
    /// `{subscription}/resourceGroups/{name}`: the resource group itself.
    ResourceGroup,
    /// `{resource group}/providers/{ARM type}/{name}`: a resource in a resource group.
    InResourceGroup,
    /// `{parent}/{segment}/{name}`, listed at `{parent}/{segment}`: a child resource (`webhooks`,
    /// `fileServices/default/shares`).
    Child(&'static str),
    /// `{scope}/providers/{ARM type}/{name}`, listed at `{scope}/providers/{ARM type}`: an extension resource,
    /// read at any scope (role assignments).
    Extension,
    /// Inside its parent's body, at this JSON pointer (a virtual network's `/properties/subnets`); not requested
    /// on its own.
    InParent(&'static str),
}

/// Whether `infra check` reads an `azapi_resource` of the ARM type as the azurerm resource it creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Azapi {
    /// Mapped: the azapi resource's `body` goes through the reader.
    Mapped,
    /// Not mapped, and why.
    NotMapped(&'static str),
}

/// Where a body comes from: a GET of the live resource, or a request body (an `azapi_resource`'s `body`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// What Resource Manager answered.
    Live,
    /// What a configuration sends; a reader adds what drift does not compare yet (a container's probes).
    Request,
}

/// What a body was read by: the name and path requested, its parent, and what was read with it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    /// The name the resource was requested by (a body may leave `name` out).
    pub(crate) name: &'a str,
    /// The ARM path it was read at (`""` for a request body).
    pub(crate) path: &'a str,
    /// The parent: its resource ID (registry, storage account, environment, a role assignment's scope) or its
    /// name (virtual network, private DNS zone), as the type's reader documents.
    pub(crate) parent: &'a str,
    /// Child lists read with it (a registry's replications, a private endpoint's DNS zone groups).
    pub(crate) children: &'a [Value],
    /// The live workspace an environment names by customer ID.
    pub(crate) workspace: Option<&'a LiveObject>,
    /// Where the body comes from.
    pub(crate) source: Source,
}

impl<'a> Request<'a> {
    /// A live body read at `path` by `name`, under `parent`.
    pub(crate) fn live(name: &'a str, path: &'a str, parent: &'a str) -> Request<'a> {
        Request {
            name,
            path,
            parent,
            children: &[],
            workspace: None,
            source: Source::Live,
        }
    }
}

/// A reader: an ARM body → the azurerm document form; `None` when the body describes no such resource (a
/// subnet without a network security group has no association).
pub(crate) type Reader = fn(&Value, &Request) -> Option<LiveObject>;

/// One resource type as infra maps it between azurerm and Azure Resource Manager.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArmResource {
    /// The azurerm resource type (`azurerm_container_registry`).
    pub(crate) azurerm_type: &'static str,
    /// The ARM resource type (`Microsoft.ContainerRegistry/registries`).
    pub(crate) arm_type: &'static str,
    /// How its ARM path is formed.
    pub(crate) path: ArmPath,
    /// The api-version drift reads it at.
    pub(crate) api_version: &'static str,
    /// What drift's messages call one (`container registry`).
    pub(crate) noun: &'static str,
    /// The ARM body → document form.
    pub(crate) read: Reader,
    /// Whether `infra check` maps an `azapi_resource` of this ARM type.
    pub(crate) azapi: Azapi,
}

impl ArmResource {
    /// Reads an ARM body of this type: absent properties take the defaults ARM documents for them
    /// ([`crate::azurerm::facts::arm_defaults::fill`], one table for every type), then the type's reader.
    pub(crate) fn read_body(&self, body: &Value, request: &Request) -> Option<LiveObject> {
        let mut body = body.clone();
        crate::azurerm::facts::arm_defaults::fill(self.arm_type, &mut body);
        (self.read)(&body, request)
    }

    /// The ARM path of the resource named `name` under `scope` (the subscription's path for a resource group,
    /// the resource group's for a resource in it, the parent's for a child, any scope for an extension).
    pub(crate) fn path(&self, scope: &str, name: &str) -> String {
        format!("{}/{name}", self.list_path(scope))
    }

    /// The ARM path resources of this type are listed at under `scope`.
    pub(crate) fn list_path(&self, scope: &str) -> String {
        let scope = scope.trim_end_matches('/');
        let last = self.arm_type.rsplit('/').next().unwrap_or_default();
        match self.path {
            ArmPath::ResourceGroup => format!("{scope}/resourceGroups"),
            ArmPath::InResourceGroup | ArmPath::Extension => format!("{scope}/providers/{}", self.arm_type),
            ArmPath::Child(segment) => format!("{scope}/{segment}"),
            ArmPath::InParent(_) => format!("{scope}/{last}"),
        }
    }
}

/// Every resource type infra maps, in the order `infra drift` reports them.
pub(crate) const RESOURCES: [ArmResource; 20] = [
    resource_group::ENTRY,
    container_registry::ENTRY,
    container_registry_webhook::ENTRY,
    container_registry_task::ENTRY,
    user_assigned_identity::ENTRY,
    role_assignment::ENTRY,
    log_analytics_workspace::ENTRY,
    virtual_network::ENTRY,
    subnet::ENTRY,
    network_security_group::ENTRY,
    subnet_network_security_group_association::ENTRY,
    private_dns_zone::ENTRY,
    private_dns_zone_virtual_network_link::ENTRY,
    private_endpoint::ENTRY,
    storage_account::ENTRY,
    storage_share::ENTRY,
    container_app_environment::ENTRY,
    container_app_environment_storage::ENTRY,
    container_app::ENTRY,
    container_app_job::ENTRY,
];

/// The azurerm types of [`RESOURCES`], in order (what `infra drift` checks).
pub(crate) const AZURERM_TYPES: [&str; RESOURCES.len()] = {
    let mut out = [""; RESOURCES.len()];
    let mut i = 0;
    while i < RESOURCES.len() {
        out[i] = RESOURCES[i].azurerm_type;
        i += 1;
    }
    out
};

/// The entry of an azurerm type.
#[cfg(test)]
pub(crate) fn by_azurerm_type(azurerm_type: &str) -> Option<&'static ArmResource> {
    RESOURCES.iter().find(|r| r.azurerm_type == azurerm_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_vendored_schema_and_one_azurerm_type() {
        for (i, r) in RESOURCES.iter().enumerate() {
            assert!(
                crate::azurerm::resource_schema(r.azurerm_type).is_some(),
                "{} has no vendored azurerm schema",
                r.azurerm_type
            );
            assert!(
                !RESOURCES[..i].iter().any(|o| o.azurerm_type == r.azurerm_type),
                "{} is listed twice",
                r.azurerm_type
            );
            assert!(r.arm_type.starts_with("Microsoft."), "{}", r.arm_type);
            assert_eq!(r.api_version.len(), "2024-03-01".len(), "{}", r.azurerm_type);
            if let Azapi::NotMapped(why) = r.azapi {
                assert!(!why.is_empty(), "{}: say why it is not mapped", r.azurerm_type);
            }
        }
    }

    /// Drift checks exactly the registry's types, in its order; check maps exactly the entries marked mapped,
    /// so adding an entry cannot skip either.
    #[test]
    fn drift_and_azapi_are_derived_from_the_registry() {
        let types: Vec<&str> = RESOURCES.iter().map(|r| r.azurerm_type).collect();
        assert_eq!(crate::drift::compare::CHECKED_TYPES, types.as_slice());
        for r in &RESOURCES {
            let mapped = crate::check::azapi::mapped(&r.arm_type.to_ascii_lowercase()).map(|m| m.azurerm_type);
            match r.azapi {
                Azapi::Mapped => assert_eq!(mapped, Some(r.azurerm_type)),
                // Two entries may share an ARM type (a subnet and its NSG association): only a mapped one answers.
                Azapi::NotMapped(_) => assert_ne!(mapped, Some(r.azurerm_type)),
            }
        }
        let mapped: Vec<&str> = crate::check::azapi::mapped_types().map(|r| r.arm_type).collect();
        assert_eq!(
            mapped,
            [
                "Microsoft.ContainerRegistry/registries",
                "Microsoft.ContainerRegistry/registries/webhooks",
                "Microsoft.Authorization/roleAssignments",
                "Microsoft.App/managedEnvironments",
                "Microsoft.App/containerApps",
            ]
        );
    }

    #[test]
    fn paths_are_formed_as_arm_forms_them() {
        let rg = "/subscriptions/s/resourceGroups/rg";
        assert_eq!(resource_group::ENTRY.path("/subscriptions/s", "rg"), rg);
        assert_eq!(
            container_registry::ENTRY.path(rg, "acr"),
            format!("{rg}/providers/Microsoft.ContainerRegistry/registries/acr")
        );
        let acr = container_registry::ENTRY.path(rg, "acr");
        assert_eq!(container_registry_task::ENTRY.list_path(&acr), format!("{acr}/tasks"));
        assert_eq!(
            role_assignment::ENTRY.list_path(&format!("{acr}/")),
            format!("{acr}/providers/Microsoft.Authorization/roleAssignments")
        );
        let st = storage_account::ENTRY.path(rg, "st");
        assert_eq!(
            storage_share::ENTRY.path(&st, "data"),
            format!("{st}/fileServices/default/shares/data")
        );
        let vnet = virtual_network::ENTRY.path(rg, "vnet");
        assert_eq!(subnet::ENTRY.path(&vnet, "apps"), format!("{vnet}/subnets/apps"));
    }
}
