//! `infra man`: manual pages in roff, generated from the command tree ([`super::Cli`]) — `infra(1)` on stdout, or
//! with `--out-dir` one page per command (`infra.1`, `infra-render.1`, …), as packages install them.

use super::{Cli, Error, Outcome};
use clap::{Args, CommandFactory};
use std::path::PathBuf;

/// Print the manual page of infra, or write one page per command.
#[derive(Debug, Args)]
#[command(
    long_about = "Print the manual page of infra (roff, section 1) on stdout. With --out-dir, write one page per \
                  command instead: infra.1 and infra-<command>.1 for each subcommand, the files a package installs \
                  into share/man/man1. Each file is written atomically; other files in DIR are left alone.",
    after_long_help = "Examples:
  infra man | man -l -
      Read the page without installing it.
  infra man --out-dir ~/.local/share/man/man1
      Install every page for the current user (`man infra-render` then works).

Exit status:
  0  the page was printed, or every page was written
  1  a page cannot be written"
)]
pub struct ManArgs {
    /// Write infra.1 and one infra-<command>.1 per subcommand into DIR (created if missing) instead of printing
    /// infra.1.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> Result<Outcome, Error> {
    let pages = pages().map_err(|e| Error::io("cannot render the manual pages", e))?;
    match args.out_dir {
        None => {
            let (_, infra) = &pages[0];
            super::write_stdout_with(|out| out.write_all(infra));
        }
        Some(dir) => {
            // Every page is rendered before any is written; each write is atomic.
            for (name, page) in &pages {
                let path = dir.join(name);
                crate::fsutil::write_atomic(&path, page)
                    .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
                outln!("wrote {}", path.display());
            }
        }
    }
    Ok(Outcome::Clean)
}

/// Every manual page as (file name, roff): `infra.1` first, then each visible subcommand's page (`infra-render.1`)
/// in the order `infra --help` lists them, nested subcommands after their parent.
pub fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    // No `infra help` page: `help` is clap's, not a command of infra's.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Built, every subcommand has its display name (`infra-render`), which names its page.
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, &mut pages)?;
    Ok(pages)
}

fn collect(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone()).source(concat!("infra ", env!("CARGO_PKG_VERSION")));
    let mut page = Vec::new();
    man.render(&mut page)?;
    pages.push((man.get_filename(), ascii(&page)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages)?;
    }
    Ok(())
}

/// `roff` with every non-ASCII character written as groff's `\[uXXXX]` escape (`…` → `\[u2026]`), which groff
/// and mandoc read whatever the locale: help text may hold any character, and raw UTF-8 in a page makes
/// `groff -man` (without `preconv`) warn and print the wrong glyphs.
fn ascii(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_becomes_a_groff_escape() {
        assert_eq!(
            ascii("a … é 😀\n".as_bytes()),
            b"a \\[u2026] \\[u00E9] \\[u1F600]\n".to_vec()
        );
    }
}
