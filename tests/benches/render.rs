//! `make bench`: how long rendering the reference stacks takes, in process and as a whole `infra render`.
//!
//! In process: parse + validate both stack files and render them to text (HCL), and the render step alone.
//! Whole process: spawn the release `infra` binary on a copy of `stacks/` — `infra render` writing
//! `terraform/dev` and `terraform/prod` from scratch, and `infra render --check` on the result.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a bench reports its measurements on the terminal"
)]

use infra::render::render;
use infra::stack::Stack;
use infra::terraform::Format;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn stats(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>() / n as u32;
    let median = samples[n / 2];
    let (min, max) = (samples[0], samples[n - 1]);
    println!(
        "{label:<58} n={n:<6} mean {:>10.3?}  median {:>10.3?}  min {:>10.3?}  max {:>10.3?}",
        mean, median, min, max
    );
}

fn time<F: FnMut()>(iterations: usize, mut f: F) -> Vec<Duration> {
    for _ in 0..iterations / 10 {
        f(); // warm up
    }
    (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources: Vec<(String, String)> = ["dev", "prod"]
        .iter()
        .map(|n| {
            let path = format!("stacks/{n}.toml");
            let text = std::fs::read_to_string(root.join(&path)).unwrap();
            (path, text)
        })
        .collect();
    let stacks: Vec<Stack> = sources.iter().map(|(p, t)| Stack::from_toml(p, t).unwrap()).collect();

    println!("infra render benchmarks (dev + prod reference stacks)");
    stats(
        "in-process: load + validate + render + to_text, both (HCL)",
        time(2000, || {
            for (p, t) in &sources {
                let s = Stack::from_toml(p, t).unwrap();
                for f in render(&s, Format::Hcl).files {
                    black_box(f.to_text());
                }
            }
        }),
    );
    stats(
        "in-process: render + to_text, both (HCL)",
        time(2000, || {
            for s in &stacks {
                for f in render(s, Format::Hcl).files {
                    black_box(f.to_text());
                }
            }
        }),
    );
    stats(
        "in-process: render + to_text, both (JSON)",
        time(2000, || {
            for s in &stacks {
                for f in render(s, Format::Json).files {
                    black_box(f.to_text());
                }
            }
        }),
    );

    let bin = env!("CARGO_BIN_EXE_infra");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("stacks")).unwrap();
    for (p, t) in &sources {
        std::fs::write(dir.path().join(p), t).unwrap();
    }
    let run = |args: &[&str]| {
        let status = Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    let mut samples = Vec::new();
    for i in 0..60 {
        let _ = std::fs::remove_dir_all(dir.path().join("terraform"));
        let start = Instant::now();
        run(&["render"]);
        if i >= 10 {
            samples.push(start.elapsed());
        }
    }
    stats("whole process: `infra render` (writes both stacks)", samples);
    stats(
        "whole process: `infra render --check` (both up to date)",
        time(50, || run(&["render", "--check"])),
    );
    let both = median(&time(20, || run(&["render"])));
    let fmt_both = terraform_fmt(&dir.path().join("terraform"));
    if let Some(fmt) = fmt_both {
        ratio("dev + prod", both, fmt);
    }
    twenty_apps(root, bin);
}

fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[s.len() / 2]
}

/// The median of 10 `terraform fmt -check -recursive` runs on `dir` (the formatter a user runs on what infra
/// writes: the yardstick of the render/terraform-fmt ratio); `None` when terraform is not installed.
fn terraform_fmt(dir: &Path) -> Option<Duration> {
    let fmt = || {
        Command::new("terraform")
            .args(["fmt", "-check", "-recursive"])
            .arg(dir)
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()
    };
    if !fmt()?.success() {
        panic!("{} is not fmt-canonical", dir.display());
    }
    Some(median(&time(10, || {
        black_box(fmt());
    })))
}

fn ratio(what: &str, render: Duration, fmt: Duration) {
    println!(
        "{what}: `infra render` {:.1} ms / `terraform fmt -check` {:.1} ms = ratio {:.2}",
        render.as_secs_f64() * 1e3,
        fmt.as_secs_f64() * 1e3,
        render.as_secs_f64() / fmt.as_secs_f64()
    );
}

/// A 20-app stack: the worked platform example's app stack (`examples/platform/apps.toml`: three apps, a job,
/// Key Vault secrets) with 17 more apps of the shape of its `web`; rendered in process and as a whole
/// `infra render`, against `terraform fmt` on its output.
fn twenty_apps(root: &Path, bin: &str) {
    let mut text = std::fs::read_to_string(root.join("examples/platform/apps.toml")).unwrap();
    for i in 4..=20 {
        text.push_str(&format!(
            "\n[apps.app{i:02}]\nname = \"ca-shop-app{i:02}\"\n\n[apps.app{i:02}.ingress]\ntarget_port = 8080\n\n\
             [apps.app{i:02}.container]\nname = \"app{i:02}\"\nimage = \"shop/app{i:02}\"\ncpu = 0.25\nmemory = \"0.5Gi\"\n\n\
             [apps.app{i:02}.container.liveness_probe]\nport = 8080\npath = \"/health\"\n\n\
             [apps.app{i:02}.container.readiness_probe]\nport = 8080\npath = \"/ready\"\n"
        ));
    }
    let stack = Stack::from_toml("apps20.toml", &text).unwrap();
    assert_eq!(stack.apps.len(), 20);
    println!("20-app stack (examples/platform/apps.toml + 17 apps)");
    stats(
        "in-process: load + validate + render + to_text (HCL)",
        time(500, || {
            let s = Stack::from_toml("apps20.toml", &text).unwrap();
            for f in render(&s, Format::Hcl).files {
                black_box(f.to_text());
            }
        }),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apps20.toml");
    std::fs::write(&path, &text).unwrap();
    let out = dir.path().join("out");
    let run = || {
        let status = Command::new(bin)
            .args(["render", path.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    let samples = time(50, run);
    let whole = median(&samples);
    stats("whole process: `infra render` (20 apps)", samples);
    if let Some(fmt) = terraform_fmt(&out) {
        ratio("20 apps", whole, fmt);
    }
}
