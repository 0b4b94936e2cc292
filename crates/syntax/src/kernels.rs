//! The dense arithmetic of the neural model: affine maps over rows and fast, vectorisable
//! exp, sigmoid and tanh. Each kernel is compiled twice, for the x86-64 baseline and for
//! AVX2 with FMA, and the second is chosen at run time when the CPU has it (the crate is
//! built for the baseline, where the compiler may not use either).

use std::sync::OnceLock;

/// Outputs per panel of weights: one cache line of floats, two AVX registers.
const PANEL: usize = 16;
/// Rows sharing each load of weights in [`affine`] (their sums: eight AVX registers).
const ROWS: usize = 4;
/// Panels one row reads at once (again eight registers of sums).
const GROUP: usize = 4;

fn has_avx2_fma() -> bool {
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    })
}

/// A map's weights in panels of [`PANEL`] outputs: panel `p` holds, for each input `l` in
/// turn, the weights from `l` to outputs `PANEL p ..PANEL (p + 1)` (zeros past the last
/// output). [`affine`] reads a panel front to back, one aligned cache line per input.
/// Stored a row per input, the same sixteen weights lie a whole row apart (1.5-6 KB in the
/// encoder), each read straddling two lines unless the row happens to be aligned: the
/// accurate mode ran 25% faster with panels, and one row's map (the LSTM's step) 5 times.
pub(crate) struct Panels {
    inputs: usize,
    outputs: usize,
    data: Aligned,
}

impl Panels {
    /// From weights stored a row per input (`inputs x outputs`).
    pub fn new(wt: &[f32], inputs: usize, outputs: usize) -> Panels {
        assert_eq!(wt.len(), inputs * outputs, "weights and shape");
        Panels::packed(inputs, outputs, |l, j| wt[l * outputs + j])
    }

    /// From PyTorch's layout, a row per output (`outputs x inputs`).
    pub fn from_torch(weight: &[f32], outputs: usize, inputs: usize) -> Panels {
        assert_eq!(weight.len(), inputs * outputs, "weights and shape");
        Panels::packed(inputs, outputs, |l, j| weight[j * inputs + l])
    }

    fn packed(inputs: usize, outputs: usize, weight: impl Fn(usize, usize) -> f32) -> Panels {
        let mut data = Aligned::zeroed(outputs.div_ceil(PANEL) * inputs * PANEL);
        for l in 0..inputs {
            for j in 0..outputs {
                data[index(inputs, l, j)] = weight(l, j);
            }
        }
        Panels { inputs, outputs, data }
    }

