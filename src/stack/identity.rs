//! `azurerm_user_assigned_identity.app`: the identity the container app pulls images with (NOTES.md §14).
//!
//! A user-assigned identity exists before the app, so its AcrPull grant can be in place when the app's first
//! revision pulls. The app always lists it in `identity_ids` and uses it for `registry.identity`; the stack has no
//! way to say otherwise, so "pull through an identity the app does not carry" cannot be written.

use super::names::IdentityName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[identity]`: the user-assigned identity the app pulls its image with (`azurerm_user_assigned_identity.app`,
/// granted AcrPull on the registry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserAssignedIdentity {
    /// The identity's name.
    pub name: IdentityName,
}
