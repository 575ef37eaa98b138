//! The level suggestion: which criteria of a ruleset a system meets, each with its article.

use super::{Criterion, Ruleset};
use crate::system::{InfraScope, SecretGrade, SecretHarm, SystemType, WorksGrade};
use crate::Msg;
use serde::Serialize;

/// The attributes of a system that decide its level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelInputs {
    pub system_type: SystemType,
    pub info_private: bool,
    pub info_personal: bool,
    /// The secrecy grade proposes a level; the harm decides it.
    pub secret: SecretGrade,
    pub secret_harm: SecretHarm,
    pub subjects_basic: i64,
    pub subjects_sensitive: i64,
    pub handles_admin_procedures: bool,
    /// Online public-service level 0–4 (0: none).
    pub online_service_level: u8,
    /// An online service in a conditional business line.
    pub conditional_business: bool,
    pub infra_scope: InfraScope,
    /// For industrial control: the grade of the works controlled.
    pub works_grade: WorksGrade,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub level: u8,
    pub ruleset: &'static str,
    /// Each criterion that applied, with the level it leads to, its article in the message.
    pub reasons: Vec<(u8, Msg)>,
    /// What the suggestion could not decide and a person must (a secret's harm, the grade of
    /// the works controlled): the level may be higher once it is known.
    pub to_confirm: Vec<Msg>,
}

/// Suggests a level 1–5 by the criteria of the ruleset and says which led there, each with its
/// article. The highest criterion wins (NĐ 331 Đ8.2).
pub fn suggest(i: &LevelInputs, rs: &Ruleset) -> Suggestion {
    let mut reasons: Vec<(u8, Msg)> = Vec::new();
    let mut to_confirm: Vec<Msg> = Vec::new();
    let mut add = |level: u8, c: Criterion, vi: String, en: String| {
        let at = rs.cite(c);
        reasons.push((level, Msg::new(format!("{vi} ({at})"), format!("{en} ({at})"))));
    };
    let private = i.info_private || i.info_personal;
    match i.system_type {
        SystemType::Internal if private => add(
            2,
            Criterion::InternalPrivate,
            "Phục vụ nội bộ, xử lý thông tin riêng hoặc cá nhân".into(),
            "Internal, processes private or personal information".into(),
        ),
        SystemType::Internal => {}
        SystemType::PublicService => {
            add(
                2,
                Criterion::ServesPublic,
                "Phục vụ người dân, doanh nghiệp: từ cấp độ 2".into(),
                "Serves citizens and businesses: level 2 at least".into(),
            );
            public_service(i, rs, &mut add);
        }
        SystemType::InfoInfrastructure if i.infra_scope == InfraScope::None => {
            add(
                2,
                Criterion::InfraOneAgency,
                "Cơ sở hạ tầng thông tin: từ cấp độ 2".into(),
                "Information infrastructure: level 2 at least".into(),
            );
        }
        SystemType::InfoInfrastructure => {}
        SystemType::IndustrialControl => {
            if i.works_grade == WorksGrade::None {
                to_confirm.push(Msg::new(
                    "Hệ thống điều khiển công nghiệp: cần cấp công trình được điều khiển (cấp IV–II: cấp độ 3; cấp I: 4; cấp đặc biệt hoặc quan trọng về an ninh quốc gia: 5).",
                    "Industrial control: the grade of the works controlled is needed (grade IV–II: level 3; grade I: 4; special grade or important to national security: 5).",
                ));
                add(
                    3,
                    Criterion::ControlGrade2To4,
                    "Hệ thống điều khiển công nghiệp: ít nhất cấp độ 3".into(),
                    "Industrial control: level 3 at least".into(),
                );
            }
        }
        SystemType::Other => {
            if private {
                add(
                    2,
                    Criterion::InternalPrivate,
                    "Xử lý thông tin riêng hoặc cá nhân".into(),
                    "Processes private or personal information".into(),
                );
            }
            to_confirm.push(Msg::new(
                "Loại «khác»: cấp độ 1 chỉ dành cho hệ thống nội bộ chỉ xử lý thông tin công cộng; hãy chọn đúng loại hệ thống.",
                "Type «other»: level 1 is only for an internal system with public information only; choose the system's type.",
            ));
        }
    }
    match i.infra_scope {
        InfraScope::None => {}
        InfraScope::OneAgency => add(
            2,
            Criterion::InfraOneAgency,
            "Hạ tầng phục vụ một cơ quan, tổ chức".into(),
            "Infrastructure serving one agency".into(),
        ),
        InfraScope::Province => add(
            3,
            Criterion::InfraShared,
            "Hạ tầng dùng chung của một bộ, ngành, tỉnh hoặc một số tỉnh".into(),
            "Infrastructure shared by a ministry, sector or province(s)".into(),
        ),
        InfraScope::National => add(
            4,
            Criterion::InfraNational,
            "Hạ tầng dùng chung quốc gia, vận hành 24/7".into(),
            "Nationwide shared infrastructure run 24/7".into(),
        ),
        InfraScope::International => add(
            5,
            Criterion::InfraInternational,
            "Hạ tầng quốc gia kết nối quốc tế".into(),
            "National infrastructure connected internationally".into(),
        ),
    }
    match i.works_grade {
        WorksGrade::None => {}
        WorksGrade::Grade4 | WorksGrade::Grade3 | WorksGrade::Grade2 => add(
            3,
            Criterion::ControlGrade2To4,
            "Điều khiển công trình cấp II–IV".into(),
            "Controls works of grade II–IV".into(),
        ),
        WorksGrade::Grade1 => {
            add(4, Criterion::ControlGrade1, "Điều khiển công trình cấp I".into(), "Controls works of grade I".into())
        }
        WorksGrade::Special => add(
            5,
            Criterion::ControlSpecial,
            "Điều khiển công trình cấp đặc biệt".into(),
            "Controls works of special grade".into(),
        ),
        WorksGrade::NationalSecurity => add(
            5,
            Criterion::ControlSpecial,
            "Điều khiển công trình quan trọng về an ninh quốc gia".into(),
            "Controls works important to national security".into(),
        ),
    }
    match i.secret_harm {
        SecretHarm::Harm => add(
            3,
            Criterion::SecretHarm,
            "Bí mật nhà nước: lộ lọt gây tổn hại an ninh quốc gia".into(),
            "State secrets whose breach harms national security".into(),
        ),
        SecretHarm::Serious => add(
            4,
            Criterion::SecretSerious,
            "Bí mật nhà nước: lộ lọt gây tổn hại nghiêm trọng".into(),
            "State secrets whose breach seriously harms national security".into(),
        ),
        SecretHarm::EspeciallySerious => add(
            5,
            Criterion::SecretEspeciallySerious,
            "Bí mật nhà nước: lộ lọt gây tổn hại đặc biệt nghiêm trọng".into(),
            "State secrets whose breach especially seriously harms national security".into(),
        ),
        SecretHarm::None if i.secret != SecretGrade::None => {
            // The grade only proposes: a system with state secrets is level 3 at least, and a
            // person must say the harm.
            let proposed = match i.secret {
                SecretGrade::TopSecret => 5,
                SecretGrade::Secret => 4,
                _ => 3,
            };
            to_confirm.push(Msg::new(
                format!("Xử lý bí mật nhà nước độ «{}»: độ mật đề xuất cấp độ {proposed}; cấp độ do mức tổn hại khi bị lộ quyết định — hãy xác định mức tổn hại.", i.secret.label(crate::Lang::Vi)),
                format!("Processes state secrets graded «{}»: the grade proposes level {proposed}; the harm of a breach decides — determine it.", i.secret.label(crate::Lang::En)),
            ));
            add(
                3,
                Criterion::SecretHarm,
                "Xử lý bí mật nhà nước: ít nhất cấp độ 3".into(),
                "Processes state secrets: level 3 at least".into(),
            );
        }
        SecretHarm::None => {}
    }
    if reasons.is_empty() && to_confirm.is_empty() {
        let at = rs.cite(Criterion::InternalPublic);
        reasons.push((
            1,
            Msg::new(
                format!("Phục vụ nội bộ, chỉ xử lý thông tin công cộng ({at})"),
                format!("Internal, public information only ({at})"),
            ),
        ));
    }
    let level = reasons.iter().map(|(l, _)| *l).max().unwrap_or(2);
    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    Suggestion { level, ruleset: rs.code, reasons, to_confirm }
}

