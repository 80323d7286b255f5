//! Vector processing, Rust twin of `workload/src/vector.ts`: dot products, cosine similarity and
//! top-k nearest neighbours over f32 embeddings.
//!
//! The kernel is explicit SIMD through `std::arch`: AVX2 + FMA on x86_64 (chosen at run time by
//! `is_x86_feature_detected!`), NEON on aarch64, and a portable scalar fallback elsewhere. The
//! intrinsics are `unsafe`, the one exception to the crate's `deny(unsafe_code)` outside the
//! Node-API binding: they live in the `kernel` module below, each behind the feature check that
//! makes calling them sound.
//!
//! An index (vectors plus their norms) stays on the Rust side behind a numeric handle, so a query
//! copies only the query across the boundary, not the 12 MB of vectors. Batches of queries are
//! blocked (a block of rows stays in L2 while every query of the batch visits it) and split
//! across threads.

use perfgate_napi::{CallArgs, Env, Js, JsResult};
use std::sync::{Arc, Mutex};

/// The dot product of each row of `rows` (row-major, `dims` floats each) with `query`.
fn dot_rows(query: &[f32], rows: &[f32], dims: usize, out: &mut [f32]) {
    debug_assert_eq!(query.len(), dims);
    debug_assert_eq!(rows.len(), dims * out.len());
    kernel::dot_rows(query, rows, dims, out);
}

/// Which kernel `dot_rows` uses on this machine.
pub fn simd_level() -> &'static str {
    kernel::level()
}

mod kernel {
    /// Portable fallback: four independent accumulators so the compiler can pipeline them.
    pub fn dot_rows_scalar(query: &[f32], rows: &[f32], dims: usize, out: &mut [f32]) {
        for (row, o) in rows.chunks_exact(dims).zip(out.iter_mut()) {
            let mut acc = [0f32; 4];
            let mut q = query.chunks_exact(4);
            let mut r = row.chunks_exact(4);
            for (qa, ra) in (&mut q).zip(&mut r) {
                for k in 0..4 {
                    acc[k] += qa[k] * ra[k];
                }
            }
            let mut sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            for (a, b) in q.remainder().iter().zip(r.remainder()) {
                sum += a * b;
            }
            *o = sum;
        }
    }

