//! `count` and `for_each`: the instances of a resource block or module call, each with its key (`[0]`,
//! `["api"]`) and its `count` / `each` value, within the limits.

use super::sensitive::Taint;
use super::walk::Walk;
use super::{eval, limits, unknown, State};
use crate::terraform::Block;
use hcl::eval::Context;
use hcl::Value;

/// A `resource` or `data` block once per instance (`count`, `for_each`, within the limits), each with its
/// instance key and module address added to its labels and its known values filled in; unknown attributes and
/// sensitive values are recorded in `state`.
pub(super) fn expand_instances(
    block: Block,
    ctx: &mut Context,
    taint: &Taint,
    module_path: &str,
    state: &mut State,
) -> Vec<Block> {
    let base = match block.kind.as_str() {
        "data" => format!("data.{}.{}", block.labels[0], block.labels[1]),
        _ => format!("{}.{}", block.labels[0], block.labels[1]),
    };
    let shown = join_address(module_path, &base);
    let mut instances = instances(&block, ctx, &|n| limits::instances(n, &shown));
    if matches!(instances.as_slice(), [(None, _)]) && !limits::instances(1, &shown) {
        instances.clear();
    }
    let taint = match block.body.get("count") {
        Some(count) => taint.iterating("count", Some(count)),
        None => taint.iterating("each", block.body.get("for_each")),
    };
    let mut out = Vec::with_capacity(instances.len());
    let last = instances.pop();
    let copies = instances.into_iter().map(|i| (i, block.clone())).collect::<Vec<_>>();
    // The module's context, its `count` / `each` declared again for each instance.
    let mut scope = Scope::new(ctx);
    // The last instance takes the block itself: no copy for the usual single instance.
    for ((instance, binding), mut block) in copies.into_iter().chain(last.map(|i| (i, block))) {
        let ctx = scope.bind(binding);
        let mut address = base.clone();
        if let Some(instance) = &instance {
            address.push_str(instance);
        }
        if !module_path.is_empty() {
            address = format!("{module_path}.{address}");
            block.labels.push(instance.unwrap_or_default());
            block.labels.push(module_path.to_string());
        } else if let Some(instance) = instance {
            block.labels.push(instance);
        }
        let mut walk = Walk {
            address: &address,
            unknown: &mut state.unknown,
            record: block.kind == "resource",
            iterators: Vec::new(),
            taint: taint.clone(),
            sensitive: &mut state.sensitive,
        };
        walk.body(&mut block.body, "", ctx);
        out.push(block);
    }
    out
}

/// `address` inside the module at `module_path` (`module.web.azurerm_x.y`).
fn join_address(module_path: &str, address: &str) -> String {
    if module_path.is_empty() {
        address.to_string()
    } else {
        format!("{module_path}.{address}")
    }
}

/// A module's context with one instance's `count` / `each` / `dynamic` iterator declared in it, for the instances
/// of one block ([`Scope::bind`]); when the scope ends, the name reads again what it read before (null if it was
/// not declared: only an invalid configuration reads `each` outside `for_each`).
///
/// Declared in place, not in a copy of the context: copying the module's context (its functions, variables, locals
/// and module outputs) once per repeated block and per `dynamic` block was a fifth of `infra check`'s time on the
/// 12,000-resource bench.
pub(super) struct Scope<'s, 'c> {
    ctx: &'s mut Context<'c>,
    /// The name bound, and what it read before the first binding.
    before: Option<(String, Value)>,
}

impl<'s, 'c> Scope<'s, 'c> {
    pub(super) fn new(ctx: &'s mut Context<'c>) -> Self {
        Scope { ctx, before: None }
    }

    /// The context with `binding` declared (unchanged for `None`). Every binding of one scope names the same
    /// variable (one block's `count`, `each` or iterator).
    pub(super) fn bind(&mut self, binding: Binding) -> &mut Context<'c> {
        if let Some((name, value)) = binding {
            unknown::declare(&name, &value);
            if self.before.is_none() {
                let variable = hcl::expr::Expression::Variable(hcl::expr::Variable::unchecked(name.clone()));
                let before = hcl::eval::Evaluate::evaluate(&variable, self.ctx).unwrap_or(Value::Null);
                self.before = Some((name.clone(), before));
            }
            debug_assert!(self.before.as_ref().is_some_and(|(n, _)| *n == name));
            self.ctx.declare_var(name, value);
        }
        self.ctx
    }
}

impl Drop for Scope<'_, '_> {
    fn drop(&mut self) {
        if let Some((name, before)) = self.before.take() {
            self.ctx.declare_var(name, before);
        }
    }
}

/// The variable an instance declares: `count` = `{ index }`, `each` = `{ key, value }`, a `dynamic` block's
/// iterator = `{ key, value }`.
pub(super) type Binding = Option<(String, Value)>;

