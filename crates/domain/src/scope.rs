//! The caller and what they may reach. The store turns a `Scope` into SQL conditions so that
//! every query is limited to the caller's units; this module holds the rules themselves.

use crate::role::{Action, Role};
use crate::unit::is_within;
use crate::{Error, Result};

/// One role granted on one unit, for that unit alone or for its subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub unit_id: i64,
    /// Materialised path of the unit ("/1/5/").
    pub unit_path: String,
    pub recursive: bool,
}

impl Grant {
    pub fn covers(&self, unit_id: i64, unit_path: &str) -> bool {
        if self.recursive {
            is_within(unit_path, &self.unit_path)
        } else {
            unit_id == self.unit_id
        }
    }

    /// Whether this grant lets its holder hand `role` to others on what it covers.
    pub fn may_grant(&self, role: Role) -> bool {
        self.role.allows(Action::ManageUsers) && self.role.may_grant(role)
    }

    /// Whether an API token acting as `role` may be issued from this grant: the same role, or an
    /// administrator's.
    pub fn issues_token(&self, role: Role) -> bool {
        self.role == role || self.role == Role::Administrator
    }

    /// Whether this grant (its holder's) still backs a token's grant: it would issue the role,
    /// covers the token's unit, and reaches the subtree if the token does.
    pub fn backs_token(&self, token: &Grant) -> bool {
        self.issues_token(token.role)
            && self.covers(token.unit_id, &token.unit_path)
            && (self.recursive || !token.recursive)
    }
}

/// Who is calling: a signed-in user, or an API token acting with the role it was issued for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    /// Set when the caller authenticated with an API token.
    pub token_id: Option<i64>,
    pub grants: Vec<Grant>,
}

/// The part of the unit tree a caller may touch for one action.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach {
    /// Path prefixes of whole subtrees.
    pub subtrees: Vec<String>,
    /// Single units.
    pub units: Vec<i64>,
}

impl Reach {
    pub fn is_empty(&self) -> bool {
        self.subtrees.is_empty() && self.units.is_empty()
    }

    /// Whether the reach is the whole tree: the root's subtree (the root's path is "/id/").
    pub fn is_whole_tree(&self) -> bool {
        self.subtrees.iter().any(|p| p.matches('/').count() == 2)
    }
}

impl Actor {
    /// A label for the audit trail: "username" or "username (token #id)".
    pub fn label(&self) -> String {
        match self.token_id {
            Some(t) => format!("{} (token #{t})", self.username),
            None => self.username.clone(),
        }
    }

    pub fn can(&self, action: Action, unit_id: i64, unit_path: &str) -> bool {
        self.grants.iter().any(|g| g.role.allows(action) && g.covers(unit_id, unit_path))
    }

    /// Fails with Forbidden when the caller may see the unit but not act, NotFound when the
    /// unit is outside everything they may see (so out-of-scope records are not confirmed).
    pub fn require(&self, action: Action, unit_id: i64, unit_path: &str) -> Result<()> {
        if self.can(action, unit_id, unit_path) {
            Ok(())
        } else if self.can(Action::ViewUnits, unit_id, unit_path) {
            Err(Error::forbidden())
        } else {
            Err(Error::not_found("đơn vị", "Unit"))
        }
    }

    /// Whether a new record may be placed on a unit for `action` (an incident reported for it, a
    /// user, a sub-unit or an API token created on it): the caller may do the action there and
    /// the unit is active. The store checks this; `Store::units_where(actor, action)` lists
    /// exactly these units for the forms' choices.
    pub fn require_pick(&self, field: &str, action: Action, unit_id: i64, unit_path: &str, active: bool) -> Result<()> {
        self.require(action, unit_id, unit_path)?;
        if !active {
            return Err(Error::invalid(field, "Đơn vị đã ngừng hoạt động.", "The unit is deactivated."));
        }
        Ok(())
    }

    /// Whether any grant allows the action anywhere (for showing menu entries).
    pub fn can_anywhere(&self, action: Action) -> bool {
        self.grants.iter().any(|g| g.role.allows(action))
    }

