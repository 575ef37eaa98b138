//! Numbers written the Vietnamese way: a dot groups thousands, a comma marks decimals
//! ("150.000", "36,8%"), as in administrative documents and the users' spreadsheets.

/// A whole number with dots between groups of three digits: 150000 → "150.000".
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

/// A number with `places` decimals, a comma before them and grouped thousands: 1234.5 → "1.234,5".
/// Trailing zeros stay, so a column of figures lines up.
pub fn decimal(x: f64, places: usize) -> String {
    let fixed = format!("{:.*}", places, x.abs());
    let (whole, frac) = fixed.split_once('.').unwrap_or((fixed.as_str(), ""));
    let whole: i64 = whole.parse().unwrap_or(0);
    let sign = if x < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", grouped(whole))
    } else {
        format!("{sign}{},{frac}", grouped(whole))
    }
}

/// `part` of `whole` as a percentage with one decimal ("36,8%"); none when `whole` is zero.
pub fn percent(part: i64, whole: i64) -> Option<String> {
    (whole != 0).then(|| format!("{}%", decimal(part as f64 * 100.0 / whole as f64, 1)))
}

/// A percentage already computed (36.8), with one decimal, as `lang` writes it: "36,8%" in
/// Vietnamese, "36.8%" in English.
pub fn percent_value(value: f64, lang: crate::Lang) -> String {
    match lang {
        crate::Lang::Vi => format!("{}%", decimal(value, 1)),
        crate::Lang::En => format!("{value:.1}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_with_dots() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1.000");
        assert_eq!(grouped(150000), "150.000");
        assert_eq!(grouped(1234567), "1.234.567");
        assert_eq!(grouped(-45000), "-45.000");
        assert_eq!(grouped(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn decimals_take_a_comma() {
        assert_eq!(decimal(36.8, 1), "36,8");
        assert_eq!(decimal(1234.5, 1), "1.234,5");
        assert_eq!(decimal(2.0, 0), "2");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(-12.25, 2), "-12,25");
    }

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(368, 1000).as_deref(), Some("36,8%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33,3%"));
        assert_eq!(percent(5, 5).as_deref(), Some("100,0%"));
        assert_eq!(percent(3, 0), None);
        assert_eq!(percent_value(36.8, crate::Lang::Vi), "36,8%");
        assert_eq!(percent_value(1234.56, crate::Lang::Vi), "1.234,6%");
        assert_eq!(percent_value(36.8, crate::Lang::En), "36.8%");
    }
}