    #[cfg(target_arch = "x86_64")]
    pub fn level() -> &'static str {
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            "avx2+fma"
        } else {
            "scalar"
        }
    }

    #[cfg(target_arch = "aarch64")]
    pub fn level() -> &'static str {
        if std::arch::is_aarch64_feature_detected!("neon") {
            "neon"
        } else {
            "scalar"
        }
    }

    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    pub fn level() -> &'static str {
        "scalar"
    }

    #[cfg(target_arch = "x86_64")]
    pub fn dot_rows(query: &[f32], rows: &[f32], dims: usize, out: &mut [f32]) {
        assert!(query.len() == dims && rows.len() >= dims * out.len());
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            #[allow(unsafe_code)]
            // SAFETY: the CPU supports AVX2 and FMA (checked just above), which is all that
            // `dot_rows_avx2`'s `target_feature` attribute requires; its loads stay inside the
            // slices (lengths asserted above and re-derived inside from the slices themselves).
            unsafe {
                dot_rows_avx2(query, rows, dims, out)
            }
        } else {
            dot_rows_scalar(query, rows, dims, out)
        }
    }

    /// AVX2 + FMA: 4 × 8 lanes per step (32 floats), four accumulators to hide FMA latency.
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn dot_rows_avx2(query: &[f32], rows: &[f32], dims: usize, out: &mut [f32]) {
        use std::arch::x86_64::*;
        let main = dims - dims % 32;
        for (row, o) in rows.chunks_exact(dims).zip(out.iter_mut()) {
            let q = query.as_ptr();
            let r = row.as_ptr();
            let mut a0 = _mm256_setzero_ps();
            let mut a1 = _mm256_setzero_ps();
            let mut a2 = _mm256_setzero_ps();
            let mut a3 = _mm256_setzero_ps();
            let mut i = 0;
            while i < main {
                // SAFETY (loads): i + 32 <= main <= dims = query.len() = row.len().
                a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q.add(i)), _mm256_loadu_ps(r.add(i)), a0);
                a1 = _mm256_fmadd_ps(
                    _mm256_loadu_ps(q.add(i + 8)),
                    _mm256_loadu_ps(r.add(i + 8)),
                    a1,
                );
                a2 = _mm256_fmadd_ps(
                    _mm256_loadu_ps(q.add(i + 16)),
                    _mm256_loadu_ps(r.add(i + 16)),
                    a2,
                );
                a3 = _mm256_fmadd_ps(
                    _mm256_loadu_ps(q.add(i + 24)),
                    _mm256_loadu_ps(r.add(i + 24)),
                    a3,
                );
                i += 32;
            }
            let sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
            let hi = _mm256_extractf128_ps(sum, 1);
            let lo = _mm256_castps256_ps128(sum);
            let s4 = _mm_add_ps(hi, lo);
            let s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
            let s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
            let mut total = _mm_cvtss_f32(s1);
            for k in main..dims {
                total += query[k] * row[k];
            }
            *o = total;
        }
    }

    #[cfg(target_arch = "aarch64")]
    pub fn dot_rows(query: &[f32], rows: &[f32], dims: usize, out: &mut [f32]) {
        assert!(query.len() == dims && rows.len() >= dims * out.len());
        if std::arch::is_aarch64_feature_detected!("neon") {
            #[allow(unsafe_code)]
            // SAFETY: NEON is present (checked just above); loads stay inside the slices.
            unsafe {
                dot_rows_neon(query, rows, dims, out)
            }
        } else {
            dot_rows_scalar(query, rows, dims, out)
        }
    }

    /// NEON: 4 × 4 lanes per step, four accumulators.
    #[cfg(target_arch = "aarch64")]
    #[allow(unsafe_code)]
    #[target_feature(enable = "neon")]
    unsafe fn dot_rows_neon(query: &[f32], rows: &[f32], dims: usize, out: &mut [f32]) {
        use std::arch::aarch64::*;
        let main = dims - dims % 16;
        for (row, o) in rows.chunks_exact(dims).zip(out.iter_mut()) {
            let q = query.as_ptr();
            let r = row.as_ptr();
            let mut a0 = vdupq_n_f32(0.0);
            let mut a1 = vdupq_n_f32(0.0);
            let mut a2 = vdupq_n_f32(0.0);
            let mut a3 = vdupq_n_f32(0.0);
            let mut i = 0;
            while i < main {
                a0 = vfmaq_f32(a0, vld1q_f32(q.add(i)), vld1q_f32(r.add(i)));
                a1 = vfmaq_f32(a1, vld1q_f32(q.add(i + 4)), vld1q_f32(r.add(i + 4)));
                a2 = vfmaq_f32(a2, vld1q_f32(q.add(i + 8)), vld1q_f32(r.add(i + 8)));
                a3 = vfmaq_f32(a3, vld1q_f32(q.add(i + 12)), vld1q_f32(r.add(i + 12)));
                i += 16;
            }
            let mut total = vaddvq_f32(vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3)));
            for k in main..dims {
                total += query[k] * row[k];
            }
            *o = total;
        }
    }

    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    pub fn dot_rows(query: &[f32], rows: &[f32], dims: usize, out: &mut [f32]) {
        dot_rows_scalar(query, rows, dims, out)
    }
}

pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut out = [0f32];
    dot_rows(a, b, a.len(), &mut out);
    out[0]
}

pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (ab, aa, bb) = (dot(a, b), dot(a, a), dot(b, b));
    if aa == 0.0 || bb == 0.0 {
        return 0.0;
    }
    ab / (aa.sqrt() * bb.sqrt())
}

/// Vectors with their norms, for cosine queries.
pub struct Index {
    pub dims: usize,
    pub data: Vec<f32>,
    pub norms: Vec<f32>,
}

impl Index {
    pub fn new(data: Vec<f32>, dims: usize) -> Result<Index, String> {
        if dims == 0 || data.len() % dims != 0 {
            return Err(format!(
                "{} floats do not make vectors of {dims} dimensions",
                data.len()
            ));
        }
        let norms = data
            .chunks_exact(dims)
            .map(|row| {
                let mut o = [0f32];
                dot_rows(row, row, dims, &mut o);
                o[0].sqrt()
            })
            .collect();
        Ok(Index { dims, data, norms })
    }

    pub fn len(&self) -> usize {
        self.norms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }

    /// Cosine top-k of every query (`queries.len() / dims` of them): per query, (id, score)
    /// best first, ties to the lower id.
    pub fn top_k(&self, queries: &[f32], k: usize, threads: usize) -> Vec<Vec<(u32, f32)>> {
        let dims = self.dims;
        let nq = queries.len() / dims;
        let q_norms: Vec<f32> = queries
            .chunks_exact(dims)
            .map(|q| dot(q, q).sqrt())
            .collect();
        let threads = threads.clamp(1, 64);
        // Work split: across queries when there are enough, else across rows.
        let by_rows = nq < threads && self.len() >= 256 * threads;
        if threads == 1 || (nq < 2 && !by_rows) {
            return self.top_k_rows(queries, &q_norms, k, 0, self.len());
        }
        if by_rows {
            let chunk = self.len().div_ceil(threads);
            let parts: Vec<Vec<Vec<(u32, f32)>>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let (lo, hi) = (t * chunk, ((t + 1) * chunk).min(self.len()));
                        let q_norms = &q_norms;
                        s.spawn(move || self.top_k_rows(queries, q_norms, k, lo, hi))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("vector thread panicked"))
                    .collect()
            });
            return (0..nq)
                .map(|qi| {
                    let mut merged: Vec<(u32, f32)> =
                        parts.iter().flat_map(|p| p[qi].iter().copied()).collect();
                    merged.sort_by(better);
                    merged.truncate(k);
                    merged
                })
                .collect();
        }
        let per = nq.div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = queries
                .chunks(per * dims)
                .zip(q_norms.chunks(per))
                .map(|(qs, ns)| s.spawn(move || self.top_k_rows(qs, ns, k, 0, self.len())))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("vector thread panicked"))
                .collect()
        })
    }

    /// Top-k of each query among rows `lo..hi`, rows visited in blocks that stay in cache while
    /// every query of the batch is scored against them.
    fn top_k_rows(
        &self,
        queries: &[f32],
        q_norms: &[f32],
        k: usize,
        lo: usize,
        hi: usize,
    ) -> Vec<Vec<(u32, f32)>> {
        const BLOCK: usize = 64;
        let dims = self.dims;
        let mut best: Vec<Vec<(u32, f32)>> = vec![Vec::with_capacity(k + 1); q_norms.len()];
        let mut scores = vec![0f32; BLOCK];
        let mut start = lo;
        while start < hi {
            let end = (start + BLOCK).min(hi);
            let rows = &self.data[start * dims..end * dims];
            for (qi, (query, &qn)) in queries.chunks_exact(dims).zip(q_norms).enumerate() {
                let out = &mut scores[..end - start];
                dot_rows(query, rows, dims, out);
                for (j, &d) in out.iter().enumerate() {
                    let id = start + j;
                    let denom = qn * self.norms[id];
                    let score = if denom == 0.0 { 0.0 } else { d / denom };
                    push_best(&mut best[qi], k, id as u32, score);
                }
            }
            start = end;
        }
        best
    }

    /// Dot product of `query` with every vector.
    pub fn dot_all(&self, query: &[f32]) -> Vec<f32> {
        let mut out = vec![0f32; self.len()];
        dot_rows(query, &self.data, self.dims, &mut out);
        out
    }
}

fn better(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Keeps `best` sorted (best first), at most `k` long.
fn push_best(best: &mut Vec<(u32, f32)>, k: usize, id: u32, score: f32) {
    if k == 0 {
        return;
    }
    if best.len() == k {
        let worst = best[k - 1];
        if better(&(id, score), &worst) != std::cmp::Ordering::Less {
            return;
        }
        best.pop();
    }
    let pos = best.partition_point(|e| better(e, &(id, score)) == std::cmp::Ordering::Less);
    best.insert(pos, (id, score));
}

// ---------------------------------------------------------------------------------------------
// Handles: indexes live here between calls

fn registry() -> &'static Mutex<Vec<Option<Arc<Index>>>> {
    static REGISTRY: std::sync::OnceLock<Mutex<Vec<Option<Arc<Index>>>>> =
        std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(Vec::new()))
}

fn index_of(handle: usize) -> Result<Arc<Index>, String> {
    let reg = registry()
        .lock()
        .map_err(|_| "vector registry poisoned".to_owned())?;
    handle
        .checked_sub(1)
        .and_then(|i| reg.get(i).cloned().flatten())
        .ok_or_else(|| format!("no vector index with handle {handle} (freed already?)"))
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// vectorIndexCreate(data: Float32Array, dims: number): number
pub fn js_index_create<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let data = args.arg_f32_array(0)?;
    let dims = args.arg_usize(1)?;
    let index = Arc::new(Index::new(data, dims)?);
    let mut reg = registry()
        .lock()
        .map_err(|_| "vector registry poisoned".to_owned())?;
    let slot = match reg.iter().position(Option::is_none) {
        Some(i) => {
            reg[i] = Some(index);
            i
        }
        None => {
            reg.push(Some(index));
            reg.len() - 1
        }
    };
    env.create_f64((slot + 1) as f64)
}

