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
}
