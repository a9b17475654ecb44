//! The `telnyx-fax` command-line tool (the `cli` feature): one command per
//! operation of the API, on this crate's client. See [`telnyx_fax::cli`].

fn main() -> std::process::ExitCode {
    telnyx_fax::cli::main()
}
