//! infra: typed stacks for Azure Container Apps.
//!
//! Data flows one way: a stack file ([`stack`]) → the typed model → a Terraform document ([`terraform`]) →
//! HCL or JSON ([`render`]). [`diff`], [`check`] and [`graph`] work on the Terraform document, so they serve
//! hand-written Terraform and real plans ([`plan`]) too; [`drift`] reads what is live in Azure into the same form.
//!
//! # The public face
//!
//! The library is what the `infra` binary runs ([`run`]); its public face is the six stages a program or a test
//! drives, and the types their signatures need. Everything else is `pub(crate)`: the rules' helpers, the
//! readers' and the differ's insides, the Azure clients' plumbing can change without a major version.
//!
//! | module | holds |
//! |---|---|
//! | [`stack`] | the typed model of a stack ([`stack::Stack`]), loading and validation against Azure's rules |
//! | [`render`] | stack → Terraform document ([`render::render`]), and writing or checking `terraform/<stack>/` |
//! | [`diff`] | two configurations or a plan → one [`diff::ChangeSet`], and its text / Markdown / JSON views |
//! | [`check`] | policy rules over a Terraform document ([`check::check`]) and their outputs (text, JSON, SARIF, JUnit) |
//! | [`drift`] | reading a stack's resources live from Azure and comparing them with the declared configuration |
//! | [`graph`] | the dependency graph of a Terraform document, as Mermaid or DOT |
//! | [`terraform`] | what those signatures need: the Terraform document ([`terraform::Config`], [`terraform::Format`], [`terraform::Address`]), its expressions and evaluation |
//! | [`plan`] | what they need of `terraform show -json` plans: [`plan::Plan`] (provider schemas are [`terraform::Schemas`], the built-in set [`azurerm::builtin_schemas`]) |
//! | [`azurerm`] | the azurerm provider version infra renders for and judges by, its vendored schema and force-new facts |
//!
//! What is deliberately not public: the command line (`cli`: flags and exit codes are the binary's interface,
//! documented in `docs/`; [`command`] gives its clap tree for completions and for checking a command line),
//! `fsutil` (safe file writes) and `style` (terminal colour), and `azurerm`'s facts (defaults, name rules, SKU
//! tiers), which every stage reads but which change with the provider.
//!
//! # Example
//!
//! Load a stack, render it, check it and predict what changing it does:
//!
//! ```
//! use infra::{check, diff, render, stack::Stack, terraform::Format};
//!
//! let stack = Stack::load("stacks/dev.toml".as_ref())?;
//! let config = render::render(&stack, Format::Hcl);
//! assert!(config.files.iter().any(|f| f.name == "main.tf"));
//!
//! let report = check::check(&config, &check::Settings::default(), Some("dev"), false);
//! assert!(report.findings.iter().any(|f| f.rule == "ACR003"));
//!
//! let mut premium = stack.clone();
//! premium.container_registry.as_mut().unwrap().sku = infra::stack::RegistrySku::Premium;
//! let changes = diff::from_configs(&config, &render::render(&premium, Format::Hcl));
//! let text = diff::text::render(&changes, false);
//! assert!(text.contains("Plan: 0 to add, 1 to change, 0 to destroy."), "{text}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod azurerm;
pub mod check;
mod cli;
pub mod diff;
pub mod drift;
mod fsutil;
pub mod graph;
mod heap;
mod parallel;
pub use heap::Allocator;
pub mod plan;
pub mod render;
pub mod stack;
mod style;
pub mod terraform;

/// Runs the `infra` command line with this process's arguments and returns its exit code: all `src/main.rs`
/// does (besides choosing the allocator), so that everything the binary does is library code, tested as such.
///
/// Exit codes are documented in `docs/` (0 clean, 1 findings or changes, 2 usage or input errors, …).
pub fn run() -> std::process::ExitCode {
    cli::main()
}

/// The command tree of the `infra` binary (subcommands, flags, help, version), as clap builds it: for generating
/// completions or manual pages elsewhere, or checking that a command line is one `infra` accepts.
///
/// ```
/// let cmd = infra::command();
/// assert!(cmd.get_subcommands().any(|s| s.get_name() == "diff"));
/// assert!(cmd.try_get_matches_from(["infra", "render", "--check"]).is_ok());
/// ```
pub fn command() -> clap::Command {
    <cli::Cli as clap::CommandFactory>::command()
}
