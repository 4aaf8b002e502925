//! The `ctsim` command.

fn main() -> std::process::ExitCode {
    ctsim::cli::main()
}
