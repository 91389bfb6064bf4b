//! Where mail goes: an SMTP server (`--smtp-url`), or `.eml` files in a folder
//! when none is configured, so a fresh machine runs without one.

use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message as Email, Tokio1Executor};

use super::templates::Rendered;

/// How the server sends mail.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://host:port`, `smtps://user:pass@host`, …; `None` writes files to `dir`.
    pub smtp_url: Option<String>,
    pub dir: PathBuf,
    pub from: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig { smtp_url: None, dir: PathBuf::from("data/mail"), from: "Marketplace Rewards <no-reply@localhost>".into() }
    }
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Dir(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Transport {
    /// Builds the transport; a malformed URL or folder is a start-up error.
    pub fn new(config: &MailConfig) -> Result<Transport, String> {
        match &config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Transport::Smtp(b.build()))
                .map_err(|e| format!("--smtp-url is not a usable SMTP URL: {e}")),
            None => {
                std::fs::create_dir_all(&config.dir)
                    .map_err(|e| format!("cannot create the mail folder {}: {e}", config.dir.display()))?;
                Ok(Transport::Dir(AsyncFileTransport::new(&config.dir), config.dir.clone()))
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP".into(),
            Transport::Dir(_, dir) => format!(".eml files in {}", dir.display()),
        }
    }

    pub async fn send(&self, from: &str, to: &str, message_id: &str, r: &Rendered) -> Result<(), String> {
        let email = build(from, to, message_id, r)?;
        match self {
            Transport::Smtp(t) => t.send(email).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Dir(t, _) => t.send(email).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

fn build(from: &str, to: &str, message_id: &str, r: &Rendered) -> Result<Email, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("the sender address is not valid: {e}"))?;
    let to: Mailbox = to.parse().map_err(|e| format!("the recipient address is not valid: {e}"))?;
    Email::builder()
        .from(from)
        .to(to)
        .subject(r.subject.clone())
        .message_id(Some(message_id.to_string()))
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(r.text.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(r.html.clone())),
        )
        .map_err(|e| e.to_string())
}
