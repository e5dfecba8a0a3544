//! `[jobs.<key>]`: the trigger and what belongs to it (a valid cron expression for `Schedule`, scale rules for
//! `Event`), and the replica settings azurerm 4.79.0 checks at plan time
//! (internal/services/containerapps/container_app_job_resource.go: `replica_timeout_in_seconds` IntAtLeast(1),
//! `replica_retry_limit` IntAtLeast(0); helpers/container_app_job.go: `parallelism`, `replica_completion_count`
//! and `max_executions` IntAtLeast(1), `min_executions` IntAtLeast(0), `polling_interval_in_seconds`
//! IntAtLeast(1)).

use super::{field, Rules, Seg};
use crate::stack::cleanup_task;
use crate::stack::{ContainerAppJob, JobTrigger};
use Seg::Key;

pub(super) fn check(job: &ContainerAppJob, base: &[Seg], r: &mut Rules) {
    let at = |keys: &[Seg]| {
        let mut p = base.to_vec();
        p.extend_from_slice(keys);
        p
    };
    let name = field(base);
    trigger(job, &name, &at, r);
    for (key, value) in [
        ("replica_timeout_in_seconds", Some(job.replica_timeout_in_seconds)),
        ("parallelism", job.parallelism),
        ("replica_completion_count", job.replica_completion_count),
    ] {
        if value == Some(0) {
            r.push(
                at(&[Key(key)]),
                format!("{name}.{key} = 0 is out of range"),
                format!("{key} is at least 1"),
            );
        }
    }
    if let Some(event) = &job.event {
        let ev = |k: &'static str| at(&[Key("event"), Key(k)]);
        for (key, value) in [
            ("max_executions", event.max_executions),
            ("polling_interval_in_seconds", event.polling_interval_in_seconds),
        ] {
            if value == Some(0) {
                r.push(
                    ev(key),
                    format!("{name}.event.{key} = 0 is out of range"),
                    format!("{key} is at least 1"),
                );
            }
        }
        if let (Some(min), Some(max)) = (event.min_executions, event.max_executions) {
            if min > max {
                r.push(
                    ev("min_executions"),
                    format!("{name}.event.min_executions = {min} is greater than max_executions = {max}"),
                    "min_executions must be at most max_executions".to_string(),
                );
            }
        }
        if event.rules.is_empty() {
            r.push(
                ev("rules"),
                format!("{name}.event has no rules"),
                "add a [[jobs.<key>.event.rules]] with name, custom_rule_type (e.g. \"azure-queue\") and metadata"
                    .to_string(),
            );
        }
    }
}

/// `Schedule` needs a cron expression Container Apps accepts, `Event` an `[event]` table; neither belongs to
/// another trigger.
fn trigger(job: &ContainerAppJob, name: &str, at: &dyn Fn(&[Seg]) -> Vec<Seg>, r: &mut Rules) {
    let t = job.trigger;
    match (&job.cron_expression, t) {
        (None, JobTrigger::Schedule) => r.push(
            at(&[Key("trigger")]),
            format!("{name}.trigger = \"Schedule\" has no cron_expression"),
            "add cron_expression: five fields, minute hour day-of-month month day-of-week (UTC), e.g. \"0 3 * * *\""
                .to_string(),
        ),
        (Some(_), JobTrigger::Manual | JobTrigger::Event) => r.push(
            at(&[Key("cron_expression")]),
            format!("{name}.cron_expression is set but trigger = \"{t:?}\""),
            "cron_expression is for trigger = \"Schedule\"; remove it or change the trigger".to_string(),
        ),
        // Container Apps reads the standard five-field cron format in UTC (Microsoft Learn, "Jobs in Azure
        // Container Apps", Scheduled jobs), as ACR task timers do: the cleanup task's check serves both.
        (Some(cron), JobTrigger::Schedule) => {
            if let Some(reason) = cleanup_task::schedule_problem(cron) {
                r.push(
                    at(&[Key("cron_expression")]),
                    format!("{name}.cron_expression = {cron:?} is not a cron expression Container Apps accepts: {reason}"),
                    "write five fields, minute hour day-of-month month day-of-week (UTC), e.g. \"0 3 * * *\"; each is *, a number, a range a-b, a list a,b or a step */n".to_string(),
                );
            }
        }
        (None, _) => {}
    }
    match (&job.event, t) {
        (None, JobTrigger::Event) => r.push(
            at(&[Key("trigger")]),
            format!("{name}.trigger = \"Event\" has no [{name}.event]"),
            format!("add [{name}.event] with at least one [[{name}.event.rules]]"),
        ),
        (Some(_), JobTrigger::Manual | JobTrigger::Schedule) => r.push(
            at(&[Key("event")]),
            format!("[{name}.event] is set but trigger = \"{t:?}\""),
            "[event] is for trigger = \"Event\"; remove it or change the trigger".to_string(),
        ),
        _ => {}
    }
}
