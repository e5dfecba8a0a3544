//! `azurerm_container_app_job.<key>`: a job of `[jobs.<key>]` in the stack's environment, pulling from the
//! stack's registry with the identity it names (the stack's or its own), after that identity's AcrPull grant and
//! its wait — the same wiring as an app (`container_app.rs`).
//!
//! Schema: azurerm 4.79.0 (`src/azurerm/data/schema/azurerm_container_app_job.json`).

use super::common::{environment_id, int, resource, resource_group_name, with_tags};
use crate::stack::{ContainerAppJob, Deployed, JobTrigger, Stack};
use crate::terraform::{Block, Expression};

/// The job `d`.
pub(super) fn block(stack: &Stack, d: &Deployed<'_>, job: &ContainerAppJob) -> Block {
    let t = "azurerm_container_app_job";
    let mut b = resource(t, d.label())
        .attr("name", job.name.as_str())
        .attr("location", stack.location.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr("container_app_environment_id", environment_id(stack))
        .attr("replica_timeout_in_seconds", int(job.replica_timeout_in_seconds))
        .attr_opt("replica_retry_limit", job.replica_retry_limit.map(int))
        // As for apps: a workload-profiles environment reports the profile a job runs on.
        .attr_opt(
            "workload_profile_name",
            stack.network.as_ref().map(|_| super::network::CONSUMPTION),
        );
    b = with_tags(b, stack, t);
    b = super::container_app::pull_wiring(b, stack, d);
    b = b.block(trigger(job));
    let tag = d.tag_variable();
    b.block(Block::new("template").block(super::container_app::container(stack, d, &job.container, &tag)))
        .attr_opt("depends_on", super::container_app::depends_on(stack, d))
}

/// `manual_trigger_config`, `schedule_trigger_config` or `event_trigger_config`.
fn trigger(job: &ContainerAppJob) -> Block {
    let mut b = Block::new(job.trigger.block_name());
    if job.trigger == JobTrigger::Schedule {
        b = b.attr("cron_expression", job.cron_expression.as_deref().unwrap_or_default());
    }
    b = b
        .attr_opt("parallelism", job.parallelism.map(int))
        .attr_opt("replica_completion_count", job.replica_completion_count.map(int));
    if let (JobTrigger::Event, Some(event)) = (job.trigger, &job.event) {
        let mut scale = Block::new("scale")
            .attr_opt("min_executions", event.min_executions.map(int))
            .attr_opt("max_executions", event.max_executions.map(int))
            .attr_opt(
                "polling_interval_in_seconds",
                event.polling_interval_in_seconds.map(int),
            );
        for rule in &event.rules {
            let mut metadata = hcl::Object::new();
            for (k, v) in &rule.metadata {
                metadata.insert(hcl::ObjectKey::from(k.as_str()), Expression::from(v.as_str()));
            }
            scale = scale.block(
                Block::new("rules")
                    .attr("name", rule.name.as_str())
                    .attr("custom_rule_type", rule.custom_rule_type.as_str())
                    .attr("metadata", Expression::Object(metadata)),
            );
        }
        b = b.block(scale);
    }
    b
}
