//! A generator of valid `.nessus` v2 reports of any size, for tests and benchmarks:
//! deterministic for a seed, every item distinct (plugin id unique per host), with ports,
//! CVEs, CVSS v3 scores matching the severity, and texts that need XML escaping.

use std::io::{self, Write};

/// splitmix64: small, fast, good enough to vary test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// One of `items` at random (`None` only for an empty list).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

const PORTS: &[(u16, &str, &str)] = &[
    (0, "tcp", "general"),
    (22, "tcp", "ssh"),
    (53, "udp", "dns"),
    (80, "tcp", "www"),
    (123, "udp", "ntp"),
    (443, "tcp", "www"),
    (445, "tcp", "cifs"),
    (3306, "tcp", "mysql"),
    (3389, "tcp", "msrdp"),
    (8443, "tcp", "www"),
];

/// A report of `hosts` hosts (10.x.y.z) with `items_per_host` items each, in memory.
pub fn synthetic_nessus(hosts: usize, items_per_host: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(hosts * items_per_host * 700 + 1024);
    // Writing to a Vec cannot fail.
    let _ = write_synthetic_nessus(&mut out, hosts, items_per_host, seed);
    out
}

/// The same report written to `w` (for files too large to build in memory).
pub fn write_synthetic_nessus<W: Write>(mut w: W, hosts: usize, items_per_host: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng(seed);
    writeln!(w, r#"<?xml version="1.0" ?>"#)?;
    writeln!(w, "<NessusClientData_v2>")?;
    writeln!(w, "<Policy><policyName>Khiên synthetic &amp; test</policyName></Policy>")?;
    writeln!(w, r#"<Report name="Quét tổng hợp {seed}" xmlns:cm="http://www.nessus.org/cm">"#)?;
    let start = 1_767_225_600u64 + rng.below(86_400);
    for h in 0..hosts {
        let ip = format!("10.{}.{}.{}", (h >> 16) & 0xFF, (h >> 8) & 0xFF, (h & 0xFF) as u8);
        writeln!(w, r#"<ReportHost name="{ip}"><HostProperties>"#)?;
        writeln!(w, r#"<tag name="HOST_START_TIMESTAMP">{}</tag>"#, start + h as u64)?;
        writeln!(w, r#"<tag name="host-ip">{ip}</tag>"#)?;
        writeln!(w, r#"<tag name="hostname">may-chu-{h}.so-tt.gov.vn</tag>"#)?;
        writeln!(w, "</HostProperties>")?;
        for i in 0..items_per_host {
            let Some(&(port, proto, svc)) = rng.pick(PORTS) else { continue };
            let severity = rng.below(5);
            let plugin = 100_000 + i;
            write!(
                w,
                r#"<ReportItem port="{port}" svc_name="{svc}" protocol="{proto}" severity="{severity}" pluginID="{plugin}" pluginName="Synthetic check {plugin} &lt;{svc}&gt;" pluginFamily="General">"#
            )?;
            let cves = rng.below(4);
            for _ in 0..cves {
                write!(w, "<cve>CVE-{}-{}</cve>", 2015 + rng.below(11), 1000 + rng.below(50_000))?;
            }
            if severity > 0 {
                let (lo, hi) = match severity {
                    1 => (1, 39),
                    2 => (40, 69),
                    3 => (70, 89),
                    _ => (90, 100),
                };
                let score = lo + rng.below(hi - lo + 1);
                write!(w, "<cvss3_base_score>{}.{}</cvss3_base_score>", score / 10, score % 10)?;
                write!(w, "<cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</cvss3_vector>")?;
                write!(w, "<cwe>{}</cwe>", rng.pick(&[79, 89, 200, 287, 352]).copied().unwrap_or(79))?;
            }
            let risk = match severity {
                0 => "None",
                1 => "Low",
                2 => "Medium",
                3 => "High",
                _ => "Critical",
            };
            write!(w, "<risk_factor>{risk}</risk_factor>")?;
            write!(w, "<synopsis>Máy chủ có điểm yếu số {plugin} &amp; cần xử lý.</synopsis>")?;
            write!(w, "<description>Mô tả lỗ hổng {plugin} trên dịch vụ {svc}: x &lt; y &amp;&amp; z.</description>")?;
            write!(w, "<solution>Cập nhật bản vá mới nhất.</solution>")?;
            writeln!(
                w,
                "<plugin_output>Phiên bản cài đặt: {}.{}</plugin_output></ReportItem>",
                rng.below(10),
                rng.below(100)
            )?;
        }
        writeln!(w, "</ReportHost>")?;
    }
    writeln!(w, "</Report>")?;
    writeln!(w, "</NessusClientData_v2>")?;
    Ok(())
}
