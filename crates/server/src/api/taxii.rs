//! The TAXII 2.1 server: discovery, one API root, collections, objects (GET with `added_after`,
//! `limit`/`next` and `match[...]`; POST), one object, its versions, the manifest, and status
//! resources. Media types follow the specification: a request that does not accept
//! `application/taxii+json;version=2.1` gets 406, a POST of another type 415, a body over the
//! API root's `max_content_length` 413. Access is by API token per collection (HTTP Basic with
//! the token as the password, or Bearer).

use crate::auth::Ctx;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use khien_domain::time::{parse_rfc3339, rfc3339};
use khien_domain::Error;
use khien_store::{ObjectFilter, ObjectPage, VersionMatch};
use serde_json::{json, Value};

pub const TAXII: &str = "application/taxii+json;version=2.1";
/// Largest POST body accepted (announced as the API root's max_content_length).
pub const MAX_CONTENT: usize = 10 * 1024 * 1024;
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/taxii2/", get(discovery))
        .route("/taxii2/api/", get(api_root))
        .route("/taxii2/api/status/{id}/", get(status))
        .route("/taxii2/api/collections/", get(collections))
        .route("/taxii2/api/collections/{id}/", get(collection))
        .route("/taxii2/api/collections/{id}/manifest/", get(manifest))
        .route(
            "/taxii2/api/collections/{id}/objects/",
            get(objects).post(add_objects).layer(axum::extract::DefaultBodyLimit::max(MAX_CONTENT * 2)),
        )
        .route("/taxii2/api/collections/{id}/objects/{object_id}/", get(object).delete(delete_object))
        .route("/taxii2/api/collections/{id}/objects/{object_id}/versions/", get(versions))
}

fn taxii_json(status: StatusCode, body: Value) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(TAXII))], body.to_string()).into_response()
}

/// A TAXII error message (the specification's error resource), in English for machines with
/// the Vietnamese text as the description's second half.
fn taxii_error(e: &Error) -> Response {
    let status = crate::error::status_of(e);
    let msg = e.message(khien_domain::Lang::En);
    let vi = e.message(khien_domain::Lang::Vi);
    taxii_json(
        status,
        json!({"title": status.canonical_reason().unwrap_or("Error"), "description": format!("{msg} / {vi}"), "http_status": status.as_u16().to_string()}),
    )
}

fn fail(status: StatusCode, title: &str, description: &str) -> Response {
    taxii_json(status, json!({"title": title, "description": description, "http_status": status.as_u16().to_string()}))
}

/// The 406 answer, unless the client accepts TAXII 2.1 JSON.
fn not_acceptable(h: &HeaderMap) -> Option<Response> {
    let accept = h.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ok = accept.split(',').any(|a| {
        let a: String = a
            .split(";q=")
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        a == "application/taxii+json;version=2.1"
            || a == "application/taxii+json"
            || a == "application/taxii+json;version=2.1;charset=utf-8"
    });
    (!ok).then(|| {
        fail(
            StatusCode::NOT_ACCEPTABLE,
            "Not Acceptable",
            "This server answers only with application/taxii+json;version=2.1.",
        )
    })
}

fn done(r: Result<Response, Error>) -> Response {
    r.unwrap_or_else(|e| taxii_error(&e))
}

async fn discovery(h: HeaderMap, _ctx: Ctx) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    taxii_json(
        StatusCode::OK,
        json!({"title": "Khiên TAXII", "description": "Sự cố an toàn thông tin chia sẻ bởi cơ quan chuyên trách / Incidents shared by the city cybersecurity authority", "default": "/taxii2/api/", "api_roots": ["/taxii2/api/"]}),
    )
}

async fn api_root(h: HeaderMap, _ctx: Ctx) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    taxii_json(StatusCode::OK, json!({"title": "Khiên", "versions": [TAXII], "max_content_length": MAX_CONTENT}))
}

/// Adds `key` to `v`, a JSON object (each is built by `json!({..})` just before).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(map) = v.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

fn collection_json(c: &khien_store::Collection) -> Value {
    let mut v = json!({"id": c.id, "title": c.title, "can_read": c.can_read, "can_write": c.can_write, "media_types": ["application/stix+json;version=2.1"]});
    if let Some(d) = &c.description {
        set(&mut v, "description", json!(d));
    }
    v
}

async fn collections(State(s): State<AppState>, h: HeaderMap, ctx: Ctx) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(
        async {
            let list: Vec<Value> = s.store.taxii_collections(&ctx.actor).await?.iter().map(collection_json).collect();
            Ok(taxii_json(StatusCode::OK, if list.is_empty() { json!({}) } else { json!({"collections": list}) }))
        }
        .await,
    )
}

