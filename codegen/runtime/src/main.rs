//! The `my-api` command-line tool (the `cli` feature): one command per
//! operation of the API, on this crate's client. See [`my_api::cli`].

fn main() -> std::process::ExitCode {
    my_api::cli::main()
}
