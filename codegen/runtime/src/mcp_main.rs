//! The `my-api-mcp` MCP server (the `mcp` feature): a tool per
//! operation of the API, on this crate's client. See [`my_api::mcp`].

fn main() -> std::process::ExitCode {
    my_api::mcp::main()
}
