//! Information systems (hệ thống thông tin): what they are, the level rules that classify them,
//! the level dossier's workflow, the go-live gate and the 4-layer protection model.

pub mod appraisal;
pub mod details;
pub mod dossier;
pub mod dossier_form;
pub mod layers;
pub mod level;
pub mod obligation;

use crate::{Error, Result};

// `$code:tt`, not `:literal`: a literal fragment reaches derive macros wrapped in an invisible
// group, which utoipa does not read in `#[serde(rename = …)]` (serde does), so the document
// would list the variants' names instead of the codes.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:tt : $vi:literal / $en:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self, lang: $crate::Lang) -> &'static str { match self { $($name::$variant => lang.pick($vi, $en)),+ } }
            pub fn parse(field: &str, s: &str) -> $crate::Result<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s).ok_or_else(|| {
                    let codes: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                    $crate::Error::invalid(field, format!("«{s}» không hợp lệ; chọn một trong: {}.", codes.join(", ")), format!("«{s}» is not valid; choose one of: {}.", codes.join(", ")))
                })
            }
        }

        /// Compares with a code (templates and tests write `state == "open"`).
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool { self.code() == *other }
        }

        /// Reads a stored code (the store's row decoding); an unknown code is an error naming it.
        impl TryFrom<String> for $name {
            type Error = $crate::UnknownCode;
            fn try_from(s: String) -> std::result::Result<$name, $crate::UnknownCode> {
                match Self::ALL.iter().copied().find(|v| v.code() == s.trim()) {
                    Some(v) => Ok(v),
                    None => Err($crate::UnknownCode(s)),
                }
            }
        }

        /// The code, as stored and sent (templates and messages print it).
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.code()) }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// System type per NĐ 85/2016 Đ6 (and NĐ 331/2026).
    SystemType {
        Internal = "internal": "Phục vụ hoạt động nội bộ" / "Internal operations",
        PublicService = "public_service": "Phục vụ người dân, doanh nghiệp" / "Serving citizens and businesses",
        InfoInfrastructure = "info_infrastructure": "Cơ sở hạ tầng thông tin" / "Information infrastructure",
        IndustrialControl = "industrial_control": "Điều khiển công nghiệp" / "Industrial control",
        Other = "other": "Khác" / "Other",
    }
);

code_enum!(
    /// Lifecycle status of a system.
    Lifecycle {
        Planned = "planned": "Kế hoạch" / "Planned",
        Building = "building": "Đang xây dựng" / "Being built",
        InOperation = "in_operation": "Đang vận hành" / "In operation",
        Suspended = "suspended": "Tạm dừng" / "Suspended",
        Decommissioned = "decommissioned": "Đã hủy bỏ" / "Decommissioned",
    }
);

code_enum!(
    /// Grade of state secret processed, if any.
    SecretGrade {
        None = "none": "Không" / "None",
        Confidential = "confidential": "Mật" / "Confidential",
        Secret = "secret": "Tối mật" / "Secret",
        TopSecret = "top_secret": "Tuyệt mật" / "Top secret",
    }
);

code_enum!(
    /// Reach of an information-infrastructure system.
    InfraScope {
        None = "none": "Không phải hạ tầng dùng chung" / "Not shared infrastructure",
        OneAgency = "one_agency": "Phục vụ một cơ quan" / "Serves one agency",
        Province = "province": "Dùng chung của tỉnh/thành phố hoặc ngành" / "Shared by a province or sector",
        National = "national": "Dùng chung quốc gia, vận hành 24/7" / "Nationwide, run 24/7",
        International = "international": "Hạ tầng quốc gia kết nối quốc tế" / "National, connected internationally",
    }
);

