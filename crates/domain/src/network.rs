//! The response network's roster (mạng lưới ứng cứu sự cố; QĐ 05/2017, TT 20/2017 Đ5): the
//! units that answer incidents with the authority, each with its 24/7 contact point, an OpenPGP
//! public key for encrypted exchange, and what it can do. A unit applies (its manager), the
//! authority approves, rejects or removes it; incident tasks go to approved members and to the
//! incident's own unit only.

use crate::system::code_enum;
use crate::unit::{optional_text, validate_email};
use crate::{Error, Result};

code_enum!(
    /// Where a unit stands with the network.
    MemberState {
        Applied = "applied": "Đã đăng ký, chờ phê duyệt" / "Applied, awaiting approval",
        Approved = "approved": "Thành viên" / "Member",
        Rejected = "rejected": "Không được chấp thuận" / "Not accepted",
        Removed = "removed": "Đã rời mạng lưới" / "Removed",
    }
);

code_enum!(
    /// The authority's decision on a unit.
    MemberDecision {
        Approve = "approve": "Phê duyệt" / "Approve",
        Reject = "reject": "Không chấp thuận" / "Reject",
        Remove = "remove": "Đưa ra khỏi mạng lưới" / "Remove",
    }
);

/// What a unit sends when it applies or updates its entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberEntry {
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    /// An ASCII-armoured OpenPGP public key, or empty.
    pub public_key: String,
    /// What the unit can do (forensics, malware analysis, network isolation …).
    pub capabilities: String,
}

const KEY_BEGIN: &str = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
const KEY_END: &str = "-----END PGP PUBLIC KEY BLOCK-----";
const MAX_KEY_BYTES: usize = 20_000;

/// A phone number a person can dial: digits with spaces, dots, dashes, parentheses and a
/// leading '+', 8 to 15 digits (national or international).
fn check_phone(value: &str) -> Result<String> {
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let allowed = v.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0));
    if allowed && (8..=15).contains(&digits) {
        return Ok(v.to_string());
    }
    Err(Error::invalid(
        "contact_phone",
        format!("«{v}» không phải số điện thoại trực 24/7 hợp lệ (8–15 chữ số)."),
        format!("«{v}» is not a valid 24/7 phone number (8–15 digits)."),
    ))
}

/// Checks an entry: a named 24/7 contact with a phone and an e-mail, a public key (if any) that
/// is one armoured OpenPGP public key block, capabilities within 2,000 characters.
pub fn check_entry(e: &MemberEntry) -> Result<MemberEntry> {
    let contact_name = optional_text("contact_name", Some(&e.contact_name), 200)?
        .ok_or_else(|| Error::invalid("contact_name", "Ghi người trực 24/7.", "Name the 24/7 contact person."))?;
    let contact_phone = check_phone(&e.contact_phone)?;
    let contact_email = validate_email("contact_email", Some(&e.contact_email))?.ok_or_else(|| {
        Error::invalid("contact_email", "Ghi thư điện tử trực 24/7.", "Give the 24/7 e-mail address.")
    })?;
    let key = e.public_key.trim().replace("\r\n", "\n");
    if !key.is_empty() {
        let one_block = key.starts_with(KEY_BEGIN) && key.ends_with(KEY_END) && key.matches(KEY_BEGIN).count() == 1;
        if !one_block || key.len() > MAX_KEY_BYTES || !key.is_ascii() {
            return Err(Error::invalid(
                "public_key",
                format!("Khóa công khai phải là một khối «{KEY_BEGIN}» … «{KEY_END}» (ASCII, tối đa 20 KB)."),
                format!("The public key must be one «{KEY_BEGIN}» … «{KEY_END}» block (ASCII, at most 20 KB)."),
            ));
        }
    }
    let capabilities = optional_text("capabilities", Some(&e.capabilities), 2000)?.unwrap_or_default();
    Ok(MemberEntry { contact_name, contact_phone, contact_email, public_key: key, capabilities })
}

