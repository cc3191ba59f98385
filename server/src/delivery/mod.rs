//! Delivering codes and invitations: the [`Sender`] trait and its implementations — SMTP
//! ([`smtp`]) for production email, an HTTP webhook ([`webhook`]) for production SMS, and the
//! development mailbox ([`mailbox`]) that keeps every
//! message in the database for people (`/_dev/mailbox`) and tests (`/_dev/mailbox.json`).

pub mod mailbox;
pub mod smtp;
pub mod webhook;

use async_trait::async_trait;

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Email,
    Sms,
}

impl Medium {
    /// Cognito's `DeliveryMedium`.
    pub fn as_str(self) -> &'static str {
        match self {
            Medium::Email => "EMAIL",
            Medium::Sms => "SMS",
        }
    }
}

/// One message to one recipient.
#[derive(Clone)]
pub struct Message {
    pub pool_id: String,
    pub medium: Medium,
    pub recipient: String,
    pub username: String,
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for Message {
    /// Bodies carry codes and temporary passwords: they stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("medium", &self.medium)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Why a message could not be sent.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryError(pub String);

/// Something that delivers messages.
#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, message: Message) -> Result<(), DeliveryError>;
}

/// Routes email and SMS to the configured senders; a medium with none configured fails.
pub struct Router {
    pub email: Option<Box<dyn Sender>>,
    pub sms: Option<Box<dyn Sender>>,
}

#[async_trait]
impl Sender for Router {
    async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        let sender = match message.medium {
            Medium::Email => self.email.as_ref(),
            Medium::Sms => self.sms.as_ref(),
        };
        match sender {
            Some(sender) => sender.send(message).await,
            None => Err(DeliveryError(format!(
                "no {} sender is configured",
                message.medium.as_str()
            ))),
        }
    }
}

/// Fills a Cognito message template: `{####}` is the code, `{username}` the username.
pub fn fill_template(template: &str, code: &str, username: &str) -> String {
    template.replace("{####}", code).replace("{username}", username)
}

/// Masks a destination as Cognito shows it in `CodeDeliveryDetails`.
pub fn mask(medium: Medium, destination: &str) -> String {
    match medium {
        Medium::Email => match destination.split_once('@') {
            Some((local, domain)) => format!(
                "{}***@{}***",
                local.chars().next().unwrap_or('*'),
                domain.chars().next().unwrap_or('*')
            ),
            None => "***".to_owned(),
        },
        Medium::Sms => {
            let digits: Vec<char> = destination.chars().collect();
            let tail: String = digits.iter().skip(digits.len().saturating_sub(4)).collect();
            format!("+*******{tail}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_masked_like_cognito() {
        assert_eq!(mask(Medium::Email, "jane@example.com"), "j***@e***");
        assert_eq!(mask(Medium::Sms, "+15555550123"), "+*******0123");
        assert_eq!(
            fill_template("Code {####} for {username}", "123456", "jane"),
            "Code 123456 for jane"
        );
    }
}
