//! APP009: CPU and memory are a valid Consumption pair.

use crate::azurerm::facts::compute;
use crate::check::{
    num_attr, str_attr, violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation,
};

pub(super) static RULE: Rule = Rule {
    id: "APP009",
    title: "Container CPU and memory are a valid Consumption pair",
    severity: Severity::High,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "On the Consumption profile, the CPU and memory of all containers of an `azurerm_container_app` \
                  add up to a pair Azure accepts: CPU in steps of 0.25 from 0.25 to 4, memory = 2 × CPU Gi. \
                  Apps on a dedicated workload profile, and non-literal values, are not judged.",
    why: "The provider accepts any values and Azure rejects other combinations at apply time, half-way through a \
          deployment.",
    fix: "Pick a pair from the table (0.25/0.5Gi, 0.5/1Gi, 1/2Gi, 2/4Gi …), summed over the app's containers.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    'apps: for app in ctx.resources_of("azurerm_container_app") {
        if str_attr(app.body(), "workload_profile_name").is_some_and(|p| p != "Consumption")
            || app
                .get("workload_profile_name")
                .is_some_and(|e| crate::terraform::expr::as_str(e).is_none())
        {
            continue;
        }
        let containers = super::app_containers(app);
        let Some(first) = containers.first() else { continue };
        let (mut cpu, mut mem) = (0.0, 0.0);
        for c in &containers {
            let (Some(c_cpu), Some(c_mem)) = (
                num_attr(&c.body, "cpu"),
                str_attr(&c.body, "memory").and_then(compute::gib),
            ) else {
                continue 'apps;
            };
            cpu += c_cpu;
            mem += c_mem;
        }
        if !compute::consumption_pair(cpu, mem) {
            out.push(violation(
                app,
                first.body.attribute("cpu"),
                first,
                format!("{cpu} vCPU with {mem}Gi is not a Consumption pair (memory must be 2 × CPU, CPU 0.25-4 in 0.25 steps)"),
            ));
        }
    }
    out
}
