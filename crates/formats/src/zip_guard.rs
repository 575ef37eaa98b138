//! Every zip container Khiên opens from an upload (XLSX workbooks today; the DOCX templates of
//! the paperwork read the same way) passes here first. The sizes a zip header declares are the
//! attacker's words: an entry declared as 1 KiB may inflate to 1 GiB. So each entry is inflated
//! once into a counter that stops one byte past its cap, and only an archive whose real sizes
//! fit is handed to the parser — which then reads at most what was counted.

use std::io::{self, Cursor, Read};

/// What an archive may hold, counted in inflated bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZipLimits {
    /// All entries together.
    pub total_bytes: u64,
    /// Any one entry, unless `entry_bytes` names it.
    pub default_entry_bytes: u64,
    /// Entries read whole into memory by their parser (an XLSX's shared strings), with a
    /// lower cap than the streamed ones.
    pub entry_bytes: &'static [(&'static str, u64)],
    /// Entries in the archive (a zip of a million empty entries is a bomb of another kind).
    pub entries: usize,
}

/// Why an archive was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ZipRefusal {
    /// One entry, or all together (`entry` is then `None`), inflate past `max_bytes`.
    TooLarge {
        entry: Option<String>,
        max_bytes: u64,
    },
    TooManyEntries {
        max: usize,
    },
    /// The archive or an entry cannot be read: the parser reports it in its own words.
    Unreadable,
}

/// Inflates every entry of `bytes` into a counter, refusing at the first cap crossed. Memory
/// stays at the inflater's window whatever the archive holds.
pub(crate) fn check_archive(bytes: &[u8], limits: &ZipLimits) -> Result<(), ZipRefusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ZipRefusal::Unreadable)?;
    if zip.len() > limits.entries {
        return Err(ZipRefusal::TooManyEntries { max: limits.entries });
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        // The raw (still compressed) stream, inflated here: the zip crate's own reader stops an
        // entry at its declared size, which would hide how far a bomb really inflates.
        let entry = zip.by_index_raw(i).map_err(|_| ZipRefusal::Unreadable)?;
        let name = entry.name().map_err(|_| ZipRefusal::Unreadable)?.into_owned();
        let mut entry: Box<dyn Read + '_> = match entry.compression() {
            zip::CompressionMethod::Stored => Box::new(entry),
            zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(entry)),
            // No other method is read by the parser either.
            _ => return Err(ZipRefusal::Unreadable),
        };
        let cap = limits
            .entry_bytes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
            .map_or(limits.default_entry_bytes, |(_, cap)| *cap);
        let room = cap.min(limits.total_bytes.saturating_sub(total));
        // One byte more than the room tells "over" from "exactly full".
        let inflated = match io::copy(&mut (&mut entry).take(room.saturating_add(1)), &mut io::sink()) {
            Ok(n) => n,
            // A damaged or lying entry (bad CRC, truncated stream) is for the parser to name.
            Err(_) => return Err(ZipRefusal::Unreadable),
        };
        if inflated > room {
            return Err(if room < cap {
                ZipRefusal::TooLarge { entry: None, max_bytes: limits.total_bytes }
            } else {
                ZipRefusal::TooLarge { entry: Some(name), max_bytes: cap }
            });
        }
        total += inflated;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const LIMITS: ZipLimits = ZipLimits {
        total_bytes: 4 << 20,
        default_entry_bytes: 3 << 20,
        entry_bytes: &[("xl/sharedStrings.xml", 1 << 20)],
        entries: 8,
    };

    fn archive(entries: &[(&str, usize)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let zeros = vec![b'0'; 64 * 1024];
        for (name, size) in entries {
            w.start_file(*name, SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated))
                .unwrap();
            let mut left = *size;
            while left > 0 {
                let n = left.min(zeros.len());
                w.write_all(&zeros[..n]).unwrap();
                left -= n;
            }
        }
        w.finish().unwrap().into_inner()
    }

    /// Rewrites every header's declared uncompressed size to 100 bytes, as a bomb does.
    pub(crate) fn lie_about_sizes(mut zip: Vec<u8>) -> Vec<u8> {
        let mut i = 0;
        while i + 30 <= zip.len() {
            let sig = &zip[i..i + 4];
            // Local file header: size at 22; central directory header: size at 24.
            let at = if sig == b"PK\x03\x04" {
                Some(i + 22)
            } else if sig == b"PK\x01\x02" {
                Some(i + 24)
            } else {
                None
            };
            if let Some(at) = at {
                zip[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
            }
            i += 1;
        }
        zip
    }

    #[test]
    fn an_archive_within_its_caps_passes() {
        let zip = archive(&[
            ("xl/workbook.xml", 1000),
            ("xl/worksheets/sheet1.xml", 2 << 20),
            ("xl/sharedStrings.xml", 1 << 20),
        ]);
        assert_eq!(check_archive(&zip, &LIMITS), Ok(()));
    }

    #[test]
    fn the_real_inflated_size_counts_not_the_declared_one() {
        let zip = lie_about_sizes(archive(&[("xl/worksheets/sheet1.xml", 3 << 20 | 1)]));
        assert_eq!(
            check_archive(&zip, &LIMITS),
            Err(ZipRefusal::TooLarge { entry: Some("xl/worksheets/sheet1.xml".into()), max_bytes: 3 << 20 })
        );
        let strings = lie_about_sizes(archive(&[("xl/sharedStrings.xml", (1 << 20) + 1)]));
        assert_eq!(
            check_archive(&strings, &LIMITS),
            Err(ZipRefusal::TooLarge { entry: Some("xl/sharedStrings.xml".into()), max_bytes: 1 << 20 })
        );
    }

    #[test]
    fn entries_that_fit_alone_but_not_together_are_refused() {
        let zip = lie_about_sizes(archive(&[("a.xml", 3 << 20), ("b.xml", 2 << 20)]));
        assert_eq!(check_archive(&zip, &LIMITS), Err(ZipRefusal::TooLarge { entry: None, max_bytes: 4 << 20 }));
    }

    #[test]
    fn too_many_entries_are_refused_and_garbage_is_left_to_the_parser() {
        let names: Vec<String> = (0..9).map(|i| format!("e{i}")).collect();
        let entries: Vec<(&str, usize)> = names.iter().map(|n| (n.as_str(), 1)).collect();
        assert_eq!(check_archive(&archive(&entries), &LIMITS), Err(ZipRefusal::TooManyEntries { max: 8 }));
        assert_eq!(check_archive(b"not a zip", &LIMITS), Err(ZipRefusal::Unreadable));
    }
}
