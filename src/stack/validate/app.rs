//! `[container_app]`, `[apps.<key>]` and `[jobs.<key>]`: the CPU/memory pair, scale, ingress, probes,
//! environment variables and secrets, volumes, init containers and sidecars, job triggers; and the rules between
//! them (one form of apps, keys not shared by an app and a job).

use super::{field, Rules, Seg};
use crate::azurerm::facts::compute;
use crate::azurerm::facts::limits::{self, Bounds, ENV_NAME, MOUNT_PATH};
use crate::azurerm::facts::names::pattern_matches;
use crate::stack::{Container, ContainerApp, Deployed, Probe, Stack, Transport, Volume, Workload};
use Seg::{Index, Key};

/// Where an app or job is: its path, and that path as written (`container_app`, `apps.api`).
struct At {
    base: Vec<Seg>,
    name: String,
}

impl At {
    fn of(d: &Deployed<'_>) -> At {
        let base = d.path();
        At {
            name: field(&base),
            base,
        }
    }

    /// The path of `keys` under the app.
    fn path(&self, keys: &[Seg]) -> Vec<Seg> {
        let mut path = self.base.clone();
        path.extend_from_slice(keys);
        path
    }
}

/// One container of an app or job: where it is and whether it is an init container.
struct ContainerAt<'a> {
    c: &'a Container,
    keys: Vec<Seg>,
    init: bool,
}

impl ContainerAt<'_> {
    fn path(&self, at: &At, keys: &[Seg]) -> Vec<Seg> {
        let mut path = at.path(&self.keys);
        path.extend_from_slice(keys);
        path
    }
}

pub(super) fn check(stack: &Stack, r: &mut Rules) {
    forms(stack, r);
    for d in stack.deployed() {
        let at = At::of(&d);
        let (volumes, containers): (&[Volume], Vec<ContainerAt<'_>>) = match d.workload {
            Workload::App(app) => {
                app_only(stack, &d, app, &at, r);
                (&app.volumes, containers_of(app))
            }
            Workload::Job(job) => {
                super::jobs::check(job, &at.base, r);
                (
                    &[],
                    vec![ContainerAt {
                        c: &job.container,
                        keys: vec![Key("container")],
                        init: false,
                    }],
                )
            }
        };
        for c in &containers {
            cpu_and_memory(&at, c, r);
            if let Some(p) = &c.c.liveness_probe {
                probe(&at, c, r, "liveness_probe", p, false);
            }
            if let Some(p) = &c.c.readiness_probe {
                probe(&at, c, r, "readiness_probe", p, true);
            }
            env(&at, c, r);
            volume_mounts(&at, c, volumes, r);
        }
        secrets(&at, d.container(), d.secrets(), r);
    }
}

/// `[container_app]` or `[apps.<key>]`, not both and not neither; a key is an app's or a job's, not both (their
/// image-tag variables would collide).
fn forms(stack: &Stack, r: &mut Rules) {
    if stack.container_app.is_some() && !stack.apps.is_empty() {
        r.push(
            vec![Key("apps")],
            "the stack has both [container_app] and [apps.<key>]".to_string(),
            "write one app as [container_app], or every app as [apps.<key>] (move [container_app] to [apps.<key>]: its Terraform address becomes azurerm_container_app.<key>)".to_string(),
        );
    }
    // A platform stack (docs/stacks.md, "A worked platform") creates the environment its app stacks run in and
    // no app of its own; a stack that creates neither has nothing to run.
    if stack.container_app.is_none() && stack.apps.is_empty() && stack.jobs.is_empty() && stack.environment.is_none() {
        r.push(
            Vec::new(),
            "the stack has no app, no job and no environment of its own".to_string(),
            "add [container_app] (one app), or [apps.<key>] / [jobs.<key>] tables; a platform stack creates [environment]".to_string(),
        );
    }
    for key in stack.jobs.keys() {
        if stack.apps.contains_key(key) {
            r.push(
                vec![Key("jobs"), Seg::Entry(key.to_string())],
                format!("\"{key}\" is the key of an app and of a job"),
                format!("rename [jobs.{key}]: its image-tag variable image_tag_{key} would be the app's"),
            );
        }
    }
}

/// What only apps have: scale, ingress, per-app identity (only in `[apps.<key>]`), and the placeholder's limits.
fn app_only(stack: &Stack, d: &Deployed<'_>, app: &ContainerApp, at: &At, r: &mut Rules) {
    scale(at, app, r);
    if let Some(ingress) = &app.ingress {
        r.range(
            at.path(&[Key("ingress"), Key("target_port")]),
            ingress.target_port,
            limits::PORT,
            "a port",
        );
    }
    volumes(stack, at, app, r);
    if d.key.is_none() && app.identity.is_some() {
        r.push(
            at.path(&[Key("identity")]),
            "[container_app.identity] is only for apps of [apps.<key>]".to_string(),
            "the one app of [container_app] pulls with the stack's [identity]; remove [container_app.identity]"
                .to_string(),
        );
    }
    let extra = !app.init_containers.is_empty() || !app.sidecars.is_empty();
    if extra && app.container.image_tag.is_none() {
        r.push(
            at.path(&[Key("container"), Key("image_tag")]),
            format!("{} has init containers or sidecars but no image_tag", at.name),
            "while the image-tag variable is null the app runs a public placeholder, which cannot stand in for init containers or sidecars: set image_tag (the tag CI deploys first)".to_string(),
        );
    }
}

