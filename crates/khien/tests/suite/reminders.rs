//! Reminders: an overdue clock reaches both sides once, however often the sweep runs; overdue
//! dossier steps too; the e-mail goes through SMTP with its Vietnamese intact. The store's clock
//! is fixed: the test moves it past each deadline.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use chrono::TimeDelta;
use khien_domain::system::dossier::DossierAction;
use khien_domain::time::rfc3339;
use khien_domain::FixedTime;
use khien_store::{DossierInput, FindingFilter, FindingMoveInput, IncidentInput, SystemInput};
use sqlx::Connection;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

on_both_stores!(fixed_clock: overdue_clocks_and_dossiers_remind_both_sides_once);

async fn overdue_clocks_and_dossiers_remind_both_sides_once(db: TestDb, time: FixedTime) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    // Detected now; 80 hours later the 72-hour report (NĐ 331 Đ31.2.d) is overdue.
    let input = IncidentInput {
        unit_id: ward,
        title: "Máy chủ bị mã hóa".into(),
        category: "ransomware".into(),
        detected_at: rfc3339(time.now_ms()),
        ..Default::default()
    };
    let inc = db.store.create_incident(&officer, &input).await.unwrap();
    let link = format!("/incidents/{}", inc.id);
    let early = db.store.maintenance().sweep_reminders().await.unwrap();
    assert!(!early.iter().any(|o| o.body.contains(&link)), "nothing is due yet: {early:?}");
    time.advance(TimeDelta::hours(80));
    let first = db.store.maintenance().sweep_reminders().await.unwrap();
    let again = db.store.maintenance().sweep_reminders().await.unwrap();
    assert!(again.is_empty(), "a second sweep sends nothing new: {again:?}");
    // The overdue clock's reminders (the report itself was an event of its own).
    let about =
        |n: &Vec<khien_store::Notification>| n.iter().filter(|x| x.link == link && x.kind == "incident_clock").count();
    for (who, expected) in [
        ("hongbang.canbo", 1),
        ("hongbang.quanly", 1),
        ("pa05.truong", 1),
        ("pa05.canbo", 1),
        ("lechan.canbo", 0),
        ("soyt.canbo", 0),
    ] {
        let a = actor(&db, who).await;
        let mine = db.store.notifications(&a, 500).await.unwrap();
        assert_eq!(about(&mine), expected, "{who}: {mine:?}");
    }
    let mine = db.store.notifications(&officer, 500).await.unwrap();
    let n = mine.iter().find(|x| x.link == link && x.kind == "incident_clock").unwrap();
    assert!(
        n.message_vi.contains(&inc.code) && n.message_vi.contains("quá hạn báo cáo nguyên nhân"),
        "{}",
        n.message_vi
    );
    // Demo people have e-mail addresses: the sweep hands those over for mailing.
    assert!(first.iter().any(|o| o.body.contains(&link)), "nothing to mail about {link}");
    // A level-3 dossier submitted on Thursday 5 November: appraisal is due within 15 working
    // days (NĐ 331 Đ23.3.a); a month later both sides hear that it is overdue.
    let sys = SystemInput {
        code: "HB-REMIND".into(),
        name: "Cổng dịch vụ công".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        admin_procedures: true,
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &sys).await.unwrap();
    let d = db.store.create_dossier(&officer, sys.id, &DossierInput::default()).await.unwrap();
    db.store.update_dossier(&officer, d.id, &DossierInput { proposed_level: 3, level_reason: None }).await.unwrap();
    crate::common::attach_parts(&db, &officer, d.id, &crate::systems::BASIC_PARTS).await;
    db.store.act_on_dossier(&officer, d.id, DossierAction::Submit, None, None, None).await.unwrap();
    let dossier_link = format!("/dossiers/{}", d.id);
    db.store.maintenance().sweep_reminders().await.unwrap();
    let mine = db.store.notifications(&officer, 500).await.unwrap();
    assert!(!mine.iter().any(|n| n.link == dossier_link), "not overdue on the day it is submitted: {mine:?}");
    time.advance(TimeDelta::days(30));
    db.store.maintenance().sweep_reminders().await.unwrap();
    for who in ["hongbang.canbo", "pa05.truong"] {
        let mine = db.store.notifications(&actor(&db, who).await, 500).await.unwrap();
        assert!(
            mine.iter().any(|n| n.link == dossier_link && n.kind == "dossier_step"),
            "{who} hears of the overdue dossier: {mine:?}"
        );
    }
    // Findings past their deadline (180 days at most: a low finding of a system without an
    // approved level) escalate to the ward's head and the authority; a risk acceptance that has
    // expired reopens.
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 6, 4));
    db.store
        .import_scan(&officer, sys.id, khien_formats::scan::ScanTool::Nessus, "quet.nessus", Box::new(scan))
        .await
        .unwrap();
    let of_system = FindingFilter { system_id: Some(sys.id), limit: 50, ..Default::default() };
    let found = db.store.list_findings(&officer, &of_system).await.unwrap().items;
    let accepted = found.iter().find(|f| f.severity != "info").unwrap().id;
    let until = (time.clock().today_vn() + TimeDelta::days(30)).format("%Y-%m-%d").to_string();
    let accept = FindingMoveInput {
        to: "risk_accepted".into(),
        reason: Some("Hệ thống cũ, thay thế quý 2".into()),
        accepted_until: Some(until),
    };
    db.store.move_finding(&actor(&db, "hongbang.quanly").await, accepted, &accept).await.unwrap();
    assert!(found.iter().all(|f| !f.overdue), "none is overdue on the day it is found: {found:?}");
    time.advance(TimeDelta::days(181));
    db.store.maintenance().sweep_reminders().await.unwrap();
    for (who, expected) in
        [("hongbang.quanly", true), ("pa05.truong", true), ("hongbang.canbo", false), ("lechan.canbo", false)]
    {
        let mine = db.store.notifications(&actor(&db, who).await, 500).await.unwrap();
        assert_eq!(
            mine.iter().any(|n| n.kind == "finding_overdue" && n.message_vi.contains("quá hạn khắc phục")),
            expected,
            "{who}: {mine:?}"
        );
    }
    let all = FindingFilter { include_closed: true, ..of_system };
    let listed = db.store.list_findings(&officer, &all).await.unwrap().items;
    assert!(listed.iter().all(|f| f.state != "risk_accepted"), "the expired acceptance reopened");
    assert!(listed.iter().filter(|f| f.due_at.is_some()).all(|f| f.overdue), "{listed:?}");
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let escalated: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM findings WHERE system_id = $1 AND escalated_at IS NOT NULL")
            .bind(sys.id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(escalated > 0);
    // The sweep kept today's counts per unit: every open finding of the ward is overdue. An
    // earlier day stays as it was written; another ward's officer sees neither.
    let today = time.clock().today_vn();
    let earlier = today - chrono::Days::new(3);
    let ward = sys.owner_unit_id;
    sqlx::query("INSERT INTO finding_count_snapshots (day, unit_id, open_count, overdue_count, critical_open, taken_at) VALUES ($1, $2, 9, 7, 1, 0)")
        .bind(earlier.format("%Y-%m-%d").to_string())
        .bind(ward)
        .execute(&mut conn)
        .await
        .unwrap();
    db.store.maintenance().sweep_reminders().await.unwrap();
    let manager = actor(&db, "hongbang.quanly").await;
    let kept = db.store.finding_count_history(&manager, None, earlier, today).await.unwrap();
    let open_now: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM findings WHERE unit_id = $1 AND open = 1")
        .bind(ward)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let overdue_now: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM findings WHERE unit_id = $1 AND open = 1 AND due_at < $2")
            .bind(ward)
            .bind(time.now_ms())
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(overdue_now >= 5, "the findings past their deadline are overdue");
    let days: Vec<(String, i64, i64)> =
        kept.iter().filter(|k| k.unit_id == ward).map(|k| (k.day.clone(), k.open, k.overdue)).collect();
    assert_eq!(
        days,
        vec![
            (earlier.format("%Y-%m-%d").to_string(), 9, 7),
            (today.format("%Y-%m-%d").to_string(), open_now, overdue_now)
        ],
        "{kept:?}"
    );
    let other = db.store.finding_count_history(&actor(&db, "lechan.canbo").await, None, earlier, today).await.unwrap();
    assert!(other.iter().all(|k| k.unit_id != ward), "{other:?}");
    // The dashboard's "days with overdue findings": the earlier day and today.
    assert_eq!(db.store.overdue_days(&manager, earlier, today).await.unwrap().get(&ward), Some(&2));
    assert!(!db
        .store
        .overdue_days(&actor(&db, "lechan.canbo").await, earlier, today)
        .await
        .unwrap()
        .contains_key(&ward));
    assert!(
        db.store.finding_count_history(&manager, None, today, earlier).await.is_err(),
        "an inverted range is refused"
    );
    // Read.
    let before = db.store.unread_count(&officer).await.unwrap();
    assert!(before >= 1);
    db.store.mark_read(&officer, &[]).await.unwrap();
    assert_eq!(db.store.unread_count(&officer).await.unwrap(), 0);
}

