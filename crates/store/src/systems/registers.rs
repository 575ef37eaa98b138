//! Registers kept on a system's page: its data-sharing connections (so the share that are
//! authenticated and encrypted is known — Hải Phòng II.2.1 asks for 100%) and its
//! digital-signature tokens and certificates (expiring ones flagged — HCM 6.3).

use crate::audit::{json, Change};
use crate::db::{db_err, flag, from_row, get, Store};
use crate::sql::Sql;
use crate::systems::writes::opt_date;
use chrono::NaiveDate;
use khien_domain::calendar::parse_date;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::CertificateKind;
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// Certificates expiring within this many days are flagged.
pub const CERT_WARNING_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Connection {
    pub id: i64,
    pub system_id: i64,
    /// `outbound` (this system sends) or `inbound`.
    pub direction: String,
    /// The other system or external party.
    pub peer: String,
    pub data_categories: Option<String>,
    /// e.g. OAuth2, mTLS, API key; empty when none.
    pub auth_method: Option<String>,
    /// A 0/1 column: set after decoding (`db::flag`).
    #[sqlx(skip)]
    pub encrypted: bool,
    /// A 0/1 column: set after decoding (`db::flag`).
    #[sqlx(skip)]
    pub approved: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionInput {
    pub direction: String,
    pub peer: String,
    pub data_categories: Option<String>,
    pub auth_method: Option<String>,
    #[serde(default)]
    pub encrypted: bool,
    #[serde(default)]
    pub approved: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Certificate {
    pub id: i64,
    pub system_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: CertificateKind,
    pub holder: String,
    pub serial: String,
    pub issuer: String,
    /// yyyy-mm-dd
    pub expires_on: String,
    /// Expired, or expiring within 30 days (computed after decoding).
    #[sqlx(skip)]
    pub expiring: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    pub kind: CertificateKind,
    pub holder: String,
    pub serial: String,
    pub issuer: String,
    /// yyyy-mm-dd or dd/mm/yyyy.
    pub expires_on: String,
}

fn connection_row(r: &AnyRow) -> Result<Connection> {
    let mut c: Connection = from_row(r)?;
    c.encrypted = flag(r, "encrypted")?;
    c.approved = flag(r, "approved")?;
    Ok(c)
}

/// A certificate row, "expiring" as of `today`.
fn certificate_row(r: &AnyRow, today: NaiveDate) -> Result<Certificate> {
    let mut c: Certificate = from_row(r)?;
    c.expiring = parse_date(&c.expires_on).is_some_and(|d| (d - today).num_days() <= CERT_WARNING_DAYS);
    Ok(c)
}

/// Which register a record belongs to.
#[derive(Clone, Copy)]
enum Register {
    Connections,
    Certificates,
}

impl Register {
    fn table(self) -> &'static str {
        match self {
            Register::Connections => "system_connections",
            Register::Certificates => "system_certificates",
        }
    }
    fn entity(self) -> &'static str {
        match self {
            Register::Connections => "connection",
            Register::Certificates => "certificate",
        }
    }
}

impl Store {
    pub async fn connections_of(&self, actor: &Actor, system_id: i64) -> Result<Vec<Connection>> {
        self.scoped_system(&self.pool, actor, system_id, Action::ViewSystems).await?;
        let rows = self
            .read_all(&Sql::new("SELECT * FROM system_connections WHERE system_id = $1 ORDER BY id").arg(system_id))
            .await?;
        rows.iter().map(connection_row).collect()
    }

    pub async fn certificates_of(&self, actor: &Actor, system_id: i64) -> Result<Vec<Certificate>> {
        self.scoped_system(&self.pool, actor, system_id, Action::ViewSystems).await?;
        let rows = self
            .read_all(
                &Sql::new("SELECT * FROM system_certificates WHERE system_id = $1 ORDER BY expires_on").arg(system_id),
            )
            .await?;
        rows.iter().map(|r| certificate_row(r, self.clock.today_vn())).collect()
    }

