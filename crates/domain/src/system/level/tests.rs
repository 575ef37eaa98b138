#![allow(clippy::unwrap_used)]

use super::*;
use crate::system::{InfraScope, SecretGrade, SecretHarm, SystemType, WorksGrade};

fn base() -> LevelInputs {
    LevelInputs {
        system_type: SystemType::Internal,
        info_private: false,
        info_personal: false,
        secret: SecretGrade::None,
        secret_harm: SecretHarm::None,
        subjects_basic: 0,
        subjects_sensitive: 0,
        handles_admin_procedures: false,
        online_service_level: 0,
        conditional_business: false,
        infra_scope: InfraScope::None,
        works_grade: WorksGrade::None,
    }
}

fn nd85() -> Ruleset {
    ruleset_by_code("nd85-2016").unwrap()
}

fn nd331() -> Ruleset {
    ruleset_by_code("nd331-2026").unwrap()
}

fn level(i: &LevelInputs, rs: &Ruleset) -> u8 {
    suggest(i, rs).level
}

#[test]
fn nd85_d7_nd331_d11_1_level_1_only_for_an_internal_system_with_public_information() {
    for rs in [nd85(), nd331()] {
        let s = suggest(&base(), &rs);
        assert_eq!(s.level, 1);
        assert!(s.reasons[0].1.vi.contains(&rs.cite(Criterion::InternalPublic)), "{s:?}");
    }
    assert!(suggest(&base(), &nd85()).reasons[0].1.vi.ends_with("(NĐ 85 Đ7)"));
}

#[test]
fn nd85_d8_2_nd331_d12_2_a_public_portal_with_public_information_is_level_2() {
    let portal = LevelInputs { system_type: SystemType::PublicService, ..base() };
    assert_eq!(level(&portal, &nd85()), 2);
    assert_eq!(level(&portal, &nd331()), 2);
    let infra = LevelInputs { system_type: SystemType::InfoInfrastructure, ..base() };
    assert_eq!(level(&infra, &nd85()), 2, "NĐ 85 Đ8.3: information infrastructure starts at 2");
    assert_eq!(level(&infra, &nd331()), 2, "NĐ 331 Đ12.3");
}

#[test]
fn nd85_d8_2_c_d9_2_c_nd331_d12_2_b_d13_2_c_personal_data_thresholds_for_services_to_citizens_only() {
    let service =
        LevelInputs { system_type: SystemType::PublicService, info_personal: true, subjects_basic: 50_000, ..base() };
    assert_eq!(level(&service, &nd85()), 3, "NĐ 85 Đ9.2.c: 10,000 users");
    assert_eq!(level(&service, &nd331()), 2, "NĐ 331 Đ12.2.b: under 100,000 subjects");
    let sensitive = LevelInputs { subjects_sensitive: 10_000, ..service.clone() };
    assert_eq!(level(&sensitive, &nd331()), 3, "NĐ 331 Đ13.2.c: 10,000 sensitive subjects");
    let big = LevelInputs { subjects_basic: 100_000, ..service };
    let s = suggest(&big, &nd331());
    assert_eq!(s.level, 3);
    assert!(s.reasons[0].1.vi.contains("NĐ 331 Đ13.2.c"), "{s:?}");
    // An internal system with personal data of many people is level 2 whatever the count.
    let internal = LevelInputs { info_personal: true, subjects_basic: 500_000, subjects_sensitive: 50_000, ..base() };
    assert_eq!(level(&internal, &nd85()), 2, "NĐ 85 Đ8.1");
    assert_eq!(level(&internal, &nd331()), 2, "NĐ 331 Đ12.1");
}

#[test]
fn nd85_d8_2_a_d9_2_a_online_service_levels_and_nd331_d13_2_b_administrative_procedures() {
    let service = |l: u8| LevelInputs { system_type: SystemType::PublicService, online_service_level: l, ..base() };
    assert_eq!(level(&service(2), &nd85()), 2);
    assert_eq!(level(&service(3), &nd85()), 3);
    assert_eq!(level(&service(4), &nd331()), 2, "NĐ 331 has no online-service scale");
    let procedures = LevelInputs { handles_admin_procedures: true, ..service(2) };
    assert_eq!(level(&procedures, &nd331()), 3, "NĐ 331 Đ13.2.b");
    assert_eq!(level(&procedures, &nd85()), 2, "not a criterion of NĐ 85");
}

#[test]
fn nd85_d9_2_b_nd331_d13_2_a_conditional_business_online_services_are_level_3() {
    let shop = LevelInputs { system_type: SystemType::PublicService, conditional_business: true, ..base() };
    for (rs, article) in [(nd85(), "NĐ 85 Đ9.2.b"), (nd331(), "NĐ 331 Đ13.2.a")] {
        let s = suggest(&shop, &rs);
        assert_eq!(s.level, 3);
        assert!(s.reasons[0].1.en.contains(article), "{s:?}");
    }
}