    /// The units where an action is allowed, without redundant nested subtrees.
    pub fn reach(&self, action: Action) -> Reach {
        let mut subtrees: Vec<String> =
            self.grants.iter().filter(|g| g.recursive && g.role.allows(action)).map(|g| g.unit_path.clone()).collect();
        subtrees.sort();
        subtrees.dedup();
        let mut kept: Vec<String> = Vec::new();
        for p in subtrees {
            if !kept.iter().any(|k| is_within(&p, k)) {
                kept.push(p);
            }
        }
        let mut units: Vec<i64> = self
            .grants
            .iter()
            .filter(|g| !g.recursive && g.role.allows(action) && !kept.iter().any(|k| is_within(&g.unit_path, k)))
            .map(|g| g.unit_id)
            .collect();
        units.sort_unstable();
        units.dedup();
        Reach { subtrees: kept, units }
    }

    /// The same caller with only the grants whose role passes `keep`: the work list asks whose
    /// turn it is on each side, and administrators, who may do everything, are not waited for.
    pub fn with_roles(&self, keep: impl Fn(Role) -> bool) -> Actor {
        Actor { grants: self.grants.iter().filter(|g| keep(g.role)).cloned().collect(), ..self.clone() }
    }

    /// Roles the caller holds over a unit (for deciding what they may grant there).
    pub fn roles_over(&self, unit_id: i64, unit_path: &str) -> Vec<Role> {
        self.grants.iter().filter(|g| g.covers(unit_id, unit_path)).map(|g| g.role).collect()
    }

    /// Whether the caller may grant `role` on a unit; a grant over a whole subtree needs a
    /// subtree grant of the caller's own (a single-unit manager cannot widen anyone's reach).
    pub fn may_grant(&self, role: Role, unit_id: i64, unit_path: &str, recursive: bool) -> bool {
        self.grants.iter().any(|g| g.covers(unit_id, unit_path) && g.may_grant(role) && (g.recursive || !recursive))
    }

