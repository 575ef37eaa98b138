//! Options come from, in order of precedence: the command line, `KHIEN_*` environment
//! variables, an optional TOML file (`--config`, default `khien.toml` in the working
//! directory when present), then defaults.

use crate::reminders::{Smtp, SmtpTls};
use anyhow::{Context, Result};
use clap::Args;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Folder for the SQLite database and other local data.
    #[arg(long, env = "KHIEN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// `sqlite:…` or `postgres://…`; default: SQLite file `khien.db` in the data dir.
    #[arg(long, env = "KHIEN_DATABASE_URL")]
    pub database_url: Option<String>,
    /// TOML file with the same keys as the long options (listen, data_dir, database_url, …).
    #[arg(long, env = "KHIEN_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "KHIEN_LISTEN")]
    pub listen: Option<String>,
    /// Load the demo city on an empty database and print its logins.
    #[arg(long, env = "KHIEN_DEMO")]
    pub demo: bool,
    /// Always mark cookies Secure (set when TLS terminates in a proxy in front of Khiên).
    #[arg(long, env = "KHIEN_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The place name on generated documents (NĐ 30/2020 Phụ lục I II.4a), e.g. "Hải Phòng" or
    /// "Thành phố Hồ Chí Minh"; default: the root unit's name, whole.
    #[arg(long, env = "KHIEN_PLACE_NAME")]
    pub place_name: Option<String>,
    /// The authority the public form `/bao-cao` says it sends reports to, e.g. "Công an thành
    /// phố Hải Phòng"; default: the root unit's name.
    #[arg(long, env = "KHIEN_RECEIVING_AUTHORITY")]
    pub receiving_authority: Option<String>,
    #[command(flatten)]
    pub reminders: ReminderArgs,
}

/// Reminders of overdue deadlines: in the app always, by e-mail when an SMTP relay is given.
#[derive(Debug, Clone, Default, Args)]
pub struct ReminderArgs {
    /// SMTP relay for reminder e-mails, e.g. mail.tp.gov.vn.
    #[arg(long, env = "KHIEN_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// Port of the SMTP relay (default 25; 465 with `smtp_tls = tls`).
    #[arg(long, env = "KHIEN_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    /// Sender address of reminder e-mails.
    #[arg(long, env = "KHIEN_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// none, opportunistic (STARTTLS when offered; the default), starttls (required) or tls
    /// (SMTPS). Certificates are checked against the system's store.
    #[arg(long, env = "KHIEN_SMTP_TLS")]
    pub smtp_tls: Option<SmtpTls>,
    /// User name for SMTP AUTH (needs `smtp_tls` starttls or tls).
    #[arg(long, env = "KHIEN_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    /// Password for SMTP AUTH; better in the environment or the file than on the command line.
    #[arg(long, env = "KHIEN_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// Seconds between two reminder sweeps (default 300; 0 turns reminders off).
    #[arg(long, env = "KHIEN_REMINDER_INTERVAL_SECS")]
    pub reminder_interval_secs: Option<u64>,
    /// Seconds between two pushes to the configured remote TAXII collections (default 300; 0: off).
    #[arg(long, env = "KHIEN_TAXII_PUSH_INTERVAL_SECS")]
    pub taxii_push_interval_secs: Option<u64>,
    /// A NATS server with JetStream (nats://host:4222): Khiên then consumes SOC telemetry
    /// published on `khien.telemetry.>` (see docs/ARCHITECTURE.md). Off when unset.
    #[arg(long, env = "KHIEN_NATS_URL")]
    pub nats_url: Option<String>,
}

/// Keys of the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    demo: Option<bool>,
    secure_cookies: Option<bool>,
    place_name: Option<String>,
    receiving_authority: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_from: Option<String>,
    smtp_tls: Option<SmtpTls>,
    smtp_username: Option<String>,
    smtp_password: Option<String>,
    reminder_interval_secs: Option<u64>,
    taxii_push_interval_secs: Option<u64>,
    nats_url: Option<String>,
}

/// Fully resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: String,
    pub database_url: String,
    pub demo: bool,
    pub secure_cookies: bool,
    pub place_name: Option<String>,
    pub receiving_authority: Option<String>,
    /// The relay, when reminder e-mails are on.
    pub smtp: Option<Smtp>,
    pub reminder_interval_secs: u64,
    pub taxii_push_interval_secs: u64,
    pub nats_url: Option<String>,
}