/// vectorIndexFree(handle: number): boolean — whether the handle was live.
pub fn js_index_free<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let handle = args.arg_usize(0)?;
    let mut reg = registry()
        .lock()
        .map_err(|_| "vector registry poisoned".to_owned())?;
    let live = handle
        .checked_sub(1)
        .and_then(|i| reg.get_mut(i))
        .and_then(Option::take)
        .is_some();
    env.create_bool(live)
}

/// vectorTopK(handle, queries: Float32Array (q × dims), k): { ids: Float64Array, scores: Float64Array }
pub fn js_top_k<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let index = index_of(args.arg_usize(0)?)?;
    let queries = args.arg_f32_array(1)?;
    let k = args.arg_usize(2)?;
    if queries.len() % index.dims != 0 {
        return Err(format!(
            "argument 1: {} floats are not whole queries of {} dimensions",
            queries.len(),
            index.dims
        ));
    }
    let work = queries.len() / index.dims * index.len() * index.dims;
    let results = index.top_k(&queries, k, if work >= 1 << 20 { threads() } else { 1 });
    let mut ids = Vec::new();
    let mut scores = Vec::new();
    for r in results {
        for (id, score) in r {
            ids.push(f64::from(id));
            scores.push(f64::from(score));
        }
    }
    env.create_js(&Js::object([
        ("ids", Js::F64Array(ids)),
        ("scores", Js::F64Array(scores)),
    ]))
}

/// vectorDotAll(handle, query: Float32Array): Float64Array
pub fn js_dot_all<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let index = index_of(args.arg_usize(0)?)?;
    let query = args.arg_f32_array(1)?;
    if query.len() != index.dims {
        return Err(format!(
            "argument 1: expected {} floats, got {}",
            index.dims,
            query.len()
        ));
    }
    let out: Vec<f64> = index.dot_all(&query).into_iter().map(f64::from).collect();
    env.create_f64_array(&out)
}

fn pair(args: &CallArgs<'_>) -> Result<(Vec<f32>, Vec<f32>), String> {
    let a = args.arg_f32_array(0)?;
    let b = args.arg_f32_array(1)?;
    if a.len() != b.len() {
        return Err(format!(
            "vectors differ in length: {} and {}",
            a.len(),
            b.len()
        ));
    }
    Ok((a, b))
}

/// vectorDot(a: Float32Array, b: Float32Array): number
pub fn js_dot<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let (a, b) = pair(args)?;
    env.create_f64(f64::from(dot(&a, &b)))
}

/// vectorCosine(a: Float32Array, b: Float32Array): number
pub fn js_cosine<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let (a, b) = pair(args)?;
    env.create_f64(f64::from(cosine(&a, &b)))
}

/// vectorSimd(): string — `avx2+fma`, `neon` or `scalar`.
pub fn js_simd<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    env.create_string(simd_level())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors(n: usize, dims: usize, seed: u32) -> Vec<f32> {
        let mut s = seed;
        (0..n * dims)
            .map(|_| {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect()
    }

    #[test]
    fn simd_equals_scalar_within_tolerance() {
        for dims in [1, 7, 32, 33, 1536] {
            let rows = vectors(9, dims, 1);
            let q = vectors(1, dims, 2);
            let mut fast = vec![0f32; 9];
            let mut slow = vec![0f32; 9];
            dot_rows(&q, &rows, dims, &mut fast);
            kernel::dot_rows_scalar(&q, &rows, dims, &mut slow);
            for (a, b) in fast.iter().zip(&slow) {
                assert!(
                    (a - b).abs() <= 1e-4 * (1.0 + b.abs()),
                    "{dims}: {a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn cosine_of_parallel_and_orthogonal() {
        assert!((cosine(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 1.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
    }

    #[test]
    fn top_k_matches_brute_force_and_threads_agree() {
        let dims = 64;
        let data = vectors(1000, dims, 3);
        let index = Index::new(data.clone(), dims).unwrap();
        let queries = vectors(5, dims, 4);
        let one = index.top_k(&queries, 10, 1);
        assert_eq!(one, index.top_k(&queries, 10, 4));
        assert_eq!(one[..1], index.top_k(&queries[..dims], 10, 2)[..]);
        for (qi, q) in queries.chunks_exact(dims).enumerate() {
            let mut all: Vec<(u32, f32)> = data
                .chunks_exact(dims)
                .enumerate()
                .map(|(i, r)| (i as u32, cosine(q, r)))
                .collect();
            all.sort_by(better);
            let ids: Vec<u32> = all[..10].iter().map(|e| e.0).collect();
            assert_eq!(ids, one[qi].iter().map(|e| e.0).collect::<Vec<_>>());
        }
    }
}