fn containers_of(app: &ContainerApp) -> Vec<ContainerAt<'_>> {
    let mut out = vec![ContainerAt {
        c: &app.container,
        keys: vec![Key("container")],
        init: false,
    }];
    out.extend(app.init_containers.iter().enumerate().map(|(i, c)| ContainerAt {
        c,
        keys: vec![Key("init_containers"), Index(i)],
        init: true,
    }));
    out.extend(app.sidecars.iter().enumerate().map(|(i, c)| ContainerAt {
        c,
        keys: vec![Key("sidecars"), Index(i)],
        init: false,
    }));
    out
}

fn cpu_and_memory(at: &At, c: &ContainerAt<'_>, r: &mut Rules) {
    let cpu = c.c.cpu;
    if !compute::consumption_pair(cpu.cores(), c.c.memory.gib()) {
        let name = field(&c.path(at, &[]));
        r.push(
            c.path(at, &[Key("memory")]),
            format!(
                "{name}.cpu = {} and memory = \"{}\" are not a valid Consumption pair",
                cpu.cores(),
                c.c.memory
            ),
            format!(
                "with cpu = {} use memory = \"{}\" (memory must be 2 × cpu, cpu in 0.25 steps from 0.25 to 4.0)",
                cpu.cores(),
                cpu.matching_memory()
            ),
        );
    }
}

fn scale(at: &At, app: &ContainerApp, r: &mut Rules) {
    let scale = &app.scale;
    let sp = |k: &'static str| at.path(&[Key("scale"), Key(k)]);
    let name = &at.name;
    r.range(
        sp("min_replicas"),
        scale.min_replicas,
        limits::MIN_REPLICAS,
        "min_replicas",
    );
    r.range(
        sp("max_replicas"),
        scale.max_replicas,
        limits::MAX_REPLICAS,
        "max_replicas",
    );
    if scale.min_replicas > scale.max_replicas {
        r.push(
            sp("min_replicas"),
            format!(
                "{name}.scale.min_replicas = {} is greater than max_replicas = {}",
                scale.min_replicas, scale.max_replicas
            ),
            format!(
                "min_replicas must be at most max_replicas: lower min_replicas, or raise max_replicas to at least {}",
                scale.min_replicas
            ),
        );
    }
    if scale
        .http_concurrent_requests
        .is_some_and(|n| n < limits::MIN_HTTP_CONCURRENT_REQUESTS)
    {
        r.push(
            sp("http_concurrent_requests"),
            format!("{name}.scale.http_concurrent_requests = 0 would never scale"),
            "http_concurrent_requests is the number of concurrent requests per replica, at least 1, e.g. 100"
                .to_string(),
        );
    }
}

