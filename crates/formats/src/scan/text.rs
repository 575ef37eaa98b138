//! Text helpers: bounded accumulation, cutting on a character boundary, CVE/CWE ids.

use super::{MAX_IDS, MAX_TITLE_BYTES};

/// The largest index `<= i` that is a character boundary of `s`.
pub(super) fn floor_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Appends `src` to `dst` while `dst` holds at most `max + 4` bytes: enough for [`finish`] to
/// know that the text was longer than `max`, without ever holding much more.
pub(super) fn append_limited(dst: &mut String, src: &str, max: usize) {
    let room = (max + 4).saturating_sub(dst.len());
    let take = floor_boundary(src, room);
    dst.push_str(&src[..take]);
}

/// A multi-line text as kept: trimmed, control characters other than tab and line breaks
/// removed (PostgreSQL refuses NUL), cut to `max` bytes on a character boundary with "…".
pub(super) fn block(s: &str, max: usize) -> String {
    let clean: String = s.trim().chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
    cut(clean, max)
}

/// A one-line text as kept: white space (line breaks included) collapsed to single spaces,
/// control characters dropped, cut to `max` bytes with "…".
pub(super) fn line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max + 4));
    for word in s.split_whitespace() {
        if out.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    cut(out, max)
}

/// A one-line text of at most [`MAX_TITLE_BYTES`], or `None` when empty.
pub(super) fn opt_line(s: &str) -> Option<String> {
    let l = line(s, MAX_TITLE_BYTES);
    (!l.is_empty()).then_some(l)
}

fn cut(mut s: String, max: usize) -> String {
    if s.len() > max {
        let keep = floor_boundary(&s, max.saturating_sub('…'.len_utf8()));
        s.truncate(keep);
        s.push('…');
    }
    s
}

/// A CVE id ("cve-2021-44228 " → "CVE-2021-44228"), or `None` when `s` is not one
/// ("NOCVE", "GHSA-…").
pub(super) fn cve(s: &str) -> Option<String> {
    let t = s.trim().to_ascii_uppercase();
    let rest = t.strip_prefix("CVE-")?;
    let (year, num) = rest.split_once('-')?;
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    (year.len() == 4 && digits(year) && num.len() >= 4 && num.len() <= 19 && digits(num)).then_some(t)
}

/// Adds every CVE id found anywhere in `s`, in order: `CVE-yyyy-nnnn…` (any case, at least
/// four digits after the year) not glued to a letter or digit before it, its number ending
/// at the first non-digit. So a list ("CVE-2014-3566, CVE-2011-3389"), a Grype rule id
/// ("CVE-2008-0732-geronimo-jetty") and a sentence ("fixes CVE-2021-44228.") all give theirs.
/// The one helper every tool's CVEs go through; callers [`tidy`] the list.
pub(super) fn add_cves(list: &mut Vec<String>, s: &str) {
    let b = s.as_bytes();
    let digits_from = |i: usize| b.get(i..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
    let mut i = 0;
    while i + 4 <= b.len() {
        if list.len() >= MAX_IDS {
            return;
        }
        let starts = b.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"CVE-"))
            && !i.checked_sub(1).and_then(|j| b.get(j)).is_some_and(u8::is_ascii_alphanumeric);
        if !starts {
            i += 1;
            continue;
        }
        let year = digits_from(i + 4);
        let num = if year == 4 && b.get(i + 8) == Some(&b'-') { digits_from(i + 9) } else { 0 };
        if (4..=19).contains(&num) {
            let end = i + 9 + num;
            if let Some(c) = s.get(i..end).and_then(cve) {
                list.push(c);
            }
            i = end;
        } else {
            i += 4;
        }
    }
}

/// The first CVE id that is a whole word of a list separated by commas, semicolons or white
/// space: how CVEs were read before [`add_cves`] looked inside words; the SARIF key keeps it.
pub(super) fn first_token_cve(s: &str) -> Option<String> {
    s.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).find_map(cve)
}

