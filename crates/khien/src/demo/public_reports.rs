//! The demo city's reports from the public: a handful in every state of the queue — just
//! received (one with a screenshot, one anonymous), sent to a unit, being handled, resolved,
//! not taken up, and one that became an incident. Sent and worked through the store like real
//! ones: checked, scoped and audited.

use anyhow::{anyhow, Result};
use khien_domain::incident::public::PublicState;
use khien_domain::incident::Category;
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_store::{PublicReportInput, Store, Unit, UploadedFile};

/// A 1×1 PNG, as a citizen's screenshot.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xe8, 0x96, 0x92, 0x02, 0x00, 0x01, 0xf3, 0x00, 0xc0, 0x48, 0xe3, 0xfd, 0x22,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// What the demo does with a report after it arrives.
#[derive(Clone, Copy)]
enum Fate {
    Stay,
    Route,
    Work,
    Resolve,
    Reject,
    Convert,
}

/// (category, description, name, phone, url, fate)
type Story = (&'static str, &'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>, Fate);

const STORIES: [Story; 8] = [
    (
        "scam",
        "Tôi nhận cuộc gọi từ người tự xưng là cán bộ công an, nói tôi liên quan đến một vụ án và yêu cầu chuyển 50 triệu đồng vào tài khoản để «xác minh». Số gọi đến: 0869 123 456.",
        Some("Trần Thị Hoa"),
        Some("0912 345 678"),
        None,
        Fate::Stay,
    ),
    (
        "phishing",
        "Nhận tin nhắn thương hiệu ngân hàng báo tài khoản bị khóa, kèm đường dẫn yêu cầu nhập mật khẩu và mã OTP. Trang web giống hệt trang của ngân hàng.",
        None,
        None,
        Some("http://vietcombank-xacthuc.top/dang-nhap"),
        Fate::Stay,
    ),
    (
        "harmful_content",
        "Một trang mạng xã hội đăng tin sai sự thật về việc thành phố phong tỏa các phường ven biển vì dịch bệnh, nhiều người chia sẻ và hoang mang.",
        Some("Lê Văn Minh"),
        None,
        Some("https://www.facebook.com/tin-nong-hai-phong-24h"),
        Fate::Route,
    ),
    (
        "child_safety",
        "Con tôi 12 tuổi bị một tài khoản lạ trên ứng dụng trò chơi liên tục nhắn tin, dụ gửi ảnh cá nhân và hẹn gặp. Tôi đã chụp lại các tin nhắn.",
        Some("Phạm Thu Trang"),
        Some("0987 654 321"),
        None,
        Fate::Work,
    ),
    (
        "scam",
        "Trang bán hàng trên mạng nhận tiền đặt cọc mua điện thoại giá rẻ rồi chặn liên lạc. Nhiều người trong nhóm cư dân chung cư cũng bị lừa.",
        Some("Nguyễn Đức Anh"),
        Some("0903 111 222"),
        Some("https://dienthoai-giare-hp.shop/iphone"),
        Fate::Resolve,
    ),
    (
        "phishing",
        "Thư điện tử quảng cáo khuyến mãi, có lẽ chỉ là thư rác, không có đường dẫn lạ nhưng tôi muốn hỏi cho chắc chắn.",
        None,
        None,
        None,
        Fate::Reject,
    ),
    (
        "agency_incident",
        "Cổng thông tin điện tử của một phường hiển thị quảng cáo cờ bạc trực tuyến ở cuối trang chủ từ sáng nay, bấm vào thì chuyển sang trang lạ.",
        Some("Vũ Hải Nam"),
        None,
        Some("https://cong-phuong.example.gov.vn/"),
        Fate::Convert,
    ),
    (
        "scam",
        "Tài khoản Zalo của người quen bị chiếm, nhắn tin vay tiền gấp cho danh bạ. Tôi gửi ảnh chụp màn hình đoạn tin nhắn.",
        None,
        Some("+84 936 555 777"),
        None,
        Fate::Stay,
    ),
];

/// Sends the stories and walks each to its state; returns how many were sent.
pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<usize> {
    let e = |e: khien_domain::Error| anyhow!("demo public reports: {e}");
    let handlers: Vec<&Unit> = units
        .iter()
        .filter(|u| matches!(u.unit_type, UnitType::Ward | UnitType::Police | UnitType::Department))
        .collect();
    if handlers.is_empty() {
        return Ok(0);
    }
    for (n, (category, description, name, phone, url, fate)) in STORIES.iter().enumerate() {
        let input = PublicReportInput {
            category: category.to_string(),
            description: description.to_string(),
            reporter_name: name.map(str::to_string),
            reporter_phone: phone.map(str::to_string),
            reporter_email: None,
            // The demo's citizens who leave a name or number agreed to its use.
            contact_consent: name.is_some() || phone.is_some(),
            url: url.map(str::to_string),
        };
        let files = if n == STORIES.len() - 1 {
            vec![UploadedFile { file_name: "tin-nhan-vay-tien.png".into(), bytes: TINY_PNG.to_vec() }]
        } else {
            Vec::new()
        };
        let sent = store.submit_public_report(&input, &files, &format!("198.51.100.{}", 10 + n)).await.map_err(e)?;
        let list = store
            .list_public_reports(
                admin,
                &khien_store::PublicReportFilter { q: Some(sent.code.clone()), limit: 1, ..Default::default() },
            )
            .await
            .map_err(e)?;
        let id =
            list.items.first().map(|r| r.id).ok_or_else(|| anyhow!("demo public report {} vanished", sent.code))?;
        let unit =
            *crate::nth_round(&handlers, n * 5).ok_or_else(|| anyhow!("demo public reports: no handling unit"))?;
        match fate {
            Fate::Stay => {}
            Fate::Reject => {
                store.set_public_report_state(admin, id, PublicState::Rejected).await.map_err(e)?;
            }
            Fate::Convert => {
                store.route_public_report(admin, id, unit.id).await.map_err(e)?;
                store
                    .convert_public_report_to_incident(admin, id, unit.id, Some(Category::Defacement), None)
                    .await
                    .map_err(e)?;
            }
            Fate::Route | Fate::Work | Fate::Resolve => {
                store.route_public_report(admin, id, unit.id).await.map_err(e)?;
                if matches!(fate, Fate::Work | Fate::Resolve) {
                    store.set_public_report_state(admin, id, PublicState::InProgress).await.map_err(e)?;
                }
                if matches!(fate, Fate::Resolve) {
                    store.set_public_report_state(admin, id, PublicState::Resolved).await.map_err(e)?;
                }
            }
        }
    }
    Ok(STORIES.len())
}
