//! The demo city's periodic reports: this year's yearly plan report asked of the wards (due 15
//! November, HCM 3131 VI.5), two wards' heads submitted theirs and the authority accepted one;
//! this month's report asked of the departments, none submitted yet.

use anyhow::{anyhow, Result};
use chrono::Datelike;
use khien_domain::scope::Actor;
use khien_store::{ReportRoundInput, Store, Unit};

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("demo reports: {e}")
}

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    let today = store.clock().today_vn();
    let yearly = ReportRoundInput {
        template: "plan_year".into(),
        period: today.year().to_string(),
        due_on: String::new(),
        unit_types: vec!["ward".into()],
    };
    let round = store.open_report_round(admin, &yearly).await.map_err(err)?;
    let submissions = [
        (
            "hongbang.quanly",
            "P-HONG-BANG",
            "Phường đã rà soát, cập nhật hồ sơ cấp độ của các hệ thống; tổ chức 2 buổi tuyên truyền cho cán bộ.",
            true,
        ),
        (
            "lechan.quanly",
            "P-LE-CHAN",
            "Phường đã triển khai phần mềm phòng chống mã độc cho máy trạm; đang hoàn thiện phương án ứng cứu sự cố.",
            false,
        ),
    ];
    for (username, code, text, accept) in submissions {
        let Some(unit) = units.iter().find(|u| u.code == code) else { continue };
        let Some(user) = store.maintenance().user_id_by_username(username).await.map_err(err)? else { continue };
        let head = store.actor_for_user(user).await.map_err(err)?;
        let narratives = vec![
            ("results".to_string(), text.to_string()),
            ("proposals".to_string(), "Đề nghị bổ sung kinh phí giám sát an ninh mạng năm tới.".to_string()),
        ];
        store.submit_report(&head, (round.id, unit.id), Some(&narratives)).await.map_err(err)?;
        if accept {
            store.decide_report(admin, (round.id, unit.id), true, "").await.map_err(err)?;
        }
    }
    let last_day =
        today.with_day(1).and_then(|d| d.checked_add_months(chrono::Months::new(1))).and_then(|d| d.pred_opt());
    let monthly = ReportRoundInput {
        template: "monthly".into(),
        period: today.format("%Y-%m").to_string(),
        due_on: last_day.unwrap_or(today).format("%d/%m/%Y").to_string(),
        unit_types: vec!["department".into()],
    };
    store.open_report_round(admin, &monthly).await.map_err(err)?;
    Ok(())
}
