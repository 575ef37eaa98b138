//! Users: usernames, passwords and the lockout rule.

use crate::{Error, Result};

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failed logins in a row before the account is locked.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a lockout lasts.
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;
/// Sessions end after this much inactivity, and at the latest after SESSION_MAX_MS.
pub const SESSION_IDLE_MS: i64 = 8 * 3600 * 1000;
pub const SESSION_MAX_MS: i64 = 7 * 24 * 3600 * 1000;

pub fn validate_username(s: &str) -> Result<String> {
    let u = s.trim().to_ascii_lowercase();
    let ok = (3..=64).contains(&u.len())
        && u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && u.starts_with(|c: char| c.is_ascii_lowercase());
    if ok {
        Ok(u)
    } else {
        Err(Error::invalid(
            "username",
            "Tên đăng nhập dài 3–64 ký tự, bắt đầu bằng chữ cái, chỉ gồm chữ thường không dấu, số, '.', '_' hoặc '-'.",
            "A username is 3–64 characters, starts with a letter and has only lowercase ASCII letters, digits, '.', '_' or '-'.",
        ))
    }
}

pub fn validate_password(p: &str) -> Result<()> {
    let n = p.chars().count();
    let classes = [
        p.chars().any(|c| c.is_lowercase()),
        p.chars().any(|c| c.is_uppercase()),
        p.chars().any(|c| c.is_ascii_digit()),
        p.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if !(MIN_PASSWORD_CHARS..=256).contains(&n) || classes < 3 {
        return Err(Error::invalid(
            "password",
            format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự và ít nhất 3 trong 4 nhóm: chữ thường, chữ hoa, số, ký tự đặc biệt."),
            format!("A password needs at least {MIN_PASSWORD_CHARS} characters and 3 of 4 kinds: lowercase, uppercase, digits, symbols."),
        ));
    }
    Ok(())
}

/// The failures that count before a new one: none once a lock has run out (it starts afresh).
pub fn failures_before(failed: i64, locked_until: Option<i64>) -> i64 {
    if locked_until.is_some() {
        0
    } else {
        failed
    }
}

/// After a failed login: the new failure count and, when it reaches the limit, the lock expiry.
pub fn after_failed_login(failed_before: i64, now_ms: i64) -> (i64, Option<i64>) {
    let failed = failed_before + 1;
    if failed >= MAX_FAILED_LOGINS {
        (failed, Some(now_ms + LOCKOUT_MS))
    } else {
        (failed, None)
    }
}

pub fn locked_error(locked_until_ms: i64, now_ms: i64) -> Error {
    let secs = ((locked_until_ms - now_ms) / 1000).max(1);
    let mins = (secs + 59) / 60;
    Error::TooMany {
        retry_after_secs: secs,
        msg: crate::Msg::new(
            format!("Tài khoản tạm khóa do đăng nhập sai {MAX_FAILED_LOGINS} lần. Thử lại sau {mins} phút hoặc liên hệ quản trị viên."),
            format!("Account locked after {MAX_FAILED_LOGINS} failed logins. Try again in {mins} minutes or contact the administrator."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_passwords() {
        assert_eq!(validate_username(" PA05.Truong ").as_deref(), Ok("pa05.truong"));
        assert!(validate_username("1abc").is_err());
        assert!(validate_username("ab").is_err());
        assert!(validate_username("trần").is_err());
        assert!(validate_password("Khien@2026").is_ok());
        assert!(validate_password("short1A!").is_err());
        assert!(validate_password("alllowercaseletters").is_err());
    }

    #[test]
    fn lockout_after_limit() {
        assert_eq!(after_failed_login(0, 0), (1, None));
        assert_eq!(after_failed_login(MAX_FAILED_LOGINS - 1, 10), (MAX_FAILED_LOGINS, Some(10 + LOCKOUT_MS)));
        assert!(matches!(locked_error(LOCKOUT_MS, 0), Error::TooMany { retry_after_secs: 900, .. }));
    }
}