#[test]
fn nd85_d9_4_d10_4_d11_4_nd331_d13_4_d14_3_d15_4_industrial_control_by_the_grade_of_the_works() {
    let ics = |g: WorksGrade| LevelInputs { system_type: SystemType::IndustrialControl, works_grade: g, ..base() };
    for rs in [nd85(), nd331()] {
        assert_eq!(level(&ics(WorksGrade::Grade4), &rs), 3);
        assert_eq!(level(&ics(WorksGrade::Grade2), &rs), 3);
        assert_eq!(level(&ics(WorksGrade::Grade1), &rs), 4);
        assert_eq!(level(&ics(WorksGrade::Special), &rs), 5);
        assert_eq!(level(&ics(WorksGrade::NationalSecurity), &rs), 5);
        let unknown = suggest(&ics(WorksGrade::None), &rs);
        assert_eq!(unknown.level, 3, "at least 3");
        assert!(!unknown.to_confirm.is_empty(), "the grade is asked for");
    }
}

#[test]
fn nd85_d9_1_d11_1_nd331_d13_1_d15_1_state_secrets_by_the_harm_of_a_breach() {
    let secret = |grade: SecretGrade, harm: SecretHarm| LevelInputs { secret: grade, secret_harm: harm, ..base() };
    for rs in [nd85(), nd331()] {
        assert_eq!(level(&secret(SecretGrade::Confidential, SecretHarm::Harm), &rs), 3);
        assert_eq!(
            level(&secret(SecretGrade::Confidential, SecretHarm::Serious), &rs),
            4,
            "the harm decides, not the grade"
        );
        assert_eq!(level(&secret(SecretGrade::TopSecret, SecretHarm::EspeciallySerious), &rs), 5);
        // The grade alone only proposes: level 3 at least, and the harm is asked for.
        let proposed = suggest(&secret(SecretGrade::TopSecret, SecretHarm::None), &rs);
        assert_eq!(proposed.level, 3);
        assert!(proposed.to_confirm[0].vi.contains("đề xuất cấp độ 5"), "{proposed:?}");
    }
}

#[test]
fn nd85_d9_3_d10_3_d11_3_infrastructure_by_its_reach() {
    let infra =
        |scope: InfraScope| LevelInputs { system_type: SystemType::InfoInfrastructure, infra_scope: scope, ..base() };
    for rs in [nd85(), nd331()] {
        assert_eq!(level(&infra(InfraScope::OneAgency), &rs), 2);
        assert_eq!(level(&infra(InfraScope::Province), &rs), 3);
        assert_eq!(level(&infra(InfraScope::National), &rs), 4);
        assert_eq!(level(&infra(InfraScope::International), &rs), 5);
    }
}

#[test]
fn nd331_d8_2_the_highest_criterion_wins() {
    let i = LevelInputs {
        secret: SecretGrade::TopSecret,
        secret_harm: SecretHarm::EspeciallySerious,
        infra_scope: InfraScope::Province,
        ..base()
    };
    let s = suggest(&i, &nd331());
    assert_eq!(s.level, 5);
    assert_eq!(s.reasons.len(), 2);
    assert_eq!(s.reasons[0].0, 5, "strongest reason first");
}

#[test]
fn nd331_d35_the_yearly_report_covers_15_12_to_14_12_due_20_12_and_25_12() {
    let cal = nd331().annual_report.calendar(date(2026, 12, 6));
    assert_eq!((cal.period_from, cal.period_to), (date(2025, 12, 15), date(2026, 12, 14)));
    assert_eq!((cal.units_by, cal.owner_by), (date(2026, 12, 20), date(2026, 12, 25)));
    let after = nd331().annual_report.calendar(date(2026, 12, 26));
    assert_eq!(
        (after.period_from, after.owner_by),
        (date(2026, 12, 15), date(2027, 12, 25)),
        "the next report once this one is due"
    );
}

#[test]
fn rulesets_are_chosen_by_date() {
    assert_eq!(ruleset_for(date(2026, 8, 18)).code, "nd85-2016");
    assert_eq!(ruleset_for(date(2026, 8, 19)).code, "nd331-2026");
    assert_eq!(ruleset_for(date(2010, 1, 1)).code, "nd85-2016");
    assert!(ruleset_by_code("nd331-2026").is_some());
}

#[test]
fn nd331_d39_1_a_system_built_before_1_july_2026_finishes_under_nd85() {
    let nov = date(2026, 11, 1);
    assert_eq!(ruleset_for_system(nov, Some(date(2026, 3, 1))).code, "nd85-2016", "building began before 01/7/2026");
    assert_eq!(ruleset_for_system(nov, Some(date(2026, 7, 1))).code, "nd331-2026", "began on the day: the new decree");
    assert_eq!(ruleset_for_system(nov, None).code, "nd331-2026");
    assert_eq!(
        ruleset_for_system(date(2027, 1, 1), Some(date(2026, 3, 1))).code,
        "nd331-2026",
        "the transition ends six months after 01/7/2026"
    );
}
