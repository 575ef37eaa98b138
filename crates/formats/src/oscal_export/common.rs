//! What the three documents share: ids, times, text and token rules, and the OSCAL objects
//! common to all models (metadata, parties, properties, links, back-matter).

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::model::{CatalogueRef, PartyIn};
use super::OscalExportError;

/// The OSCAL version the documents are written against.
pub const OSCAL_VERSION: &str = "1.1.2";

/// Namespace of Khiên's own properties (`props[].ns`). OSCAL wants a URI the producer controls;
/// `.invalid` is reserved (RFC 2606), so this one can never be mistaken for someone else's.
pub const KHIEN_NS: &str = "https://khien.invalid/ns/oscal";

/// Ids of one installation: UUID v5 in a namespace derived from its `namespace_id` (the seed
/// the STIX export uses), over `oscal:<kind>:<key>`.
#[derive(Clone, Copy)]
pub(super) struct Ids {
    ns: Uuid,
}

impl Ids {
    pub fn new(namespace_id: &str) -> Ids {
        let seed = format!("urn:khien:{}", namespace_id.trim());
        Ids { ns: Uuid::new_v5(&Uuid::NAMESPACE_URL, seed.as_bytes()) }
    }

    pub fn uuid(&self, kind: &str, key: &str) -> String {
        Uuid::new_v5(&self.ns, format!("oscal:{kind}:{key}").as_bytes()).to_string()
    }
}

/// RFC 3339 in UTC, to the second: `2026-03-01T08:00:00Z`.
pub(super) fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The end of a day in Vietnam (UTC+7): `2026-05-31T23:59:59+07:00`.
pub(super) fn end_of_day_vn(d: NaiveDate) -> String {
    let Some(tz) = FixedOffset::east_opt(7 * 3600) else { return format!("{d}T23:59:59+07:00") };
    match d.and_hms_opt(23, 59, 59).and_then(|t| tz.from_local_datetime(&t).single()) {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Secs, false),
        None => format!("{d}T23:59:59+07:00"),
    }
}

/// A one-line OSCAL string: whitespace runs folded to one space, trimmed; `fallback` if empty.
pub(super) fn line(s: &str, fallback: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// A one-line string, `None` when empty.
pub(super) fn opt_line(s: Option<&str>) -> Option<String> {
    s.map(|s| line(s, "")).filter(|s| !s.is_empty())
}

/// A multi-line text (markup-multiline): line ends as `\n`, trimmed; `fallback` if empty.
pub(super) fn block(s: &str, fallback: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let s = s.trim();
    if s.is_empty() {
        fallback.to_string()
    } else {
        s.to_string()
    }
}

/// Whether `s` is an ASCII OSCAL token: a letter or `_`, then letters, digits, `_ . -`.
pub(super) fn is_ascii_token(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The OSCAL `control-id` token of a catalogue requirement id:
/// - an ASCII token already (`ac-2.1`, `AC-2`) stays as it is;
/// - ASCII letters, digits, `. _ -` starting with a digit, `.` or `-` get a leading `_`
///   (`14423.6.2` → `_14423.6.2`), which no catalogue id has (they start with a letter or digit);
/// - anything else is folded (no diacritics, `đ` → `d`, lower case; other runs → `-`) and gets
///   the first 8 hex digits of a UUID v5 of the original, so that two ids folding alike stay
///   apart: `Điều 6.2 a` → `_dieu-6.2-a_1a2b3c4d`.
///
/// The documents keep the original in the `original-control-id` property and refuse two ids
/// of one document with the same token.
pub fn control_token(id: &str) -> String {
    let id = id.trim();
    if is_ascii_token(id) {
        return id.to_string();
    }
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')) {
        return format!("_{id}");
    }
    let mut slug = String::new();
    for c in khien_domain::fold::fold(id).chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let hash: String = Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("urn:khien:control-id:{id}").as_bytes())
        .simple()
        .to_string()
        .chars()
        .take(8)
        .collect();
    if slug.is_empty() {
        format!("_{hash}")
    } else {
        format!("_{slug}_{hash}")
    }
}

/// Refuses a second occurrence of a key (uuids derive from keys, so they would collide).
pub(super) struct Unique {
    kind: &'static str,
    seen: HashSet<String>,
}

impl Unique {
    pub fn new(kind: &'static str) -> Unique {
        Unique { kind, seen: HashSet::new() }
    }

    pub fn check(&mut self, key: &str) -> Result<(), OscalExportError> {
        if self.seen.insert(key.to_string()) {
            Ok(())
        } else {
            Err(OscalExportError::DuplicateKey { kind: self.kind, key: key.to_string() })
        }
    }
}