impl MemberState {
    /// Whether incident tasks may go to the unit.
    pub fn takes_tasks(self) -> bool {
        self == MemberState::Approved
    }

    /// The state after a unit applies or updates its entry: a member stays a member (its
    /// contacts change often), anyone else applies again.
    pub fn after_entry(current: Option<MemberState>) -> MemberState {
        match current {
            Some(MemberState::Approved) => MemberState::Approved,
            _ => MemberState::Applied,
        }
    }

    /// The state after the authority's decision; a rejection or removal says why.
    pub fn decide(self, decision: MemberDecision, reason: &str) -> Result<MemberState> {
        let next = match (self, decision) {
            (MemberState::Applied, MemberDecision::Approve) => MemberState::Approved,
            (MemberState::Applied, MemberDecision::Reject) => MemberState::Rejected,
            (MemberState::Approved, MemberDecision::Remove) => MemberState::Removed,
            (state, decision) => {
                return Err(Error::conflict(
                    format!(
                        "Không thể «{}» đơn vị đang ở trạng thái «{}».",
                        decision.label(crate::Lang::Vi),
                        state.label(crate::Lang::Vi)
                    ),
                    format!(
                        "Cannot «{}» a unit that is «{}».",
                        decision.label(crate::Lang::En),
                        state.label(crate::Lang::En)
                    ),
                ))
            }
        };
        if next != MemberState::Approved && reason.trim().is_empty() {
            return Err(Error::invalid("reason", "Nêu lý do.", "Give the reason."));
        }
        Ok(next)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entry() -> MemberEntry {
        MemberEntry {
            contact_name: "Trực ban Trung tâm SOC".into(),
            contact_phone: "+84 225 3 123 456".into(),
            contact_email: "soc@haidong.gov.vn".into(),
            public_key: format!("{KEY_BEGIN}\n\nmQINBGV...\n{KEY_END}\n"),
            capabilities: "Phân tích mã độc; cô lập mạng".into(),
        }
    }

    #[test]
    fn qd_05_2017_a_member_keeps_a_24_7_contact_point() {
        assert!(check_entry(&entry()).is_ok());
        for (broken, field) in [
            (MemberEntry { contact_name: " ".into(), ..entry() }, "contact_name"),
            (MemberEntry { contact_phone: "gọi tôi".into(), ..entry() }, "contact_phone"),
            (MemberEntry { contact_phone: "123".into(), ..entry() }, "contact_phone"),
            (MemberEntry { contact_email: "soc".into(), ..entry() }, "contact_email"),
            (MemberEntry { public_key: "ssh-rsa AAAA".into(), ..entry() }, "public_key"),
            (
                MemberEntry { public_key: format!("{KEY_BEGIN}\n{KEY_END}\n{KEY_BEGIN}\n{KEY_END}"), ..entry() },
                "public_key",
            ),
        ] {
            assert_eq!(check_entry(&broken).unwrap_err().field(), Some(field));
        }
        assert_eq!(check_entry(&MemberEntry { public_key: String::new(), ..entry() }).unwrap().public_key, "");
    }

    #[test]
    fn the_authority_approves_rejects_with_a_reason_and_removes_members() {
        assert_eq!(MemberState::Applied.decide(MemberDecision::Approve, "").unwrap(), MemberState::Approved);
        assert!(MemberState::Applied.decide(MemberDecision::Reject, " ").is_err());
        assert_eq!(MemberState::Approved.decide(MemberDecision::Remove, "Giải thể").unwrap(), MemberState::Removed);
        assert!(MemberState::Approved.decide(MemberDecision::Approve, "").is_err());
        assert_eq!(MemberState::after_entry(Some(MemberState::Approved)), MemberState::Approved);
        assert_eq!(MemberState::after_entry(Some(MemberState::Removed)), MemberState::Applied);
        assert!(MemberState::Approved.takes_tasks() && !MemberState::Applied.takes_tasks());
    }
}