    pub fn inputs(&self) -> usize {
        self.inputs
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// The weights a row per input again (`inputs x outputs`).
    pub fn input_major(&self) -> Vec<f32> {
        let (inputs, outputs) = (self.inputs, self.outputs);
        (0..inputs * outputs).map(|i| self.data[index(inputs, i / outputs, i % outputs)]).collect()
    }

    fn panel(&self, p: usize) -> &[f32] {
        &self.data[p * self.inputs * PANEL..(p + 1) * self.inputs * PANEL]
    }
}

/// Where the weight from input `l` to output `j` of a map with `inputs` inputs lies in its panels.
fn index(inputs: usize, l: usize, j: usize) -> usize {
    ((j / PANEL) * inputs + l) * PANEL + j % PANEL
}

/// `out[i][j] = bias[j] + sum_l x[i][l] * w[l][j]` for `rows` rows of `x` (`rows x inputs`),
/// `out` `rows x outputs`; `bias` may be a row per output row (`rows x outputs`) or one row
/// (`outputs`).
pub fn affine(x: &[f32], rows: usize, w: &Panels, bias: &[f32], out: &mut [f32]) {
    let (k, m) = (w.inputs, w.outputs);
    assert!(x.len() >= rows * k && out.len() >= rows * m);
    assert!(bias.len() == m || bias.len() >= rows * m);
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: the CPU was checked at run time to have AVX2 and FMA, the only features
        // the function is compiled for; it holds no other unsafe code.
        unsafe { affine_avx2(x, rows, w, bias, out) };
        return;
    }
    affine_body::<false>(x, rows, w, bias, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn affine_avx2(x: &[f32], rows: usize, w: &Panels, bias: &[f32], out: &mut [f32]) {
    affine_body::<true>(x, rows, w, bias, out);
}

#[inline(always)]
fn affine_body<const FMA: bool>(x: &[f32], rows: usize, w: &Panels, bias: &[f32], out: &mut [f32]) {
    let (k, m) = (w.inputs, w.outputs);
    let per_row_bias = bias.len() != m;
    let bias_row = |i: usize| if per_row_bias { &bias[i * m..(i + 1) * m] } else { bias };
    let full = rows / ROWS * ROWS;
    // Blocks of four rows by one panel, the panels outermost: a panel (k x 16) then stays
    // in cache while every group of rows reads it, and each load of it serves four rows.
    for p in 0..m.div_ceil(PANEL) {
        let panel = w.panel(p);
        let (j, width) = (p * PANEL, PANEL.min(m - p * PANEL));
        for i in (0..full).step_by(ROWS) {
            let xs: [&[f32]; ROWS] = std::array::from_fn(|r| &x[(i + r) * k..][..k]);
            let mut acc: [[f32; PANEL]; ROWS] = std::array::from_fn(|r| line_of(&bias_row(i + r)[j..j + width]));
            let [a0, a1, a2, a3] = &mut acc;
            for (l, line) in panel.chunks_exact(PANEL).enumerate() {
                fma_line::<FMA>(a0, xs[0][l], line);
                fma_line::<FMA>(a1, xs[1][l], line);
                fma_line::<FMA>(a2, xs[2][l], line);
                fma_line::<FMA>(a3, xs[3][l], line);
            }
            for (r, a) in acc.into_iter().enumerate() {
                put_line(a, &mut out[(i + r) * m + j..(i + r) * m + j + width]);
            }
        }
    }
    for i in full..rows {
        one_row::<FMA>(&x[i * k..(i + 1) * k], w, bias_row(i), &mut out[i * m..(i + 1) * m]);
    }
}

/// One row: four panels at a time (eight registers of sums, enough independent chains to
/// hide the latency of FMA: the LSTM's recurrent map runs one row per step).
#[inline(always)]
fn one_row<const FMA: bool>(xi: &[f32], w: &Panels, b: &[f32], oi: &mut [f32]) {
    let m = w.outputs;
    let panels = m.div_ceil(PANEL);
    let mut p = 0;
    while p < panels {
        let group = GROUP.min(panels - p);
        let outputs = |q: usize| (p + q) * PANEL..((p + q + 1) * PANEL).min(m);
        let mut acc: [[f32; PANEL]; GROUP] =
            std::array::from_fn(|q| if q < group { line_of(&b[outputs(q)]) } else { [0.0; PANEL] });
        // Past the last panel a group reads its first one again (its sums are dropped).
        let [p0, p1, p2, p3]: [&[f32]; GROUP] = std::array::from_fn(|q| w.panel(if q < group { p + q } else { p }));
        let [a0, a1, a2, a3] = &mut acc;
        for (l, &xv) in xi.iter().enumerate() {
            let line = l * PANEL..(l + 1) * PANEL;
            fma_line::<FMA>(a0, xv, &p0[line.clone()]);
            fma_line::<FMA>(a1, xv, &p1[line.clone()]);
            fma_line::<FMA>(a2, xv, &p2[line.clone()]);
            fma_line::<FMA>(a3, xv, &p3[line]);
        }
        for (q, a) in acc.into_iter().enumerate().take(group) {
            put_line(a, &mut oi[outputs(q)]);
        }
        p += group;
    }
}

// A panel's sums are whole arrays of PANEL floats, copied in and out whole: a copy of a
// variable length into or out of one would keep it in memory instead of registers.

/// Up to PANEL floats, zeros after.
#[inline(always)]
fn line_of(values: &[f32]) -> [f32; PANEL] {
    let mut line = [0.0; PANEL];
    line[..values.len()].copy_from_slice(values);
    line
}

/// The first `out.len()` floats of a line.
#[inline(always)]
fn put_line(line: [f32; PANEL], out: &mut [f32]) {
    let n = out.len();
    out.copy_from_slice(&line[..n]);
}

/// `acc += x * line`, one line of a panel.
#[inline(always)]
fn fma_line<const FMA: bool>(acc: &mut [f32; PANEL], x: f32, line: &[f32]) {
    let line: &[f32; PANEL] = line.try_into().expect("panel line");
    for (a, w) in acc.iter_mut().zip(line) {
        *a = if FMA { x.mul_add(*w, *a) } else { *a + x * *w };
    }
}

/// Floats stored from the start of a cache line (64 bytes, sixteen floats), so that each
/// line of a [`Panels`] is one cache line (the allocator gives `Vec<f32>` any 16-byte
/// alignment).
struct Aligned {
    buf: Vec<f32>,
    start: usize,
    len: usize,
}

impl Aligned {
    fn zeroed(len: usize) -> Aligned {
        let buf = vec![0.0f32; len + PANEL - 1];
        // The allocation is at least 4-byte aligned, so the gap to the next line is whole floats.
        let start = (PANEL * 4 - buf.as_ptr().addr() % (PANEL * 4)) % (PANEL * 4) / 4;
        Aligned { buf, start, len }
    }
}

impl std::ops::Deref for Aligned {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        &self.buf[self.start..self.start + self.len]
    }
}

impl std::ops::DerefMut for Aligned {
    fn deref_mut(&mut self) -> &mut [f32] {
        &mut self.buf[self.start..self.start + self.len]
    }
}

/// A dense layer, its weights in [`Panels`].
pub(crate) struct Dense {
    pub wt: Panels,
    pub bias: Vec<f32>,
}

impl Dense {
    /// From PyTorch's `weight` (`outputs x inputs`) and `bias`.
    pub fn new(weight: &[f32], bias: Vec<f32>, what: &str) -> Result<Dense, String> {
        let outputs = bias.len();
        if outputs == 0 || !weight.len().is_multiple_of(outputs) {
            return Err(format!("{what}: weight and bias do not match"));
        }
        Ok(Dense { wt: Panels::from_torch(weight, outputs, weight.len() / outputs), bias })
    }

