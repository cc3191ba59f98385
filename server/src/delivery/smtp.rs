//! Email over SMTP with lettre: STARTTLS (default), implicit TLS, or plain for a relay on
//! loopback.

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{DeliveryError, Message, Sender};
use crate::config::SmtpConfig;

/// Sends email through an SMTP relay.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpSender {
    pub fn new(config: &SmtpConfig) -> anyhow::Result<Self> {
        let builder = match config.tls.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)?,
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)?,
        };
        let mut builder = builder.port(config.port);
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpSender {
            transport: builder.build(),
            from: config.from.parse()?,
        })
    }
}

#[async_trait]
impl Sender for SmtpSender {
    async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        let to = message
            .recipient
            .parse()
            .map_err(|e| DeliveryError(format!("bad recipient address: {e}")))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body)
            .map_err(|e| DeliveryError(e.to_string()))?;
        self.transport
            .send(email)
            .await
            .map_err(|e| DeliveryError(e.to_string()))?;
        Ok(())
    }
}
