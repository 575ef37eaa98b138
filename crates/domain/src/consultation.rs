//! The consultation register (issue 15.4; "Tổng hợp ý kiến của các đơn vị" in HCM 3131's annex):
//! while a plan is a draft, the units asked send "Thống nhất" or comments per section or task,
//! and the drafting body answers each one — taken in (tiếp thu) or not, with its reason.

use crate::system::code_enum;
use crate::{Error, Result};

code_enum!(
    /// The drafting body's answer to one comment.
    CommentAnswer {
        Accepted = "accepted": "Tiếp thu" / "Taken in",
        NotAccepted = "not_accepted": "Không tiếp thu" / "Not taken in",
    }
);

/// A comment not taken in says why (the register prints "Không tiếp thu vì …"); one taken in
/// may say how.
pub fn check_answer(answer: CommentAnswer, reason: &str) -> Result<String> {
    let reason = reason.trim();
    if answer == CommentAnswer::NotAccepted && reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "Ý kiến không tiếp thu phải nêu lý do.",
            "A comment not taken in needs its reason.",
        ));
    }
    if reason.chars().count() > 5000 {
        return Err(Error::invalid("reason", "Tối đa 5000 ký tự.", "At most 5000 characters."));
    }
    Ok(reason.to_string())
}

/// The answer column of the register: "Tiếp thu", "Tiếp thu: …", "Không tiếp thu vì …".
pub fn register_answer(answer: Option<CommentAnswer>, reason: &str) -> String {
    match (answer, reason.trim()) {
        (None, _) => String::new(),
        (Some(CommentAnswer::Accepted), "") => "Tiếp thu".to_string(),
        (Some(CommentAnswer::Accepted), r) => format!("Tiếp thu: {r}"),
        (Some(CommentAnswer::NotAccepted), r) => format!("Không tiếp thu vì {r}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_not_taken_in_needs_its_reason() {
        assert!(check_answer(CommentAnswer::NotAccepted, "  ").is_err());
        assert_eq!(check_answer(CommentAnswer::Accepted, "").unwrap(), "");
        assert_eq!(
            register_answer(Some(CommentAnswer::NotAccepted), "đã có trong nhiệm vụ 5.2"),
            "Không tiếp thu vì đã có trong nhiệm vụ 5.2"
        );
        assert_eq!(register_answer(Some(CommentAnswer::Accepted), ""), "Tiếp thu");
        assert_eq!(register_answer(None, "x"), "");
    }
}
