//! Hostile files built on the fly, for the tests of every layer (and `khien bench`): the
//! suite must not depend on files outside the repository, and a 1 MiB bomb is better made
//! than stored.

use flate2::{Compress, Compression, FlushCompress};

/// A zip of one entry, `name`, that inflates to `inflated_mib` MiB of spaces while its headers
/// declare 100 bytes (and a CRC that only a full inflation can disprove) — the shape that
/// passes a check of declared sizes. About 1 KiB per inflated MiB.
pub fn zip_bomb(name: &str, inflated_mib: usize) -> Vec<u8> {
    let data = deflated_spaces(inflated_mib);
    let name = name.as_bytes();
    let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
    let name = name.get(..usize::from(name_len)).unwrap_or(name);
    let data_len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(data.len() + 200);
    // Local file header: version 20, no flags, deflate, no time, CRC 0, sizes.
    out.extend_from_slice(b"PK\x03\x04");
    for v in [20u16, 0, 8, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0u32, data_len, 100] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(&data);
    let central_at = u32::try_from(out.len()).unwrap_or(u32::MAX);
    // Central directory header for the same entry, at offset 0.
    out.extend_from_slice(b"PK\x01\x02");
    for v in [20u16, 20, 0, 8, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0u32, data_len, 100] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [name_len, 0, 0, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes()); // external attributes
    out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    out.extend_from_slice(name);
    let central_len = u32::try_from(out.len()).unwrap_or(u32::MAX) - central_at;
    // End of central directory: one entry.
    out.extend_from_slice(b"PK\x05\x06");
    for v in [0u16, 0, 1, 1] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A raw deflate stream of `mib` MiB of spaces. Each MiB is compressed once with a full flush
/// (which resets the window), so the same bytes repeat and a 1 GiB stream costs no CPU.
fn deflated_spaces(mib: usize) -> Vec<u8> {
    let spaces = vec![b' '; 1 << 20];
    let mut z = Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(64 * 1024);
    let mut chunk = |z: &mut Compress, input: &[u8], flush| {
        block.clear();
        let _ = z.compress_vec(input, &mut block, flush);
        block.clone()
    };
    let first = chunk(&mut z, &spaces, FlushCompress::Full);
    let repeat = chunk(&mut z, &spaces, FlushCompress::Full);
    let mut out = first;
    for _ in 1..mib {
        out.extend_from_slice(&repeat);
    }
    out.extend(chunk(&mut z, &[], FlushCompress::Finish));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn the_bomb_inflates_to_what_it_says_and_declares_little() {
        let bomb = zip_bomb("xl/sharedStrings.xml", 64);
        assert!(bomb.len() < 128 * 1024, "{} bytes", bomb.len());
        let mut zip = zip::ZipArchive::new(Cursor::new(bomb)).unwrap();
        assert_eq!(zip.by_index(0).unwrap().size(), 100);
        // zip's own reader stops at the declared size; the raw stream inflates to the truth.
        let mut entry = flate2::read::DeflateDecoder::new(zip.by_index_raw(0).unwrap());
        let mut inflated = 0u64;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match entry.read(&mut buf) {
                Ok(0) | Err(_) => break, // the CRC check fails at the very end
                Ok(n) => inflated += n as u64,
            }
        }
        assert_eq!(inflated, 64 << 20);
    }
}