    /// From weights stored a row per input (`inputs x bias.len()`).
    pub fn input_major(wt: &[f32], inputs: usize, bias: Vec<f32>) -> Dense {
        Dense { wt: Panels::new(wt, inputs, bias.len()), bias }
    }

    pub fn inputs(&self) -> usize {
        self.wt.inputs()
    }

    pub fn outputs(&self) -> usize {
        self.wt.outputs()
    }

    pub fn apply(&self, x: &[f32], rows: usize, out: &mut Vec<f32>) {
        out.resize(rows * self.outputs(), 0.0);
        affine(x, rows, &self.wt, &self.bias, out);
    }
}

/// The LSTM cell after its gate pre-activations `gates` (`i, f, g, o`, each `h` long, as
/// PyTorch orders them): updates the cell `c` and writes the output `h_out`.
pub fn lstm_cell(gates: &mut [f32], c: &mut [f32], h_out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: as in `affine`.
        unsafe { lstm_cell_avx2(gates, c, h_out) };
        return;
    }
    lstm_cell_body(gates, c, h_out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lstm_cell_avx2(gates: &mut [f32], c: &mut [f32], h_out: &mut [f32]) {
    lstm_cell_body(gates, c, h_out);
}

#[inline(always)]
fn lstm_cell_body(gates: &mut [f32], c: &mut [f32], h_out: &mut [f32]) {
    let h = c.len();
    let (ifg, o) = gates.split_at_mut(3 * h);
    let (i_f, g) = ifg.split_at_mut(2 * h);
    i_f.iter_mut().for_each(|v| *v = sigmoid(*v));
    o.iter_mut().for_each(|v| *v = sigmoid(*v));
    g.iter_mut().for_each(|v| *v = tanh(*v));
    let (i, f) = i_f.split_at(h);
    for k in 0..h {
        c[k] = f[k] * c[k] + i[k] * g[k];
    }
    for k in 0..h {
        h_out[k] = o[k] * tanh(c[k]);
    }
}

/// exp with relative error under 2e-7 on [-87, 88] (Cephes' expf: range reduction by
/// ln 2, a degree-6 polynomial), written without branches so that loops over it vectorise.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E).round();
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = 1.987_569_1e-4;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 5e-1;
    let y = p * r * r + r + 1.0;
    y * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// GELU (`x Φ(x)`, with erf) over a slice, vectorised: erf by Abramowitz and Stegun's
/// 7.1.26 (absolute error under 1.5e-7) on the fast `exp`.
pub fn gelu(v: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: as in `affine`.
        unsafe { gelu_avx2(v) };
        return;
    }
    gelu_body(v);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn gelu_avx2(v: &mut [f32]) {
    gelu_body(v);
}

#[inline(always)]
fn gelu_body(v: &mut [f32]) {
    for x in v.iter_mut() {
        let z = *x * std::f32::consts::FRAC_1_SQRT_2;
        let a = z.abs();
        let t = 1.0 / (1.0 + 0.327_591_1 * a);
        let poly = t * (0.254_829_6 + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
        let erf = (1.0 - poly * exp(-a * a)).copysign(z);
        *x = 0.5 * *x * (1.0 + erf);
    }
}

/// erf with absolute error under 1.2e-7 (the Chebyshev fit of Numerical Recipes' erfc), as
/// the training script computes it: the reference `gelu` is tested against.
#[cfg(test)]
pub fn erf(x: f32) -> f32 {
    const C: [f64; 10] = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ];
    let z = f64::from(x.abs());
    let t = 1.0 / (1.0 + 0.5 * z);
    let mut acc = 0.0;
    for c in C[1..].iter().rev() {
        acc = (acc + c) * t;
    }
    let r = t * (-z * z + C[0] + acc).exp();
    (if x >= 0.0 { 1.0 - r } else { r - 1.0 }) as f32
}

#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let e = exp(-2.0 * x.abs());
    let t = (1.0 - e) / (1.0 + e);
    t.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_functions_match_the_library_ones() {
        for i in -2000..=2000 {
            let x = i as f32 / 50.0;
            assert!((exp(x) - x.exp()).abs() <= 2e-6 * x.exp().max(1e-30), "exp {x}");
            assert!((tanh(x) - x.tanh()).abs() < 1e-6, "tanh {x}");
            assert!((sigmoid(x) - 1.0 / (1.0 + (-x).exp())).abs() < 1e-6, "sigmoid {x}");
        }
        assert_eq!(exp(-1000.0), exp(-87.0));
        for i in -600..=600 {
            let x = i as f32 / 100.0;
            let mut v = [x];
            gelu(&mut v);
            assert!((v[0] - 0.5 * x * (1.0 + erf(x / std::f32::consts::SQRT_2))).abs() < 1e-6, "gelu {x}");
        }
        assert!(exp(1000.0).is_finite());
    }

    #[test]
    fn aligned_buffers_start_a_cache_line_and_keep_their_values() {
        for n in [0, 1, 15, 16, 17, 1000] {
            let values: Vec<f32> = (0..n).map(|i| i as f32).collect();
            let mut a = Aligned::zeroed(n);
            a.copy_from_slice(&values);
            assert_eq!(&a[..], &values[..]);
            assert_eq!(a.as_ptr().addr() % 64, 0, "{n} floats");
        }
    }

    #[test]
    fn affine_equals_the_plain_sum_on_both_paths() {
        // Whole and partial groups of rows and of panels, one output, one bias per row.
        let shapes = [(7, 9, 85, false), (1, 96, 384, false), (4, 3, 1, true), (5, 17, 16, true), (3, 0, 20, false)];
        for (rows, k, m, per_row) in shapes {
            let x: Vec<f32> = (0..rows * k).map(|i| (i as f32 * 0.37).sin()).collect();
            let wt: Vec<f32> = (0..k * m).map(|i| (i as f32 * 0.11).cos()).collect();
            let bias: Vec<f32> = (0..if per_row { rows * m } else { m }).map(|j| j as f32 * 0.01).collect();
            let panels = Panels::new(&wt, k, m);
            assert_eq!(panels.input_major(), wt);
            let torch: Vec<f32> = (0..m * k).map(|i| wt[(i % k) * m + i / k]).collect();
            assert_eq!(Panels::from_torch(&torch, m, k).input_major(), wt);
            let mut fast = vec![0.0; rows * m];
            let mut plain = vec![0.0; rows * m];
            affine(&x, rows, &panels, &bias, &mut fast);
            affine_body::<false>(&x, rows, &panels, &bias, &mut plain);
            for i in 0..rows {
                for j in 0..m {
                    let b = if per_row { bias[i * m + j] } else { bias[j] };
                    let want: f32 = b + (0..k).map(|l| x[i * k + l] * wt[l * m + j]).sum::<f32>();
                    let (f, p) = (fast[i * m + j], plain[i * m + j]);
                    assert!((f - want).abs() < 1e-4 && (p - want).abs() < 1e-4, "{rows}x{k}x{m} at {i},{j}");
                }
            }
        }
    }
}

#[cfg(test)]
mod speed {
    #[test]
    #[ignore]
    fn affine_speed() {
        for (rows, k, m) in [(21usize, 228usize, 768usize), (1, 96, 384), (21, 192, 128), (21, 192, 17)] {
            let x = vec![0.5f32; rows * k];
            let w = super::Panels::new(&vec![0.25f32; k * m], k, m);
            let b = vec![0.0f32; m];
            let mut out = vec![0.0f32; rows * m];
            let reps = 20_000_000 / (rows * k * m) + 1;
            let t = std::time::Instant::now();
            for _ in 0..reps {
                super::affine(&x, rows, &w, &b, &mut out);
                std::hint::black_box(&mut out);
            }
            let s = t.elapsed().as_secs_f64();
            println!("{rows}x{k}x{m}: {:.1} GMAC/s", (reps * rows * k * m) as f64 / s / 1e9);
        }
    }
}
