//! `[container_app]`: the CPU/memory pair, scale, ingress, probes, environment variables and secrets, volumes.

use super::{Rules, Seg};
use crate::azurerm::facts::compute;
use crate::azurerm::facts::limits::{self, Bounds, ENV_NAME, MOUNT_PATH};
use crate::azurerm::facts::names::pattern_matches;
use crate::stack::{ContainerApp, Probe, Stack, Transport};
use Seg::{Index, Key};

const APP: Seg = Key("container_app");

pub(super) fn check(stack: &Stack, r: &mut Rules) {
    let app = &stack.container_app;
    cpu_and_memory(app, r);
    scale(app, r);
    if let Some(ingress) = &app.ingress {
        r.range(
            vec![APP, Key("ingress"), Key("target_port")],
            ingress.target_port,
            limits::PORT,
            "a port",
        );
    }
    if let Some(p) = &app.container.liveness_probe {
        probe(r, "liveness_probe", p, false);
    }
    if let Some(p) = &app.container.readiness_probe {
        probe(r, "readiness_probe", p, true);
    }
    env(app, r);
    secrets(app, r);
    volume_mounts(app, r);
    volumes(stack, r);
}

/// The path of `keys` under `[container_app.container]`.
fn container(keys: &[Seg]) -> Vec<Seg> {
    let mut path = vec![APP, Key("container")];
    path.extend_from_slice(keys);
    path
}

fn cpu_and_memory(app: &ContainerApp, r: &mut Rules) {
    let c = &app.container;
    if !compute::consumption_pair(c.cpu.cores(), c.memory.gib()) {
        r.push(
            container(&[Key("memory")]),
            format!(
                "container_app.container.cpu = {} and memory = \"{}\" are not a valid Consumption pair",
                c.cpu.cores(),
                c.memory
            ),
            format!(
                "with cpu = {} use memory = \"{}\" (memory must be 2 × cpu, cpu in 0.25 steps from 0.25 to 4.0)",
                c.cpu.cores(),
                c.cpu.matching_memory()
            ),
        );
    }
}

fn scale(app: &ContainerApp, r: &mut Rules) {
    let scale = &app.scale;
    let sp = |k: &'static str| vec![APP, Key("scale"), Key(k)];
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
                "container_app.scale.min_replicas = {} is greater than max_replicas = {}",
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
            "container_app.scale.http_concurrent_requests = 0 would never scale".to_string(),
            "http_concurrent_requests is the number of concurrent requests per replica, at least 1, e.g. 100"
                .to_string(),
        );
    }
}

/// A probe's ranges (one table row per setting), then the settings that belong to other probes or transports.
fn probe(r: &mut Rules, name: &'static str, p: &Probe, readiness: bool) {
    let path = |k: &'static str| container(&[Key(name), Key(k)]);
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
                format!("container_app.container.{name}.success_count_threshold is only for readiness probes"),
                "remove success_count_threshold from the liveness probe".to_string(),
            );
        }
    }
    if p.transport == Transport::TCP && p.path.is_some() {
        r.push(
            path("path"),
            format!("container_app.container.{name}.path is set on a TCP probe"),
            "path is for transport = \"HTTP\" or \"HTTPS\"; remove it or change the transport".to_string(),
        );
    }
}

fn env(app: &ContainerApp, r: &mut Rules) {
    for key in app.container.env.keys() {
        if !is_env_name(key) {
            r.push(
                container(&[Key("env")]),
                format!("container_app.container.env has an invalid variable name {key:?}"),
                "environment variable names are letters, digits and '_', not starting with a digit".to_string(),
            );
        }
    }
}

/// Each secret named once, and its environment variable a name no other value sets.
fn secrets(app: &ContainerApp, r: &mut Rules) {
    let mut secret_names: Vec<&str> = Vec::new();
    let mut secret_envs: Vec<&str> = Vec::new();
    for (i, secret) in app.secrets.iter().enumerate() {
        if secret_names.contains(&secret.name.as_str()) {
            r.push(
                vec![APP, Key("secrets"), Index(i), Key("name")],
                format!(
                    "container_app.secrets[{i}].name = \"{}\" is declared twice",
                    secret.name
                ),
                "give each secret its own name".to_string(),
            );
        }
        secret_names.push(secret.name.as_str());
        let Some(env) = &secret.env else {
            continue;
        };
        let path = vec![APP, Key("secrets"), Index(i), Key("env")];
        if app.container.env.contains_key(env) || secret_envs.contains(&env.as_str()) {
            r.push(
                path,
                format!("container_app.secrets[{i}].env = {env:?} is already set by another value"),
                format!("an environment variable gets one value: remove {env} from [container_app.container.env] or from the other secret"),
            );
        } else if !is_env_name(env) {
            r.push(
                path,
                format!("container_app.secrets[{i}].env = {env:?} is not an environment variable name"),
                "environment variable names are letters, digits and '_', not starting with a digit".to_string(),
            );
        }
        secret_envs.push(env);
    }
}

/// Each mount names a declared volume, at an absolute path.
fn volume_mounts(app: &ContainerApp, r: &mut Rules) {
    let volumes: Vec<&str> = app.volumes.iter().map(|v| v.name.as_str()).collect();
    for (i, m) in app.container.volume_mounts.iter().enumerate() {
        if !volumes.contains(&m.name.as_str()) {
            let help = if volumes.is_empty() {
                "declare the volume in [[container_app.volumes]] (name, storage_name)".to_string()
            } else {
                format!(
                    "a volume mount names one of [[container_app.volumes]]: {}",
                    quoted(&volumes)
                )
            };
            r.push(
                container(&[Key("volume_mounts"), Index(i), Key("name")]),
                format!(
                    "container_app.container.volume_mounts[{i}].name = \"{}\" names no volume",
                    m.name
                ),
                help,
            );
        }
        if !pattern_matches(MOUNT_PATH, &m.path) {
            r.push(
                container(&[Key("volume_mounts"), Index(i), Key("path")]),
                format!(
                    "container_app.container.volume_mounts[{i}].path = {:?} is not an absolute path",
                    m.path
                ),
                "mount paths start with '/', e.g. \"/data\"".to_string(),
            );
        }
    }
}

/// Each volume is backed by the environment storage.
fn volumes(stack: &Stack, r: &mut Rules) {
    let storage = &stack.storage.environment_storage.name;
    for (i, v) in stack.container_app.volumes.iter().enumerate() {
        if &v.storage_name != storage {
            r.push(
                vec![APP, Key("volumes"), Index(i), Key("storage_name")],
                format!(
                    "container_app.volumes[{i}].storage_name = \"{}\" names no environment storage",
                    v.storage_name
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
