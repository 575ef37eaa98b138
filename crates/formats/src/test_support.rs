//! Helpers shared by the importers' robustness tests.
#![allow(clippy::unwrap_used)]

/// Small deterministic generator (xorshift64*), to avoid a rand dependency.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Rewrites the parts of a valid XLSX (stored, so damage reaches the XML
/// parser instead of stopping at the zip CRC).
pub(crate) fn rezip(xlsx: &[u8], mut edit: impl FnMut(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    use zip::write::SimpleFileOptions;
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        out.start_file(name.as_str(), opts).unwrap();
        out.write_all(&edit(&name, data)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// 120 damaged copies of a valid XLSX: each truncates, scrambles or cuts one of its XML parts.
pub(crate) fn damaged_xlsx(valid: &[u8]) -> Vec<Vec<u8>> {
    let parts = [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "[Content_Types].xml",
    ];
    let mut rng = Rng(7);
    (0..120)
        .map(|round| {
            let target = parts[round % parts.len()];
            let how = rng.below(3);
            rezip(valid, |name, mut d| {
                if name != target || d.is_empty() {
                    return d;
                }
                let i = rng.below(d.len());
                match how {
                    0 => d.truncate(i),
                    1 => {
                        for _ in 0..1 + rng.below(6) {
                            let j = rng.below(d.len());
                            d[j] = b"<>\"=/ 0aZ&;#\xC3"[rng.below(13)];
                        }
                    }
                    _ => {
                        let end = (i + rng.below(200)).min(d.len());
                        d.drain(i..end);
                    }
                }
                d
            })
        })
        .collect()
}