/// A one-message SMTP sink: answers like a relay (offering AUTH when `auth`) and returns what
/// it was sent.
async fn smtp_sink(listener: tokio::net::TcpListener, auth: bool) -> Vec<String> {
    let (stream, _) = listener.accept().await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let mut said = Vec::new();
    write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).await.unwrap() == 0 {
            break;
        }
        said.push(line.clone());
        let reply: &[u8] = match line.trim_end() {
            l if l.starts_with("EHLO") && auth => b"250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
            l if l.starts_with("EHLO") => b"250-sink\r\n250 8BITMIME\r\n",
            l if l.starts_with("AUTH") => b"235 2.7.0 accepted\r\n",
            "DATA" => {
                write.write_all(b"354 go on\r\n").await.unwrap();
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    read.read_line(&mut l).await.unwrap();
                    if l == ".\r\n" {
                        break;
                    }
                    data.push_str(&l);
                }
                said.push(data);
                b"250 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            }
            _ => b"250 ok\r\n",
        };
        write.write_all(reply).await.unwrap();
    }
    said
}

#[tokio::test]
async fn reminder_email_goes_through_smtp_with_vietnamese_intact() {
    use base64::Engine;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = tokio::spawn(smtp_sink(listener, false));
    // The default: STARTTLS when offered, which this relay does not.
    let smtp = khien::reminders::Smtp {
        host: "127.0.0.1".into(),
        port,
        from: "khien@catp.gov.vn".into(),
        tls: khien::reminders::SmtpTls::Opportunistic,
        credentials: None,
    };
    smtp.send(
        "canbo@phuong.gov.vn",
        "[Khiên] Sự cố SC-2026-00001: quá hạn báo cáo ban đầu",
        "Sự cố SC-2026-00001: quá hạn\n/incidents/1",
    )
    .await
    .unwrap();
    let said = sink.await.unwrap();
    assert!(said.iter().any(|l| l.starts_with("RCPT TO:<canbo@phuong.gov.vn>")), "{said:?}");
    let data = said.iter().find(|l| l.contains("Subject:")).unwrap();
    assert_eq!(encoded_subject(data), "[Khiên] Sự cố SC-2026-00001: quá hạn báo cáo ban đầu");
    let body: String = data.split("\r\n\r\n").nth(1).unwrap().lines().collect();
    let body = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body).unwrap()).unwrap();
    assert!(body.contains("quá hạn") && body.contains("/incidents/1"), "{body}");
    // An address with a line break is refused before anything is sent.
    assert!(smtp.send("a@b.vn\r\nBcc: x@y.vn", "x", "y").await.is_err());
}

