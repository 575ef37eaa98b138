//! The signer's authority and position above the signature (NĐ 30/2020/NĐ-CP Phụ lục I, Phần I
//! Mục II.7b): "TM." before a collective body's name, "Q." before the head's title for someone
//! given the head's powers, "KT." before the head's title when a deputy signs in the head's
//! place (the deputy's own title beneath), "TL." signed by order and "TUQ." signed under written
//! authorisation (the signer's title beneath both). All in capitals (II.7đ).

/// How the signer signs. The head's title comes from the issuing unit; the other titles and
/// the collective body's name from whoever issues the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signing {
    /// The head signs in their own title ("GIÁM ĐỐC").
    Head,
    /// "Q. GIÁM ĐỐC": someone given the head's powers.
    Acting,
    /// "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC": a deputy signs in the head's place.
    Deputy { title: String },
    /// "TL. GIÁM ĐỐC / CHÁNH VĂN PHÒNG": signed by order of the head.
    ByOrder { title: String },
    /// "TUQ. GIÁM ĐỐC / TRƯỞNG PHÒNG …": signed under the head's written authorisation.
    Authorized { title: String },
    /// "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH": on behalf of a collective body; with a deputy's title,
    /// "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
    Collective { body: String, deputy_title: Option<String> },
}

/// Left blank to fill in by hand when a title is not recorded — never a made-up title.
const BLANK: &str = "………………………………";

fn upper(title: &str) -> String {
    match title.trim() {
        "" => BLANK.to_string(),
        t => t.to_uppercase(),
    }
}

/// The lines above the signature, in capitals, '\n' between them.
pub fn signature_position(signing: &Signing, head_title: Option<&str>) -> String {
    let head = upper(head_title.unwrap_or(""));
    match signing {
        Signing::Head => head,
        Signing::Acting => format!("Q. {head}"),
        Signing::Deputy { title } => format!("KT. {head}\n{}", upper(title)),
        Signing::ByOrder { title } => format!("TL. {head}\n{}", upper(title)),
        Signing::Authorized { title } => format!("TUQ. {head}\n{}", upper(title)),
        Signing::Collective { body, deputy_title } => match deputy_title.as_deref().map(str::trim) {
            Some(deputy) if !deputy.is_empty() => format!("TM. {}\nKT. {head}\n{}", upper(body), upper(deputy)),
            _ => format!("TM. {}\n{head}", upper(body)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn nd30_phu_luc_i_ii_7b_authority_before_the_heads_title() {
        let head = Some("Giám đốc");
        assert_eq!(signature_position(&Signing::Head, head), "GIÁM ĐỐC");
        assert_eq!(signature_position(&Signing::Acting, head), "Q. GIÁM ĐỐC");
        assert_eq!(
            signature_position(&Signing::Deputy { title: s("Phó Giám đốc") }, head),
            "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
        );
        assert_eq!(
            signature_position(&Signing::ByOrder { title: s("Chánh Văn phòng") }, head),
            "TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG"
        );
        assert_eq!(
            signature_position(&Signing::Authorized { title: s("Trưởng phòng An ninh mạng") }, head),
            "TUQ. GIÁM ĐỐC\nTRƯỞNG PHÒNG AN NINH MẠNG"
        );
    }

    #[test]
    fn nd30_phu_luc_i_ii_7b_tm_before_the_collective_body() {
        let chair = Some("Chủ tịch");
        let body = s("Ủy ban nhân dân");
        assert_eq!(
            signature_position(&Signing::Collective { body: body.clone(), deputy_title: None }, chair),
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
        );
        assert_eq!(
            signature_position(&Signing::Collective { body, deputy_title: Some(s("Phó Chủ tịch")) }, chair),
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
        );
    }

    #[test]
    fn an_unrecorded_title_is_a_blank_to_fill_never_a_made_up_one() {
        assert_eq!(signature_position(&Signing::Head, None), BLANK);
        assert_eq!(signature_position(&Signing::Deputy { title: s(" ") }, None), format!("KT. {BLANK}\n{BLANK}"));
    }
}