code_enum!(
    /// For an industrial control system, the grade of the works it controls under the
    /// construction law (NĐ 85 Đ9.4, 10.4, 11.4; NĐ 331 Đ13.4, 14.3, 15.4).
    WorksGrade {
        None = "none": "Không phải hệ thống điều khiển công nghiệp / chưa xác định" / "Not industrial control / not yet known",
        Grade4 = "grade_4": "Công trình cấp IV" / "Works of grade IV",
        Grade3 = "grade_3": "Công trình cấp III" / "Works of grade III",
        Grade2 = "grade_2": "Công trình cấp II" / "Works of grade II",
        Grade1 = "grade_1": "Công trình cấp I" / "Works of grade I",
        Special = "special": "Công trình cấp đặc biệt" / "Works of special grade",
        NationalSecurity = "national_security": "Công trình quan trọng liên quan đến an ninh quốc gia" / "Works important to national security",
    }
);

code_enum!(
    /// For a system processing state secrets, the harm its breach would do to national
    /// security: this, not the secrecy grade, decides the level (NĐ 85 Đ9.1–11.1; NĐ 331
    /// Đ13.1–15.1).
    SecretHarm {
        None = "none": "Chưa xác định / không xử lý bí mật nhà nước" / "Not determined / no state secrets",
        Harm = "harm": "Gây tổn hại đến an ninh quốc gia" / "Harms national security",
        Serious = "serious": "Gây tổn hại nghiêm trọng" / "Seriously harms national security",
        EspeciallySerious = "especially_serious": "Gây tổn hại đặc biệt nghiêm trọng" / "Especially seriously harms national security",
    }
);

code_enum!(
    /// Data categories under the Law on Data (60/2024).
    DataCategory {
        Other = "other": "Dữ liệu khác" / "Other data",
        Important = "important": "Dữ liệu quan trọng" / "Important data",
        Core = "core": "Dữ liệu cốt lõi" / "Core data",
    }
);

code_enum!(
    /// How far the approved protection plan is implemented (the wording of NĐ 331 Mẫu 08).
    PlanStatus {
        NotStarted = "not_started": "Chưa triển khai" / "Not started",
        Partial = "partial": "Đã triển khai một số hạng mục" / "Partly implemented",
        Full = "full": "Đã triển khai đầy đủ" / "Fully implemented",
    }
);

code_enum!(
    /// What holds a system's signing key (the register of tokens and certificates).
    CertificateKind {
        UsbToken = "usb_token": "USB token" / "USB token",
        Certificate = "certificate": "Chứng thư số" / "Certificate",
    }
);

/// What the go-live gate looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoLiveFacts {
    pub approved_level: bool,
    pub plan: PlanStatus,
    /// The security-conditions assessment before operation found the system fit.
    pub preoperation_assessed: bool,
}

/// The conditions a system does not yet meet to go into operation, each naming its article:
/// an approved level, the approved protection plan fully implemented (TT 12/2022 Đ9.6; NĐ 331
/// Đ30.6) and, under NĐ 331, the assessment of security conditions before operation (Đ28.3).
pub fn golive_gaps(f: &GoLiveFacts, rs: &level::Ruleset) -> Vec<crate::Msg> {
    let mut gaps = Vec::new();
    if !f.approved_level {
        gaps.push(crate::Msg::new(
            format!("chưa có quyết định phê duyệt cấp độ ({})", rs.article(rs.golive_plan_article)),
            format!("no approved security level ({})", rs.article(rs.golive_plan_article)),
        ));
    }
    if f.plan != PlanStatus::Full {
        gaps.push(crate::Msg::new(
            format!(
                "phương án bảo đảm an toàn đã phê duyệt chưa được triển khai đầy đủ ({})",
                rs.article(rs.golive_plan_article)
            ),
            format!("the approved protection plan is not fully implemented ({})", rs.article(rs.golive_plan_article)),
        ));
    }
    if let Some(article) = rs.golive_assessment_article {
        if !f.preoperation_assessed {
            gaps.push(crate::Msg::new(
                format!("chưa đánh giá điều kiện an ninh mạng trước khi đưa vào vận hành ({})", rs.article(article)),
                format!("the security conditions have not been assessed before operation ({})", rs.article(article)),
            ));
        }
    }
    gaps
}

