//! Finds the Liberation Serif faces the PDF documents embed and hands their folder to the
//! compiler, so the binary carries its typeface and never reads fonts on the server.
//!
//! Liberation Serif has the metrics of Times New Roman, the face NĐ 30/2020/NĐ-CP Phụ lục I
//! prescribes, and every Vietnamese letter; Debian ships it in `fonts-liberation2`.
//! `KHIEN_SERIF_DIR` points elsewhere (for instance at the same faces on another system).

use std::path::{Path, PathBuf};

const FACES: [&str; 4] = [
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
];

const DEBIAN_DIRS: [&str; 2] = ["/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation"];

fn has_all_faces(dir: &Path) -> bool {
    FACES.iter().all(|face| dir.join(face).is_file())
}

fn main() {
    println!("cargo:rerun-if-env-changed=KHIEN_SERIF_DIR");
    let candidates: Vec<PathBuf> = match std::env::var_os("KHIEN_SERIF_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => DEBIAN_DIRS.iter().map(PathBuf::from).collect(),
    };
    match candidates.iter().find(|dir| has_all_faces(dir)) {
        Some(dir) => {
            for face in FACES {
                println!("cargo:rerun-if-changed={}", dir.join(face).display());
            }
            println!("cargo:rustc-env=KHIEN_SERIF_DIR={}", dir.display());
        }
        None => {
            eprintln!(
                "error: the PDF typeface (Liberation Serif: {}) was not found in {}.\n\
                 Install it with `apt-get install fonts-liberation2`, or set KHIEN_SERIF_DIR to a folder holding those files.",
                FACES.join(", "),
                candidates.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(" or ")
            );
            std::process::exit(1);
        }
    }
}
