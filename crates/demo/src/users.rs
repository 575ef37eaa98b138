//! Demo user accounts. `admin` is deliberately absent: the server creates it.

/// Where a demo user's identity comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Who {
    /// The head (thủ trưởng) recorded on this unit.
    Head(&'static str),
    /// The focal point (đầu mối) recorded on this unit.
    Focal(&'static str),
    /// A freshly generated person with a mailbox at this unit.
    Staff(&'static str),
}

/// One demo account: `(username, role, unit_code, recursive, who)`.
pub(crate) type UserSpec = (&'static str, &'static str, &'static str, bool, Who);

/// Every demo account, in the order the server prints them.
pub(crate) const USERS: &[UserSpec] = &[
    // City level.
    ("quantri", "administrator", "TP", true, Who::Staff("TT-CDS")),
    ("pa05.truong", "authority_officer", "TP", true, Who::Head("CA-PA05")),
    ("pa05.canbo", "authority_officer", "TP", true, Who::Focal("CA-PA05")),
    ("lanhdao", "viewer", "TP", true, Who::Head("TP")),
    // Departments.
    ("sokhcn.quanly", "unit_manager", "SO-KHCN", false, Who::Head("SO-KHCN")),
    ("sokhcn.canbo", "unit_officer", "SO-KHCN", false, Who::Focal("SO-KHCN")),
    ("soyt.quanly", "unit_manager", "SO-YT", true, Who::Head("SO-YT")),
    ("soyt.canbo", "unit_officer", "SO-YT", false, Who::Focal("SO-YT")),
    ("sotc.quanly", "unit_manager", "SO-TC", false, Who::Head("SO-TC")),
    ("sotc.canbo", "unit_officer", "SO-TC", false, Who::Focal("SO-TC")),
    ("sogddt.quanly", "unit_manager", "SO-GDDT", false, Who::Head("SO-GDDT")),
    ("sogddt.canbo", "unit_officer", "SO-GDDT", false, Who::Focal("SO-GDDT")),
    ("thanhtra.xem", "viewer", "TTR", false, Who::Focal("TTR")),
    // Wards, communes, special zones.
    ("hongbang.quanly", "unit_manager", "P-HONG-BANG", false, Who::Head("P-HONG-BANG")),
    ("hongbang.canbo", "unit_officer", "P-HONG-BANG", false, Who::Focal("P-HONG-BANG")),
    ("lechan.quanly", "unit_manager", "P-LE-CHAN", false, Who::Head("P-LE-CHAN")),
    ("lechan.canbo", "unit_officer", "P-LE-CHAN", false, Who::Focal("P-LE-CHAN")),
    ("anlao.quanly", "unit_manager", "X-AN-LAO", false, Who::Head("X-AN-LAO")),
    ("anlao.canbo", "unit_officer", "X-AN-LAO", false, Who::Focal("X-AN-LAO")),
    ("cathai.quanly", "unit_manager", "DK-CAT-HAI", false, Who::Head("DK-CAT-HAI")),
    // Enterprises and service providers.
    ("capnuoc.quanly", "unit_manager", "DN-CAPNUOC", false, Who::Head("DN-CAPNUOC")),
    ("vnpt.canbo", "unit_officer", "VNPT-HD", false, Who::Focal("VNPT-HD")),
    ("soc", "soc_provider", "SOC-HD", false, Who::Focal("SOC-HD")),
    ("danhgia", "assessor", "KD-PN", false, Who::Focal("KD-PN")),
];
