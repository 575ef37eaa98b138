//! The TAXII 2.1 server against a client nobody here wrote: the PyPI `taxii2-client` (2.3.0)
//! discovers the API root, lists collections, pages through objects, reads the manifest, one
//! object and its versions, posts an envelope and polls its status. Raw HTTP checks the media
//! type rules (406, 415, 413) and that a token sees only the collections it was given.

use crate::common::{admin_actor, unit_id, TestServer, DEMO_PASSWORD};
use khien_domain::role::Role;
use serde_json::{json, Value};
use std::path::PathBuf;

const TAXII: &str = "application/taxii+json;version=2.1";

const CLIENT: &str = r#"
import json, sys
from taxii2client.v21 import Server, Collection, as_pages
base, token, coll_id = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
server = Server(base + "/taxii2/", user="khien", password=token)
out["title"] = server.title
root = server.default
out["root_versions"] = root.versions
out["collections"] = [c.id for c in root.collections]
coll = Collection(base + "/taxii2/api/collections/" + coll_id + "/", user="khien", password=token)
out["can_read"], out["can_write"] = coll.can_read, coll.can_write
pages, ids = 0, []
for env in as_pages(coll.get_objects, per_request=7):
    pages += 1
    ids += [o["id"] for o in env.get("objects", [])]
out["pages"], out["objects"] = pages, len(ids)
out["incidents"] = [i for i in ids if i.startswith("incident--")]
out["manifest"] = len(coll.get_manifest().get("objects", []))
first = out["incidents"][0]
out["object"] = coll.get_object(first)["objects"][0]["type"]
out["versions"] = coll.object_versions(first)["versions"]
envelope = {"objects": [{"type": "indicator", "spec_version": "2.1", "id": "indicator--1ed4ee9c-6b95-4f1f-a2b5-3f5c8f9c0a11", "created": "2026-11-20T01:00:00.000Z", "modified": "2026-11-20T01:00:00.000Z", "pattern": "[ipv4-addr:value = '203.0.113.77']", "pattern_type": "stix", "valid_from": "2026-11-20T01:00:00Z"}, {"type": "nonsense", "id": "indicator--x"}]}
status = coll.add_objects(json.dumps(envelope))
out["status"] = [status.status, status.total_count, status.success_count, status.failure_count]
again = root.get_status(status.id)
out["polled"] = again.status
print(json.dumps(out))
"#;

fn python() -> PathBuf {
    let env = std::env::var("KHIEN_PY_ENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/khien-py"));
    let p = env.join("bin/python");
    assert!(
        p.exists(),
        "{} is missing: run scripts/install-test-deps.sh (or scripts/test.sh), which installs taxii2-client there",
        p.display()
    );
    p
}

