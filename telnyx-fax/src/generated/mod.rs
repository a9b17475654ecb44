// @generated placeholder: replaced by `cargo xtask generate`.
pub const DEFAULT_BASE_URL: &str = "https://api.telnyx.com/v2";
pub const API_KEY_ENV: &str = "TELNYX_API_KEY";
pub const BASE_URL_ENV: &str = "TELNYX_BASE_URL";
pub const PUBLIC_KEY_ENV: &str = "TELNYX_PUBLIC_KEY";
pub const SDK_NAME: &str = "telnyx-fax-rust";
pub mod types {}
pub mod resources {}
pub mod webhooks {
    /// Placeholder.
    #[derive(Debug, Clone, PartialEq, serde::Deserialize)]
    pub enum WebhookEvent {
        Unknown(serde_json::Value),
    }
}
