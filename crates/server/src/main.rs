//! `benefits`: serve the workspace, seed demo data, or evaluate from the command line.

fn main() -> std::process::ExitCode {
    benefits_server::cli::main()
}
