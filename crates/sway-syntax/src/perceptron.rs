//! Averaged perceptron over hashed features: a trainer with dense class rows, and a
//! compact, sparse, quantized model for inference.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Feature keys are already well-mixed 64-bit hashes: hash them as themselves.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mix two values into one feature key.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(23)).wrapping_mul(K);
    x ^ (x >> 29)
}

/// Hash a string (FNV-1a, then mixed).
#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h, 0x5157_4159)
}

/// The feature key for template `t` with value `v`.
#[inline]
pub fn feat(t: u64, v: u64) -> u64 {
    mix(t.wrapping_mul(0x1000_0000_01b3), v)
}

/// Trains an averaged perceptron with `classes` outputs.
#[derive(Debug)]
pub struct Trainer {
    classes: usize,
    index: IdMap<u32>,
    w: Vec<f32>,
    /// Sum of step × update, for averaging without per-weight timestamps: avg = w - u / step.
    u: Vec<f32>,
    step: f32,
}

impl Trainer {
    pub fn new(classes: usize) -> Self {
        Self { classes, index: IdMap::default(), w: Vec::new(), u: Vec::new(), step: 1.0 }
    }

    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Add each known feature's row to `scores` (length `classes`, zeroed by the caller).
    pub fn scores(&self, feats: &[u64], scores: &mut [f32]) {
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                let r = row as usize * self.classes;
                for (s, w) in scores.iter_mut().zip(&self.w[r..r + self.classes]) {
                    *s += w;
                }
            }
        }
    }

    fn row(&mut self, f: u64) -> usize {
        let next = self.index.len() as u32;
        let row = *self.index.entry(f).or_insert(next);
        if row == next {
            self.w.resize(self.w.len() + self.classes, 0.0);
            self.u.resize(self.u.len() + self.classes, 0.0);
        }
        row as usize * self.classes
    }

    /// Move weights toward `truth` and away from `guess` by `amount`.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize, amount: f32) {
        if truth == guess {
            return;
        }
        let c = self.step;
        for &f in feats {
            let r = self.row(f);
            self.w[r + truth] += amount;
            self.u[r + truth] += c * amount;
            self.w[r + guess] -= amount;
            self.u[r + guess] -= c * amount;
        }
    }

    /// Count one training instance (for averaging).
    pub fn tick(&mut self) {
        self.step += 1.0;
    }

    /// The averaged model, dropping weights smaller than `prune` in magnitude.
    pub fn average(&self, prune: f32) -> Model {
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        keys.sort_unstable();
        let mut rows = Vec::with_capacity(keys.len());
        for (k, row) in keys {
            let r = row as usize * self.classes;
            let entries: Vec<(u16, f32)> = (0..self.classes)
                .filter_map(|c| {
                    let avg = self.w[r + c] - self.u[r + c] / self.step;
                    (avg.abs() > prune).then_some((c as u16, avg))
                })
                .collect();
            if !entries.is_empty() {
                rows.push((k, entries));
            }
        }
        Model::from_rows(self.classes, &rows)
    }
}

/// One slot of the model's open-addressed feature table. Key 0 marks an empty slot
/// (stored keys are forced odd, so no feature maps to 0).
///
/// Rows of one or two weights live in the slot itself (`x`, `y` with `INLINE` set:
/// class in bits 16–23, weight in bits 0–15), saving a cache miss for most features;
/// longer rows point into `entries` (`x` = start, `y` = length).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u64,
    x: u32,
    y: u32,
}

const INLINE: u32 = 1 << 31;

fn pack(c: u16, q: i16) -> u32 {
    INLINE | (u32::from(c) << 16) | u32::from(q as u16)
}

fn unpack(v: u32) -> (u16, i16) {
    (((v >> 16) & 0xff) as u16, (v & 0xffff) as u16 as i16)
}