    pub async fn add_connection(&self, actor: &Actor, system_id: i64, i: &ConnectionInput) -> Result<Connection> {
        let direction = match i.direction.trim() {
            d @ ("inbound" | "outbound") => d,
            other => {
                return Err(Error::invalid(
                    "direction",
                    format!("«{other}»: chọn inbound hoặc outbound."),
                    format!("«{other}»: choose inbound or outbound."),
                ))
            }
        };
        let peer = validate_name("peer", &i.peer, 300)?;
        let cats = optional_text("data_categories", i.data_categories.as_deref(), 500)?;
        let auth = optional_text("auth_method", i.auth_method.as_deref(), 100)?;
        let mut w = self.begin_write().await?;
        let s = self.scoped_system(&mut *w.tx, actor, system_id, Action::EditSystems).await?;
        let mut q = Sql::new("INSERT INTO system_connections (system_id, direction, peer, data_categories, auth_method, encrypted, approved, created_at) VALUES (");
        q.bind(system_id)
            .push(",")
            .bind(direction)
            .push(",")
            .bind(peer.as_str())
            .push(",")
            .bind(cats)
            .push(",")
            .bind(auth);
        q.push(",")
            .bind(i.encrypted)
            .push(",")
            .bind(i.approved)
            .push(",")
            .bind(self.clock.now_ms())
            .push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let r = sqlx::query("SELECT * FROM system_connections WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let c = connection_row(&r)?;
        w.audit(
            Some(actor),
            Change {
                action: "connection.create",
                entity_type: "connection",
                entity_id: Some(id),
                unit_id: Some(s.owner_unit_id),
                before: None,
                after: json(&c),
            },
        )
        .await?;
        w.commit().await?;
        Ok(c)
    }

    pub async fn add_certificate(&self, actor: &Actor, system_id: i64, i: &CertificateInput) -> Result<Certificate> {
        let kind = i.kind.code();
        let holder = validate_name("holder", &i.holder, 200)?;
        let serial = validate_name("serial", &i.serial, 100)?;
        let issuer = validate_name("issuer", &i.issuer, 200)?;
        let expires = opt_date("expires_on", &Some(i.expires_on.clone()))?
            .ok_or_else(|| Error::invalid("expires_on", "Cần ngày hết hạn.", "The expiry date is required."))?;
        let mut w = self.begin_write().await?;
        let s = self.scoped_system(&mut *w.tx, actor, system_id, Action::EditSystems).await?;
        let mut q = Sql::new("INSERT INTO system_certificates (system_id, kind, holder, serial, issuer, expires_on, created_at) VALUES (");
        q.bind(system_id)
            .push(",")
            .bind(kind)
            .push(",")
            .bind(holder.as_str())
            .push(",")
            .bind(serial.as_str())
            .push(",")
            .bind(issuer.as_str());
        q.push(",").bind(expires.as_str()).push(",").bind(self.clock.now_ms()).push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let r = sqlx::query("SELECT * FROM system_certificates WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let c = certificate_row(&r, self.clock.today_vn())?;
        w.audit(
            Some(actor),
            Change {
                action: "certificate.create",
                entity_type: "certificate",
                entity_id: Some(id),
                unit_id: Some(s.owner_unit_id),
                before: None,
                after: json(&c),
            },
        )
        .await?;
        w.commit().await?;
        Ok(c)
    }

    async fn remove_from(&self, actor: &Actor, register: Register, id: i64) -> Result<i64> {
        let mut w = self.begin_write().await?;
        let r = sqlx::query(&format!("SELECT system_id FROM {} WHERE id = $1", register.table()))
            .bind(id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let system_id: i64 = get(&r.ok_or_else(|| Error::not_found("bản ghi", "Record"))?, "system_id")?;
        let s = self.scoped_system(&mut *w.tx, actor, system_id, Action::EditSystems).await.map_err(|e| match e {
            Error::NotFound(_) => Error::not_found("bản ghi", "Record"),
            other => other,
        })?;
        sqlx::query(&format!("DELETE FROM {} WHERE id = $1", register.table()))
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let action = format!("{}.remove", register.entity());
        w.audit(
            Some(actor),
            Change {
                action: &action,
                entity_type: register.entity(),
                entity_id: Some(id),
                unit_id: Some(s.owner_unit_id),
                before: None,
                after: None,
            },
        )
        .await?;
        w.commit().await?;
        Ok(system_id)
    }

    /// Removes a connection; returns its system.
    pub async fn remove_connection(&self, actor: &Actor, id: i64) -> Result<i64> {
        self.remove_from(actor, Register::Connections, id).await
    }

    /// Removes a certificate; returns its system.
    pub async fn remove_certificate(&self, actor: &Actor, id: i64) -> Result<i64> {
        self.remove_from(actor, Register::Certificates, id).await
    }
}
