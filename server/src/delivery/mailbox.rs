//! The development mailbox: messages are stored in the database instead of sent, so a developer
//! (or a test) can read the codes. On only in `--dev`.

use std::sync::Arc;

use async_trait::async_trait;

use super::{DeliveryError, Message, Sender};
use crate::store::{MailMessage, Store};

/// Keeps messages in the store.
pub struct DevMailbox {
    pub store: Arc<dyn Store>,
}

#[async_trait]
impl Sender for DevMailbox {
    async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        let stored = MailMessage {
            id: 0,
            pool_id: message.pool_id,
            recipient: message.recipient,
            username: message.username,
            subject: message.subject,
            body: message.body,
            time: chrono::Utc::now().timestamp(),
        };
        self.store
            .push_mail(&stored)
            .await
            .map_err(|e| DeliveryError(e.to_string()))
    }
}
