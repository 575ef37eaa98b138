//! The reminder loop: every few minutes the store turns overdue clocks and dossier steps into
//! notifications; those, and the workflow events of the last day, go to people with an e-mail
//! address who want their kind by e-mail, through the operator's SMTP relay, through lettre
//! (STARTTLS or TLS, and AUTH when configured).

use anyhow::{anyhow, bail, Context, Result};
use khien_store::Store;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain SMTP (an internal relay on a trusted network).
    None,
    /// STARTTLS when the relay offers it, plain SMTP otherwise.
    #[default]
    Opportunistic,
    /// STARTTLS, or no mail at all.
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

impl std::str::FromStr for SmtpTls {
    type Err = String;
    fn from_str(s: &str) -> Result<SmtpTls, String> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Ok(SmtpTls::None),
            "opportunistic" => Ok(SmtpTls::Opportunistic),
            "starttls" => Ok(SmtpTls::StartTls),
            "tls" => Ok(SmtpTls::Tls),
            _ => Err(format!("«{s}»: expected none, opportunistic, starttls or tls")),
        }
    }
}

#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub from: String,
    pub tls: SmtpTls,
    /// AUTH user name and password.
    pub credentials: Option<(String, String)>,
}

const STEP: Duration = Duration::from_secs(20);

/// Never prints the password.
impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .finish()
    }
}

/// Runs one sweep and mails what it produced, with the workflow events waiting in the outbox;
/// returns (notifications mailed, failures).
pub async fn sweep_once(store: &Store, smtp: Option<&Smtp>) -> Result<(usize, usize)> {
    let mut outgoing = store.maintenance().sweep_reminders().await.map_err(|e| anyhow!("{e}"))?;
    let (mut sent, mut failed) = (0, 0);
    let Some(smtp) = smtp else { return Ok((0, 0)) };
    outgoing.extend(store.maintenance().event_outbox().await.map_err(|e| anyhow!("{e}"))?);
    for o in outgoing {
        let result = smtp.send(&o.email, &o.subject, &o.body).await;
        let error = result.as_ref().err().map(|e| format!("{e:#}"));
        if error.is_some() {
            failed += 1;
        } else {
            sent += 1;
        }
        store.maintenance().record_email(o.notification_id, error.as_deref()).await.map_err(|e| anyhow!("{e}"))?;
    }
    Ok((sent, failed))
}

/// The reminder loop the server runs beside the HTTP listener.
pub async fn run(store: Store, smtp: Option<Smtp>, period: Duration) {
    every(period, store, move |store| {
        let smtp = smtp.clone();
        async move {
            match sweep_once(&store, smtp.as_ref()).await {
                Ok((0, 0)) => {}
                Ok((sent, failed)) => tracing::info!(sent, failed, "reminder e-mails"),
                Err(e) => tracing::warn!("reminder sweep failed: {e:#}"),
            }
        }
    })
    .await
}

/// Runs a background job every `period` (the first run at once), forever.
pub async fn every<F, Fut>(period: Duration, store: Store, job: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        job(store.clone()).await;
    }
}

fn clean_address(a: &str) -> Result<&str> {
    let a = a.trim();
    if a.is_empty() || a.contains(['\r', '\n', '<', '>']) || !a.contains('@') {
        bail!("«{a}» is not a usable e-mail address");
    }
    Ok(a)
}

impl Smtp {
    /// The transport for one message: a new connection each time (a sweep sends few), with
    /// the configured TLS and, when given, AUTH.
    fn transport(&self, hello: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
        let tls = |host: &str| TlsParameters::new(host.to_string()).context("SMTP TLS settings");
        let tls = match self.tls {
            SmtpTls::None => Tls::None,
            SmtpTls::Opportunistic => Tls::Opportunistic(tls(&self.host)?),
            SmtpTls::StartTls => Tls::Required(tls(&self.host)?),
            SmtpTls::Tls => Tls::Wrapper(tls(&self.host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.host.as_str())
            .port(self.port)
            .tls(tls)
            .timeout(Some(STEP))
            .hello_name(ClientId::Domain(hello.to_string()));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }

    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<()> {
        let (to, from) = (clean_address(to)?, clean_address(&self.from)?);
        let to: Address = to.parse().with_context(|| format!("«{to}» is not a usable e-mail address"))?;
        let from: Address = from.parse().with_context(|| format!("«{from}» is not a usable e-mail address"))?;
        let hello = from.domain().to_string();
        let message = Message::builder()
            .from(Mailbox::new(Some("Khiên".into()), from))
            .to(Mailbox::new(None, to))
            .subject(subject)
            .date_now()
            .header(ContentType::TEXT_PLAIN)
            .body(
                Body::new_with_encoding(body.to_string(), ContentTransferEncoding::Base64)
                    .map_err(|_| anyhow!("the reminder text cannot be encoded"))?,
            )
            .context("cannot build the reminder e-mail")?;
        self.transport(&hello)?
            .send(message)
            .await
            .with_context(|| format!("SMTP relay {}:{}", self.host, self.port))?;
        Ok(())
    }
}
