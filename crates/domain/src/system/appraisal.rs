//! Itemised appraisal (issue 17.4): each submission of a dossier is frozen as a snapshot; the
//! appraiser comments per part or per requirement while the dossier waits for appraisal; the
//! unit answers every comment before it resubmits; the appraiser sees what changed since the
//! previous submission. Optionally, for some unit types, the unit's manager checks the dossier
//! before it goes (the unit's officers prepare, its leadership submits).

use super::dossier::{DossierState, Part};
use crate::role::Role;
use crate::scope::Actor;
use crate::{Error, Lang, Result};
use serde::{Deserialize, Serialize};

/// One part of a dossier as submitted: its files by name and SHA-256, or why it does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotPart {
    pub part: Part,
    /// (file name, SHA-256), in the order attached.
    pub files: Vec<(String, String)>,
    pub not_applicable: Option<String>,
}

/// What the appraiser received with one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub proposed_level: i64,
    pub level_reason: Option<String>,
    pub parts: Vec<SnapshotPart>,
}

/// One difference between two submissions, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Difference {
    /// What changed: "Cấp độ đề xuất", a part's name…
    pub subject: String,
    pub before: String,
    pub after: String,
}

fn files_text(p: Option<&SnapshotPart>, lang: Lang) -> String {
    match p {
        None => "—".into(),
        Some(p) if !p.files.is_empty() => p
            .files
            .iter()
            .map(|(name, sha)| format!("{name} ({})", sha.chars().take(12).collect::<String>()))
            .collect::<Vec<_>>()
            .join("; "),
        Some(SnapshotPart { not_applicable: Some(r), .. }) => {
            format!("{}: {r}", lang.pick("Không áp dụng", "Not applicable"))
        }
        Some(_) => "—".into(),
    }
}

/// What changed from `before` to `after`: the proposed level, its reason, and each part whose
/// files (by name and content) or declaration differ.
pub fn differences(before: &Snapshot, after: &Snapshot, lang: Lang) -> Vec<Difference> {
    let mut out = Vec::new();
    if before.proposed_level != after.proposed_level {
        out.push(Difference {
            subject: lang.pick("Cấp độ đề xuất", "Proposed level").into(),
            before: before.proposed_level.to_string(),
            after: after.proposed_level.to_string(),
        });
    }
    if before.level_reason != after.level_reason {
        let text = |r: &Option<String>| r.clone().unwrap_or_else(|| "—".into());
        out.push(Difference {
            subject: lang.pick("Lý do đề xuất cấp độ", "Reason for the level").into(),
            before: text(&before.level_reason),
            after: text(&after.level_reason),
        });
    }
    for part in Part::ALL {
        let find = |s: &Snapshot| s.parts.iter().find(|p| p.part == *part).cloned();
        let (b, a) = (find(before), find(after));
        let same = match (&b, &a) {
            (Some(b), Some(a)) => b.files == a.files && b.not_applicable == a.not_applicable,
            (None, None) => true,
            _ => false,
        };
        if !same {
            out.push(Difference {
                subject: part.label(lang).into(),
                before: files_text(b.as_ref(), lang),
                after: files_text(a.as_ref(), lang),
            });
        }
    }
    out
}

/// Whether the appraiser may comment on a dossier in `state`: only while it waits for
/// appraisal; the message names why not.
pub fn check_open_for_comments(state: DossierState) -> Result<()> {
    match state {
        DossierState::Submitted => Ok(()),
        DossierState::Approved | DossierState::Superseded => Err(Error::invalid(
            "state",
            format!("Hồ sơ đã đóng («{}»): không nhận ý kiến thẩm định.", state.label(Lang::Vi)),
            format!("The dossier is closed («{}»): it takes no appraisal comments.", state.label(Lang::En)),
        )),
        _ => Err(Error::invalid(
            "state",
            format!("Chỉ góp ý khi hồ sơ đang chờ thẩm định; hồ sơ đang «{}».", state.label(Lang::Vi)),
            format!("Comments are made while the dossier awaits appraisal; it is «{}».", state.label(Lang::En)),
        )),
    }
}

/// Whether the unit may answer comments on a dossier in `state`: once returned (or drafted
/// again), before resubmitting.
pub fn check_open_for_answers(state: DossierState) -> Result<()> {
    if super::dossier::editable(state) {
        Ok(())
    } else {
        Err(Error::invalid(
            "state",
            format!("Chỉ trả lời ý kiến khi hồ sơ bị trả lại; hồ sơ đang «{}».", state.label(Lang::Vi)),
            format!("Comments are answered once the dossier is returned; it is «{}».", state.label(Lang::En)),
        ))
    }
}

/// The roles that submit when the authority has the unit's manager check dossiers before they
/// go (per unit type): the unit's leadership, not its officers.
const CHECKED_SUBMITTERS: [Role; 2] = [Role::UnitManager, Role::Administrator];

/// Whether `actor` may submit a dossier of a system owned at `unit` given the manager-check
/// setting of the owner's unit type: with the check on, only its leadership submits.
pub fn may_submit_checked(actor: &Actor, unit: i64, path: &str, manager_check: bool) -> bool {
    !manager_check || actor.grants.iter().any(|g| CHECKED_SUBMITTERS.contains(&g.role) && g.covers(unit, path))
}

/// The refusal an officer meets when the manager's check is on.
pub fn manager_check_refusal() -> Error {
    Error::Forbidden(crate::Msg::new(
        "Với loại đơn vị này, lãnh đạo đơn vị kiểm tra hồ sơ và gửi thẩm định.",
        "For this kind of unit, the unit's leadership checks the dossier and submits it.",
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn snap(level: i64, design: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            proposed_level: level,
            level_reason: None,
            parts: vec![
                SnapshotPart {
                    part: Part::Overview,
                    files: vec![("tong-quan.pdf".into(), "aa".repeat(32))],
                    not_applicable: None,
                },
                SnapshotPart {
                    part: Part::Design,
                    files: design.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect(),
                    not_applicable: None,
                },
            ],
        }
    }

    #[test]
    fn a_resubmission_shows_what_changed_and_only_that() {
        let first = snap(3, &[("thiet-ke.pdf", &"bb".repeat(32))]);
        let second = snap(3, &[("thiet-ke.pdf", &"cc".repeat(32))]);
        let diff = differences(&first, &second, Lang::Vi);
        assert_eq!(diff.len(), 1, "{diff:?}");
        assert_eq!(diff[0].subject, "Hồ sơ thiết kế");
        assert!(diff[0].before.contains("bbbbbbbbbbbb") && diff[0].after.contains("cccccccccccc"));
        assert!(differences(&first, &first, Lang::Vi).is_empty());
        let raised = snap(4, &[("thiet-ke.pdf", &"bb".repeat(32))]);
        assert_eq!(differences(&first, &raised, Lang::En)[0].subject, "Proposed level");
    }

    #[test]
    fn comments_only_while_the_dossier_awaits_appraisal() {
        assert!(check_open_for_comments(DossierState::Submitted).is_ok());
        let closed = check_open_for_comments(DossierState::Approved).unwrap_err();
        assert!(closed.message(Lang::Vi).contains("đã đóng"), "{closed:?}");
        assert!(check_open_for_comments(DossierState::Draft).is_err());
        assert!(check_open_for_answers(DossierState::Returned).is_ok());
        assert!(check_open_for_answers(DossierState::Submitted).is_err());
    }
}