/// An averaged perceptron for inference: for each feature, the classes it has a
/// weight for, with weights quantized to 16 bits.
///
/// Lookups go to a flat open-addressed table rather than a general hash map: scoring
/// first finds every feature's slot (independent loads the CPU can overlap), then adds
/// the weights. The parser spends most of its time here.
#[derive(Debug, Clone, Default)]
pub struct Model {
    classes: usize,
    slots: Vec<Slot>,
    mask: usize,
    n_features: usize,
    /// (class, quantized weight); the weight is `q as f32 * scale`.
    entries: Vec<(u16, i16)>,
    scale: f32,
}

/// A model file that does not decode.
#[derive(Debug, thiserror::Error)]
#[error("model data is corrupt: {0}")]
pub struct DecodeError(pub String);

#[inline]
fn stored_key(k: u64) -> u64 {
    k | 1
}

impl Model {
    /// Build from (feature, [(class, weight)]) rows; weights are quantized here.
    fn from_rows(classes: usize, rows: &[(u64, Vec<(u16, f32)>)]) -> Self {
        let max = rows.iter().flat_map(|r| r.1.iter()).map(|e| e.1.abs()).fold(0.0f32, f32::max).max(1e-9);
        let scale = max / 32767.0;
        let quantized: Vec<(u64, Vec<(u16, i16)>)> = rows
            .iter()
            .map(|(k, es)| (*k, es.iter().map(|&(c, w)| (c, (w / scale).round() as i16)).collect()))
            .collect();
        Self::from_quantized(classes, scale, quantized)
    }

    fn from_quantized(classes: usize, scale: f32, rows: Vec<(u64, Vec<(u16, i16)>)>) -> Self {
        let size = (rows.len() * 2).next_power_of_two().max(16);
        let mask = size - 1;
        let mut slots = vec![Slot::default(); size];
        let mut entries = Vec::with_capacity(rows.iter().map(|r| r.1.len()).sum());
        let mut n_features = 0;
        for (k, es) in rows {
            if es.is_empty() {
                continue;
            }
            let key = stored_key(k);
            let mut i = (key as usize) & mask;
            while slots[i].key != 0 && slots[i].key != key {
                i = (i + 1) & mask;
            }
            if slots[i].key == key {
                // Two features that differ only in the lowest bit: keep the first.
                continue;
            }
            slots[i] = if es.len() <= 2 && classes <= 256 {
                Slot { key, x: pack(es[0].0, es[0].1), y: es.get(1).map_or(0, |e| pack(e.0, e.1)) }
            } else {
                let start = entries.len() as u32;
                entries.extend(&es);
                Slot { key, x: start, y: es.len() as u32 }
            };
            n_features += 1;
        }
        Self { classes, slots, mask, n_features, entries, scale }
    }