/// A probe's ranges (one table row per setting), then the settings that belong to other probes or transports.
fn probe(at: &At, c: &ContainerAt<'_>, r: &mut Rules, name: &'static str, p: &Probe, readiness: bool) {
    let path = |k: &'static str| c.path(at, &[Key(name), Key(k)]);
    if c.init {
        r.push(
            c.path(at, &[Key(name)]),
            format!("{}.{name} is set on an init container", field(&c.path(at, &[]))),
            "init containers run to completion and take no probes (azurerm's init_container has none): remove it"
                .to_string(),
        );
        return;
    }
    let what = |k: &str| format!("a probe's {k}");
    let (failures, kind) = if readiness {
        (limits::READINESS_FAILURES, "readiness")
    } else {
        (limits::LIVENESS_FAILURES, "liveness")
    };
    let ranges: [(&'static str, Option<u32>, Bounds, String); 5] = [
        ("port", Some(p.port), limits::PORT, what("port")),
        (
            "initial_delay",
            p.initial_delay,
            limits::PROBE_INITIAL_DELAY,
            what("initial_delay"),
        ),
        (
            "interval_seconds",
            p.interval_seconds,
            limits::PROBE_SECONDS,
            what("interval_seconds"),
        ),
        ("timeout", p.timeout, limits::PROBE_SECONDS, what("timeout")),
        (
            "failure_count_threshold",
            p.failure_count_threshold,
            failures,
            format!("a {kind} probe's failure_count_threshold"),
        ),
    ];
    for (key, value, bounds, what) in ranges {
        if let Some(v) = value {
            r.range(path(key), v, bounds, &what);
        }
    }
    let container = field(&c.path(at, &[]));
    if let Some(v) = p.success_count_threshold {
        if readiness {
            r.range(
                path("success_count_threshold"),
                v,
                limits::READINESS_SUCCESSES,
                &what("success_count_threshold"),
            );
        } else {
            r.push(
                path("success_count_threshold"),
                format!("{container}.{name}.success_count_threshold is only for readiness probes"),
                "remove success_count_threshold from the liveness probe".to_string(),
            );
        }
    }
    if p.transport == Transport::TCP && p.path.is_some() {
        r.push(
            path("path"),
            format!("{container}.{name}.path is set on a TCP probe"),
            "path is for transport = \"HTTP\" or \"HTTPS\"; remove it or change the transport".to_string(),
        );
    }
}

fn env(at: &At, c: &ContainerAt<'_>, r: &mut Rules) {
    for key in c.c.env.keys() {
        if !is_env_name(key) {
            r.push(
                c.path(at, &[Key("env")]),
                format!("{}.env has an invalid variable name {key:?}", field(&c.path(at, &[]))),
                "environment variable names are letters, digits and '_', not starting with a digit".to_string(),
            );
        }
    }
}

/// Each secret named once, and its environment variable a name no other value of the main container sets.
fn secrets(at: &At, main: &Container, secrets: &[crate::stack::Secret], r: &mut Rules) {
    let name = &at.name;
    let mut secret_names: Vec<&str> = Vec::new();
    let mut secret_envs: Vec<&str> = Vec::new();
    for (i, secret) in secrets.iter().enumerate() {
        if secret_names.contains(&secret.name.as_str()) {
            r.push(
                at.path(&[Key("secrets"), Index(i), Key("name")]),
                format!("{name}.secrets[{i}].name = \"{}\" is declared twice", secret.name),
                "give each secret its own name".to_string(),
            );
        }
        secret_names.push(secret.name.as_str());
        let Some(env) = &secret.env else {
            continue;
        };
        let path = at.path(&[Key("secrets"), Index(i), Key("env")]);
        if main.env.contains_key(env) || secret_envs.contains(&env.as_str()) {
            r.push(
                path,
                format!("{name}.secrets[{i}].env = {env:?} is already set by another value"),
                format!("an environment variable gets one value: remove {env} from [{name}.container.env] or from the other secret"),
            );
        } else if !is_env_name(env) {
            r.push(
                path,
                format!("{name}.secrets[{i}].env = {env:?} is not an environment variable name"),
                "environment variable names are letters, digits and '_', not starting with a digit".to_string(),
            );
        }
        secret_envs.push(env);
    }
}

/// Each mount names a declared volume, at an absolute path.
fn volume_mounts(at: &At, c: &ContainerAt<'_>, volumes: &[Volume], r: &mut Rules) {
    let volumes: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
    let name = &at.name;
    let container = field(&c.path(at, &[]));
    for (i, m) in c.c.volume_mounts.iter().enumerate() {
        if !volumes.contains(&m.name.as_str()) {
            let help = if at.base.first() == Some(&Key("jobs")) {
                "a job has no volumes: remove the volume mount".to_string()
            } else if volumes.is_empty() {
                format!("declare the volume in [[{name}.volumes]] (name, storage_name)")
            } else {
                format!("a volume mount names one of [[{name}.volumes]]: {}", quoted(&volumes))
            };
            r.push(
                c.path(at, &[Key("volume_mounts"), Index(i), Key("name")]),
                format!("{container}.volume_mounts[{i}].name = \"{}\" names no volume", m.name),
                help,
            );
        }
        if !pattern_matches(MOUNT_PATH, &m.path) {
            r.push(
                c.path(at, &[Key("volume_mounts"), Index(i), Key("path")]),
                format!(
                    "{container}.volume_mounts[{i}].path = {:?} is not an absolute path",
                    m.path
                ),
                "mount paths start with '/', e.g. \"/data\"".to_string(),
            );
        }
    }
}

/// Each volume is backed by the environment storage.
fn volumes(stack: &Stack, at: &At, app: &ContainerApp, r: &mut Rules) {
    let storage = &stack.storage.environment_storage.name;
    for (i, v) in app.volumes.iter().enumerate() {
        if &v.storage_name != storage {
            r.push(
                at.path(&[Key("volumes"), Index(i), Key("storage_name")]),
                format!(
                    "{}.volumes[{i}].storage_name = \"{}\" names no environment storage",
                    at.name, v.storage_name
                ),
                format!("the environment storage is \"{storage}\" ([storage.environment_storage] name)"),
            );
        }
    }
}

fn is_env_name(key: &str) -> bool {
    pattern_matches(ENV_NAME, key)
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}
