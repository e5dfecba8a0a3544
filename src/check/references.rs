//! The one way rules follow a reference from a resource's argument to the resource *instance* it names:
//! `azurerm_storage_account.sa[0].name`, `azurerm_x.y["k"].id`, `azurerm_x.y[count.index].id` and
//! `azurerm_x.y[each.key].id` (the index from the referring instance's own key), `each.value.id` (when `for_each`
//! is a resource), `module.m.out` (through the module's `output` block to what it refers to), `x[*].id` and an
//! index that cannot be known (every instance, each one only *possibly* named), `local.x` (through the value
//! the local has in the referring module, when the evaluator could not make it a literal: what it refers to),
//! `var.x` in a module (through the argument `x` of the module call, in the calling module and instance).
//!
//! References are resolved in the referring resource's module: `azurerm_x.y` written in `module.web` is
//! `module.web.azurerm_x.y`. Every cross-resource rule calls [`Context::targets`](super::Context::targets) and
//! compares the instance addresses it returns; none reads reference text itself.

use super::Context;
use crate::terraform::{Expression, Mode, Resource};
use hcl::expr::{Traversal, TraversalOperator};

/// What a finding says of a value it cannot show.
pub(crate) const NOT_KNOWN: &str = "a value not known before apply";

/// A string or string template as a finding shows it: its literal text, every interpolation as
/// `(known after apply)`; `None` for other expressions.
pub(crate) fn shown_text(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.clone()),
        Expression::TemplateExpr(t) => {
            let template = hcl::Template::from_expr(t).ok()?;
            let mut s = String::new();
            for el in template.elements() {
                match el {
                    hcl::template::Element::Literal(l) => s.push_str(l),
                    _ => s.push_str("(known after apply)"),
                }
            }
            Some(s)
        }
        _ => None,
    }
}

/// True for a plain traversal (`azurerm_x.y[0].id`), possibly in parentheses or `"${…}"`.
fn is_reference(e: &Expression) -> bool {
    matches!(crate::terraform::expr::normalize(e), Expression::Traversal(_))
}

/// How deep `module.a.out` → `module.b.out` → … is followed.
const MAX_MODULE_HOPS: usize = 16;

/// What one reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The instance's address as Terraform prints it (`module.web.azurerm_storage_account.sa[0]`); for a resource
    /// the configuration does not declare, the address as written (in the referring module).
    pub address: String,
    /// The resource type as declared (`azurerm_storage_account`), managed or data.
    pub resource_type: String,
    pub mode: Mode,
    /// The attribute read from the instance, as Terraform writes it (`primary_access_key`,
    /// `identity[0].principal_id`); empty for the whole instance.
    pub attribute: String,
    /// The configuration declares the resource (false: another state, a module that was not read, or not a
    /// resource at all — a `dynamic` block's iterator whose collection is unknown).
    pub declared: bool,
    /// The reference names this instance for certain (false: one of several, the index not known).
    pub exact: bool,
}

/// Where a reference is written: the module, and the referring instance's key and `for_each`.
#[derive(Clone, Copy)]
struct Scope<'e> {
    module: Option<&'e str>,
    key: Option<&'e str>,
    for_each: Option<&'e Expression>,
}

impl<'a> Context<'a> {
    /// Every resource instance the expression, written in `from`'s arguments, refers to (see the module docs).
    pub(crate) fn targets(&self, from: &Resource, e: &Expression) -> Vec<Target> {
        let scope = Scope {
            module: from.module,
            key: from.key,
            for_each: from.get("for_each"),
        };
        let mut out = Vec::new();
        self.resolve(scope, e, 0, &mut out);
        out.dedup();
        out
    }