async fn collection(State(s): State<AppState>, h: HeaderMap, ctx: Ctx, Path(id): Path<String>) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(
        async { Ok(taxii_json(StatusCode::OK, collection_json(&s.store.taxii_collection(&ctx.actor, &id).await?))) }
            .await,
    )
}

/// Reads `added_after`, `limit`, `next` and `match[id|type|version|spec_version]`.
fn filter(query: Option<&str>, default_versions: VersionMatch) -> Result<ObjectFilter, Error> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| Error::bad_request(format!("Tham số truy vấn sai: {e}"), format!("Bad query parameters: {e}")))?;
    let mut f = ObjectFilter {
        added_after: None,
        limit: DEFAULT_LIMIT,
        next: None,
        ids: Vec::new(),
        types: Vec::new(),
        versions: Vec::new(),
        spec_versions: Vec::new(),
    };
    let list = |v: &str| v.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect::<Vec<_>>();
    for (k, v) in pairs {
        match k.as_str() {
            "added_after" => {
                f.added_after = Some(parse_rfc3339(&v).ok_or_else(|| {
                    Error::invalid(
                        "added_after",
                        "added_after phải là thời điểm RFC 3339.",
                        "added_after must be an RFC 3339 timestamp.",
                    )
                })?)
            }
            "limit" => {
                let n: i64 = v.parse().map_err(|_| {
                    Error::invalid("limit", "limit phải là số nguyên dương.", "limit must be a positive integer.")
                })?;
                if n < 1 {
                    return Err(Error::invalid(
                        "limit",
                        "limit phải là số nguyên dương.",
                        "limit must be a positive integer.",
                    ));
                }
                f.limit = n.min(MAX_LIMIT);
            }
            "next" => f.next = Some(v),
            "match[id]" => f.ids.extend(list(&v)),
            "match[type]" => f.types.extend(list(&v)),
            "match[spec_version]" => f.spec_versions.extend(list(&v)),
            "match[version]" => {
                for x in list(&v) {
                    f.versions.push(match x.as_str() {
                        "last" => VersionMatch::Last,
                        "first" => VersionMatch::First,
                        "all" => VersionMatch::All,
                        t => VersionMatch::At(parse_rfc3339(t).map(rfc3339).ok_or_else(|| {
                            Error::invalid(
                                "match[version]",
                                "match[version] là last, first, all hoặc một thời điểm.",
                                "match[version] is last, first, all or a timestamp.",
                            )
                        })?),
                    });
                }
            }
            other => {
                return Err(Error::invalid(
                    other,
                    format!("Tham số «{other}» không được hỗ trợ."),
                    format!("The parameter «{other}» is not supported."),
                ))
            }
        }
    }
    if f.versions.is_empty() {
        f.versions.push(default_versions);
    }
    Ok(f)
}

/// Headers every page carries: the first and last date_added of what it holds.
fn paged(status: StatusCode, body: Value, page: &ObjectPage) -> Response {
    let mut r = taxii_json(status, body);
    if let (Some(first), Some(last)) = (page.objects.first(), page.objects.last()) {
        for (name, at) in [("x-taxii-date-added-first", first.date_added), ("x-taxii-date-added-last", last.date_added)]
        {
            if let Ok(v) = HeaderValue::from_str(&rfc3339(at)) {
                r.headers_mut().insert(name, v);
            }
        }
    }
    r
}

fn envelope(page: &ObjectPage) -> Value {
    let objects: Vec<Value> = page.objects.iter().filter_map(|o| serde_json::from_str(&o.body).ok()).collect();
    let mut v = json!({"more": page.more});
    if !objects.is_empty() {
        set(&mut v, "objects", json!(objects));
    }
    if let Some(n) = &page.next {
        set(&mut v, "next", json!(n));
    }
    v
}

async fn objects(
    State(s): State<AppState>,
    h: HeaderMap,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(
        async {
            let page = s.store.taxii_objects(&ctx.actor, &id, &filter(q.as_deref(), VersionMatch::Last)?, None).await?;
            Ok(paged(StatusCode::OK, envelope(&page), &page))
        }
        .await,
    )
}

async fn manifest(
    State(s): State<AppState>,
    h: HeaderMap,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(async {
        let page = s.store.taxii_objects(&ctx.actor, &id, &filter(q.as_deref(), VersionMatch::Last)?, None).await?;
        let records: Vec<Value> = page
            .objects
            .iter()
            .map(|o| json!({"id": o.stix_id, "date_added": rfc3339(o.date_added), "version": o.version, "media_type": format!("application/stix+json;version={}", o.spec_version)}))
            .collect();
        let mut body = json!({"more": page.more});
        if !records.is_empty() {
            set(&mut body, "objects", json!(records));
        }
        if let Some(n) = &page.next {
            set(&mut body, "next", json!(n));
        }
        Ok(paged(StatusCode::OK, body, &page))
    }
    .await)
}

