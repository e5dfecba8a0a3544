//! `infra graph`: the dependency graph of a stack or a Terraform directory, as Mermaid or DOT.

use super::{Error, Outcome};
use crate::graph::{self, Graph};
use crate::stack::Stack;
use crate::terraform::eval::{self, Inputs};
use crate::terraform::{Config, Format};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Show which resources refer to which, as a Mermaid flowchart or a Graphviz digraph.
#[derive(Debug, Args)]
#[command(
    after_help = "Arrows point from a resource to the resources that refer to it (the order in which \
    Terraform creates them); dashed arrows are `depends_on` only. A role assignment's node shows its role.\n\n\
    Modes:\n  \
    infra graph              every stack in stacks/, rendered in memory (one subgraph per stack)\n  \
    infra graph prod         the stack stacks/prod.toml\n  \
    infra graph DIR          a directory of .tf / .tf.json files, evaluated (--var, --var-file)\n\n\
    Examples:\n  \
    infra graph prod > graph.mmd\n  \
    infra graph terraform/prod --format dot | dot -Tsvg > graph.svg"
)]
pub(crate) struct GraphArgs {
    /// A stack name (stacks/NAME.toml), a stack file, or a directory of Terraform files. Without it, every stack.
    #[arg(value_name = "STACK|DIR")]
    pub target: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
    /// Where stacks are found.
    #[arg(long, value_name = "DIR", default_value = "stacks")]
    pub stacks_dir: PathBuf,
    /// With a DIR: set an input variable (repeatable), as `terraform plan -var`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// With a DIR: read input variable values from a .tfvars or .tfvars.json file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    /// A Mermaid flowchart (renders in GitHub and Azure DevOps Markdown).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

pub(crate) fn run(args: GraphArgs) -> Result<Outcome, Error> {
    // A directory's secrets (a role or instance key read from one): scrubbed from the labels.
    let mut secrets = eval::Sensitive::default();
    let graphs: Vec<(String, Graph)> = match &args.target {
        None => {
            if !args.vars.is_empty() || !args.var_files.is_empty() {
                return Err(Error::VarsWithoutDirectory {
                    to: ": name one (infra graph DIR --var …)",
                });
            }
            let renders = super::fresh_renders(&args.stacks_dir).map_err(|e| match e {
                Error::StackFiles { source, or: None } => Error::StackFiles {
                    source,
                    or: Some("graph a Terraform directory with `infra graph DIR`"),
                },
                e => e,
            })?;
            renders
                .into_iter()
                .map(|(name, config)| (name, Graph::of_config(&config)))
                .collect()
        }
        Some(target) => match stack_file(target, &args.stacks_dir) {
            Some(path) => {
                if !args.vars.is_empty() || !args.var_files.is_empty() {
                    return Err(Error::VarsWithoutDirectory { to: ", not to a stack" });
                }
                let stack = Stack::load(&path)?;
                vec![(String::new(), stack_graph(&stack))]
            }
            None if target.is_dir() => {
                let inputs = Inputs {
                    schemas: Some(crate::azurerm::builtin_schemas().clone()),
                    ..Inputs::from_env(args.var_files.clone(), args.vars.clone())
                };
                vec![(String::new(), dir_graph(target, &inputs, &mut secrets)?)]
            }
            None => {
                let shown = target.display();
                let what = match target.to_str().filter(|t| !t.contains(['/', '\\'])) {
                    Some(name) => format!(
                        "`{shown}` is neither a stack ({}) nor a directory",
                        args.stacks_dir.join(format!("{name}.toml")).display()
                    ),
                    None if target.extension().is_some_and(|e| e == "toml") => format!("no stack file `{shown}`"),
                    None => format!("`{shown}` is not a directory"),
                };
                return Err(Error::NoGraphTarget {
                    what,
                    stacks_dir: args.stacks_dir.clone(),
                });
            }
        },
    };
    let text = match (args.format, graphs.as_slice()) {
        (GraphFormat::Mermaid, [(_, g)]) => graph::mermaid::render(g),
        (GraphFormat::Dot, [(_, g)]) => graph::dot::render(g),
        (GraphFormat::Mermaid, _) => graph::mermaid::render_named(&graphs),
        (GraphFormat::Dot, _) => graph::dot::render_named(&graphs),
    };
    out!("{}", secrets.scrub(&text));
    Ok(Outcome::Clean)
}

/// The stack file `target` names: a `.toml` file, or `NAME` for `stacks_dir/NAME.toml`.
fn stack_file(target: &Path, stacks_dir: &Path) -> Option<PathBuf> {
    if target.extension().is_some_and(|e| e == "toml") && target.is_file() {
        return Some(target.to_path_buf());
    }
    let name = target.to_str().filter(|n| !n.contains(['/', '\\']) && !n.is_empty())?;
    let path = stacks_dir.join(format!("{name}.toml"));
    path.is_file().then_some(path)
}

/// A stack's graph: the stack rendered in memory, as `infra diff` does (no need for `infra render` first).
fn stack_graph(stack: &Stack) -> Graph {
    Graph::of_config(&crate::render::render(stack, Format::Hcl))
}

/// A directory's graph, evaluated as `infra check DIR` reads it: `count` / `for_each` expanded, local modules
/// read.
fn dir_graph(dir: &Path, inputs: &Inputs, secrets: &mut eval::Sensitive) -> Result<Graph, Error> {
    let config = Config::read_dir_with(dir, crate::azurerm::builtin_schemas())?;
    let mut evaluated = eval::evaluate(config, dir, inputs)?;
    evaluated.sensitive.mark(&mut evaluated.config);
    secrets.merge(&evaluated.sensitive);
    for (address, source, why) in &evaluated.modules_not_read {
        // A module outside the repository is in `unread`, warned about below.
        if why != crate::fsutil::OUTSIDE_REPOSITORY {
            super::print_message(&format!("warning: {address} (source {source:?}) was not read: {why}"));
        }
    }
    for e in &evaluated.unread {
        super::print_message(&format!("warning: {e}"));
    }
    Ok(Graph::of_evaluated(&evaluated))
}
