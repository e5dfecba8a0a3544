//! `azurerm_container_registry_task.cleanup`: a scheduled `acr purge` (NOTES.md §3).

use super::common::{r, resource, with_tags};
use crate::stack::{CleanupTask, Stack};
use crate::terraform::expr::heredoc;
use crate::terraform::Block;

pub(super) fn block(stack: &Stack, task: &CleanupTask) -> Block {
    let t = "azurerm_container_registry_task";
    // A heredoc keeps the YAML readable; the provider base64-encodes it itself. The YAML's text is literal:
    // `heredoc` escapes `${` / `%{`, and `task_yaml` quotes the command (shell) and its scalar (YAML).
    let content = heredoc("YAML", &task.task_yaml());
    let b = resource(t, "cleanup")
        .attr("name", task.name.as_str())
        .attr("container_registry_id", r("azurerm_container_registry.main.id"));
    with_tags(b, stack, t)
        .block(Block::new("platform").attr("os", "Linux"))
        .block(Block::new("encoded_step").attr("task_content", content))
        .block(
            Block::new("timer_trigger")
                .attr("name", "schedule")
                .attr("schedule", task.schedule.as_str())
                .attr("enabled", true),
        )
}
