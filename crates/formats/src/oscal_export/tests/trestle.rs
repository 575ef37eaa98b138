//! The documents pass IBM's compliance-trestle 3.12.4 (`trestle validate`: the OSCAL 1.1.x
//! models as pydantic classes — required fields, patterns of tokens, uuids, dates and strings —
//! plus its duplicate-uuid, role-reference and SSP profile-import checks), installed by
//! scripts/install-test-deps.sh into the Python venv `$KHIEN_PY_ENV` (default
//! `~/.cache/khien-py`). Without it these tests say they are skipped and pass.
//!
//! What trestle needs, found by trying: `trestle init` in an empty folder; each file at
//! `<model folder>/<name>/<model>.json` (`system-security-plans/x/system-security-plan.json`,
//! `assessment-results/x/assessment-results.json`,
//! `plan-of-action-and-milestones/x/plan-of-action-and-milestones.json`); `trestle validate -f
//! <that path>` run from the workspace root. For an SSP it also loads the `import-profile`
//! href (a relative one from the current folder), so the test puts a small catalog there.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use super::*;

fn trestle_bin() -> Option<PathBuf> {
    let env = std::env::var("KHIEN_PY_ENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/khien-py"));
    let bin = env.join("bin/trestle");
    if bin.exists() {
        Some(bin)
    } else {
        eprintln!(
            "SKIPPED: {} is missing, so the OSCAL documents are not checked with trestle. Run scripts/install-test-deps.sh, which installs compliance-trestle 3.12.4 into that venv.",
            bin.display()
        );
        None
    }
}

/// A trestle workspace in a temporary folder, removed at the end.
struct Workspace {
    bin: PathBuf,
    root: PathBuf,
}

impl Workspace {
    fn new(bin: PathBuf, name: &str) -> Workspace {
        let root = std::env::temp_dir().join(format!("khien-trestle-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let ws = Workspace { bin, root };
        let out = ws.run(&["init"]);
        assert!(out.0, "trestle init failed: {}", out.1);
        ws
    }

    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(&self.bin).args(args).current_dir(&self.root).output().unwrap();
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> String {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        rel.to_string()
    }

    /// Writes the document where trestle wants it and validates it: `(passed, report)`.
    fn validate(&self, model: &str, name: &str, bytes: &[u8]) -> (bool, String) {
        let folder = match model {
            "system-security-plan" => "system-security-plans",
            "assessment-results" => "assessment-results",
            _ => "plan-of-action-and-milestones",
        };
        let rel = self.write(&format!("{folder}/{name}/{model}.json"), bytes);
        self.run(&["validate", "-f", &rel])
    }

    /// Validates and fails on anything but a clean VALID. Trestle's link check only knows
    /// version-4 uuids (its UUID_REGEX), so it warns that back-matter resources referenced by
    /// `#<uuid v5>` are unreferenced: that warning alone is accepted.
    fn assert_valid(&self, model: &str, name: &str, bytes: &[u8]) {
        let (ok, report) = self.validate(model, name, bytes);
        let unexpected: Vec<&str> = report
            .lines()
            .filter(|l| l.contains("WARNING") || l.contains("ERROR"))
            .filter(|l| !(l.contains("links_validator") && l.contains("are not referenced by model")))
            .collect();
        assert!(
            ok && report.contains("VALID: Model") && unexpected.is_empty(),
            "trestle rejected {model} «{name}»:\n{report}"
        );
    }

    /// The small catalog an SSP's `import-profile` points to: one control per requirement.
    fn catalog_for(&self, ssp: &SspInput) {
        let controls: Vec<_> = ssp
            .requirements
            .iter()
            .map(|r| json!({"id": control_token(&r.id), "title": r.title.clone().unwrap_or_else(|| r.id.clone())}))
            .collect();
        let catalog = json!({"catalog": {
            "uuid": "6e5f3f6e-1111-4222-8333-444455556666",
            "metadata": {"title": ssp.catalogue.title, "last-modified": "2026-07-24T00:00:00Z", "version": ssp.catalogue.version, "oscal-version": "1.1.2"},
            "controls": controls,
        }});
        let href = ssp.catalogue.href.clone().unwrap();
        assert!(Path::new(&href).is_relative());
        self.write(&href, &serde_json::to_vec_pretty(&catalog).unwrap());
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[test]
fn trestle_validates_ssp_ar_and_poam() {
    let Some(bin) = trestle_bin() else { return };
    let ws = Workspace::new(bin, "samples");
    let ssp = sample_ssp();
    ws.catalog_for(&ssp);
    ws.assert_valid("system-security-plan", "cong-dvc", &export_ssp(&ssp).unwrap());
    ws.assert_valid("assessment-results", "danh-gia-2026", &export_assessment_results(&sample_ar()).unwrap());
    ws.assert_valid("plan-of-action-and-milestones", "khac-phuc", &export_poam(&sample_poam()).unwrap());

    // The check is real: a control id that is not a token is refused.
    let broken = String::from_utf8(export_ssp(&ssp).unwrap())
        .unwrap()
        .replace("\"control-id\": \"_14423.6.2\"", "\"control-id\": \"14423.6.2\"");
    let (ok, report) = ws.validate("system-security-plan", "hong", broken.as_bytes());
    assert!(!ok && !report.contains("VALID: Model"), "trestle accepted a bad control-id:\n{report}");
}

#[test]
fn trestle_validates_documents_of_empty_inputs() {
    let Some(bin) = trestle_bin() else { return };
    let ws = Workspace::new(bin, "empty");
    let ssp = bare_ssp();
    ws.catalog_for(&ssp);
    ws.assert_valid("system-security-plan", "chua-danh-gia", &export_ssp(&ssp).unwrap());
    ws.assert_valid("assessment-results", "moi-bat-dau", &export_assessment_results(&empty_ar()).unwrap());
    ws.assert_valid("plan-of-action-and-milestones", "khong-ton-dong", &export_poam(&empty_poam()).unwrap());

    // Odd ids and blank texts, one assessed requirement with no note or evidence.
    let mut s = sample_ssp();
    s.system.name = " ".into();
    s.requirements = vec![
        req("yêu cầu #3 (bổ sung)", " ", None, Some("  ")),
        req("Đ.1", "x", Some(RequirementResult::Partly), None),
    ];
    ws.catalog_for(&s);
    ws.assert_valid("system-security-plan", "ma-la", &export_ssp(&s).unwrap());
    let mut a = empty_ar();
    a.requirements.push(AssessedRequirementIn {
        id: "yêu cầu #3".into(),
        title: None,
        result: Some(RequirementResult::NonCompliant),
        note: None,
        evidence: Vec::new(),
    });
    ws.assert_valid("assessment-results", "mot-yeu-cau", &export_assessment_results(&a).unwrap());
}
