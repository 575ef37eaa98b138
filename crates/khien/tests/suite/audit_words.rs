//! Every audit action and entity type the store writes has a Vietnamese and English label
//! (`khien_domain::audit_labels`), so the audit log shows no bare code (issue 14.8). The codes
//! are read from the store's source, where each `Change` names them.

use khien_domain::audit_labels::{action_label, entity_label};
use khien_domain::system::dossier::DossierAction;
use khien_domain::Lang;
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The string literals of a line that look like codes ("unit", "unit.create").
fn codes(line: &str) -> Vec<String> {
    line.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_audit_code_the_store_writes_has_a_label() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src"), &mut files);
    let (mut actions, mut entities) = (Vec::new(), Vec::new());
    for line in files.iter().flat_map(|f| f.lines()) {
        let line = line.trim();
        if line.starts_with("action: \"") || line.starts_with("let action = ") {
            actions.extend(codes(line).into_iter().filter(|c| c.contains('.')));
        } else if line.starts_with("entity_type: \"") {
            entities.extend(codes(line));
        }
    }
    // Written through format!: the dossier's workflow actions and the registers' removals.
    actions.extend(DossierAction::ALL.iter().map(|a| format!("dossier.{}", a.code())));
    actions.extend(["certificate.remove".to_string(), "connection.remove".to_string()]);
    assert!(actions.len() > 50 && entities.len() > 15, "the scan found the codes: {actions:?} {entities:?}");
    for lang in [Lang::Vi, Lang::En] {
        let missing: Vec<&String> = actions.iter().filter(|a| action_label(a, lang).is_none()).collect();
        assert!(missing.is_empty(), "audit actions without a {lang:?} label: {missing:?}");
        let missing: Vec<&String> = entities.iter().filter(|e| entity_label(e, lang).is_none()).collect();
        assert!(missing.is_empty(), "audited entity types without a {lang:?} label: {missing:?}");
    }
}
