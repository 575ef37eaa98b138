//! A tiny deterministic PRNG (splitmix64) so the demo city is identical on
//! every run and every platform. Never seeded from the OS.

/// splitmix64 generator (Steele, Lea & Flood 2014).
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) const fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish value in `0..n`; returns 0 when `n == 0`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// Picks one element of a non-empty slice (`None` only if empty).
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> Option<&'a T> {
        let i = self.below(xs.len());
        xs.get(i)
    }

    /// Picks from `(value, weight)` pairs proportionally to the weights.
    pub(crate) fn pick_weighted<'a, T>(&mut self, xs: &'a [(T, u32)]) -> Option<&'a T> {
        let total: u64 = xs.iter().map(|(_, w)| u64::from(*w)).sum();
        if total == 0 {
            return xs.first().map(|(v, _)| v);
        }
        let mut r = self.next_u64() % total;
        for (v, w) in xs {
            let w = u64::from(*w);
            if r < w {
                return Some(v);
            }
            r -= w;
        }
        xs.last().map(|(v, _)| v)
    }

    /// True with probability `num / den`.
    pub(crate) fn chance(&mut self, num: u64, den: u64) -> bool {
        den != 0 && self.next_u64() % den < num
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn known_sequence() {
        // Reference values of splitmix64 seeded with 1234567.
        let mut r = SplitMix64::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn below_is_in_range() {
        let mut r = SplitMix64::new(7);
        for n in 1..50 {
            assert!(r.below(n) < n);
        }
        assert_eq!(r.below(0), 0);
    }
}
