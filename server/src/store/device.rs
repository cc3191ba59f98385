//! Remembered devices and their storage trait (see [`crate::device`]).

use async_trait::async_trait;

use super::StoreResult;

/// A device a sign-in created for a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub pool_id: String,
    /// `<region>_<uuid>`, unique.
    pub device_key: String,
    pub sub: String,
    pub group_key: String,
    pub name: Option<String>,
    /// The device's SRP salt and verifier (big-endian bytes), set by ConfirmDevice.
    pub salt: Option<Vec<u8>>,
    pub verifier: Option<Vec<u8>>,
    pub confirmed: bool,
    pub remembered: bool,
    pub last_ip: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_authenticated_at: Option<i64>,
}

#[async_trait]
pub trait DeviceStore: Send + Sync {
    async fn insert_device(&self, device: &Device) -> StoreResult<()>;
    async fn get_device(&self, pool_id: &str, device_key: &str) -> StoreResult<Option<Device>>;
    /// Writes every field of an existing device; false if it is gone.
    async fn update_device(&self, device: &Device) -> StoreResult<bool>;
    /// A user's confirmed devices ordered by key, after the key `after`.
    async fn list_devices(&self, pool_id: &str, sub: &str, after: Option<&str>, limit: i64)
        -> StoreResult<Vec<Device>>;
    async fn delete_device(&self, pool_id: &str, device_key: &str) -> StoreResult<bool>;
}
