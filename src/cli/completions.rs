//! `infra completions SHELL`: the shell completion script, generated from the command tree ([`super::Cli`]), so
//! every subcommand, flag and value list (`--format text|json|…`) is completed as soon as it exists.

use super::{Cli, Error, Outcome};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(
    long_about = "Print a shell completion script on stdout: subcommands, flags and the values of flags such as \
                  --format. Load it from the shell's start-up file, or save it where the shell looks for \
                  completions (docs/install.md).",
    after_long_help = "Examples:
  source <(infra completions bash)
      Complete infra in this bash session (add the line to ~/.bashrc to keep it).
  infra completions bash > ~/.local/share/bash-completion/completions/infra
      bash-completion loads it when `infra` is first completed.
  infra completions zsh > ~/.zfunc/_infra
      With `fpath=(~/.zfunc $fpath)` before `compinit` in ~/.zshrc.
  infra completions fish > ~/.config/fish/completions/infra.fish
  infra completions powershell >> $PROFILE

Exit status:
  0  the script was printed
  1  error"
)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

pub(crate) fn run(args: CompletionsArgs) -> Result<Outcome, Error> {
    let script = script(args.shell);
    super::write_stdout_with(|out| out.write_all(&script));
    Ok(Outcome::Clean)
}

/// The completion script of `infra` for `shell`.
pub(crate) fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "infra", &mut script);
    script
}