/// The Subject header of a message, unfolded, its RFC 2047 encoded words (base64) decoded: the
/// space between two encoded words is not part of the text, any other is.
fn encoded_subject(data: &str) -> String {
    use base64::Engine;
    let mut lines = data.split("\r\n").skip_while(|l| !l.starts_with("Subject:"));
    let mut header = lines.next().unwrap().trim_start_matches("Subject:").to_string();
    header.extend(lines.take_while(|l| l.starts_with([' ', '\t'])).map(|l| format!(" {l}")));
    let (mut out, mut after_encoded) = (String::new(), false);
    for (i, word) in header.split_whitespace().enumerate() {
        let encoded = word.to_ascii_lowercase().starts_with("=?utf-8?b?") && word.ends_with("?=");
        if i > 0 && !(encoded && after_encoded) {
            out.push(' ');
        }
        if encoded {
            let text = base64::engine::general_purpose::STANDARD.decode(&word[10..word.len() - 2]).unwrap();
            out.push_str(&String::from_utf8(text).unwrap());
        } else {
            out.push_str(word);
        }
        after_encoded = encoded;
    }
    out
}

#[tokio::test]
async fn reminder_email_logs_in_to_a_relay_that_asks_for_auth() {
    use base64::Engine;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = tokio::spawn(smtp_sink(listener, true));
    // Plain SMTP here only because the test relay has no certificate; the configuration refuses
    // AUTH without STARTTLS or TLS (config.rs tests).
    let smtp = khien::reminders::Smtp {
        host: "127.0.0.1".into(),
        port,
        from: "khien@catp.gov.vn".into(),
        tls: khien::reminders::SmtpTls::None,
        credentials: Some(("khien".into(), "mật khẩu".into())),
    };
    smtp.send("canbo@phuong.gov.vn", "Nhắc hạn", "Quá hạn").await.unwrap();
    let said = sink.await.unwrap();
    let auth = said.iter().position(|l| l.starts_with("AUTH PLAIN ")).unwrap_or_else(|| panic!("{said:?}"));
    let mail = said.iter().position(|l| l.starts_with("MAIL FROM:<khien@catp.gov.vn>")).unwrap();
    assert!(auth < mail, "AUTH before the envelope: {said:?}");
    let token = said[auth].trim_end().trim_start_matches("AUTH PLAIN ");
    let token = base64::engine::general_purpose::STANDARD.decode(token).unwrap();
    assert_eq!(token, "\0khien\0mật khẩu".as_bytes());
}
