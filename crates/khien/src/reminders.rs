//! The reminder loop: every few minutes the store turns overdue clocks and dossier steps into
//! notifications; those for people with an e-mail address go out through the operator's SMTP
//! relay. A minimal SMTP client (plain SMTP to an internal relay, UTF-8 subject and body) keeps
//! a mail library out of the build.

use anyhow::{anyhow, bail, Context, Result};
use khien_store::Store;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub from: String,
}

const STEP: Duration = Duration::from_secs(20);

/// Runs one sweep and mails what it produced; returns (notifications mailed, failures).
pub async fn sweep_once(store: &Store, smtp: Option<&Smtp>) -> Result<(usize, usize)> {
    let outgoing = store.maintenance().sweep_reminders().await.map_err(|e| anyhow!("{e}"))?;
    let (mut sent, mut failed) = (0, 0);
    let Some(smtp) = smtp else { return Ok((0, 0)) };
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

/// RFC 2047 encoded word, so Vietnamese survives in the Subject header.
fn encoded_word(s: &str) -> String {
    use base64::Engine;
    format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
}

fn clean_address(a: &str) -> Result<&str> {
    let a = a.trim();
    if a.is_empty() || a.contains(['\r', '\n', '<', '>']) || !a.contains('@') {
        bail!("«{a}» is not a usable e-mail address");
    }
    Ok(a)
}

impl Smtp {
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<()> {
        use base64::Engine;
        let (to, from) = (clean_address(to)?, clean_address(&self.from)?);
        let stream = tokio::time::timeout(STEP, TcpStream::connect((self.host.as_str(), self.port)))
            .await
            .context("SMTP connect timed out")?
            .with_context(|| format!("cannot reach SMTP relay {}:{}", self.host, self.port))?;
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        expect(&mut read, 220).await?;
        let domain = from.rsplit('@').next().unwrap_or("khien.local");
        for (line, code) in [
            (format!("EHLO {domain}"), 250),
            (format!("MAIL FROM:<{from}>"), 250),
            (format!("RCPT TO:<{to}>"), 250),
            ("DATA".to_string(), 354),
        ] {
            write.write_all(format!("{line}\r\n").as_bytes()).await?;
            expect(&mut read, code).await.with_context(|| format!("after «{line}»"))?;
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(body.as_bytes());
        let wrapped: Vec<&str> = encoded.as_bytes().chunks(76).filter_map(|c| std::str::from_utf8(c).ok()).collect();
        let date = chrono::Utc::now().to_rfc2822();
        let message = format!(
            "From: Khiên <{from}>\r\nTo: <{to}>\r\nSubject: {}\r\nDate: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n.\r\n",
            encoded_word(subject),
            wrapped.join("\r\n")
        );
        write.write_all(message.as_bytes()).await?;
        expect(&mut read, 250).await.context("after the message")?;
        write.write_all(b"QUIT\r\n").await?;
        let _ = tokio::time::timeout(STEP, expect(&mut read, 221)).await;
        Ok(())
    }
}

/// Reads one (possibly multi-line) reply and checks its code.
async fn expect(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, code: u16) -> Result<()> {
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(STEP, read.read_line(&mut line)).await.context("SMTP reply timed out")??;
        if n == 0 {
            bail!("the SMTP relay closed the connection");
        }
        let got: u16 =
            line.get(..3).and_then(|c| c.parse().ok()).ok_or_else(|| anyhow!("not an SMTP reply: {}", line.trim()))?;
        if line.as_bytes().get(3) == Some(&b'-') {
            continue;
        }
        if got != code {
            bail!("SMTP relay answered {}", line.trim());
        }
        return Ok(());
    }
}
