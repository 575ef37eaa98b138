//! The YAML catalogue format (see the module documentation of `catalog`): reading, writing, and
//! telling a YAML file from a CSV one.

mod read;
mod write;

pub(crate) use read::catalogue_from_yaml;
pub(crate) use write::yaml;

/// The keys of a node, in the order the writer uses.
pub(crate) const NODE_KEYS: &str = "id, parent_id, kind, title_vi, title_en, levels, description, children";

/// Whether a catalogue file is YAML: by extension (`.yaml`, `.yml`), or, when the extension is
/// not one of the table formats, by its first line that is neither blank nor a comment:
/// `nodes:`, a list item `- …`, a document start `---` or a `%YAML` directive.
pub(crate) fn is_yaml(file_name: &str, bytes: &[u8]) -> bool {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.trim().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "yaml" | "yml" => true,
        "csv" | "xlsx" | "xlsm" | "xls" | "json" => false,
        _ => starts_like_yaml(bytes),
    }
}

fn starts_like_yaml(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    let head = String::from_utf8_lossy(text.get(..64 * 1024).unwrap_or(text));
    for line in head.lines() {
        let line = line.trim_end();
        if line.trim_start().is_empty() || line.starts_with('#') {
            continue;
        }
        let after =
            |prefix: &str| line.strip_prefix(prefix).is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']));
        return after("---") || after("-") || after("nodes:") || line.starts_with("%YAML");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::is_yaml;

    #[test]
    fn yaml_is_told_from_csv() {
        assert!(is_yaml("a.YML", b"id,kind\n"), "the extension decides");
        assert!(!is_yaml("a.csv", b"nodes:\n"));
        assert!(is_yaml("catalogue", b"\xEF\xBB\xBF# comment\n\nnodes:\n  - id: A\n"));
        assert!(is_yaml("a.txt", b"- id: A\n"));
        assert!(is_yaml("a.txt", b"---\nnodes: []\n"));
        assert!(is_yaml("upload", b"%YAML 1.2\n---\n"));
        assert!(!is_yaml("upload", b"id,kind,levels\n"));
        assert!(!is_yaml("upload", b"nodes:x,kind\n"));
        assert!(!is_yaml("upload", b"-5,kind\n"));
        assert!(!is_yaml("upload", b"PK\x03\x04"));
    }
}
