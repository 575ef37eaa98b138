//! Indicators (issue 16.1): a figure against a yearly target, computed from Khiên's own records
//! by a measure chosen from a documented set, or entered by hand per unit and period where
//! Khiên does not hold the data yet (endpoints reporting to NCSC, botnet IPs handled: issue 18).
//! Every measure is a share: a numerator of a denominator, shown in percent.

use crate::system::code_enum;
use crate::{Error, Result};

code_enum!(
    /// What an indicator counts. The computed ones read the registry as the authority's
    /// overview does (NĐ 331 Mẫu 08's counts) and the budget declarations.
    Measure {
        Approved = "approved": "Hệ thống đã được phê duyệt cấp độ / hệ thống đã đăng ký" / "Systems with an approved level, of those registered",
        PlanImplemented = "plan_implemented": "Hệ thống triển khai đầy đủ phương án bảo vệ theo hồ sơ đã phê duyệt / hệ thống đã phê duyệt" / "Systems with the approved protection plan fully implemented, of those approved",
        MonitoredConnected = "monitored_connected": "Hệ thống được giám sát 24/7 và kết nối chia sẻ với hệ thống giám sát quốc gia / hệ thống đã đăng ký" / "Systems monitored 24/7 and connected to the national monitoring system, of those registered",
        Assessed = "assessed": "Hệ thống được kiểm tra, đánh giá định kỳ đúng hạn / hệ thống đã phê duyệt" / "Systems assessed as their level requires, of those approved",
        FourLayers = "four_layers": "Hệ thống triển khai đủ mô hình 4 lớp / hệ thống đã đăng ký" / "Systems with all four protection layers, of those registered",
        SecureConnections = "secure_connections": "Kết nối chia sẻ dữ liệu có xác thực và mã hóa / kết nối" / "Data-sharing connections authenticated and encrypted, of all",
        EndpointsProtected = "endpoints_protected": "Máy chủ, máy trạm có phòng, chống mã độc chia sẻ với NCSC (báo cáo trong 7 ngày) / máy đã báo cáo" / "Hosts with anti-malware sharing with NCSC (reported within 7 days), of those reporting",
        BotnetHandled = "botnet_handled": "IP botnet được xử lý và xác minh đúng hạn / IP botnet phát hiện trong đơn vị" / "Botnet IPs cleaned and verified in time, of those detected in the units",
        TelemetryMonitored = "telemetry_monitored": "Hệ thống có dữ liệu giám sát trong 3 ngày qua / hệ thống đã đăng ký" / "Systems sending telemetry in the last 3 days, of those registered",
        BudgetShare = "budget_share": "Kinh phí cho an ninh mạng / tổng kinh phí các dự án CNTT, chuyển đổi số" / "Cybersecurity spending, of IT and digital-transformation spending",
        Manual = "manual": "Nhập tay theo đơn vị và kỳ (Khiên chưa có dữ liệu)" / "Entered by hand per unit and period (Khiên does not hold the data yet)",
    }
);

impl Measure {
    /// Measures whose figure is entered by people rather than computed.
    pub fn is_manual(self) -> bool {
        self == Measure::Manual
    }
}

/// A period of an indicator: a year ("2026") or a month ("2026-05").
pub fn check_period(field: &str, period: &str) -> Result<String> {
    let p = period.trim();
    let ok = match p.split_once('-') {
        None => p.len() == 4 && p.parse::<u32>().is_ok_and(|y| (2000..=2100).contains(&y)),
        Some((y, m)) => {
            y.len() == 4
                && y.parse::<u32>().is_ok_and(|y| (2000..=2100).contains(&y))
                && m.len() == 2
                && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }
    };
    if ok {
        Ok(p.to_string())
    } else {
        Err(Error::invalid(
            field,
            format!("Kỳ «{p}» không hợp lệ: một năm (2026) hoặc một tháng (2026-05)."),
            format!("The period «{p}» is not valid: a year (2026) or a month (2026-05)."),
        ))
    }
}

