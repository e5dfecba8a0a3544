//! `azurerm_container_registry_task.cleanup`: a scheduled `acr purge` in the registry (NOTES.md §3).

use super::names::TaskName;
use serde::{Deserialize, Serialize};

/// `[container_registry.cleanup]`: delete old tags on a schedule, keeping the newest `keep` per repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanupTask {
    /// The task's name in the registry, e.g. `purge-untagged`.
    pub name: TaskName,
    /// Cron schedule, UTC, e.g. `"0 1 * * Sun"` (weekly, Sunday 01:00).
    pub schedule: String,
    /// How many of the newest tags to keep per repository (`acr purge --keep`).
    pub keep: u32,
    /// Also delete untagged manifests (`acr purge --untagged`). Do not set it if anything pulls by digest.
    #[serde(default)]
    pub untagged: bool,
    /// Which repositories and tags to purge, `<repo-regex>:<tag-regex>` (`acr purge --filter`).
    #[serde(default = "CleanupTask::default_filter")]
    pub filter: String,
    /// Only purge tags older than this Go duration (`acr purge --ago`), `0d` = any age.
    #[serde(default = "CleanupTask::default_ago")]
    pub ago: String,
}

impl CleanupTask {
    fn default_filter() -> String {
        ".*:.*".to_string()
    }

    fn default_ago() -> String {
        "0d".to_string()
    }

    /// The weekly purge of the reference stacks: keep the newest `keep` tags and drop untagged manifests.
    pub fn weekly(name: super::names::TaskName, keep: u32) -> Self {
        CleanupTask {
            name,
            schedule: "0 1 * * Sun".to_string(),
            keep,
            untagged: true,
            filter: Self::default_filter(),
            ago: Self::default_ago(),
        }
    }

    /// The `acr purge` command line the task runs.
    pub fn command(&self) -> String {
        let mut cmd = format!(
            "acr purge --filter '{}' --ago {} --keep {}",
            self.filter, self.ago, self.keep
        );
        if self.untagged {
            cmd.push_str(" --untagged");
        }
        cmd
    }

    /// The ACR task YAML (`encoded_step.task_content`).
    pub fn task_yaml(&self) -> String {
        format!(
            "version: v1.1.0\nsteps:\n  - cmd: {}\n    disableWorkingDirectoryOverride: true\n    timeout: 3600\n",
            self.command()
        )
    }
}