fn read_file(explicit: Option<&Path>) -> Result<FileConfig> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from("khien.toml");
            if !p.exists() {
                return Ok(FileConfig::default());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("config file {} is not valid", path.display()))
}

pub fn resolve_db(db: &DbArgs) -> Result<(PathBuf, String, FileConfigRest)> {
    let file = read_file(db.config.as_deref())?;
    let data_dir = db.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("khien-data"));
    let database_url = match db.database_url.clone().or(file.database_url) {
        Some(u) => u,
        None => {
            std::fs::create_dir_all(&data_dir)
                .with_context(|| format!("cannot create data dir {}", data_dir.display()))?;
            format!("sqlite://{}?mode=rwc", data_dir.join("khien.db").display())
        }
    };
    let reminders = ReminderArgs {
        smtp_host: file.smtp_host,
        smtp_port: file.smtp_port,
        smtp_from: file.smtp_from,
        smtp_tls: file.smtp_tls,
        smtp_username: file.smtp_username,
        smtp_password: file.smtp_password,
        reminder_interval_secs: file.reminder_interval_secs,
        taxii_push_interval_secs: file.taxii_push_interval_secs,
        nats_url: file.nats_url,
    };
    Ok((
        data_dir,
        database_url,
        FileConfigRest {
            listen: file.listen,
            demo: file.demo,
            secure_cookies: file.secure_cookies,
            place_name: file.place_name,
            receiving_authority: file.receiving_authority,
            reminders,
        },
    ))
}

/// The keys of the file that only `serve` uses.
pub struct FileConfigRest {
    listen: Option<String>,
    demo: Option<bool>,
    secure_cookies: Option<bool>,
    place_name: Option<String>,
    receiving_authority: Option<String>,
    reminders: ReminderArgs,
}

pub fn resolve_serve(a: &ServeArgs) -> Result<Settings> {
    let (_, database_url, rest) = resolve_db(&a.db)?;
    Ok(Settings {
        listen: a.listen.clone().or(rest.listen).unwrap_or_else(|| "127.0.0.1:8080".into()),
        database_url,
        demo: a.demo || rest.demo.unwrap_or(false),
        secure_cookies: a.secure_cookies || rest.secure_cookies.unwrap_or(false),
        place_name: a.place_name.clone().or(rest.place_name),
        receiving_authority: a.receiving_authority.clone().or(rest.receiving_authority),
        smtp: resolve_smtp(&a.reminders, &rest.reminders)?,
        reminder_interval_secs: a
            .reminders
            .reminder_interval_secs
            .or(rest.reminders.reminder_interval_secs)
            .unwrap_or(300),
        taxii_push_interval_secs: a
            .reminders
            .taxii_push_interval_secs
            .or(rest.reminders.taxii_push_interval_secs)
            .unwrap_or(300),
        nats_url: a.reminders.nats_url.clone().or(rest.reminders.nats_url.clone()),
    })
}