#[tokio::test]
async fn taxii2_client_reads_pages_and_posts_and_tokens_see_only_their_collections() {
    let s = TestServer::start().await;
    let admin = admin_actor(&s.db).await;
    let root = unit_id(&s.db, "TP").await;
    let yt = unit_id(&s.db, "SO-YT").await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;

    // The authority opens a collection and publishes three incidents into it.
    let r = pa05
        .send(
            reqwest::Method::POST,
            "/api/v1/taxii/collections",
            Some(json!({"title": "Sự cố chia sẻ với Trung tâm quốc gia", "unit_id": root})),
        )
        .await;
    assert_eq!(r.status(), 201);
    let coll: Value = r.json().await.unwrap();
    let coll_id = coll["id"].as_str().unwrap().to_string();
    let queue = pa05.get_json("/api/v1/incidents?include_closed=true&limit=3").await;
    for i in queue["items"].as_array().unwrap() {
        let r = pa05
            .send(
                reqwest::Method::POST,
                &format!("/api/v1/incidents/{}/publish", i["id"]),
                Some(json!({"collection_id": coll_id})),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    }
    // A token for the national centre, given read and write on that collection only.
    let (secret, token) =
        s.db.store.create_token(&admin, "Trung tâm quốc gia", Role::AuthorityOfficer, root, 30).await.unwrap();
    let r = pa05
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/taxii/collections/{coll_id}/access"),
            Some(json!({"token_id": token.id, "can_read": true, "can_write": true})),
        )
        .await;
    assert_eq!(r.status(), 204);

    // The client blocks; it runs on another thread so that the server keeps answering.
    let (py, base, token_secret, id) = (python(), s.base.clone(), secret.clone(), coll_id.clone());
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(py).arg("-c").arg(CLIENT).arg(base).arg(token_secret).arg(id).output()
    })
    .await
    .unwrap()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "taxii2-client failed: {stderr}");
    let got: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(got["title"], "Khiên TAXII");
    assert_eq!(got["root_versions"], json!([TAXII]));
    assert_eq!(got["collections"], json!([coll_id]));
    assert_eq!((got["can_read"].as_bool(), got["can_write"].as_bool()), (Some(true), Some(true)));
    let objects = got["objects"].as_i64().unwrap();
    assert!(got["pages"].as_i64().unwrap() >= objects / 7, "{got}");
    assert_eq!(got["incidents"].as_array().unwrap().len(), 3, "{got}");
    assert_eq!(got["manifest"].as_i64(), Some(objects.min(100)));
    assert_eq!(got["object"], "incident");
    assert_eq!(got["versions"].as_array().unwrap().len(), 1);
    assert_eq!(got["status"], json!(["complete", 2, 1, 1]));
    assert_eq!(got["polled"], "complete");

    // Raw HTTP: media types and limits.
    let http = reqwest::Client::new();
    let objects_url = s.url(&format!("/taxii2/api/collections/{coll_id}/objects/"));
    let r = http
        .get(&objects_url)
        .basic_auth("x", Some(&secret))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 406);
    let r = http
        .post(&objects_url)
        .basic_auth("x", Some(&secret))
        .header("accept", TAXII)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let big = format!("{{\"objects\":[{{\"type\":\"note\",\"x\":\"{}\"}}]}}", "a".repeat(10 * 1024 * 1024 + 10));
    let r = http
        .post(&objects_url)
        .basic_auth("x", Some(&secret))
        .header("accept", TAXII)
        .header("content-type", TAXII)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let page = |q: String| {
        let (http, url, secret) = (http.clone(), objects_url.clone(), secret.clone());
        async move { http.get(format!("{url}?{q}")).bearer_auth(secret).header("accept", TAXII).send().await.unwrap() }
    };
    let r = page("limit=5".into()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], TAXII);
    assert!(r.headers().contains_key("x-taxii-date-added-first"));
    let first: Value = r.json().await.unwrap();
    assert_eq!((first["more"].as_bool(), first["objects"].as_array().map(Vec::len)), (Some(true), Some(5)));
    let next = first["next"].as_str().unwrap();
    let second: Value = page(format!("limit=5&next={next}")).await.json().await.unwrap();
    assert_ne!(second["objects"][0]["id"], first["objects"][0]["id"]);
    let only: Value = page("match[type]=incident".into()).await.json().await.unwrap();
    assert!(only["objects"].as_array().unwrap().iter().all(|o| o["type"] == "incident"));
    let later: Value = page("added_after=2099-01-01T00:00:00Z".into()).await.json().await.unwrap();
    assert_eq!(later, json!({"more": false}));
    assert_eq!(page("limit=0".into()).await.status(), 422);

    // A token of another unit, with no access entry: no collection, and this one is not found.
    let (other, _) = s.db.store.create_token(&admin, "SO-YT SIEM", Role::UnitManager, yt, 30).await.unwrap();
    let r =
        http.get(s.url("/taxii2/api/collections/")).bearer_auth(&other).header("accept", TAXII).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), json!({}));
    let r = http.get(&objects_url).bearer_auth(&other).header("accept", TAXII).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = http.get(s.url("/taxii2/")).header("accept", TAXII).send().await.unwrap();
    assert_eq!(r.status(), 401, "no anonymous access");
}

