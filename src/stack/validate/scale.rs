//! `[[container_app.scale.rules]]`: names unique in the app (the HTTP rule is `http-concurrency`), one way to
//! authenticate, secrets that exist, names Azure accepts, cron windows as the cleanup task's schedule is checked
//! (five fields: KEDA's cron scaler reads standard cron, keda.sh/docs/2.x/scalers/cron), KEDA metadata without
//! secrets.

use super::{Rules, Seg};
use crate::azurerm::facts::limits;
use crate::azurerm::facts::names::{self as facts, NameRule};
use crate::stack::scale::HTTP_RULE;
use crate::stack::{cleanup_task, ContainerApp, ScaleRule};
use Seg::{Index, Key};

/// Metadata keys that carry credentials in KEDA's scalers (`connection`, `connectionFromEnv`, `password`, …):
/// those belong in an app secret named by `authentication`.
const SECRET_WORDS: &[&str] = &[
    "password",
    "connection",
    "secret",
    "token",
    "accountkey",
    "sharedaccesskey",
];

/// The rules for one app; `app` is its path (`[Key("container_app")]`).
pub(super) fn check(container_app: &ContainerApp, app: &[Seg], r: &mut Rules) {
    let table = super::field(app);
    let mut names: Vec<&str> = Vec::new();
    if container_app.scale.http_concurrent_requests.is_some() {
        names.push(HTTP_RULE);
    }
    for (i, rule) in container_app.scale.rules.iter().enumerate() {
        let at = |key: &'static str| -> Vec<Seg> {
            app.iter()
                .cloned()
                .chain([Key("scale"), Key("rules"), Index(i), Key(key)])
                .collect()
        };
        let here = format!("{table}.scale.rules[{i}]");
        let name = rule.name().as_str();
        if names.contains(&name) {
            r.push(
                at("name"),
                format!("{here}.name = {name:?} is used by another scale rule"),
                format!("give each scale rule its own name ({HTTP_RULE:?} is the HTTP rule's)"),
            );
        }
        names.push(name);
        let mut ctx = Ctx {
            r,
            app: container_app,
            here: &here,
            at: &at,
        };
        ctx.rule(rule);
    }
}

/// One rule's place, for its checks.
struct Ctx<'a, F: Fn(&'static str) -> Vec<Seg>> {
    r: &'a mut Rules,
    app: &'a ContainerApp,
    here: &'a str,
    at: &'a F,
}

impl<F: Fn(&'static str) -> Vec<Seg>> Ctx<'_, F> {
    fn rule(&mut self, rule: &ScaleRule) {
        match rule {
            ScaleRule::AzureQueue {
                queue_length,
                account_name,
                connection_secret,
                ..
            } => {
                self.at_least_one("queue_length", *queue_length);
                match (account_name, connection_secret) {
                    (Some(_), Some(_)) | (None, None) => self.push(
                        "account_name",
                        format!("{} needs exactly one of account_name and connection_secret", self.here),
                        "set account_name to read the queue with the app's identity, or connection_secret to use a connection string held in an app secret".to_string(),
                    ),
                    (Some(_), None) => {}
                    (None, Some(secret)) => self.secret("connection_secret", secret.as_str()),
                }
            }
            ScaleRule::ServiceBus {
                queue_name,
                topic_name,
                subscription_name,
                message_count,
                ..
            } => {
                self.at_least_one("message_count", *message_count);
                match (queue_name, topic_name, subscription_name) {
                    (Some(_), None, None) | (None, Some(_), Some(_)) => {}
                    _ => self.push(
                        "queue_name",
                        format!("{} needs queue_name, or topic_name with subscription_name", self.here),
                        "a Service Bus rule watches one queue, or one subscription of a topic".to_string(),
                    ),
                }
            }
            ScaleRule::Cron {
                start,
                end,
                desired_replicas,
                ..
            } => {
                self.cron("start", start);
                self.cron("end", end);
                self.replicas(*desired_replicas);
            }
            ScaleRule::Tcp {
                concurrent_connections, ..
            } => {
                self.at_least_one("concurrent_connections", *concurrent_connections);
            }
            ScaleRule::Custom {
                metadata,
                authentication,
                ..
            } => {
                self.metadata(metadata);
                for a in authentication {
                    self.secret("authentication", a.secret_name.as_str());
                    self.named("authentication", &a.trigger_parameter, &facts::KEDA_PARAMETER);
                }
            }
        }
    }

    fn push(&mut self, key: &'static str, message: String, help: String) {
        self.r.push((self.at)(key), message, help);
    }

    fn named(&mut self, key: &'static str, value: &str, rule: &NameRule) {
        if !rule.is_valid(value) {
            self.push(
                key,
                format!("{}.{key} = {value:?} is not a valid {}", self.here, rule.what),
                format!("a {} is {}", rule.what, rule.rule),
            );
        }
    }

    fn at_least_one(&mut self, key: &'static str, value: u32) {
        if value == 0 {
            self.push(
                key,
                format!("{}.{key} = 0 would never scale", self.here),
                format!("{key} is at least 1"),
            );
        }
    }

    fn secret(&mut self, key: &'static str, name: &str) {
        if !self.app.secrets.iter().any(|s| s.name.as_str() == name) {
            self.push(
                key,
                format!(
                    "{}.{key} names secret {name:?}, which the app does not declare",
                    self.here
                ),
                "declare it in [[container_app.secrets]] (its value from a variable or Key Vault)".to_string(),
            );
        }
    }

    fn cron(&mut self, key: &'static str, expression: &str) {
        if let Some(problem) = cleanup_task::schedule_problem(expression) {
            self.push(
                key,
                format!(
                    "{}.{key} = {expression:?} is not a cron expression: {problem}",
                    self.here
                ),
                "five fields: minute hour day-of-month month day-of-week, e.g. \"0 8 * * 1-5\" (08:00 on weekdays)"
                    .to_string(),
            );
        }
    }

    fn replicas(&mut self, desired: u32) {
        let max = self.app.scale.max_replicas;
        if desired < 1 || desired > max {
            self.push(
                "desired_replicas",
                format!("{}.desired_replicas = {desired} is out of range", self.here),
                format!(
                    "desired_replicas is 1 to the app's max_replicas ({max}; at most {})",
                    limits::MAX_REPLICAS.max
                ),
            );
        }
    }

    fn metadata(&mut self, metadata: &std::collections::BTreeMap<String, String>) {
        if metadata.is_empty() {
            self.push(
                "metadata",
                format!("{}.metadata is empty", self.here),
                "a KEDA scaler needs its metadata, e.g. { address = \"redis:6379\", listName = \"jobs\" }".to_string(),
            );
        }
        for key in metadata.keys() {
            let lower = key.to_ascii_lowercase();
            if SECRET_WORDS.iter().any(|w| lower.contains(w)) {
                self.push(
                    "metadata",
                    format!("{}.metadata.{key} looks like a credential", self.here),
                    "metadata is written into the Terraform files: put the value in an app secret and name it in authentication = [{ secret_name = \"…\", trigger_parameter = \"…\" }]".to_string(),
                );
            } else {
                self.named("metadata", key, &facts::KEDA_PARAMETER);
            }
        }
    }
}