    /// The addresses of [`targets`](Context::targets), in order, without repeats.
    pub(crate) fn target_addresses(&self, from: &Resource, e: &Expression) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.targets(from, e) {
            if !out.contains(&t.address) {
                out.push(t.address);
            }
        }
        out
    }

    /// True when the expression refers to a resource (or data source) of `resource_type`, directly or through a
    /// module output.
    pub(crate) fn refers_to_type(&self, from: &Resource, e: &Expression, resource_type: &str) -> bool {
        self.targets(from, e).iter().any(|t| t.resource_type == resource_type)
    }

    /// How a finding names the value of `e` when it is not a literal: the resource instances (and attributes) it
    /// refers to, or "a value not known before apply" — never the expression's text, which may hold names that
    /// mean nothing outside it (a `dynamic` block's iterator).
    pub(crate) fn describe(&self, from: &Resource, e: &Expression) -> String {
        let named: Vec<String> = self
            .targets(from, e)
            .into_iter()
            .filter(|t| t.declared)
            .map(|t| match t.attribute.as_str() {
                "" => t.address,
                a => format!("{}.{a}", t.address),
            })
            .collect();
        match named.as_slice() {
            [] => NOT_KNOWN.to_string(),
            [one] if is_reference(e) => one.clone(),
            _ if is_reference(e) => format!("one of {}", named.join(", ")),
            _ => format!("a value computed from {} ({NOT_KNOWN})", named.join(", ")),
        }
    }

    fn resolve(&self, scope: Scope, e: &Expression, hops: usize, out: &mut Vec<Target>) {
        for t in crate::terraform::expr::traversals(e) {
            self.resolve_traversal(scope, &t, hops, out);
        }
    }

    fn resolve_traversal(&self, scope: Scope, t: &Traversal, hops: usize, out: &mut Vec<Target>) {
        let Expression::Variable(root) = &t.expr else { return };
        let ops = t.operators.as_slice();
        match root.as_str() {
            "path" | "terraform" | "self" | "count" => {}
            "var" => self.resolve_var(scope, ops, hops, out),
            "local" => self.resolve_local(scope, ops, hops, out),
            "each" => self.resolve_each(scope, ops, hops, out),
            "module" => self.resolve_module(scope, ops, hops, out),
            "data" => {
                if let [TraversalOperator::GetAttr(ty), TraversalOperator::GetAttr(name), rest @ ..] = ops {
                    self.instances(scope, Mode::Data, ty.as_str(), name.as_str(), rest, out);
                }
            }
            ty => {
                if let [TraversalOperator::GetAttr(name), rest @ ..] = ops {
                    self.instances(scope, Mode::Managed, ty, name.as_str(), rest, out);
                }
            }
        }
    }

    /// `each.value…` of a resource whose `for_each` is another resource (`for_each = azurerm_x.y`): the instance
    /// of `azurerm_x.y` with the same key.
    fn resolve_each(&self, scope: Scope, ops: &[TraversalOperator], hops: usize, out: &mut Vec<Target>) {
        let ([TraversalOperator::GetAttr(v), rest @ ..], Some(Expression::Traversal(fe))) = (ops, scope.for_each)
        else {
            return;
        };
        if v.as_str() != "value" {
            return;
        }
        let mut whole = (**fe).clone();
        if let Some(key) = scope.key.and_then(literal_index) {
            whole.operators.push(TraversalOperator::Index(key));
        }
        whole.operators.extend(rest.iter().cloned());
        self.resolve_traversal(
            Scope {
                for_each: None,
                ..scope
            },
            &whole,
            hops,
            out,
        );
    }

    /// `local.x…`: what the value of `local.x` in the scope's module refers to (a local that stayed unknown is
    /// left as written by the evaluator: `{ for d in azurerm_private_endpoint.pe.custom_dns_configs : … }`).
    /// Every reference in it is a target, none for certain unless the local is one plain reference.
    fn resolve_local(&self, scope: Scope, ops: &[TraversalOperator], hops: usize, out: &mut Vec<Target>) {
        let [TraversalOperator::GetAttr(name), ..] = ops else {
            return;
        };
        if hops >= MAX_MODULE_HOPS {
            return;
        }
        let Some(value) = self.local_value(scope.module, name.as_str()) else {
            return;
        };
        let inner = Scope {
            module: scope.module,
            key: None,
            for_each: None,
        };
        let start = out.len();
        self.resolve(inner, value, hops + 1, out);
        if !is_reference(value) {
            for t in &mut out[start..] {
                t.exact = false;
            }
        }
    }

    /// `var.x…` in module instance `module.m[k]`: what the call's argument `x` refers to, resolved where the call
    /// is written (its `each` is that of instance `k`). The whole argument: every reference in it is a target,
    /// none for certain unless the argument is one plain reference. A root module's variables refer to nothing.
    fn resolve_var(&self, scope: Scope, ops: &[TraversalOperator], hops: usize, out: &mut Vec<Target>) {
        let ([TraversalOperator::GetAttr(name), ..], Some(module)) = (ops, scope.module) else {
            return;
        };
        if hops >= MAX_MODULE_HOPS {
            return;
        }
        let Some((parent, call, key)) = split_call(module) else {
            return;
        };
        let Some(block) = self.module_call(parent, call) else {
            return;
        };
        let Some(value) = block.body.get(name.as_str()) else {
            return;
        };
        let outer = Scope {
            module: parent,
            key,
            for_each: block.body.get("for_each"),
        };
        let start = out.len();
        self.resolve(outer, value, hops + 1, out);
        if !is_reference(value) {
            for t in &mut out[start..] {
                t.exact = false;
            }
        }
    }

    /// `module.m.out…` / `module.m[k].out…`: what the module's `output "out"` refers to, in the module.
    fn resolve_module(&self, scope: Scope, ops: &[TraversalOperator], hops: usize, out: &mut Vec<Target>) {
        let [TraversalOperator::GetAttr(name), rest @ ..] = ops else {
            return;
        };
        let (index, rest) = split_index(rest);
        let [TraversalOperator::GetAttr(output), after @ ..] = rest else {
            return;
        };
        if hops >= MAX_MODULE_HOPS {
            return;
        }
        let call = match scope.module {
            Some(m) => format!("{m}.module.{name}"),
            None => format!("module.{name}"),
        };
        let wanted = index.map(|i| key_of(scope, i));
        let mut instances: Vec<&str> = self
            .managed_and_data()
            .filter_map(|r| r.module)
            .filter_map(|m| instance_of(m, &call).map(|rest| &m[..m.len() - rest.len()]))
            .filter(|instance| match &wanted {
                Some(Key::Known(k)) => *instance == format!("{call}{k}"),
                _ => true,
            })
            .collect();
        instances.sort_unstable();
        instances.dedup();
        let exact = !matches!(wanted, Some(Key::Unknown)) && instances.len() <= 1;
        for instance in instances {
            let Some(value) = self.output_value(instance, output.as_str()) else {
                continue;
            };
            let inner = Scope {
                module: Some(instance),
                key: None,
                for_each: None,
            };
            let start = out.len();
            self.resolve(inner, value, hops + 1, out);
            for t in &mut out[start..] {
                t.exact &= exact;
                t.attribute = join_attribute(&t.attribute, after);
            }
        }
    }

    /// The value of `output "name"` of module instance `module` (`module.web`): the output block in the directory
    /// of that module's resources.
    fn output_value(&self, module: &str, name: &str) -> Option<&'a Expression> {
        let dir = self
            .managed_and_data()
            .find(|r| r.module == Some(module))
            .map(|r| crate::terraform::parent_dir(r.file))?;
        self.config
            .files
            .iter()
            .filter(|f| crate::terraform::parent_dir(&f.name) == dir)
            .flat_map(|f| f.body.blocks())
            .find(|b| b.kind == "output" && b.labels.first().map(String::as_str) == Some(name))
            .and_then(|b| b.body.get("value"))
    }

    /// The instances of `mode` `ty`.`name` in the scope's module that the index after it (if any) selects.
    fn instances(
        &self,
        scope: Scope,
        mode: Mode,
        ty: &str,
        name: &str,
        ops: &[TraversalOperator],
        out: &mut Vec<Target>,
    ) {
        let (index, rest) = split_index(ops);
        let key = index.map(|i| key_of(scope, i));
        let mut found = false;
        for r in self.instances_of(mode, ty, name, scope.module) {
            let a = r.address();
            // An instance whose own key is unknown (count / for_each not known) stands for every index.
            let selected = match (&key, r.key) {
                (Some(Key::Known(k)), Some(own)) => own == k,
                _ => true,
            };
            if !selected {
                continue;
            }
            found = true;
            out.push(Target {
                address: a.to_string(),
                // An azapi resource read as the azurerm type it creates is that type.
                resource_type: r.resource_type.to_string(),
                mode,
                attribute: join_attribute("", rest),
                declared: true,
                exact: !matches!(key, Some(Key::Unknown)),
            });
        }
        if !found {
            let mut written = crate::terraform::Address::managed(ty, name);
            written.mode = mode;
            written.module = scope.module.map(str::to_string);
            if let Some(Key::Known(k)) = &key {
                written.key = Some(k.clone());
            }
            out.push(Target {
                address: written.to_string(),
                resource_type: ty.to_string(),
                mode,
                attribute: join_attribute("", rest),
                declared: false,
                exact: !matches!(key, Some(Key::Unknown)),
            });
        }
    }

    fn managed_and_data(&self) -> impl Iterator<Item = &Resource<'a>> {
        self.resources.iter()
    }
}