    /// The roles the caller may grant somewhere (a form's choices; `may_grant` decides per unit).
    pub fn grantable_roles(&self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| self.grants.iter().any(|g| g.may_grant(*r))).collect()
    }

    /// The caller's grants over a unit that may issue a token acting as `role` there.
    pub fn token_issuers(&self, role: Role, unit_id: i64, unit_path: &str) -> Vec<&Grant> {
        self.grants.iter().filter(|g| g.covers(unit_id, unit_path) && g.issues_token(role)).collect()
    }

    /// The roles the caller may issue API tokens for somewhere (a form's choices;
    /// `token_issuers` decides per unit).
    pub fn token_roles(&self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| self.grants.iter().any(|g| g.issues_token(*r))).collect()
    }

    /// Whether the caller outranks every grant a user holds, so that managing the account
    /// (password, deactivation, roles) cannot be used to take over a stronger one.
    pub fn outranks(&self, target: &[Grant]) -> bool {
        target.iter().all(|g| self.may_grant(g.role, g.unit_id, &g.unit_path, g.recursive))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn actor(grants: Vec<Grant>) -> Actor {
        Actor { user_id: 1, username: "u".into(), token_id: None, grants }
    }

    fn grant(role: Role, unit_id: i64, path: &str, recursive: bool) -> Grant {
        Grant { role, unit_id, unit_path: path.into(), recursive }
    }

    #[test]
    fn recursive_grants_cover_subtrees_only() {
        let a = actor(vec![grant(Role::UnitManager, 5, "/1/5/", true)]);
        assert!(a.can(Action::EditUnit, 9, "/1/5/9/"));
        assert!(!a.can(Action::EditUnit, 6, "/1/6/"));
        assert!(!a.can(Action::EditUnit, 50, "/1/50/"));
        assert!(!a.can(Action::ManageUnits, 9, "/1/5/9/"));
    }

    #[test]
    fn non_recursive_grants_cover_one_unit() {
        let a = actor(vec![grant(Role::UnitOfficer, 5, "/1/5/", false)]);
        assert!(a.can(Action::ViewUnits, 5, "/1/5/"));
        assert!(!a.can(Action::ViewUnits, 9, "/1/5/9/"));
        assert_eq!(a.require(Action::EditUnit, 5, "/1/5/"), Err(Error::forbidden()));
        assert!(matches!(a.require(Action::ViewUnits, 6, "/1/6/"), Err(Error::NotFound(_))));
    }

    #[test]
    fn reach_drops_nested_grants() {
        let a = actor(vec![
            grant(Role::Viewer, 1, "/1/", true),
            grant(Role::UnitOfficer, 5, "/1/5/", true),
            grant(Role::UnitOfficer, 7, "/2/7/", false),
        ]);
        let r = a.reach(Action::ViewUnits);
        assert_eq!(r.subtrees, vec!["/1/".to_string()]);
        assert_eq!(r.units, vec![7]);
        assert!(a.reach(Action::ManageUsers).is_empty());
        assert!(r.is_whole_tree(), "the root's subtree");
        assert!(!a.reach(Action::ReportIncidents).is_whole_tree(), "a unit's subtree is not the city");
    }

    #[test]
    fn a_record_goes_on_an_active_unit_the_caller_acts_for() {
        let a = actor(vec![grant(Role::UnitOfficer, 5, "/1/5/", true)]);
        assert_eq!(a.require_pick("unit_id", Action::ReportIncidents, 9, "/1/5/9/", true), Ok(()));
        let off = a.require_pick("unit_id", Action::ReportIncidents, 9, "/1/5/9/", false).unwrap_err();
        assert_eq!(off.field(), Some("unit_id"));
        assert_eq!(a.require_pick("unit_id", Action::ManageUsers, 9, "/1/5/9/", true), Err(Error::forbidden()));
        assert!(matches!(a.require_pick("unit_id", Action::ViewUnits, 6, "/1/6/", true), Err(Error::NotFound(_))));
    }

    #[test]
    fn form_choices_follow_the_same_grant_rules() {
        let manager = actor(vec![grant(Role::UnitManager, 5, "/1/5/", false)]);
        assert_eq!(manager.grantable_roles(), vec![Role::UnitManager, Role::UnitOfficer, Role::Viewer]);
        for r in Role::ALL {
            assert_eq!(manager.grantable_roles().contains(&r), manager.may_grant(r, 5, "/1/5/", false), "{r:?}");
        }
        assert_eq!(manager.token_roles(), vec![Role::UnitManager]);
        assert_eq!(manager.token_issuers(Role::UnitManager, 5, "/1/5/").len(), 1);
        assert!(manager.token_issuers(Role::UnitOfficer, 5, "/1/5/").is_empty());
        let admin = actor(vec![grant(Role::Administrator, 1, "/1/", true)]);
        assert_eq!(admin.token_roles(), Role::ALL.to_vec());
        assert!(actor(vec![grant(Role::Viewer, 1, "/1/", true)]).grantable_roles().is_empty());
        let token = grant(Role::UnitOfficer, 9, "/1/5/9/", true);
        assert!(grant(Role::Administrator, 5, "/1/5/", true).backs_token(&token));
        assert!(!grant(Role::UnitOfficer, 5, "/1/5/", false).backs_token(&token), "no subtree, no backing");
        assert!(!grant(Role::UnitManager, 5, "/1/5/", true).backs_token(&token), "another role");
    }

    #[test]
    fn granting_is_bounded_by_own_role() {
        let a = actor(vec![grant(Role::UnitManager, 5, "/1/5/", false)]);
        assert!(a.may_grant(Role::UnitOfficer, 5, "/1/5/", false));
        assert!(!a.may_grant(Role::UnitOfficer, 5, "/1/5/", true), "no widening to the subtree");
        assert!(!a.may_grant(Role::Administrator, 5, "/1/5/", false));
        assert!(!a.may_grant(Role::UnitOfficer, 6, "/1/6/", false));
        assert!(!a.outranks(&[grant(Role::AuthorityOfficer, 1, "/1/", true)]));
        assert!(a.outranks(&[grant(Role::UnitOfficer, 5, "/1/5/", false)]));
    }
}
