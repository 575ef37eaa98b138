//! Roles and what each may do. A role is granted on a unit, optionally for its whole subtree;
//! `scope` combines the grants of one caller.

use crate::{Error, Lang, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    AuthorityOfficer,
    UnitManager,
    UnitOfficer,
    Assessor,
    SocProvider,
    Viewer,
}

/// Everything a caller can ask to do. Later capabilities add their own actions here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    ViewUnits,
    /// Rename a unit and change its head and focal point.
    EditUnit,
    /// Create, move and deactivate units.
    ManageUnits,
    ViewUsers,
    /// Create users, reset passwords, grant and revoke roles.
    ManageUsers,
    ViewAudit,
    /// Issue and revoke API tokens for integrations.
    ManageTokens,
    ViewSystems,
    /// Register and edit the information systems of a unit, prepare and submit their dossiers.
    EditSystems,
    /// Record go-live exceptions and edit the holiday calendar (the standing body's work).
    Govern,
    ViewIncidents,
    /// Report incidents of one's units and work on them (contain, recover, file reports).
    ReportIncidents,
    /// Triage, co-ordinate, assign tasks across units, close (the authority).
    CoordinateIncidents,
    /// Work on the findings of one's systems: import scans, fix, accept risks (managers).
    RemediateFindings,
    /// Verify fixes and reopen findings (the authority, independent assessors).
    VerifyFindings,
    /// Accept the risk of a finding instead of fixing it (the unit's manager, the authority).
    AcceptRisks,
    /// See control catalogues and the assessments of one's units' systems (or assigned to one's
    /// assessor unit).
    ViewCompliance,
    /// Import control catalogues (city-wide; the standing body and administrators).
    ManageCatalogues,
    /// Plan assessments and record results: self-assessment of one's own systems, independent
    /// assessment by the assessor unit it is assigned to, or the authority.
    AssessSystems,
    /// Import plans, map the unit names of their task tables, follow who has reported (the
    /// authority).
    ManagePlans,
    /// Report progress on the plan tasks one's units lead or co-ordinate; a lead unit also
    /// consolidates its co-ordinators' reports.
    ReportProgress,
    /// Submit the unit's periodic report as its head signs it (unit managers; the authority for
    /// its own).
    SubmitReports,
    /// Send telemetry (alerts, sensor events) about the systems of one's units (the SOC
    /// providers that watch them).
    IngestTelemetry,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Administrator,
        Role::AuthorityOfficer,
        Role::UnitManager,
        Role::UnitOfficer,
        Role::Assessor,
        Role::SocProvider,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::AuthorityOfficer => "authority_officer",
            Role::UnitManager => "unit_manager",
            Role::UnitOfficer => "unit_officer",
            Role::Assessor => "assessor",
            Role::SocProvider => "soc_provider",
            Role::Viewer => "viewer",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Role::Administrator => ("Quản trị hệ thống", "Administrator"),
            Role::AuthorityOfficer => ("Cán bộ cơ quan thường trực", "Authority officer"),
            Role::UnitManager => ("Lãnh đạo đơn vị", "Unit manager"),
            Role::UnitOfficer => ("Cán bộ đơn vị", "Unit officer"),
            Role::Assessor => ("Đơn vị đánh giá độc lập", "Independent assessor"),
            Role::SocProvider => ("Đơn vị giám sát (SOC)", "SOC provider"),
            Role::Viewer => ("Lãnh đạo, xem báo cáo", "Viewer / leadership"),
        };
        lang.pick(vi, en)
    }

    pub fn parse(s: &str) -> Result<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim()).ok_or_else(|| {
            Error::invalid("role", format!("«{s}» không phải vai trò hợp lệ."), format!("«{s}» is not a valid role."))
        })
    }

    /// The permission matrix. Keep it the only place that says who may do what.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Administrator => true,
            Role::AuthorityOfficer => {
                matches!(
                    action,
                    ViewUnits
                        | EditUnit
                        | ManageUnits
                        | ViewUsers
                        | ViewAudit
                        | ManageTokens
                        | ViewSystems
                        | EditSystems
                        | Govern
                        | ViewIncidents
                        | ReportIncidents
                        | CoordinateIncidents
                        | RemediateFindings
                        | VerifyFindings
                        | AcceptRisks
                        | ViewCompliance
                        | ManageCatalogues
                        | AssessSystems
                        | ManagePlans
                        | ReportProgress
                        | SubmitReports
                )
            }
            Role::UnitManager => {
                matches!(
                    action,
                    ViewUnits
                        | EditUnit
                        | ViewUsers
                        | ManageUsers
                        | ViewAudit
                        | ViewSystems
                        | EditSystems
                        | ViewIncidents
                        | ReportIncidents
                        | RemediateFindings
                        | AcceptRisks
                        | ViewCompliance
                        | AssessSystems
                        | ReportProgress
                        | SubmitReports
                )
            }
            Role::UnitOfficer => matches!(
                action,
                ViewUnits
                    | ViewUsers
                    | ViewSystems
                    | EditSystems
                    | ViewIncidents
                    | ReportIncidents
                    | RemediateFindings
                    | ViewCompliance
                    | AssessSystems
                    | ReportProgress
            ),
            // AssessSystems on its own unit: the store lets it record only independent assessments
            // assigned to that unit.
            Role::Assessor => {
                matches!(action, ViewUnits | ViewSystems | VerifyFindings | ViewCompliance | AssessSystems)
            }
            // A SOC watching a unit's systems reports what it sees there.
            Role::SocProvider => matches!(
                action,
                ViewUnits
                    | ViewSystems
                    | ViewIncidents
                    | ReportIncidents
                    | RemediateFindings
                    | ViewCompliance
                    | IngestTelemetry
            ),
            Role::Viewer => {
                matches!(action, ViewUnits | ViewUsers | ViewAudit | ViewSystems | ViewIncidents | ViewCompliance)
            }
        }
    }

    /// Which roles a holder of `self` may grant to others (no one grants more than they hold).
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::Administrator => true,
            Role::UnitManager => matches!(other, Role::UnitManager | Role::UnitOfficer | Role::Viewer),
            _ => false,
        }
    }
}

