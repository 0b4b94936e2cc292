//! The dense arithmetic of the neural model: affine maps over rows and fast, vectorisable
//! exp, sigmoid and tanh. Each kernel is compiled twice, for the x86-64 baseline and for
//! AVX2 with FMA, and the second is chosen at run time when the CPU has it (the crate is
//! built for the baseline, where the compiler may not use either).

use std::sync::OnceLock;

/// Outputs of one row computed together in registers by [`affine`] (eight AVX registers,
/// enough independent sums to hide the latency of FMA).
const BLOCK: usize = 64;
/// Rows sharing each weight load, and their outputs held at once (again eight registers).
const ROWS: usize = 4;
const NARROW: usize = 16;

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

/// `out[i][j] = bias[j] + sum_l x[i][l] * wt[l][j]` for `rows` rows of `x` (`rows x k`),
/// `wt` stored input-major (`k x m`), `out` `rows x m`; `bias` may be a row per output row
/// (`rows x m`) or one row (`m`).
pub fn affine(x: &[f32], rows: usize, k: usize, wt: &[f32], m: usize, bias: &[f32], out: &mut [f32]) {
    assert!(x.len() >= rows * k && wt.len() == k * m && out.len() >= rows * m);
    assert!(bias.len() == m || bias.len() >= rows * m);
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: the CPU was checked at run time to have AVX2 and FMA, the only features
        // the function is compiled for; it holds no other unsafe code.
        unsafe { affine_avx2(x, rows, k, wt, m, bias, out) };
        return;
    }
    affine_body::<false>(x, rows, k, wt, m, bias, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn affine_avx2(x: &[f32], rows: usize, k: usize, wt: &[f32], m: usize, bias: &[f32], out: &mut [f32]) {
    affine_body::<true>(x, rows, k, wt, m, bias, out);
}

#[inline(always)]
fn affine_body<const FMA: bool>(x: &[f32], rows: usize, k: usize, wt: &[f32], m: usize, bias: &[f32], out: &mut [f32]) {
    let per_row_bias = bias.len() != m;
    let full = rows / ROWS * ROWS;
    let narrow_end = m / NARROW * NARROW;
    // Blocks of four rows by sixteen outputs, the outputs' blocks outermost: a block's
    // weights (k x 16) then stay in cache while every group of rows reads them (the
    // encoder's maps are larger than L2), and each load of them serves four rows.
    for j in (0..narrow_end).step_by(NARROW) {
        for i in (0..full).step_by(ROWS) {
            let xs: [&[f32]; ROWS] = std::array::from_fn(|r| &x[(i + r) * k..][..k]);
            let mut acc = [[0f32; NARROW]; ROWS];
            for (r, a) in acc.iter_mut().enumerate() {
                let b = if per_row_bias { &bias[(i + r) * m..] } else { bias };
                a.copy_from_slice(&b[j..j + NARROW]);
            }
            for (l, w) in wt.chunks_exact(m).enumerate() {
                let w: &[f32; NARROW] = w[j..j + NARROW].try_into().expect("block");
                let xv = [xs[0][l], xs[1][l], xs[2][l], xs[3][l]];
                for (a, xv) in acc.iter_mut().zip(xv) {
                    for (av, wv) in a.iter_mut().zip(w) {
                        *av = if FMA { xv.mul_add(*wv, *av) } else { *av + xv * *wv };
                    }
                }
            }
            for (r, a) in acc.iter().enumerate() {
                out[(i + r) * m + j..(i + r) * m + j + NARROW].copy_from_slice(a);
            }
        }
    }
    for i in 0..rows {
        let from = if i < full { narrow_end } else { 0 };
        let b = if per_row_bias { &bias[i * m..(i + 1) * m] } else { bias };
        one_row::<FMA>(&x[i * k..(i + 1) * k], wt, m, from, b, &mut out[i * m..(i + 1) * m]);
    }
}

/// Outputs `from..m` of one row.
#[inline(always)]
fn one_row<const FMA: bool>(xi: &[f32], wt: &[f32], m: usize, from: usize, b: &[f32], oi: &mut [f32]) {
    let mut j = from;
    while j < m {
        let width = BLOCK.min(m - j);
        let mut acc = [0f32; BLOCK];
        acc[..width].copy_from_slice(&b[j..j + width]);
        if width == BLOCK {
            for (l, &xv) in xi.iter().enumerate() {
                let w: &[f32; BLOCK] = wt[l * m + j..l * m + j + BLOCK].try_into().expect("block");
                for (a, wv) in acc.iter_mut().zip(w) {
                    *a = if FMA { xv.mul_add(*wv, *a) } else { *a + xv * *wv };
                }
            }
        } else {
            for (l, &xv) in xi.iter().enumerate() {
                let w = &wt[l * m + j..l * m + j + width];
                for (a, wv) in acc[..width].iter_mut().zip(w) {
                    *a = if FMA { xv.mul_add(*wv, *a) } else { *a + xv * *wv };
                }
            }
        }
        oi[j..j + width].copy_from_slice(&acc[..width]);
        j += width;
    }
}

/// A dense layer, its weights stored input-major for [`affine`].
pub(crate) struct Dense {
    pub inputs: usize,
    pub outputs: usize,
    pub wt: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Dense {
    /// From PyTorch's `weight` (`outputs x inputs`) and `bias`.
    pub fn new(weight: &[f32], bias: Vec<f32>, what: &str) -> Result<Dense, String> {
        let outputs = bias.len();
        if outputs == 0 || !weight.len().is_multiple_of(outputs) {
            return Err(format!("{what}: weight and bias do not match"));
        }
        let inputs = weight.len() / outputs;
        Ok(Dense { inputs, outputs, wt: transpose(weight, outputs, inputs), bias })
    }

    pub fn apply(&self, x: &[f32], rows: usize, out: &mut Vec<f32>) {
        out.resize(rows * self.outputs, 0.0);
        affine(x, rows, self.inputs, &self.wt, self.outputs, &self.bias, out);
    }
}

pub(crate) fn transpose(w: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; w.len()];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = w[r * cols + c];
        }
    }
    out
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
    fn affine_equals_the_plain_sum_on_both_paths() {
        let (rows, k, m) = (7, 9, 85);
        let x: Vec<f32> = (0..rows * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let wt: Vec<f32> = (0..k * m).map(|i| (i as f32 * 0.11).cos()).collect();
        let bias: Vec<f32> = (0..m).map(|j| j as f32 * 0.01).collect();
        let mut fast = vec![0.0; rows * m];
        let mut plain = vec![0.0; rows * m];
        affine(&x, rows, k, &wt, m, &bias, &mut fast);
        affine_body::<false>(&x, rows, k, &wt, m, &bias, &mut plain);
        for i in 0..rows {
            for j in 0..m {
                let want: f32 = bias[j] + (0..k).map(|l| x[i * k + l] * wt[l * m + j]).sum::<f32>();
                assert!((fast[i * m + j] - want).abs() < 1e-4 && (plain[i * m + j] - want).abs() < 1e-4);
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
            let wt = vec![0.25f32; k * m];
            let b = vec![0.0f32; m];
            let mut out = vec![0.0f32; rows * m];
            let reps = 20_000_000 / (rows * k * m) + 1;
            let t = std::time::Instant::now();
            for _ in 0..reps {
                super::affine(&x, rows, k, &wt, m, &b, &mut out);
                std::hint::black_box(&mut out);
            }
            let s = t.elapsed().as_secs_f64();
            println!("{rows}x{k}x{m}: {:.1} GMAC/s", (reps * rows * k * m) as f64 / s / 1e9);
        }
    }
}
