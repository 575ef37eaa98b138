//! The package parts around the document body: content types, relationships, styles,
//! settings, font table, page-number header and the document properties.

use super::xml::text;

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The font NĐ 30/2020/NĐ-CP prescribes. Where it is missing (Linux), LibreOffice substitutes
/// the metric-compatible Liberation Serif, which has the Vietnamese glyphs.
pub(super) const FONT: &str = "Times New Roman";

pub(super) fn content_types() -> String {
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"{wml}.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"{wml}.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"{wml}.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"{wml}.fontTable+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"{wml}.header+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>"
    )
}

pub(super) fn package_rels() -> String {
    format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"{R_NS}/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{R_NS}/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>"
    )
}

/// Relationship id of the page-number header, used by the section properties.
pub(super) const HEADER_RID: &str = "rId4";

pub(super) fn document_rels() -> String {
    format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"{R_NS}/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"{R_NS}/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{R_NS}/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"{HEADER_RID}\" Type=\"{R_NS}/header\" Target=\"header1.xml\"/>\
</Relationships>"
    )
}

/// Document defaults: Times New Roman 14 pt, Vietnamese, no paragraph spacing; the styles
/// Word expects to find (Normal, the default character, table and list styles) and a bordered
/// table style.
pub(super) fn styles() -> String {
    let fonts = format!("<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>");
    format!(
        "{DECL}<w:styles xmlns:w=\"{W_NS}\">\
<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>\
<w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
</w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
<w:rPr>{fonts}</w:rPr></w:style>\
<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:uiPriority w:val=\"99\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type=\"numbering\" w:default=\"1\" w:styleId=\"NoList\"><w:name w:val=\"No List\"/>\
<w:uiPriority w:val=\"99\"/><w:semiHidden/></w:style>\
</w:styles>"
    )
}

pub(super) fn settings() -> String {
    format!(
        "{DECL}<w:settings xmlns:w=\"{W_NS}\"><w:zoom w:percent=\"100\"/>\
<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"vi-VN\"/>\
</w:settings>"
    )
}

pub(super) fn font_table() -> String {
    format!(
        "{DECL}<w:fonts xmlns:w=\"{W_NS}\"><w:font w:name=\"{FONT}\">\
<w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/>\
<w:pitch w:val=\"variable\"/></w:font></w:fonts>"
    )
}

/// The page number, centred in the top margin, 13 pt upright (shown from page 2 on: the
/// section has a distinct, empty first-page header).
pub(super) fn header() -> String {
    format!(
        "{DECL}<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr><w:jc w:val=\"center\"/>\
<w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:pPr>\
<w:fldSimple w:instr=\" PAGE \"><w:r><w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr>\
<w:t>2</w:t></w:r></w:fldSimple></w:p></w:hdr>"
    )
}

/// Core properties: title, creator "Khiên", and the document's date as creation and
/// modification time (so the same input always gives the same bytes).
pub(super) fn core(title: &str, date: chrono::NaiveDate) -> String {
    let when = format!("{}T00:00:00Z", date.format("%Y-%m-%d"));
    format!(
        "{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{}</dc:title><dc:creator>Khiên</dc:creator><cp:lastModifiedBy>Khiên</cp:lastModifiedBy>\
<dc:language>vi-VN</dc:language>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified>\
</cp:coreProperties>",
        text(title)
    )
}

pub(super) fn app(company: &str) -> String {
    format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Application>Khiên</Application><DocSecurity>0</DocSecurity><Company>{}</Company>\
</Properties>",
        text(company)
    )
}

/// Opening of word/document.xml, before the body's content.
pub(super) fn document_open() -> String {
    format!("{DECL}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>")
}