/// Compares with a code (tests write `role == "viewer"`).
impl PartialEq<&str> for Role {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

/// The code, as stored and sent.
impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Reads a stored code (the store's row decoding); an unknown code is an error naming it.
impl TryFrom<String> for Role {
    type Error = crate::UnknownCode;
    fn try_from(s: String) -> std::result::Result<Role, crate::UnknownCode> {
        match Role::parse(&s) {
            Ok(v) => Ok(v),
            Err(_) => Err(crate::UnknownCode(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_matrix_is_sane() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Ok(r));
            assert!(r.allows(Action::ViewUnits), "every role sees units in its scope");
        }
        assert!(!Role::Viewer.allows(Action::EditUnit));
        assert!(!Role::UnitOfficer.allows(Action::ManageUsers));
        assert!(!Role::UnitManager.may_grant(Role::Administrator));
        assert!(!Role::AuthorityOfficer.may_grant(Role::Viewer));
    }

    #[test]
    fn compliance_permissions() {
        for r in Role::ALL {
            assert!(r.allows(Action::ViewCompliance), "{r:?} sees compliance in its scope");
        }
        let managers: Vec<Role> = Role::ALL.into_iter().filter(|r| r.allows(Action::ManageCatalogues)).collect();
        assert_eq!(managers, vec![Role::Administrator, Role::AuthorityOfficer]);
        let assessors: Vec<Role> = Role::ALL.into_iter().filter(|r| r.allows(Action::AssessSystems)).collect();
        assert_eq!(
            assessors,
            vec![Role::Administrator, Role::AuthorityOfficer, Role::UnitManager, Role::UnitOfficer, Role::Assessor]
        );
        assert!(!Role::Viewer.allows(Action::AssessSystems) && !Role::SocProvider.allows(Action::AssessSystems));
    }
}
