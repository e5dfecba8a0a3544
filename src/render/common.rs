//! Pieces every resource block uses: references, tags, numbers.

use crate::stack::Stack;
use crate::terraform::expr::reference;
use crate::terraform::{Block, Expression};

/// `resource "<type>" "<name>" {}`.
pub(super) fn resource(resource_type: &str, name: &str) -> Block {
    Block::new("resource").label(resource_type).label(name)
}

/// A reference to another resource's attribute, e.g. `r("azurerm_container_registry.main.id")`.
pub(super) fn r(text: &str) -> Expression {
    reference(text)
}

/// `resource_group_name = azurerm_resource_group.main.name`.
pub(super) fn resource_group_name() -> Expression {
    r("azurerm_resource_group.main.name")
}

/// The stack's tags as an object, when the stack has any and the resource type takes tags (per the azurerm
/// schema). Keys are sorted (the stack keeps them in a `BTreeMap`).
pub(super) fn tags(stack: &Stack, resource_type: &str) -> Option<Expression> {
    let takes_tags = crate::azurerm::resource_schema(resource_type).is_some_and(|s| s.attributes.contains_key("tags"));
    if !takes_tags || stack.tags.is_empty() {
        return None;
    }
    let mut obj = hcl::Object::new();
    for (k, v) in &stack.tags {
        obj.insert(hcl::ObjectKey::from(k.as_str()), Expression::from(v.as_str()));
    }
    Some(Expression::Object(obj))
}

/// `var.<name>`, built without parsing: `name` (derived from a stack value) is made a valid identifier.
pub(super) fn var(name: &str) -> Expression {
    Expression::Traversal(Box::new(hcl::expr::Traversal::new(
        hcl::expr::Variable::from(hcl::Identifier::from("var")),
        [hcl::expr::TraversalOperator::GetAttr(hcl::Identifier::sanitized(name))],
    )))
}

/// A whole number.
/// `Some(value)` when it differs from the provider default ([`crate::azurerm::facts::defaults`]), `None` when it is
/// the default and need not be written (an argument without a known default is always written).
pub(super) fn unless_default(resource_type: &str, argument: &str, value: bool) -> Option<bool> {
    (crate::azurerm::facts::defaults::default_bool(resource_type, argument) != Some(value)).then_some(value)
}

pub(super) fn int(n: u32) -> Expression {
    Expression::from(u64::from(n))
}

/// A number that may have a fraction (CPU cores).
pub(super) fn float(x: f64) -> Expression {
    if x.fract() == 0.0 {
        Expression::from(x as u64)
    } else {
        // Cpu amounts are finite; a non-finite number would be `null`, never a panic.
        Expression::from(x)
    }
}

/// Appends the stack's tags to `block` when the resource takes them.
pub(super) fn with_tags(block: Block, stack: &Stack, resource_type: &str) -> Block {
    block.attr_opt("tags", tags(stack, resource_type))
}

/// `data "<type>" "<name>" {}`.
pub(super) fn data(data_type: &str, name: &str) -> Block {
    Block::new("data").label(data_type).label(name)
}

/// The registry's `attr`, as a reference's text: `azurerm_container_registry.main.<attr>`, or
/// `data.azurerm_container_registry.main.<attr>` for `[existing.container_registry]`.
pub(super) fn registry_ref(stack: &Stack, attr: &str) -> String {
    let prefix = if stack.container_registry.is_some() {
        ""
    } else {
        "data."
    };
    format!("{prefix}azurerm_container_registry.main.{attr}")
}

/// The registry's `attr` (see [`registry_ref`]).
pub(super) fn registry(stack: &Stack, attr: &str) -> Expression {
    r(&registry_ref(stack, attr))
}

/// The `attr` of the pull identity named `label` in Terraform: the stack's shared identity
/// (`azurerm_user_assigned_identity.app`, or `data.azurerm_user_assigned_identity.app` for `[existing.identity]`)
/// or an app's or job's own.
pub(super) fn identity(stack: &Stack, label: &str, attr: &str) -> Expression {
    let prefix = if label == crate::stack::SHARED && stack.identity.is_none() {
        "data."
    } else {
        ""
    };
    r(&format!("{prefix}azurerm_user_assigned_identity.{label}.{attr}"))
}

/// The environment's ID: `azurerm_container_app_environment.main.id`, the data source's, or the literal ID of
/// `[existing.environment]`.
pub(super) fn environment_id(stack: &Stack) -> Expression {
    existing_id(
        stack.environment.is_some(),
        stack.existing.environment.as_ref(),
        "azurerm_container_app_environment.main.id",
    )
}

/// The Log Analytics workspace's ID, as [`environment_id`].
pub(super) fn workspace_id(stack: &Stack) -> Expression {
    existing_id(
        stack.log_analytics.is_some(),
        stack.existing.log_analytics.as_ref(),
        "azurerm_log_analytics_workspace.main.id",
    )
}

fn existing_id(declared: bool, existing: Option<&crate::stack::ExistingResource>, reference: &str) -> Expression {
    match existing.and_then(|e| e.id.as_deref()) {
        Some(id) if !declared => Expression::from(id),
        _ if declared => r(reference),
        _ => r(&format!("data.{reference}")),
    }
}