/// The instances of a resource block or module call: `(key, binding)` for each, the key as Terraform prints it
/// (`[0]`, `["api"]`) and the variable the instance declares. A block without `count` or `for_each`, or whose
/// collection is not known, is one instance without a key (checked as written). `admit` is asked, before any
/// instance is made, whether that many may be (a limit).
pub(super) fn instances(block: &Block, ctx: &Context, admit: &dyn Fn(u64) -> bool) -> Vec<(Option<String>, Binding)> {
    let single = || vec![(None, None)];
    if let Some(count) = block.body.attribute("count") {
        limits::at(count.location.as_ref());
        let Some(n) = eval(&count.value, ctx).ok().as_ref().and_then(whole_number) else {
            return single();
        };
        if !admit(n) {
            return single();
        }
        return (0..n)
            .map(|i| {
                let index = Value::Object([("index".to_string(), Value::from(i))].into_iter().collect());
                (Some(format!("[{i}]")), Some(("count".to_string(), index)))
            })
            .collect();
    }
    if let Some(for_each) = block.body.attribute("for_each") {
        limits::at(for_each.location.as_ref());
        let Ok(collection) = eval(&for_each.value, ctx) else {
            return single();
        };
        let Some(items) = for_each_items(collection) else {
            return single();
        };
        if !admit(items.len() as u64) {
            return single();
        }
        return items
            .into_iter()
            .map(|(k, v)| {
                let key = format!("[{}]", crate::terraform::expr::quote(&k));
                let each = [("key".to_string(), Value::from(k)), ("value".to_string(), v)];
                (
                    Some(key),
                    Some(("each".to_string(), Value::Object(each.into_iter().collect()))),
                )
            })
            .collect();
    }
    single()
}

/// A `count`: a whole number, not negative (`1e2` is 100; `1.5`, `-1` are not counts).
fn whole_number(v: &Value) -> Option<u64> {
    let n = v.as_number()?;
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x < 1.8e19)
            .map(|x| x as u64)
    })
}

/// A resource's `for_each` collection as (key, value) pairs in Terraform's order (keys sorted): a map's entries,
/// or a set of strings' elements as both key and value. `None` for anything else (Terraform rejects it).
fn for_each_items(collection: Value) -> Option<Vec<(String, Value)>> {
    let mut items: Vec<(String, Value)> = match collection {
        Value::Object(o) => o.into_iter().collect(),
        // A set with an unknown element has unknown instance keys.
        Value::Array(l) => l
            .into_iter()
            .map(|v| {
                v.as_str()
                    .filter(|_| !unknown::is(&v))
                    .map(|s| (s.to_string(), v.clone()))
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items.dedup_by(|a, b| a.0 == b.0);
    Some(items)
}

#[cfg(test)]
mod tests {
    use crate::terraform::{expr, Config};

    /// `count`, `each` and a `dynamic` iterator are declared in the module's context for their block only: an
    /// instance reads its own values, a nested `dynamic` block with the same iterator name reads its own and the
    /// outer one's comes back after it, and a later block does not see an earlier block's `each`.
    #[test]
    fn a_binding_lasts_for_its_block_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            r#"
resource "x_thing" "each" {
  for_each = toset(["a", "b"])
  name     = "n-${each.key}"
  dynamic "rule" {
    for_each = ["r1"]
    content {
      outer = "${each.value}-${rule.value}"
      dynamic "rule" {
        for_each = ["inner"]
        content { value = rule.value }
      }
      after = rule.value
    }
  }
  tail = each.key
}
resource "x_thing" "counted" {
  count = 2
  name  = "c-${count.index}"
}
resource "x_thing" "later" {
  name = each.key
  size = count.index
}
"#,
        )
        .unwrap();
        let config = Config::read_dir_with(dir.path(), &Default::default()).unwrap();
        let evaluated = super::super::evaluate(config, dir.path(), &Default::default()).unwrap();
        let resources = evaluated.config.resources();
        let text = |address: &str, path: &[&str]| -> String {
            let r = resources
                .iter()
                .find(|r| r.address().to_string() == address)
                .unwrap_or_else(|| panic!("{address}"));
            let mut body = r.body();
            for block in &path[..path.len() - 1] {
                body = &body.block(block).unwrap_or_else(|| panic!("{address} {block}")).body;
            }
            let e = body
                .get(path[path.len() - 1])
                .unwrap_or_else(|| panic!("{address} {path:?}"));
            expr::to_hcl(e)
        };
        assert_eq!(text("x_thing.each[\"b\"]", &["name"]), "\"n-b\"");
        assert_eq!(text("x_thing.each[\"a\"]", &["rule", "outer"]), "\"a-r1\"");
        assert_eq!(text("x_thing.each[\"a\"]", &["rule", "rule", "value"]), "\"inner\"");
        assert_eq!(text("x_thing.each[\"a\"]", &["rule", "after"]), "\"r1\"");
        assert_eq!(text("x_thing.each[\"b\"]", &["tail"]), "\"b\"");
        assert_eq!(text("x_thing.counted[1]", &["name"]), "\"c-1\"");
        // Outside any `for_each` or `count`, `each.key` and `count.index` have no value: left as written.
        assert_eq!(text("x_thing.later", &["name"]), "each.key");
        assert_eq!(text("x_thing.later", &["size"]), "count.index");
    }
}