/// The relay from the command line (or environment) over the file.
fn resolve_smtp(a: &ReminderArgs, file: &ReminderArgs) -> Result<Option<Smtp>> {
    let tls = a.smtp_tls.or(file.smtp_tls).unwrap_or_default();
    let credentials = match (
        a.smtp_username.clone().or(file.smtp_username.clone()),
        a.smtp_password.clone().or(file.smtp_password.clone()),
    ) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        _ => anyhow::bail!("smtp_username and smtp_password go together: set both or neither"),
    };
    if credentials.is_some() && !matches!(tls, SmtpTls::StartTls | SmtpTls::Tls) {
        anyhow::bail!(
            "SMTP AUTH needs smtp_tls = \"starttls\" or \"tls\": the password would otherwise cross the network in clear"
        );
    }
    match (a.smtp_host.clone().or(file.smtp_host.clone()), a.smtp_from.clone().or(file.smtp_from.clone())) {
        (Some(host), Some(from)) => {
            let default_port = if tls == SmtpTls::Tls { 465 } else { 25 };
            let port = a.smtp_port.or(file.smtp_port).unwrap_or(default_port);
            Ok(Some(Smtp { host, port, from, tls, credentials }))
        }
        (Some(_), None) => {
            anyhow::bail!("smtp_host is set but smtp_from is not: reminder e-mails need a sender address")
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn args(config: Option<PathBuf>, listen: Option<&str>) -> ServeArgs {
        ServeArgs {
            db: DbArgs { data_dir: Some(std::env::temp_dir().join("khien-config-test")), database_url: None, config },
            listen: listen.map(Into::into),
            demo: false,
            secure_cookies: false,
            place_name: None,
            receiving_authority: None,
            reminders: ReminderArgs::default(),
        }
    }

    #[test]
    fn command_line_beats_file_beats_default() {
        let file = std::env::temp_dir().join(format!("khien-config-{}.toml", std::process::id()));
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\ndemo = true\ndatabase_url = \"postgres://k@h/k\"\n").unwrap();
        let from_file = resolve_serve(&args(Some(file.clone()), None)).unwrap();
        assert_eq!(from_file.listen, "0.0.0.0:9000");
        assert!(from_file.demo);
        assert_eq!(from_file.database_url, "postgres://k@h/k");
        let from_cli = resolve_serve(&args(Some(file.clone()), Some("127.0.0.1:1"))).unwrap();
        assert_eq!(from_cli.listen, "127.0.0.1:1");
        std::fs::write(&file, "lisen = \"typo\"\n").unwrap();
        let err = resolve_serve(&args(Some(file.clone()), None)).unwrap_err();
        assert!(format!("{err:#}").contains("lisen"), "unknown keys are named: {err:#}");
        let _ = std::fs::remove_file(&file);
    }

    #[test]
    fn smtp_tls_and_auth_come_from_the_file_and_a_password_never_goes_in_clear() {
        let file = std::env::temp_dir().join(format!("khien-config-smtp-{}.toml", std::process::id()));
        let base = "smtp_host = \"mail.tp.gov.vn\"\nsmtp_from = \"khien@tp.gov.vn\"\n";
        std::fs::write(&file, base).unwrap();
        let s = resolve_serve(&args(Some(file.clone()), None)).unwrap().smtp.unwrap();
        assert_eq!((s.port, s.tls, s.credentials), (25, SmtpTls::Opportunistic, None));
        let auth = "smtp_username = \"khien\"\nsmtp_password = \"bí mật\"\n";
        std::fs::write(&file, format!("{base}smtp_tls = \"tls\"\n{auth}")).unwrap();
        let s = resolve_serve(&args(Some(file.clone()), None)).unwrap().smtp.unwrap();
        assert_eq!((s.port, s.tls), (465, SmtpTls::Tls));
        assert_eq!(s.credentials, Some(("khien".into(), "bí mật".into())));
        for tls in ["none", "opportunistic"] {
            std::fs::write(&file, format!("{base}smtp_tls = \"{tls}\"\n{auth}")).unwrap();
            let err = resolve_serve(&args(Some(file.clone()), None)).unwrap_err();
            assert!(format!("{err:#}").contains("in clear"), "{tls}: {err:#}");
        }
        std::fs::write(&file, format!("{base}smtp_tls = \"starttls\"\nsmtp_username = \"khien\"\n")).unwrap();
        assert!(resolve_serve(&args(Some(file.clone()), None)).is_err(), "a user name without a password");
        std::fs::write(&file, format!("{base}smtp_tls = \"sometimes\"\n")).unwrap();
        assert!(resolve_serve(&args(Some(file.clone()), None)).is_err(), "an unknown TLS mode");
        let _ = std::fs::remove_file(&file);
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        let s = resolve_serve(&args(Some(PathBuf::from("/nonexistent/khien.toml")), None));
        assert!(s.is_err(), "an explicit config file that is missing is an error");
        let s = resolve_serve(&ServeArgs { db: DbArgs { config: None, ..args(None, None).db }, ..args(None, None) })
            .unwrap();
        assert!(
            s.database_url.starts_with("sqlite://") && s.database_url.ends_with("khien.db?mode=rwc"),
            "{}",
            s.database_url
        );
        assert_eq!(s.listen, "127.0.0.1:8080");
    }
}