/// An index after a resource or module name: its key as Terraform prints it, or not known.
enum Key {
    Known(String),
    Unknown,
}

/// The index operator at the start of `ops`, if any, and the operators after it.
fn split_index(ops: &[TraversalOperator]) -> (Option<&TraversalOperator>, &[TraversalOperator]) {
    match ops.first() {
        Some(
            op @ (TraversalOperator::Index(_)
            | TraversalOperator::LegacyIndex(_)
            | TraversalOperator::AttrSplat
            | TraversalOperator::FullSplat),
        ) => (Some(op), &ops[1..]),
        _ => (None, ops),
    }
}

/// The key an index selects: a literal, or `count.index` / `each.key` of the referring instance.
fn key_of(scope: Scope, op: &TraversalOperator) -> Key {
    let literal = |e: &Expression| match e {
        Expression::Number(n) => n.as_u64().map(|n| format!("[{n}]")),
        Expression::String(s) => serde_json::to_string(s).ok().map(|s| format!("[{s}]")),
        _ => None,
    };
    let own = |kind: &str| {
        scope.key.filter(|k| match kind {
            "count" => !k.starts_with("[\""),
            _ => k.starts_with("[\""),
        })
    };
    let known = match op {
        TraversalOperator::LegacyIndex(n) => Some(format!("[{n}]")),
        TraversalOperator::Index(e) => literal(e).or_else(|| match crate::terraform::expr::traversal_path(e) {
            Some(p) if p == "count.index" => own("count").map(str::to_string),
            Some(p) if p == "each.key" => own("each").map(str::to_string),
            _ => None,
        }),
        _ => None,
    };
    known.map_or(Key::Unknown, Key::Known)
}

