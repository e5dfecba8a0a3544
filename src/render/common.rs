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
