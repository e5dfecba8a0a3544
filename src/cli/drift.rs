//! `infra drift`: compare a stack with what is live in Azure.

use super::{ColorChoice, Error, Outcome};
use crate::diff;
use crate::drift::azure::AzureSettings;
use crate::drift::changes::to_change_set;
use crate::drift::compare::compare;
use crate::drift::read::{read_live_blocking, Target};
use crate::stack::Stack;
use crate::terraform::{Config, Format};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Compare a stack with what is live in Azure.
///
/// Renders the stack, reads every resource it declares from Azure Resource Manager (GET only: Reader on the
/// resource group is enough) and shows the differences as a Terraform-style plan: what applying the stack would
/// change. Credentials: AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET, workload identity
/// (AZURE_FEDERATED_TOKEN_FILE), a managed identity, or `az login`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  infra drift stacks/prod.toml --subscription 00000000-0000-0000-0000-000000000000
  infra drift stacks/prod.toml --subscription … --format markdown   a pull-request comment
  infra drift terraform/prod --subscription …                       a rendered (or hand-written) configuration

Exit status: 0 live matches the stack, 2 it drifted (or something is missing), 1 error.")]
pub(crate) struct DriftArgs {
    /// The stack file (e.g. stacks/prod.toml), or a directory of Terraform configuration (.tf / .tf.json).
    #[arg(value_name = "STACK")]
    pub stack: PathBuf,

    /// The Azure subscription the stack is deployed in (a GUID).
    #[arg(long, value_name = "ID", env = "AZURE_SUBSCRIPTION_ID")]
    pub subscription: String,

    /// Output format: text (Terraform's plan output), markdown (a PR comment), json (stable schema).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Colour the text output: auto = only on a terminal and when NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Seconds each request to Azure may take (token requests included) before infra gives up.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Text,
    Markdown,
    Json,
}

pub(crate) fn run(args: DriftArgs) -> Result<Outcome, Error> {
    let config = declared(&args.stack)?;
    let target = Target::from_config(&config).map_err(|message| Error::DriftTarget {
        stack: args.stack.clone(),
        message,
    })?;
    let mut settings = AzureSettings::from_env(&args.subscription)?;
    settings.timeout = Duration::from_secs(args.timeout);
    let live = read_live_blocking(&settings, &target)?;
    let report = compare(&config, &live.objects);
    let set = to_change_set(&report);
    let color = args.color.colour(args.format == OutputFormat::Text);
    let out = match args.format {
        OutputFormat::Text => diff::text::render(&set, color),
        OutputFormat::Markdown => diff::markdown::render(&set),
        OutputFormat::Json => diff::json::render(&set),
    };
    out!("{out}");
    Ok(if report.has_drift() {
        Outcome::Changes
    } else {
        Outcome::Clean
    })
}

/// The configuration to compare with: the stack rendered, or a directory read as it is.
fn declared(path: &Path) -> Result<Config, Error> {
    if path.is_dir() {
        return Ok(Config::read_dir_with(path, crate::azurerm::builtin_schemas())?);
    }
    let stack = Stack::load(path)?;
    Ok(crate::render::render(&stack, Format::Hcl))
}