/// Who may change a system's lifecycle: moving into operation passes the go-live gate unless
/// the authority recorded an unexpired exception — which makes it a known violation, not
/// compliance.
pub fn check_lifecycle_change(
    from: Lifecycle,
    to: Lifecycle,
    gate: &GoLiveFacts,
    rs: &level::Ruleset,
    has_active_exception: bool,
) -> Result<()> {
    use Lifecycle::*;
    if from == to {
        return Ok(());
    }
    if from == Decommissioned {
        return Err(Error::invalid(
            "status",
            "Hệ thống đã hủy bỏ không thể chuyển trạng thái.",
            "A decommissioned system cannot change status.",
        ));
    }
    let gaps = golive_gaps(gate, rs);
    if to == InOperation && !gaps.is_empty() && !has_active_exception {
        let vi: Vec<&str> = gaps.iter().map(|g| g.vi.as_str()).collect();
        let en: Vec<&str> = gaps.iter().map(|g| g.en.as_str()).collect();
        return Err(Error::invalid(
            "status",
            format!("Chưa được đưa hệ thống vào vận hành: {} (hoặc cần ngoại lệ còn hiệu lực do cơ quan thường trực ghi nhận, được tính là vi phạm đã biết).", vi.join("; ")),
            format!("The system cannot go into operation: {} (or it needs an unexpired exception recorded by the authority, counted as a known violation).", en.join("; ")),
        ));
    }
    if to == Planned && from != Building {
        return Err(Error::invalid(
            "status",
            "Chỉ hệ thống đang xây dựng mới trở về kế hoạch.",
            "Only a system being built can go back to planned.",
        ));
    }
    Ok(())
}

/// Checks an IPv4/IPv6 CIDR ("10.1.2.0/24") and returns it normalised (host bits cleared).
pub fn parse_cidr(s: &str) -> Result<String> {
    let bad = || {
        Error::invalid(
            "ip_ranges",
            format!("«{s}» không phải dải địa chỉ CIDR hợp lệ (ví dụ 10.10.1.0/24)."),
            format!("«{s}» is not a valid CIDR range (e.g. 10.10.1.0/24)."),
        )
    };
    let (addr, len) = s.trim().split_once('/').ok_or_else(bad)?;
    let len: u8 = len.parse().map_err(|_| bad())?;
    let ip: std::net::IpAddr = addr.parse().map_err(|_| bad())?;
    let net = match ip {
        std::net::IpAddr::V4(v4) if len <= 32 => {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            std::net::IpAddr::V4((u32::from(v4) & mask).into())
        }
        std::net::IpAddr::V6(v6) if len <= 128 => {
            let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
            std::net::IpAddr::V6((u128::from(v6) & mask).into())
        }
        _ => return Err(bad()),
    };
    Ok(format!("{net}/{len}"))
}

/// The first and last address of a normalised CIDR range as integers, and whether it is IPv6.
pub fn cidr_bounds(c: &str) -> Option<(u128, u128, bool)> {
    let (addr, len) = c.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    match addr.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v) => {
            let start = u128::from(u32::from(v));
            let size = 1u128 << (32 - len.min(32));
            Some((start, start + size - 1, false))
        }
        std::net::IpAddr::V6(v) => {
            let start = u128::from(v);
            let host_bits = 128 - len.min(128);
            let end = if host_bits == 128 { u128::MAX } else { start | ((1u128 << host_bits) - 1) };
            Some((start, end, true))
        }
    }
}

