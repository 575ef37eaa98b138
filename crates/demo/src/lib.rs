//! Khiên demo data: a deterministic, fictional-but-plausible city authority
//! ("Hải Đông", a coastal city after the 2025 two-tier reform) with its
//! departments, wards, communes, enterprises, focal points and demo users.
//!
//! Pure data and `std` only. Every call to [`demo_city`] returns exactly the
//! same value: all variety comes from a fixed-seed splitmix64 generator.

mod catalog;
pub use catalog::PA05_CODE;
mod people;
mod places;
pub mod plans;
mod rng;
mod text;
mod users;

#[cfg(test)]
mod tests;

use catalog::{DEPARTMENTS, ENTERPRISES, PA05_NAME, ROOT_CODE, ROOT_NAME};
use people::{PeopleGen, Person};
use places::place_names;
use text::code_slug;
use users::{Who, USERS};

/// Password of every demo user (printed by the server at start-up).
pub const DEMO_PASSWORD: &str = "Khien@2026";

/// Every `unit_type` used by the demo city.
pub const UNIT_TYPES: &[&str] = &[
    "city",
    "police",
    "department",
    "ward",
    "commune",
    "special_zone",
    "state_enterprise",
    "it_enterprise",
    "soc_provider",
    "assessor",
];

/// Every `role` used by the demo users.
pub const ROLES: &[&str] =
    &["administrator", "authority_officer", "unit_manager", "unit_officer", "assessor", "soc_provider", "viewer"];

/// One organisational unit of the demo city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUnit {
    /// ASCII upper-case code, `[A-Z0-9-]`, unique.
    pub code: String,
    /// Official Vietnamese name (NFC).
    pub name: String,
    /// One of [`UNIT_TYPES`].
    pub unit_type: &'static str,
    /// Code of the parent unit (always listed earlier); `None` for the root.
    pub parent_code: Option<String>,
    /// Head of the unit (thủ trưởng).
    pub head_name: Option<String>,
    /// Focal point for cybersecurity (đầu mối).
    pub focal_name: Option<String>,
    /// Focal point's mobile, formatted `0912 345 678`.
    pub focal_phone: Option<String>,
    /// Focal point's ASCII e-mail.
    pub focal_email: Option<String>,
}

/// One demo login (password [`DEMO_PASSWORD`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// ASCII lower-case, `[a-z0-9._]`, unique.
    pub username: String,
    /// Vietnamese full name (NFC).
    pub full_name: String,
    /// ASCII e-mail.
    pub email: String,
    /// Unit the role is granted at.
    pub unit_code: String,
    /// One of [`ROLES`].
    pub role: &'static str,
    /// Whether the grant also covers all descendant units.
    pub recursive: bool,
}

/// The whole demo city: units (parents before children) and users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCity {
    pub units: Vec<DemoUnit>,
    pub users: Vec<DemoUser>,
}

/// Seed of the person generator (any constant; changing it reshuffles names).
const PEOPLE_SEED: u64 = 0x4B48_4945_4E5F_4844; // "KHIEN_HD"
/// Seed of the place-name generator.
const PLACES_SEED: u64 = 0x0020_2507_0001;

/// Builds the demo city. Deterministic: same output on every call.
#[must_use]
pub fn demo_city() -> DemoCity {
    let mut units = skeleton();
    let mut people = PeopleGen::new(PEOPLE_SEED);
    let mut heads: Vec<Person> = Vec::with_capacity(units.len());
    for unit in &mut units {
        let head = people.person(7);
        let focal = people.person(5);
        unit.head_name = Some(head.full_name.clone());
        unit.focal_name = Some(focal.full_name.clone());
        unit.focal_phone = Some(people.phone());
        unit.focal_email = Some(people.email(&focal, &unit.code));
        heads.push(head);
    }

    let mut users = Vec::with_capacity(USERS.len());
    for &(username, role, unit_code, recursive, who) in USERS {
        let index_of = |code: &str| units.iter().position(|u| u.code == code);
        let (full_name, email) = match who {
            Who::Head(code) => match index_of(code).and_then(|i| heads.get(i)) {
                Some(p) => (p.full_name.clone(), people.email(p, code)),
                None => fresh(&mut people, code),
            },
            Who::Focal(code) => match index_of(code).and_then(|i| units.get(i)) {
                Some(u) => (u.focal_name.clone().unwrap_or_default(), u.focal_email.clone().unwrap_or_default()),
                None => fresh(&mut people, code),
            },
            Who::Staff(code) => fresh(&mut people, code),
        };
        users.push(DemoUser {
            username: username.to_owned(),
            full_name,
            email,
            unit_code: unit_code.to_owned(),
            role,
            recursive,
        });
    }
    DemoCity { units, users }
}

fn fresh(people: &mut PeopleGen, unit_code: &str) -> (String, String) {
    let p = people.person(6);
    let email = people.email(&p, unit_code);
    (p.full_name, email)
}

fn unit(code: &str, name: &str, unit_type: &'static str, parent: Option<&str>) -> DemoUnit {
    DemoUnit {
        code: code.to_owned(),
        name: name.to_owned(),
        unit_type,
        parent_code: parent.map(str::to_owned),
        head_name: None,
        focal_name: None,
        focal_phone: None,
        focal_email: None,
    }
}

/// All units without people, parents before children.
fn skeleton() -> Vec<DemoUnit> {
    let mut units =
        vec![unit(ROOT_CODE, ROOT_NAME, "city", None), unit(PA05_CODE, PA05_NAME, "police", Some(ROOT_CODE))];
    for &(code, name, unit_type, parent) in DEPARTMENTS {
        units.push(unit(code, name, unit_type, Some(parent)));
    }
    let places = place_names(PLACES_SEED);
    let kinds: [(&[String], &str, &str, &'static str); 3] = [
        (&places.wards, "Phường", "P", "ward"),
        (&places.communes, "Xã", "X", "commune"),
        (&places.special_zones, "Đặc khu", "DK", "special_zone"),
    ];
    for (names, title, prefix, unit_type) in kinds {
        for base in names {
            let code = format!("{prefix}-{}", code_slug(base));
            let name = format!("{title} {base}");
            units.push(unit(&code, &name, unit_type, Some(ROOT_CODE)));
        }
    }
    for &(code, name, unit_type, parent) in ENTERPRISES {
        units.push(unit(code, name, unit_type, Some(parent)));
    }
    units
}
