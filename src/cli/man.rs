//! `infra man`: manual pages in roff, generated from the command tree ([`super::Cli`]) — `infra(1)` on stdout, or
//! with `--out-dir` one page per command (`infra.1`, `infra-render.1`, …), as packages install them.

use super::{Cli, Error, Outcome};
use clap::{Args, CommandFactory};
use clap_mangen::roff::{bold, roman, Roff};
use std::path::PathBuf;

/// Print the manual page of infra, or write one page per command.
#[derive(Debug, Args)]
#[command(
    long_about = "Print the manual page of infra (roff, section 1) on stdout. With --out-dir, write one page per \
                  command instead: infra.1 and infra-<command>.1 for each subcommand, the files a package installs \
                  into share/man/man1. Each file is written atomically; other files in DIR are left alone, and a \
                  page's name taken by anything but a file (a symbolic link, a directory, a device) is an error.",
    after_long_help = "Examples:
  infra man | man -l -
      Read the page without installing it.
  infra man --out-dir ~/.local/share/man/man1
      Install every page for the current user (`man infra-render` then works).

Exit status:
  0  the page was printed, or every page was written
  1  a page cannot be written"
)]
pub(crate) struct ManArgs {
    /// Write infra.1 and one infra-<command>.1 per subcommand into DIR (created if missing) instead of printing
    /// infra.1.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub(crate) fn run(args: ManArgs) -> Result<Outcome, Error> {
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
                crate::fsutil::write_atomic(&path, page).map_err(|e| {
                    // A page's name taken by a link, a directory or a device: the error says how to fix it.
                    let help = if e.kind() == std::io::ErrorKind::InvalidInput {
                        ""
                    } else {
                        "\nhelp: --out-dir names a directory infra may create and write (e.g. --out-dir man/man1)"
                    };
                    Error::Write {
                        path: path.clone(),
                        source: e,
                        help,
                    }
                })?;
                outln!("wrote {}", path.display());
            }
        }
    }
    Ok(Outcome::Clean)
}

/// Every manual page as (file name, roff): `infra.1` first, then each visible subcommand's page (`infra-render.1`)
/// in the order `infra --help` lists them, nested subcommands after their parent.
pub(crate) fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    // No `infra help` page: `help` is clap's, not a command of infra's.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Built, every subcommand has its display name (`infra-render`), which names its page.
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, &mut pages)?;
    Ok(pages)
}

fn collect(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    // clap_mangen fills the text after the options (examples, exit codes) into one paragraph; infra renders it
    // as man pages lay it out (below).
    let after_help = cmd
        .get_after_long_help()
        .or_else(|| cmd.get_after_help())
        .map(ToString::to_string);
    let bare = cmd.clone().after_help(None::<&str>).after_long_help(None::<&str>);
    let man = clap_mangen::Man::new(bare).source(concat!("infra ", env!("CARGO_PKG_VERSION")));
    let mut page = Vec::new();
    man.render(&mut page)?;
    let mut extra = Roff::new();
    if let Some(text) = after_help {
        sections(&mut extra, &text);
    }
    if cmd.get_name() != "infra" {
        extra.control("SH", ["SEE ALSO"]);
        extra.text([bold("infra"), roman("(1)")]);
    }
    page.extend_from_slice(without_preamble(&extra.render()).as_bytes());
    pages.push((man.get_filename(), ascii(&page)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages)?;
    }
    Ok(())
}

/// The text `--help` prints after the options, as sections: a line `Examples:` or `Exit status: 0 …` (in column
/// 0, a few capitalised words and a colon) starts a section of that name (`EXAMPLES`, `EXIT STATUS`), and what
/// follows keeps its lines and indentation (no filling), as in `--help`.
fn sections(roff: &mut Roff, text: &str) {
    let mut open = false;
    // A blank line becomes `.sp` before the next text line, not at the end of a section.
    let mut blank = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        if let Some((heading, rest)) = heading(line) {
            if open {
                roff.control("fi", []);
            }
            roff.control("SH", [heading.to_uppercase().as_str()]);
            roff.control("nf", []);
            open = true;
            if !rest.trim().is_empty() {
                roff.text([roman(rest.trim())]);
            }
            blank = false;
            continue;
        }
        if !open {
            roff.control("SH", ["NOTES"]);
            roff.control("nf", []);
            open = true;
        }
        if std::mem::take(&mut blank) {
            roff.control("sp", []);
        }
        roff.text([roman(line)]);
    }
    if open {
        roff.control("fi", []);
    }
}

/// `Exit status: 0 …` → (`Exit status`, ` 0 …`): a line that starts in column 0 with one to three words, the
/// first capitalised, and a colon.
fn heading(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.split_once(':')?;
    let words = name.split(' ').count();
    let ok = name.starts_with(|c: char| c.is_ascii_uppercase())
        && (1..=3).contains(&words)
        && name.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
    ok.then_some((name, rest))
}

/// A [`Roff`] rendering without the preamble every rendering starts with (the page already has it).
fn without_preamble(roff: &str) -> &str {
    let mut rest = roff;
    while rest.starts_with(".ie \\n(.g") || rest.starts_with(".el ") {
        rest = rest.split_once('\n').map_or("", |(_, r)| r);
    }
    rest
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
    fn text_after_the_options_becomes_sections_with_its_layout() {
        let mut roff = Roff::new();
        sections(
            &mut roff,
            "Examples:\n  infra x\n\n  infra y\n\nExit status: 0 ok, 1 error\nModes and more: here\n",
        );
        assert_eq!(
            without_preamble(&roff.render()),
            ".SH EXAMPLES\n.nf\n  infra x\n.sp\n  infra y\n.fi\n.SH \"EXIT STATUS\"\n.nf\n0 ok, 1 error\n.fi\n\
             .SH \"MODES AND MORE\"\n.nf\nhere\n.fi\n"
        );
        assert_eq!(heading("  infra x: y"), None);
        assert_eq!(heading("See terraform/<stack>: y"), None);
    }

    #[test]
    fn non_ascii_becomes_a_groff_escape() {
        assert_eq!(
            ascii("a … é 😀\n".as_bytes()),
            b"a \\[u2026] \\[u00E9] \\[u1F600]\n".to_vec()
        );
    }
}
