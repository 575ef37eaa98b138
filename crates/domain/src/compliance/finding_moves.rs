//! Who may move a finding: the lifecycle ([`check_move`]) crossed with the caller's roles over
//! the finding's unit. The unit's side needs `RemediateFindings`, the verifier's side
//! `VerifyFindings`, and accepting a risk `AcceptRisks` (the unit's manager or the authority).
//! The store's check (`move_finding`) and the finding page's buttons both ask here, so the page
//! offers exactly the moves the store accepts.

use super::remediation::{check_move, FindingMove, FindingState, Verifier};
use crate::role::Action;
use crate::scope::Actor;
use crate::Result;

/// The action a side of the lifecycle needs over the finding's unit.
pub fn side_action(side: Verifier) -> Action {
    match side {
        Verifier::Unit => Action::RemediateFindings,
        Verifier::Authority => Action::VerifyFindings,
    }
}

/// Checks that `actor` may move a finding of the unit (`unit_id`, `unit_path`) from `from` to
/// `to`: Conflict when the lifecycle has no such move, Forbidden (or NotFound outside the
/// caller's units) when the caller's roles do not allow it. Returns what the move needs.
pub fn may_move(
    actor: &Actor,
    unit_id: i64,
    unit_path: &str,
    from: FindingState,
    to: FindingState,
) -> Result<FindingMove> {
    let rule = check_move(from, to)?;
    actor.require(side_action(rule.side), unit_id, unit_path)?;
    if rule.manager_only {
        actor.require(Action::AcceptRisks, unit_id, unit_path)?;
    }
    Ok(rule)
}

/// Every move `actor` may make from `from` on a finding of the unit, in lifecycle order.
pub fn allowed_moves(
    actor: &Actor,
    unit_id: i64,
    unit_path: &str,
    from: FindingState,
) -> Vec<(FindingState, FindingMove)> {
    FindingState::ALL
        .iter()
        .filter_map(|to| may_move(actor, unit_id, unit_path, from, *to).ok().map(|m| (*to, m)))
        .collect()
}

/// Whether `actor` may move some finding somewhere (the list page's bulk-move form).
pub fn moves_anywhere(actor: &Actor) -> bool {
    [Verifier::Unit, Verifier::Authority].into_iter().any(|side| actor.can_anywhere(side_action(side)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::role::Role;
    use crate::scope::Grant;
    use crate::Error;
    use FindingState::*;

    fn actor(role: Role, unit_id: i64, path: &str) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            token_id: None,
            grants: vec![Grant { role, unit_id, unit_path: path.into(), recursive: true }],
        }
    }

    /// The expected answer, written out by hand: who may make each move.
    fn expected(role: Role, from: FindingState, to: FindingState) -> bool {
        use Role::*;
        let unit_side = [Administrator, AuthorityOfficer, UnitManager, UnitOfficer, SocProvider];
        let managers = [Administrator, AuthorityOfficer, UnitManager];
        let verifiers = [Administrator, AuthorityOfficer, Assessor];
        match (from, to) {
            (Open, InRemediation) | (Open | InRemediation, Fixed | FalsePositive) => unit_side.contains(&role),
            (Open | InRemediation, RiskAccepted) => managers.contains(&role),
            (Fixed, Verified | InRemediation) | (Verified | RiskAccepted | FalsePositive, Open) => {
                verifiers.contains(&role)
            }
            _ => false,
        }
    }

    #[test]
    fn every_role_state_and_target() {
        for role in Role::ALL {
            let a = actor(role, 5, "/1/5/");
            for from in FindingState::ALL.iter().copied() {
                for to in FindingState::ALL.iter().copied() {
                    let got = may_move(&a, 9, "/1/5/9/", from, to);
                    assert_eq!(got.is_ok(), expected(role, from, to), "{role:?} {from:?} → {to:?}: {got:?}");
                    if check_move(from, to).is_err() {
                        assert!(matches!(got, Err(Error::Conflict(_))), "{from:?} → {to:?} is no move");
                    } else if got.is_err() {
                        assert_eq!(got.unwrap_err(), Error::forbidden(), "{role:?} sees the unit");
                    }
                }
            }
        }
    }

    #[test]
    fn the_page_offers_exactly_what_the_check_accepts() {
        for role in Role::ALL {
            let a = actor(role, 5, "/1/5/");
            for from in FindingState::ALL.iter().copied() {
                let offered: Vec<FindingState> = allowed_moves(&a, 5, "/1/5/", from).into_iter().map(|m| m.0).collect();
                let accepted: Vec<FindingState> = FindingState::ALL
                    .iter()
                    .copied()
                    .filter(|to| may_move(&a, 5, "/1/5/", from, *to).is_ok())
                    .collect();
                assert_eq!(offered, accepted);
            }
        }
    }

    #[test]
    fn another_units_findings_are_out_of_reach() {
        let a = actor(Role::AuthorityOfficer, 5, "/1/5/");
        assert!(matches!(may_move(&a, 6, "/1/6/", Open, Fixed), Err(Error::NotFound(_))));
        assert!(allowed_moves(&a, 6, "/1/6/", Fixed).is_empty());
        // An officer of the unit and a manager of another: the risk stays the unit manager's.
        let mut mixed = actor(Role::UnitOfficer, 5, "/1/5/");
        mixed.grants.push(Grant { role: Role::UnitManager, unit_id: 6, unit_path: "/1/6/".into(), recursive: true });
        assert_eq!(may_move(&mixed, 5, "/1/5/", Open, RiskAccepted).unwrap_err(), Error::forbidden());
        assert!(may_move(&mixed, 6, "/1/6/", Open, RiskAccepted).unwrap().needs_reason);
    }
}