/// The criteria of a system serving citizens and businesses: online public services, conditional
/// business lines, administrative procedures, and the personal-data thresholds (which apply to
/// such services only, never to internal systems).
fn public_service(i: &LevelInputs, rs: &Ruleset, add: &mut impl FnMut(u8, Criterion, String, String)) {
    if let Some(l3) = rs.online_service_level_l3 {
        if i.online_service_level >= l3 {
            add(
                3,
                Criterion::OnlineServiceHigh,
                format!("Dịch vụ công trực tuyến mức độ {}", i.online_service_level),
                format!("Online public service at level {}", i.online_service_level),
            );
        } else if i.online_service_level > 0 {
            add(
                2,
                Criterion::OnlineServiceLow,
                format!("Dịch vụ công trực tuyến mức độ {}", i.online_service_level),
                format!("Online public service at level {}", i.online_service_level),
            );
        }
    }
    if rs.admin_procedures_l3 && i.handles_admin_procedures {
        add(
            3,
            Criterion::AdminProcedures,
            "Giải quyết thủ tục hành chính".into(),
            "Handles administrative procedures".into(),
        );
    }
    if i.conditional_business {
        add(
            3,
            Criterion::ConditionalBusiness,
            "Dịch vụ trực tuyến thuộc ngành, nghề kinh doanh có điều kiện".into(),
            "Online service of a conditional business line".into(),
        );
    }
    let sensitive_over = rs.sensitive_subjects_l3.is_some_and(|t| i.subjects_sensitive >= t);
    if i.subjects_basic >= rs.basic_subjects_l3 || sensitive_over {
        let (n, t) = if sensitive_over {
            (i.subjects_sensitive, rs.sensitive_subjects_l3.unwrap_or_default())
        } else {
            (i.subjects_basic, rs.basic_subjects_l3)
        };
        add(
            3,
            Criterion::PersonalAbove,
            format!("Dữ liệu cá nhân của {n} chủ thể (ngưỡng {t})"),
            format!("Personal data of {n} data subjects (threshold {t})"),
        );
    } else if i.info_personal || i.info_private || i.subjects_basic > 0 || i.subjects_sensitive > 0 {
        add(
            2,
            Criterion::PersonalBelow,
            format!(
                "Thông tin riêng, cá nhân của {} chủ thể, dưới ngưỡng {}",
                i.subjects_basic.max(i.subjects_sensitive),
                rs.basic_subjects_l3
            ),
            format!(
                "Private or personal information of {} data subjects, below the {} threshold",
                i.subjects_basic.max(i.subjects_sensitive),
                rs.basic_subjects_l3
            ),
        );
    }
}
