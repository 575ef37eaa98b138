//! Deterministic Vietnamese people: full names, mobile numbers, e-mails.

use std::collections::HashSet;

use crate::rng::SplitMix64;
use crate::text::compact_lower;

/// Surnames with rough real-world frequency weights.
const SURNAMES: &[(&str, u32)] = &[
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 3),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
];

const MALE_MIDDLE: &[&str] =
    &["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Xuân", "Mạnh", "Trọng", "Đình", "Ngọc", "Anh"];

const FEMALE_MIDDLE: &[&str] =
    &["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Kim", "Thùy", "Bích", "Diệu"];

const MALE_GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa", "Kiên", "Lâm",
    "Long", "Lực", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn",
    "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Đông", "Duy", "Hào",
];

const FEMALE_GIVEN: &[&str] = &[
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hương",
    "Huyền",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quyên",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
];

/// Vietnamese mobile prefixes (Viettel, VinaPhone, MobiFone).
const MOBILE_PREFIXES: &[&str] = &[
    "090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "032", "033", "034", "035", "036", "037",
    "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085",
];

/// Mail domain of the city authority; units get `<code>.haidong.gov.vn`.
pub(crate) const MAIL_DOMAIN: &str = "haidong.gov.vn";

/// A generated person: parts kept so the e-mail can be derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub(crate) surname: &'static str,
    pub(crate) given: &'static str,
    pub(crate) full_name: String,
}

/// Hands out unique names, phone numbers and e-mails, deterministically.
pub(crate) struct PeopleGen {
    rng: SplitMix64,
    names: HashSet<String>,
    phones: HashSet<String>,
    emails: HashSet<String>,
}

impl PeopleGen {
    pub(crate) fn new(seed: u64) -> Self {
        Self { rng: SplitMix64::new(seed), names: HashSet::new(), phones: HashSet::new(), emails: HashSet::new() }
    }

    /// A new full name never handed out before. `male_per_10` is the chance
    /// (out of 10) that the person is a man.
    pub(crate) fn person(&mut self, male_per_10: u64) -> Person {
        let mut last = None;
        for _ in 0..1000 {
            let p = self.candidate(male_per_10);
            if !self.names.contains(&p.full_name) {
                self.names.insert(p.full_name.clone());
                return p;
            }
            last = Some(p);
        }
        // Practically unreachable (thousands of combinations); keep a name.
        last.unwrap_or_else(|| self.candidate(male_per_10))
    }

    fn candidate(&mut self, male_per_10: u64) -> Person {
        let male = self.rng.chance(male_per_10, 10);
        let (middles, givens) = if male { (MALE_MIDDLE, MALE_GIVEN) } else { (FEMALE_MIDDLE, FEMALE_GIVEN) };
        let surname = self.rng.pick_weighted(SURNAMES).copied().unwrap_or("Nguyễn");
        let middle = self.rng.pick(middles).copied().unwrap_or("Văn");
        let mut given = self.rng.pick(givens).copied().unwrap_or("An");
        // Avoid "Hoàng Văn Hoàng" / "Nguyễn Anh Anh".
        while given == middle || given == surname {
            given = self.rng.pick(givens).copied().unwrap_or("An");
        }
        // One woman in four has a compound middle name ("Nguyễn Thị Thu Hà").
        let full_name = if !male && middle != "Thị" && self.rng.chance(1, 4) {
            format!("{surname} Thị {middle} {given}")
        } else {
            format!("{surname} {middle} {given}")
        };
        Person { surname, given, full_name }
    }

    /// A unique mobile number formatted like `0912 345 678`.
    pub(crate) fn phone(&mut self) -> String {
        loop {
            let prefix = self.rng.pick(MOBILE_PREFIXES).copied().unwrap_or("091");
            let n = self.rng.next_u64() % 10_000_000;
            let digits = format!("{prefix}{n:07}");
            let (a, rest) = digits.split_at(4);
            let (b, c) = rest.split_at(3);
            let formatted = format!("{a} {b} {c}");
            if self.phones.insert(formatted.clone()) {
                return formatted;
            }
        }
    }

    /// A unique ASCII e-mail `given.surname@<unit_code>.haidong.gov.vn`
    /// (a digit is appended on the rare clash).
    pub(crate) fn email(&mut self, person: &Person, unit_code: &str) -> String {
        let local = format!("{}.{}", compact_lower(person.given), compact_lower(person.surname));
        let domain = format!("{}.{MAIL_DOMAIN}", unit_code.to_ascii_lowercase());
        let mut candidate = format!("{local}@{domain}");
        let mut n = 2u32;
        while !self.emails.insert(candidate.clone()) {
            candidate = format!("{local}{n}@{domain}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::PeopleGen;

    #[test]
    fn phone_format() {
        let mut g = PeopleGen::new(1);
        for _ in 0..200 {
            let p = g.phone();
            let bytes = p.as_bytes();
            assert_eq!(bytes.len(), 12, "{p}");
            assert_eq!(bytes[0], b'0', "{p}");
            assert_eq!((bytes[4], bytes[8]), (b' ', b' '), "{p}");
            assert!(p.chars().all(|c| c == ' ' || c.is_ascii_digit()), "{p}");
        }
    }

    #[test]
    fn names_and_emails_are_unique() {
        let mut g = PeopleGen::new(2);
        let mut emails = std::collections::HashSet::new();
        for _ in 0..300 {
            let p = g.person(5);
            let words = p.full_name.split(' ').count();
            assert!((3..=4).contains(&words), "{}", p.full_name);
            let e = g.email(&p, "SO-TEST");
            assert!(e.is_ascii() && e.ends_with("@so-test.haidong.gov.vn"), "{e}");
            assert!(emails.insert(e));
        }
    }
}