/// The year a period falls in (its target's year).
/// The months from `from` to `until` ("2024-01" to "2026-12"), both checked; at most
/// [`MAX_MONTHS_AT_ONCE`].
pub fn months_between(from: &str, until: &str) -> Result<Vec<String>> {
    let (from, until) = (check_period("period", from)?, check_period("until", until)?);
    let month = |p: &str| -> Option<i64> { Some(year_of(p) * 12 + p.get(5..7)?.parse::<i64>().ok()? - 1) };
    let (Some(a), Some(b)) = (month(&from), month(&until)) else {
        return Err(Error::invalid("until", "Từ tháng và đến tháng có dạng 2026-05.", "Both months are like 2026-05."));
    };
    if b < a || b - a >= MAX_MONTHS_AT_ONCE {
        return Err(Error::invalid(
            "until",
            format!("Tháng cuối phải từ {from} trở đi, trong vòng {MAX_MONTHS_AT_ONCE} tháng."),
            format!("The last month comes on or after {from}, within {MAX_MONTHS_AT_ONCE} months."),
        ));
    }
    Ok((a..=b).map(|m| format!("{}-{:02}", m / 12, m % 12 + 1)).collect())
}

/// Months one computation keeps at most (ten years).
pub const MAX_MONTHS_AT_ONCE: i64 = 120;

pub fn year_of(period: &str) -> i64 {
    period.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

/// Yearly targets as typed ("2023: 80, 2024: 90, 2025: 100", or one per line): (year, basis
/// points). A share's target lies within 0–100 %.
pub fn parse_targets(text: &str) -> Result<Vec<(i64, i64)>> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for part in text.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let refuse = || {
            Error::invalid(
                "targets",
                format!("«{part}»: ghi năm và tỷ lệ phần trăm, ví dụ «2026: 100»; tỷ lệ từ 0 đến 100."),
                format!("«{part}»: write a year and a percentage, e.g. «2026: 100»; 0 to 100."),
            )
        };
        let (year, value) = part.split_once(':').ok_or_else(refuse)?;
        let year: i64 = year.trim().parse().map_err(|_| refuse())?;
        let value: f64 = value.trim().trim_end_matches('%').trim().replace(',', ".").parse().map_err(|_| refuse())?;
        if !(2000..=2100).contains(&year) || !(0.0..=100.0).contains(&value) {
            return Err(refuse());
        }
        if out.iter().any(|(y, _)| *y == year) {
            return Err(Error::invalid(
                "targets",
                format!("Năm {year} có hai chỉ tiêu."),
                format!("The year {year} has two targets."),
            ));
        }
        out.push((year, (value * 100.0).round() as i64));
    }
    out.sort_unstable();
    Ok(out)
}

/// A figure entered by hand: a part of a whole (the part cannot pass the whole).
pub fn check_figure(numerator: i64, denominator: i64) -> Result<()> {
    if denominator <= 0 || !(0..=denominator).contains(&numerator) || denominator > 1_000_000_000 {
        return Err(Error::invalid(
            "numerator",
            format!("Số đạt ({numerator}) phải từ 0 đến tổng số ({denominator}), tổng số lớn hơn 0."),
            format!("The part ({numerator}) must be 0 to the whole ({denominator}), the whole above 0."),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_range_of_months_is_listed_in_order_and_bounded() {
        assert_eq!(months_between("2025-11", "2026-02").unwrap(), ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(months_between("2024-01", "2026-12").unwrap().len(), 36);
        assert!(months_between("2026-02", "2025-11").is_err());
        assert!(months_between("2026", "2026-02").is_err());
        assert!(months_between("2000-01", "2026-02").is_err());
    }

    #[test]
    fn hcm_3131_targets_are_read_per_year() {
        let t = parse_targets("2023: 80%, 2024: 90; 2025: 100").unwrap();
        assert_eq!(t, vec![(2023, 8000), (2024, 9000), (2025, 10000)]);
        assert!(parse_targets("2026: 120").is_err(), "a share above 100 %");
        assert!(parse_targets("2026: 90, 2026: 100").is_err());
        assert!(parse_targets("năm nay: 100").is_err());
    }

    #[test]
    fn periods_are_years_or_months() {
        assert_eq!(check_period("p", "2026").unwrap(), "2026");
        assert_eq!(check_period("p", " 2026-05 ").unwrap(), "2026-05");
        assert!(check_period("p", "2026-13").is_err() && check_period("p", "26").is_err());
        assert_eq!(year_of("2026-05"), 2026);
        assert!(check_figure(5, 4).is_err() && check_figure(1, 0).is_err() && check_figure(4, 4).is_ok());
        assert_eq!(Measure::parse("measure", "manual").unwrap(), Measure::Manual);
        assert!(Measure::parse("measure", "likes").is_err(), "an unknown measure is named");
    }
}
