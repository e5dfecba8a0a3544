use std::process::ExitCode;

fn main() -> ExitCode {
    infra::cli::main()
}
