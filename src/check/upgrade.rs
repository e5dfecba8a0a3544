//! Configuration written for azurerm 3.x, read as the 4.x configuration the rules judge: each 3.x argument the
//! 4.0 upgrade guide gives one 4.x form for ([`crate::azurerm::facts::upgrade`]) is rewritten in place, and a
//! resource that sets a 3.x argument with no 4.x form is not judged — it is taken out of the configuration the
//! rules see and reported as a [`Notice`], never as a finding from a misread argument.

use super::Notice;
use crate::azurerm::facts::upgrade::{changes, Change};
use crate::terraform::providers::ProviderPin;
use crate::terraform::{expr, Address, Attribute, Block, Body, Config, Expression, Location, Structure};

/// Rewrites the 3.x arguments of every resource of `config` (written for azurerm `pin.major` < 4) into their
/// 4.x form; returns a notice per resource left unjudged.
pub(crate) fn upgrade(config: &mut Config, pin: &ProviderPin) -> Vec<Notice> {
    let mut notices = Vec::new();
    if pin.major >= 4 {
        return notices;
    }
    for file in &mut config.files {
        let structures = std::mem::take(&mut file.body.structures);
        for s in structures {
            let Structure::Block(mut block) = s else {
                file.body.structures.push(s);
                continue;
            };
            let table = match (block.kind.as_str(), block.labels.first()) {
                ("resource", Some(t)) => changes(t),
                _ => &[],
            };
            match unreadable(&block.body, table) {
                Some((argument, location)) => notices.push(Notice {
                    address: Some(address(&block)),
                    location: location.or_else(|| block.location.clone()),
                    message: format!(
                        "not judged: the configuration is written for azurerm {}.x ({}) and sets `{argument}`, which \
                         azurerm 4 removed with no equivalent (4.0 upgrade guide); infra's rules read 4.x arguments",
                        pin.major, pin.why
                    ),
                }),
                None => {
                    for change in table {
                        apply(&mut block, *change);
                    }
                    file.body.structures.push(Structure::Block(block));
                }
            }
        }
    }
    notices
}

/// The first [`Change::Removed`] argument the resource sets, and where.
fn unreadable(body: &Body, table: &[Change]) -> Option<(&'static str, Option<Location>)> {
    table.iter().find_map(|c| {
        let Change::Removed { argument } = *c else { return None };
        let mut parts: Vec<&str> = argument.split('.').collect();
        let last = parts.pop()?;
        let mut holders = vec![body];
        for p in parts {
            holders = holders
                .into_iter()
                .flat_map(|b| b.blocks_of(p).map(|x| &x.body))
                .collect();
        }
        holders.into_iter().find_map(|b| {
            let location = match (b.attribute(last), b.block(last)) {
                (Some(a), _) => a.location.clone(),
                (None, Some(x)) => x.location.clone(),
                (None, None) => return None,
            };
            Some((argument, location))
        })
    })
}

fn apply(resource: &mut Block, change: Change) {
    let body = &mut resource.body;
    match change {
        Change::Renamed { from, to } => {
            if body.attribute(to).is_none() {
                for s in &mut body.structures {
                    if let Structure::Attribute(a) = s {
                        if a.name == from {
                            a.name = to.to_string();
                        }
                    }
                }
            }
        }
        Change::SwitchBlock { block, to } => {
            if let Some(old) = take_block(body, block) {
                let enabled = old.body.get("enabled").cloned().unwrap_or(Expression::Bool(false));
                push_at(body, to, enabled, old.location);
            }
        }
        Change::NumberBlock {
            block,
            number,
            default,
            to,
        } => {
            if let Some(old) = take_block(body, block) {
                let days = old.body.get(number).cloned().unwrap_or(Expression::from(default));
                let value = match old.body.get("enabled").map(expr::as_bool) {
                    Some(Some(true)) => days,
                    None | Some(Some(false)) => Expression::from(0),
                    // Not known before apply: stays unknown (not a literal), never judged as either.
                    Some(None) => Expression::Conditional(Box::new(hcl::expr::Conditional::new(
                        old.body.get("enabled").cloned().unwrap_or(Expression::Null),
                        days,
                        Expression::from(0),
                    ))),
                };
                push_at(body, to, value, old.location);
            }
        }
        Change::PresenceSwitch { block } => {
            let off = body
                .block(block)
                .and_then(|b| b.body.get("enabled"))
                .and_then(expr::as_bool);
            match off {
                Some(false) => drop(take_block(body, block)),
                Some(true) => {
                    for s in &mut body.structures {
                        if let Structure::Block(b) = s {
                            if b.kind == block {
                                b.body
                                    .structures
                                    .retain(|x| !matches!(x, Structure::Attribute(a) if a.name == "enabled"));
                            }
                        }
                    }
                }
                None => {}
            }
        }
        Change::Removed { .. } => {}
    }
}

/// Removes the blocks of kind `kind` from `body`, returning the first.
fn take_block(body: &mut Body, kind: &str) -> Option<Block> {
    let mut first = None;
    body.structures.retain(|s| match s {
        Structure::Block(b) if b.kind == kind => {
            if first.is_none() {
                first = Some(b.clone());
            }
            false
        }
        _ => true,
    });
    first
}

fn push_at(body: &mut Body, name: &str, value: Expression, location: Option<Location>) {
    if body.attribute(name).is_none() {
        body.structures.push(Structure::Attribute(Attribute {
            name: name.to_string(),
            value,
            location,
        }));
    }
}

/// The address of a resource block of an evaluated configuration (labels: type, name, key, module).
fn address(block: &Block) -> String {
    let label = |i: usize| block.labels.get(i).filter(|l| !l.is_empty()).cloned();
    let mut a = Address::managed(label(0).unwrap_or_default(), label(1).unwrap_or_default());
    a.key = label(2);
    a.module = label(3);
    a.to_string()
}