/// Whether two normalised CIDR ranges overlap.
pub fn cidrs_overlap(a: &str, b: &str) -> bool {
    match (cidr_bounds(a), cidr_bounds(b)) {
        (Some((s1, e1, v6a)), Some((s2, e2, v6b))) if v6a == v6b => s1 <= e2 && s2 <= e1,
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    /// The JSON of a code enum is its stored code, whatever the variant's name
    /// (`SelfAssessment` is "self", `AmberStrict` "amber+strict", `Grade4` "grade_4").
    #[test]
    fn code_enums_serialise_as_their_codes() {
        use crate::compliance::assessment::AssessmentKind;
        use crate::incident::Tlp;
        for (json, code) in [
            (serde_json::to_value(AssessmentKind::SelfAssessment).unwrap(), AssessmentKind::SelfAssessment.code()),
            (serde_json::to_value(Tlp::AmberStrict).unwrap(), Tlp::AmberStrict.code()),
            (serde_json::to_value(super::WorksGrade::Grade4).unwrap(), super::WorksGrade::Grade4.code()),
        ] {
            assert_eq!(json, code);
        }
        assert_eq!(serde_json::from_str::<Tlp>("\"amber+strict\"").unwrap(), Tlp::AmberStrict);
        assert_eq!(serde_json::from_str::<AssessmentKind>("\"self\"").unwrap(), AssessmentKind::SelfAssessment);
    }

    #[test]
    fn tt12_d9_6_nd331_d30_6_d28_3_go_live_needs_the_plan_implemented_and_the_conditions_assessed() {
        let nd331 = level::ruleset_by_code("nd331-2026").unwrap();
        let nd85 = level::ruleset_by_code("nd85-2016").unwrap();
        let approved_only =
            GoLiveFacts { approved_level: true, plan: PlanStatus::Partial, preoperation_assessed: false };
        let gaps = golive_gaps(&approved_only, &nd331);
        assert_eq!(gaps.len(), 2, "{gaps:?}");
        assert!(gaps[0].vi.contains("NĐ 331 Đ30.6") && gaps[1].vi.contains("NĐ 331 Đ28.3"), "{gaps:?}");
        // Under NĐ 85 the circular asks the plan implemented; no separate assessment clause.
        let gaps = golive_gaps(&approved_only, &nd85);
        assert_eq!(gaps.len(), 1);
        assert!(gaps[0].vi.contains("TT 12/2022 Đ9.6"), "{gaps:?}");
        let planned = GoLiveFacts { plan: PlanStatus::Full, ..approved_only };
        assert!(golive_gaps(&planned, &nd85).is_empty());
        let err = check_lifecycle_change(Lifecycle::Building, Lifecycle::InOperation, &approved_only, &nd331, false)
            .unwrap_err();
        assert!(err.message(crate::Lang::En).contains("not fully implemented"), "{err:?}");
    }

    use super::*;

    #[test]
    fn gate_needs_approval_or_exception() {
        use Lifecycle::*;
        let rs = level::ruleset_by_code("nd331-2026").unwrap();
        let ready = GoLiveFacts { approved_level: true, plan: PlanStatus::Full, preoperation_assessed: true };
        let none = GoLiveFacts { approved_level: false, plan: PlanStatus::NotStarted, preoperation_assessed: false };
        assert!(check_lifecycle_change(Building, InOperation, &none, &rs, false).is_err());
        assert!(check_lifecycle_change(Building, InOperation, &ready, &rs, false).is_ok());
        assert!(
            check_lifecycle_change(Building, InOperation, &none, &rs, true).is_ok(),
            "an exception lets it go (a known violation)"
        );
        assert!(check_lifecycle_change(Decommissioned, Building, &ready, &rs, false).is_err());
        assert!(check_lifecycle_change(InOperation, Suspended, &none, &rs, false).is_ok());
    }

    #[test]
    fn cidrs_parse_and_overlap() {
        assert_eq!(parse_cidr(" 10.1.2.3/24").as_deref(), Ok("10.1.2.0/24"));
        assert_eq!(parse_cidr("2001:db8::1/32").as_deref(), Ok("2001:db8::/32"));
        assert!(parse_cidr("10.1.2.0/33").is_err());
        assert!(parse_cidr("10.1.2.0").is_err());
        assert!(parse_cidr("300.1.2.0/8").is_err());
        assert!(cidrs_overlap("10.1.0.0/16", "10.1.2.0/24"));
        assert!(!cidrs_overlap("10.1.0.0/24", "10.1.1.0/24"));
        assert!(!cidrs_overlap("10.0.0.0/8", "2001:db8::/32"));
        assert!(cidrs_overlap("0.0.0.0/0", "192.168.1.0/24"));
    }

    #[test]
    fn enums_round_trip() {
        for t in SystemType::ALL {
            assert_eq!(SystemType::parse("t", t.code()), Ok(*t));
        }
        assert!(Lifecycle::parse("status", "running").is_err());
    }
}