/// A key as Terraform prints it (`[0]`, `["a"]`) as an index expression.
fn literal_index(key: &str) -> Option<Expression> {
    let inner = key.strip_prefix('[')?.strip_suffix(']')?;
    if let Ok(n) = inner.parse::<u64>() {
        return Some(Expression::Number(n.into()));
    }
    serde_json::from_str::<String>(inner).ok().map(Expression::String)
}

/// `module.m[0].module.n` is an instance of call `module.m` (returns what follows the instance key).
fn instance_of<'m>(module: &'m str, call: &str) -> Option<&'m str> {
    let rest = module.strip_prefix(call)?;
    let after_key = if rest.starts_with('[') {
        &rest[rest.find(']')? + 1..]
    } else {
        rest
    };
    (after_key.is_empty() || after_key.starts_with('.')).then_some(after_key)
}

/// A module instance's calling module, call name and instance key: `module.a["x"].module.b[0]` →
/// (`module.a["x"]`, `b`, `[0]`); `module.a` → (root, `a`, none).
fn split_call(module: &str) -> Option<(Option<&str>, &str, Option<&str>)> {
    // The last `module.` that starts a segment, outside an instance key.
    let (mut depth, mut quoted, mut escaped, mut last) = (0usize, false, false, None);
    for (i, c) in module.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            'm' if !quoted
                && depth == 0
                && (i == 0 || module[..i].ends_with('.'))
                && module[i..].starts_with("module.") =>
            {
                last = Some(i)
            }
            _ => {}
        }
    }
    let at = last?;
    let parent = (at > 0).then(|| &module[..at - 1]);
    let rest = &module[at + "module.".len()..];
    match rest.find('[') {
        Some(k) => Some((parent, &rest[..k], Some(&rest[k..]))),
        None => Some((parent, rest, None)),
    }
}

/// `identity[0].principal_id` from the operators after the instance.
fn join_attribute(start: &str, ops: &[TraversalOperator]) -> String {
    let mut s = start.to_string();
    for op in ops {
        match op {
            TraversalOperator::GetAttr(id) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(id.as_str());
            }
            TraversalOperator::LegacyIndex(n) => s.push_str(&format!("[{n}]")),
            TraversalOperator::Index(Expression::Number(n)) => s.push_str(&format!("[{n}]")),
            TraversalOperator::Index(Expression::String(k)) => s.push_str(&format!("[{k:?}]")),
            _ => s.push_str("[*]"),
        }
    }
    s
}