/// Khiên's TAXII client pushes a collection to another server's collection (here a second
/// Khiên, whose TAXII server the test above checks against `taxii2-client`), records each push
/// with the remote's status, sends only what is new, and records a refusal as an error.
#[tokio::test]
async fn pushes_a_collection_to_a_remote_taxii_server_and_records_each_push() {
    let (a, b) = (TestServer::start().await, TestServer::start().await);
    // The receiving side: a collection and a token allowed to write it.
    let b_root = unit_id(&b.db, "TP").await;
    let b_pa05 = b.login("pa05.truong", DEMO_PASSWORD).await;
    let inbox: Value = b_pa05
        .send(
            reqwest::Method::POST,
            "/api/v1/taxii/collections",
            Some(json!({"title": "Nhận từ các địa phương", "unit_id": b_root})),
        )
        .await
        .json()
        .await
        .unwrap();
    let inbox_id = inbox["id"].as_str().unwrap().to_string();
    let (secret, token) =
        b.db.store
            .create_token(&admin_actor(&b.db).await, "Hải Đông", Role::AuthorityOfficer, b_root, 30)
            .await
            .unwrap();
    b_pa05
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/taxii/collections/{inbox_id}/access"),
            Some(json!({"token_id": token.id, "can_read": true, "can_write": true})),
        )
        .await;

    // The sending side: a collection with two incidents in it, and the remote.
    let a_root = unit_id(&a.db, "TP").await;
    let pa05 = a.login("pa05.truong", DEMO_PASSWORD).await;
    let outbox: Value = pa05
        .send(
            reqwest::Method::POST,
            "/api/v1/taxii/collections",
            Some(json!({"title": "Gửi Trung tâm quốc gia", "unit_id": a_root})),
        )
        .await
        .json()
        .await
        .unwrap();
    let outbox_id = outbox["id"].as_str().unwrap();
    let mut published = 0;
    for i in pa05.get_json("/api/v1/incidents?limit=2").await["items"].as_array().unwrap() {
        let r: Value = pa05
            .send(
                reqwest::Method::POST,
                &format!("/api/v1/incidents/{}/publish", i["id"]),
                Some(json!({"collection_id": outbox_id})),
            )
            .await
            .json()
            .await
            .unwrap();
        published += r["stored"].as_i64().unwrap();
    }
    let url = b.url(&format!("/taxii2/api/collections/{inbox_id}/objects/"));
    let r = pa05.send(reqwest::Method::POST, "/api/v1/taxii/remotes", Some(json!({"name": "Trung tâm quốc gia", "url": url, "username": "hai-dong", "secret": secret, "collection_id": outbox_id}))).await;
    assert_eq!(r.status(), 201);
    let remote: Value = r.json().await.unwrap();
    assert!(remote.get("secret").is_none(), "the secret is never shown: {remote}");
    let id = remote["id"].as_i64().unwrap();

    let pushed: Value =
        pa05.send(reqwest::Method::POST, &format!("/api/v1/taxii/remotes/{id}/push"), None).await.json().await.unwrap();
    let last = &pushed["pushes"][0];
    assert_eq!(
        (last["http_status"].as_i64(), last["status"].as_str(), last["error"].as_str()),
        (Some(202), Some("complete"), None),
        "{pushed}"
    );
    // Objects the two bundles share (the authority, the markings) are stored once.
    let sent = last["objects"].as_i64().unwrap();
    assert!(sent > 0 && sent <= published && last["success_count"].as_i64() == Some(sent), "{pushed}");
    // The remote holds them (distinct objects; SCOs shared by two incidents are one object).
    let there: Value = reqwest::Client::new()
        .get(format!("{url}?limit=1000"))
        .bearer_auth(&secret)
        .header("accept", TAXII)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let incidents = there["objects"].as_array().unwrap().iter().filter(|o| o["type"] == "incident").count();
    assert_eq!(incidents, 2, "{there}");
    // Nothing new: nothing sent.
    let again: Value =
        pa05.send(reqwest::Method::POST, &format!("/api/v1/taxii/remotes/{id}/push"), None).await.json().await.unwrap();
    assert_eq!(again["pushes"].as_array().unwrap().len(), 1);

    // A remote that refuses (a wrong secret): the push is recorded with the reason, and the
    // objects stay pending for the next try.
    let r: Value = pa05
        .send(
            reqwest::Method::POST,
            "/api/v1/taxii/remotes",
            Some(json!({"name": "Sai mật khẩu", "url": url, "secret": "khien_wrong", "collection_id": outbox_id})),
        )
        .await
        .json()
        .await
        .unwrap();
    let bad: Value = pa05
        .send(reqwest::Method::POST, &format!("/api/v1/taxii/remotes/{}/push", r["id"]), None)
        .await
        .json()
        .await
        .unwrap();
    let last = &bad["pushes"][0];
    assert_eq!(last["http_status"].as_i64(), Some(401), "{bad}");
    assert!(last["error"].as_str().unwrap().contains("401"));
    let bad_url = pa05
        .send(
            reqwest::Method::POST,
            "/api/v1/taxii/remotes",
            Some(json!({"name": "x", "url": "ftp://x", "collection_id": outbox_id})),
        )
        .await;
    assert_eq!(bad_url.status(), 422);
}