/// A CWE number from "79", "CWE-79", "cwe-79" or "external/cwe/cwe-79"; `None` for anything
/// else ("NVD-CWE-Other", "-1", "0").
pub(super) fn cwe(s: &str) -> Option<u32> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.rsplit('/').next().unwrap_or(&t);
    let t = t.strip_prefix("cwe-").unwrap_or(t);
    t.parse::<u32>().ok().filter(|n| *n > 0)
}

/// Sorts and removes duplicates; the "first CVE" of a finding is then the smallest.
pub(super) fn tidy<T: Ord>(v: &mut Vec<T>) {
    v.sort();
    v.dedup();
    v.truncate(MAX_IDS);
}

/// HTML as ZAP writes descriptions ("<p>…</p>") turned into plain text: paragraph and line
/// breaks kept as new lines, other tags dropped, the common entities decoded.
pub(super) fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match after.find('>') {
            Some(close) => {
                let tag = after[1..close].trim().to_ascii_lowercase();
                let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or("");
                if matches!(name, "p" | "br" | "br/" | "li" | "div" | "tr") && !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// A CVSS score: a number from 0 to 10. `Err` holds nothing: the caller names the field.
pub(super) fn score(s: &str) -> Result<f32, ()> {
    let v: f32 = s.trim().parse().map_err(|_| ())?;
    if v.is_finite() && (0.0..=10.0).contains(&v) {
        Ok(v)
    } else {
        Err(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cuts_on_char_boundaries() {
        let s = "Lỗ hổng nghiêm trọng ở máy chủ".repeat(10);
        for max in 0..40 {
            let b = block(&s, max);
            assert!(b.len() <= max.max(3), "{max}: {}", b.len());
            let l = line(&s, max);
            assert!(l.len() <= max.max(3));
        }
        assert_eq!(block("  ngắn\u{0} gọn \n", 100), "ngắn gọn");
        assert_eq!(line(" a \n\n  b\tc ", 100), "a b c");
        let mut acc = String::new();
        for _ in 0..100 {
            append_limited(&mut acc, "đường ", 20);
        }
        assert!(acc.len() <= 24);
        assert!(block(&acc, 20).ends_with('…'));
    }

    #[test]
    fn ids() {
        assert_eq!(cve(" cve-2021-44228").as_deref(), Some("CVE-2021-44228"));
        assert_eq!(cve("NOCVE"), None);
        assert_eq!(cve("CVE-21-1"), None);
        let mut v = Vec::new();
        add_cves(&mut v, "CVE-2014-3566, CVE-2011-3389 NOCVE");
        assert_eq!(v, ["CVE-2014-3566", "CVE-2011-3389"]);
        let mut w = Vec::new();
        add_cves(&mut w, "CVE-2008-0732-geronimo-jetty; see cve-2021-44228. XCVE-2020-1111 CVE-2020-12 CVE-19-1234 (CVE-2022-1234567)");
        assert_eq!(w, ["CVE-2008-0732", "CVE-2021-44228", "CVE-2022-1234567"]);
        let mut x = Vec::new();
        add_cves(&mut x, "CVE-CVE-2020-1234 CVE-2020-123 đ CVE-2020-5555");
        assert_eq!(x, ["CVE-2020-1234", "CVE-2020-5555"]);
        assert_eq!(first_token_cve("CVE-2008-0732-geronimo-jetty"), None);
        assert_eq!(first_token_cve("x, CVE-2008-0732"), Some("CVE-2008-0732".into()));
        assert_eq!(cwe("CWE-79"), Some(79));
        assert_eq!(cwe("external/cwe/cwe-561"), Some(561));
        assert_eq!(cwe("NVD-CWE-Other"), None);
        assert_eq!(cwe("-1"), None);
        assert_eq!(score("7.5"), Ok(7.5));
        assert!(score("11").is_err() && score("NaN").is_err() && score("x").is_err());
    }

    #[test]
    fn html() {
        assert_eq!(strip_html("<p>One &amp; two</p><p>Three</p>"), "One & two\nThree\n");
        assert_eq!(strip_html("a < b"), "a < b");
    }
}
