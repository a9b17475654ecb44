//! The `telnyx-fax-mcp` MCP server (the `mcp` feature): a tool per
//! operation of the API, on this crate's client. See [`telnyx_fax::mcp`].

fn main() -> std::process::ExitCode {
    telnyx_fax::mcp::main()
}
