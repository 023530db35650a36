//! Word-level lookups shared by the tagger and parser: Brown clusters and word shape.

use std::collections::HashMap;

use crate::perceptron::{put_str, put_u32, put_varint, DecodeError, Reader};

/// Brown cluster paths: a word's path is a bit string, stored as an integer whose
/// binary digits are the path (leading 1 included), as in the source table.
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    map: HashMap<String, u32>,
}

impl Clusters {
    /// Read `word \t path-as-integer` lines, keeping the first `limit` (the table is in
    /// frequency order) plus any word in `also`.
    pub fn from_tsv(src: &str, limit: usize, also: &dyn Fn(&str) -> bool) -> Self {
        let mut map = HashMap::new();
        for (i, line) in src.lines().enumerate() {
            let Some((w, p)) = line.split_once('\t') else { continue };
            if i >= limit && !also(w) {
                continue;
            }
            if let Ok(p) = p.trim().parse::<u32>() {
                map.entry(w.to_string()).or_insert(p);
            }
        }
        Self { map }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The path of a word, trying its lowercase form too.
    pub fn get(&self, word: &str) -> Option<u32> {
        self.map.get(word).copied().or_else(|| {
            if word.bytes().any(|b| b.is_ascii_uppercase()) {
                self.map.get(&word.to_lowercase()).copied()
            } else {
                None
            }
        })
    }

    /// The first `bits` bits of a path (or the whole path if shorter), with a length
    /// marker so prefixes of different lengths never collide.
    pub fn prefix(path: u32, bits: u32) -> u64 {
        let len = 32 - path.leading_zeros();
        let p = if len > bits { path >> (len - bits) } else { path };
        (u64::from(bits) << 32) | u64::from(p)
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        let mut entries: Vec<(&String, &u32)> = self.map.iter().collect();
        entries.sort();
        put_u32(out, entries.len() as u32);
        for (w, p) in entries {
            put_str(out, w);
            put_varint(out, u64::from(*p));
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.u32()? as usize;
        let mut map = HashMap::with_capacity(n);
        for _ in 0..n {
            let w = r.str()?;
            let p = u32::try_from(r.varint()?).map_err(|_| DecodeError("cluster path too long".into()))?;
            map.insert(w, p);
        }
        Ok(Self { map })
    }
}

/// A word's shape: X for upper case, x for lower, d for digits, other characters as
/// they are; runs of more than two of a kind collapsed ("Kadhimi" → "Xxx").
pub fn shape(w: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            run = 1;
            last = s;
        }
        out.push(s);
    }
    out
}

/// Lower case with ASCII digits folded to 0, so "5,200" and "3,000" share features.
pub fn norm(w: &str) -> String {
    w.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_norms() {
        assert_eq!(shape("Kadhimi"), "Xxx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("5,200"), "d,dd");
        assert_eq!(norm("5,200"), "0,000");
        assert_eq!(norm("Iran"), "iran");
    }

    #[test]
    fn cluster_prefixes() {
        let c = Clusters::from_tsv("the\t11\nIran\t1234567\n", 10, &|_| false);
        assert_eq!(c.get("The"), Some(11));
        assert_eq!(Clusters::prefix(0b1011, 2), (2u64 << 32) | 0b10);
        assert_eq!(Clusters::prefix(0b1011, 8), (8u64 << 32) | 0b1011);
        let mut buf = Vec::new();
        c.write(&mut buf);
        let c2 = Clusters::read(&mut Reader::new(&buf)).unwrap();
        assert_eq!(c2.get("Iran"), Some(1234567));
    }
}