    pub fn classes(&self) -> usize {
        self.classes
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    pub fn n_weights(&self) -> usize {
        self.slots.iter().filter(|s| s.key != 0).map(|s| self.row(s).len()).sum()
    }

    fn row(&self, s: &Slot) -> Vec<(u16, i16)> {
        if s.x & INLINE != 0 {
            [s.x, s.y].into_iter().filter(|v| v & INLINE != 0).map(unpack).collect()
        } else {
            self.entries[s.x as usize..(s.x + s.y) as usize].to_vec()
        }
    }

    fn rows(&self) -> Vec<(u64, Vec<(u16, i16)>)> {
        let mut rows: Vec<(u64, Vec<(u16, i16)>)> =
            self.slots.iter().filter(|s| s.key != 0).map(|s| (s.key, self.row(s))).collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    }

    /// A copy without weights smaller than `t` in magnitude (for a smaller file).
    pub fn pruned(&self, t: f32) -> Self {
        let rows = self
            .rows()
            .into_iter()
            .map(|(k, es)| (k, es.into_iter().filter(|&(_, q)| f32::from(q).abs() * self.scale >= t).collect()))
            .collect();
        Self::from_quantized(self.classes, self.scale, rows)
    }

    #[inline]
    fn slot(&self, f: u64) -> Option<Slot> {
        let key = stored_key(f);
        let mut i = (key as usize) & self.mask;
        loop {
            let s = self.slots.get(i)?;
            if s.key == key {
                return Some(*s);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Add the weights of `feats` to `scores` (length `classes`).
    #[inline]
    pub fn scores(&self, feats: &[u64], scores: &mut [f32]) {
        const CHUNK: usize = 128;
        let mut hits = [(0u32, 0u32); CHUNK];
        for chunk in feats.chunks(CHUNK) {
            let mut n = 0;
            for &f in chunk {
                if let Some(s) = self.slot(f) {
                    if s.x & INLINE != 0 {
                        for v in [s.x, s.y] {
                            if v & INLINE != 0 {
                                let (c, q) = unpack(v);
                                scores[c as usize] += f32::from(q) * self.scale;
                            }
                        }
                    } else {
                        hits[n] = (s.x, s.y);
                        n += 1;
                    }
                }
            }
            for &(start, len) in &hits[..n] {
                for &(c, q) in &self.entries[start as usize..(start + len) as usize] {
                    scores[c as usize] += f32::from(q) * self.scale;
                }
            }
        }
    }

    /// Serialize: weights quantized to 16 bits, keys delta-encoded as varints.
    pub fn write(&self, out: &mut Vec<u8>) {
        let rows = self.rows();
        put_u32(out, self.classes as u32);
        put_u32(out, rows.len() as u32);
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut prev = 0u64;
        for (k, es) in rows {
            put_varint(out, k - prev);
            prev = k;
            put_varint(out, es.len() as u64);
            for (c, q) in es {
                put_varint(out, u64::from(c));
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let classes = r.u32()? as usize;
        let n = r.u32()? as usize;
        let scale = f32::from_le_bytes(r.bytes(4)?.try_into().map_err(|_| DecodeError("scale".into()))?);
        let mut rows = Vec::with_capacity(n.min(1 << 24));
        let mut key = 0u64;
        for _ in 0..n {
            key = key.wrapping_add(r.varint()?);
            let len = r.varint()? as usize;
            let mut es = Vec::with_capacity(len.min(1 << 16));
            for _ in 0..len {
                let c = r.varint()? as usize;
                if c >= classes {
                    return Err(DecodeError(format!("class {c} out of range")));
                }
                let q = i16::from_le_bytes(r.bytes(2)?.try_into().map_err(|_| DecodeError("weight".into()))?);
                es.push((c as u16, q));
            }
            rows.push((key, es));
        }
        Ok(Self::from_quantized(classes, scale, rows))
    }
}

pub fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A cursor over model bytes.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end =
            self.pos.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or_else(|| DecodeError("truncated".into()))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().map_err(|_| DecodeError("u32".into()))?))
    }

    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes(1)?.first().ok_or_else(|| DecodeError("varint".into()))?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(DecodeError("varint too long".into()))
    }

    pub fn str(&mut self) -> Result<String, DecodeError> {
        let n = self.varint()? as usize;
        String::from_utf8(self.bytes(n)?.to_vec()).map_err(|_| DecodeError("string is not UTF-8".into()))
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }
}

/// A small, seedable random number generator (xorshift64*), so training runs are
/// reproducible without a dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        // Class = which of two features is present.
        let mut t = Trainer::new(2);
        for _ in 0..5 {
            for (f, y) in [(1u64, 0usize), (2, 1)] {
                let mut s = [0.0; 2];
                t.scores(&[f, 99], &mut s);
                let guess = if s[1] > s[0] { 1 } else { 0 };
                t.update(&[f, 99], y, guess, 1.0);
                t.tick();
            }
        }
        let m = t.average(0.0);
        let mut buf = Vec::new();
        m.write(&mut buf);
        let m2 = Model::read(&mut Reader::new(&buf)).unwrap();
        for (f, y) in [(1u64, 0usize), (2, 1)] {
            let mut s = [0.0; 2];
            m2.scores(&[f], &mut s);
            assert_eq!(if s[1] > s[0] { 1 } else { 0 }, y);
        }
        assert!(Model::read(&mut Reader::new(&buf[..buf.len() - 1])).is_err());
    }

    #[test]
    fn rng_is_reproducible() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!((0..5).map(|_| a.next_u64()).collect::<Vec<_>>(), (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
    }
}