/// A requirement id as a control-id token, refusing two ids with one token.
pub(super) fn requirement_tokens<'a>(ids: impl Iterator<Item = &'a str>) -> Result<Vec<String>, OscalExportError> {
    let mut unique = Unique::new("requirement id");
    let mut out = Vec::new();
    for id in ids {
        let token = control_token(id);
        unique
            .check(&token)
            .map_err(|_| OscalExportError::DuplicateKey { kind: "requirement id", key: id.trim().to_string() })?;
        out.push(token);
    }
    Ok(out)
}

pub(super) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Serialises `{"<model>": doc}` as pretty JSON with a final line end.
pub(super) fn to_bytes<T: Serialize>(model: &'static str, doc: &T) -> Result<Vec<u8>, OscalExportError> {
    let root = std::collections::BTreeMap::from([(model, doc)]);
    let mut out = serde_json::to_vec_pretty(&root).map_err(|e| OscalExportError::Serialize(e.to_string()))?;
    out.push(b'\n');
    Ok(out)
}

// --- OSCAL objects shared by the models ---------------------------------------------------

#[derive(Serialize)]
pub(super) struct Prop {
    pub name: &'static str,
    pub ns: &'static str,
    pub value: String,
}

/// A Khiên property; `None` when the value is empty.
pub(super) fn prop(name: &'static str, value: &str) -> Option<Prop> {
    opt_line(Some(value)).map(|value| Prop { name, ns: KHIEN_NS, value })
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Link {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Role {
    pub id: &'static str,
    pub title: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Party {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
}

pub(super) fn party_uuid(ids: &Ids, p: &PartyIn) -> String {
    ids.uuid("party", p.key.trim())
}

pub(super) fn party(ids: &Ids, p: &PartyIn) -> Party {
    let email = opt_line(p.email.as_deref()).filter(|e| crate::text::is_plausible_email(e));
    Party {
        uuid: party_uuid(ids, p),
        kind: "organization",
        name: line(&p.name, "(chưa có tên)"),
        short_name: opt_line(p.short_name.as_deref()),
        email_addresses: email.into_iter().collect(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ResponsibleParty {
    pub role_id: &'static str,
    pub party_uuids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Metadata {
    pub title: String,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsible_parties: Vec<ResponsibleParty>,
}

impl Metadata {
    pub fn new(title: String, last_modified: &DateTime<Utc>, version: &str) -> Metadata {
        Metadata {
            title,
            last_modified: ts(last_modified),
            version: line(version, "1"),
            oscal_version: OSCAL_VERSION,
            props: Vec::new(),
            roles: Vec::new(),
            parties: Vec::new(),
            responsible_parties: Vec::new(),
        }
    }

    /// Adds the party (once per key) and makes it responsible for the role.
    pub fn assign(&mut self, ids: &Ids, role: Role, p: &PartyIn) {
        let uuid = party_uuid(ids, p);
        if !self.parties.iter().any(|q| q.uuid == uuid) {
            self.parties.push(party(ids, p));
        }
        self.responsible_parties.push(ResponsibleParty { role_id: role.id, party_uuids: vec![uuid] });
        self.roles.push(role);
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Hash {
    pub algorithm: &'static str,
    pub value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Rlink {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Resource {
    pub uuid: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rlinks: Vec<Rlink>,
}

#[derive(Serialize)]
pub(super) struct BackMatter {
    pub resources: Vec<Resource>,
}

impl BackMatter {
    /// `None` without resources (OSCAL wants at least one).
    pub fn of(resources: Vec<Resource>) -> Option<BackMatter> {
        (!resources.is_empty()).then_some(BackMatter { resources })
    }
}

/// The catalogue as a back-matter resource; its uuid derives from code and version.
pub(super) fn catalogue_resource(ids: &Ids, c: &CatalogueRef) -> Resource {
    let code = line(&c.code, "catalogue");
    let version = line(&c.version, "1");
    let rlinks = opt_line(c.href.as_deref())
        .map(|href| Rlink { href, media_type: Some("application/json".into()), hashes: Vec::new() })
        .into_iter()
        .collect();
    Resource {
        uuid: ids.uuid("catalogue", &format!("{code}@{version}")),
        title: line(&c.title, &code),
        description: Some(format!("Danh mục yêu cầu {code}, phiên bản {version}.")),
        props: [prop("catalogue-code", &code), prop("catalogue-version", &version)].into_iter().flatten().collect(),
        rlinks,
    }
}

/// `#<uuid>`: a link to a back-matter resource.
pub(super) fn fragment(uuid: &str) -> String {
    format!("#{uuid}")
}
