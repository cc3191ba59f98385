//! SMS through an HTTP webhook: each message is `POST`ed as JSON `{"to": "+1555…", "message": "…"}`
//! to a configured URL (a small service in front of an SMS provider). Any 2xx answer is delivery.

use std::time::Duration;

use async_trait::async_trait;

use super::{DeliveryError, Message, Sender};

/// Posts SMS messages to a webhook.
pub struct WebhookSmsSender {
    client: reqwest::Client,
    url: String,
}

impl WebhookSmsSender {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        let parsed = url::Url::parse(url).map_err(|e| anyhow::anyhow!("sms webhook URL {url:?}: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            anyhow::bail!("sms webhook URL {url:?} must be http or https");
        }
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
        Ok(WebhookSmsSender {
            client,
            url: url.to_owned(),
        })
    }
}

#[derive(serde::Serialize)]
struct Payload<'a> {
    to: &'a str,
    message: &'a str,
}

#[async_trait]
impl Sender for WebhookSmsSender {
    async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        let payload = Payload {
            to: &message.recipient,
            message: &message.body,
        };
        let response = self
            .client
            .post(&self.url)
            .json(&payload)
            .send()
            .await
            .map_err(|e| DeliveryError(format!("sms webhook: {}", e.without_url())))?;
        if !response.status().is_success() {
            return Err(DeliveryError(format!("sms webhook answered {}", response.status())));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_accepted() {
        assert!(WebhookSmsSender::new("https://sms.example.com/send").is_ok());
        assert!(WebhookSmsSender::new("ftp://sms.example.com/send").is_err());
        assert!(WebhookSmsSender::new("not a url").is_err());
    }
}