async fn object(
    State(s): State<AppState>,
    h: HeaderMap,
    ctx: Ctx,
    Path((id, object_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(
        async {
            let page = one_object(&s, &ctx, &id, &object_id, q.as_deref(), VersionMatch::Last).await?;
            Ok(paged(StatusCode::OK, envelope(&page), &page))
        }
        .await,
    )
}

/// The versions of one object in a collection (as `match`es ask), or 404 when there are none.
async fn one_object(
    s: &AppState,
    ctx: &Ctx,
    collection: &str,
    object_id: &str,
    query: Option<&str>,
    versions: VersionMatch,
) -> Result<ObjectPage, Error> {
    let page = s.store.taxii_objects(&ctx.actor, collection, &filter(query, versions)?, Some(object_id)).await?;
    if page.objects.is_empty() {
        return Err(Error::not_found("đối tượng", "Object"));
    }
    Ok(page)
}

async fn versions(
    State(s): State<AppState>,
    h: HeaderMap,
    ctx: Ctx,
    Path((id, object_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(
        async {
            let page = one_object(&s, &ctx, &id, &object_id, q.as_deref(), VersionMatch::All).await?;
            let list: Vec<&str> = page.objects.iter().map(|o| o.version.as_str()).collect();
            let mut body = json!({"more": page.more, "versions": list});
            if let Some(n) = &page.next {
                set(&mut body, "next", json!(n));
            }
            Ok(paged(StatusCode::OK, body, &page))
        }
        .await,
    )
}

async fn delete_object(
    State(s): State<AppState>,
    h: HeaderMap,
    ctx: Ctx,
    Path((id, object_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(
        async {
            let f = filter(q.as_deref(), VersionMatch::All)?;
            if s.store.taxii_delete_object(&ctx.actor, &id, &object_id, &f.versions).await? == 0 {
                return Err(Error::not_found("đối tượng", "Object"));
            }
            Ok(StatusCode::OK.into_response())
        }
        .await,
    )
}

async fn add_objects(
    State(s): State<AppState>,
    h: HeaderMap,
    ctx: Ctx,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    let content_type: String = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if !content_type.starts_with("application/taxii+json;version=2.1") {
        return fail(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            "POST a TAXII envelope as application/taxii+json;version=2.1.",
        );
    }
    if body.len() > MAX_CONTENT {
        return fail(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload Too Large",
            &format!("The envelope is {} bytes; the limit is {MAX_CONTENT}.", body.len()),
        );
    }
    done(
        async {
            let envelope: Value = serde_json::from_slice(&body).map_err(|e| {
                Error::invalid(
                    "objects",
                    format!("Phong bì TAXII không phải JSON hợp lệ: {e}"),
                    format!("The TAXII envelope is not valid JSON: {e}"),
                )
            })?;
            let objects = envelope.get("objects").and_then(Value::as_array).ok_or_else(|| {
                Error::invalid(
                    "objects",
                    "Phong bì TAXII thiếu mảng «objects».",
                    "The TAXII envelope has no «objects» array.",
                )
            })?;
            let st = s.store.taxii_add_objects(&ctx.actor, &id, objects).await?;
            Ok(taxii_json(StatusCode::ACCEPTED, status_json(&st)))
        }
        .await,
    )
}

fn status_json(st: &khien_store::TaxiiStatus) -> Value {
    let mut v = json!({
        "id": st.id,
        "status": "complete",
        "request_timestamp": rfc3339(st.request_timestamp),
        "total_count": st.total_count,
        "success_count": st.success_count,
        "failure_count": st.failure_count,
        "pending_count": 0,
    });
    if !st.successes.is_empty() {
        set(
            &mut v,
            "successes",
            json!(st.successes.iter().map(|(id, version)| json!({"id": id, "version": version})).collect::<Vec<_>>()),
        );
    }
    if !st.failures.is_empty() {
        set(
            &mut v,
            "failures",
            json!(st
                .failures
                .iter()
                .map(|(id, version, message)| json!({"id": id, "version": version, "message": message}))
                .collect::<Vec<_>>()),
        );
    }
    v
}

async fn status(State(s): State<AppState>, h: HeaderMap, ctx: Ctx, Path(id): Path<String>) -> Response {
    if let Some(r) = not_acceptable(&h) {
        return r;
    }
    done(async { Ok(taxii_json(StatusCode::OK, status_json(&s.store.taxii_status(&ctx.actor, &id).await?))) }.await)
}
