//! Training the learned work-mode model: multinomial logistic regression fitted to the optimum
//! of its objective (cross-entropy plus an L2 penalty on the weights, not on the bias) by L-BFGS
//! over the whole training set at once.
//!
//! The model was first trained by three epochs of AdaGrad SGD, whose early stop and a penalty
//! applied each time a feature occurred (so frequent features were shrunk most) acted as the
//! regularisation. Fitted to the optimum with the penalty's strength chosen by
//! leave-one-repository-out, the same features measure better (see docs/modes-model.md), and a
//! full-batch fit needs no shuffle: the same samples give the same weights. The optimiser is
//! argmin's; this module is the objective and its gradient over sparse features.

use std::collections::HashMap;
use std::sync::Mutex;

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use rayon::prelude::*;

use super::learned::{MODEL_VERSION, ModelFile};
use super::{MODES, Mode};

/// How strongly the weights are held towards zero, as the inverse of scikit-learn's `C`: the
/// penalty is `‖W‖² / (2C)` beside the summed cross-entropy. Leave-one-repository-out over the
/// training set measured C = 0.1, 0.3 and 1 at 76.8%, 76.9% and 76.7%.
pub const DEFAULT_C: f64 = 0.3;

/// The most L-BFGS iterations a fit may take; the shipped model's converged in 1,488.
const MAX_ITERS: u64 = 10_000;

const K: usize = 9;

/// Samples per parallel part of an evaluation.
const CHUNK: usize = 4096;

/// Train a model on `samples` (features, label): features seen in fewer than `min_count` samples
/// are left out, and the rest are weighed by the fit with penalty `1/c` (see [`DEFAULT_C`]).
pub fn train(
    samples: &[(Vec<(String, f32)>, Mode)],
    c: f64,
    min_count: usize,
) -> anyhow::Result<ModelFile> {
    // Features seen fewer than `min_count` times are noise.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (f, _) in samples {
        for (name, _) in f {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let mut names: Vec<&str> = counts
        .iter()
        .filter(|(_, c)| **c >= min_count)
        .map(|(n, _)| *n)
        .collect();
    // The features most commits have come first, ties by name: scoring lays its table out in
    // this order, so that the rows read for nearly every commit share a few cache lines (see
    // `table.rs`). The fit does not depend on the order.
    names.sort_unstable_by(|a, b| counts[b].cmp(&counts[a]).then_with(|| a.cmp(b)));
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let problem = Problem {
        rows: samples
            .iter()
            .map(|(f, m)| {
                let x = f
                    .iter()
                    .filter_map(|(n, x)| index.get(n.as_str()).map(|&i| (i, f64::from(*x))))
                    .collect();
                (x, m.index())
            })
            .collect(),
        features: names.len(),
        penalty: 1.0 / c,
        last: Mutex::new(None),
    };
    let w = problem.fit()?;
    // Two decimals measure within 0.1 point of the full weights on each held-out repository, in
    // half the bytes of the file.
    let round = |row: &[f64]| -> Vec<f32> {
        row.iter()
            .map(|v| ((v * 100.0).round() / 100.0) as f32 + 0.0)
            .collect()
    };
    let weights = names
        .iter()
        .zip(w.chunks_exact(K))
        .map(|(n, row)| ((*n).to_owned(), round(row)))
        .filter(|(_, row)| row.iter().any(|v| *v != 0.0))
        .collect();
    Ok(ModelFile {
        version: MODEL_VERSION,
        modes: MODES.iter().map(|m| m.as_str().to_owned()).collect(),
        bias: round(&w[names.len() * K..]),
        weights,
        trained_on: Vec::new(),
    })
}

/// The objective over sparse samples. Parameters are the weights, `K` per feature in feature
/// order, then the `K` biases.
struct Problem {
    rows: Vec<(Vec<(usize, f64)>, usize)>,
    features: usize,
    penalty: f64,
    /// The last point evaluated (see [`Problem::both`]).
    last: Mutex<Option<Evaluated>>,
}

/// A point, the objective there and its gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

impl Problem {
    /// The parameters at the objective's minimum, or where L-BFGS stopped. A mode no sample
    /// carries gets no weight and a bias far below the others': it is never predicted.
    fn fit(&self) -> anyhow::Result<Vec<f64>> {
        let start = vec![0.0; (self.features + 1) * K];
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(1e-6)?
            .with_tolerance_cost(1e-12)?;
        let result = Executor::new(self, solver)
            .configure(|state| state.param(start).max_iters(MAX_ITERS))
            .run()
            .map_err(|e| anyhow::anyhow!("the fit of the model failed: {e}"))?;
        if let TerminationStatus::Terminated(TerminationReason::MaxItersReached) =
            result.state().get_termination_status()
        {
            anyhow::bail!(
                "the fit of the model did not converge in {MAX_ITERS} iterations: a smaller C (a stronger penalty) converges sooner"
            );
        }
        result
            .state()
            .get_best_param()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the fit of the model gave no parameters"))
    }

    /// Mean cross-entropy plus the penalty (divided by the sample count, so that the tolerances
    /// mean the same for any number of samples), and its gradient.
    fn evaluate(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let n = self.rows.len().max(1) as f64;
        // Chunks of samples summed apart, in parallel, then added in order: the same sums
        // whatever the number of threads, so the same model from the same samples.
        let parts: Vec<(f64, Vec<f64>)> = self
            .rows
            .par_chunks(CHUNK)
            .map(|rows| self.partial(p, rows))
            .collect();
        let weights = &p[..self.features * K];
        let mut loss: f64 = parts.iter().map(|(l, _)| l).sum();
        loss += 0.5 * self.penalty * weights.iter().map(|w| w * w).sum::<f64>();
        let mut g = vec![0.0; p.len()];
        for (_, part) in &parts {
            for (gv, pv) in g.iter_mut().zip(part) {
                *gv += pv;
            }
        }
        for (gv, w) in g.iter_mut().zip(weights) {
            *gv += self.penalty * w;
        }
        for gv in &mut g {
            *gv /= n;
        }
        (loss / n, g)
    }

    /// The summed cross-entropy of `rows` and its gradient.
    fn partial(&self, p: &[f64], rows: &[(Vec<(usize, f64)>, usize)]) -> (f64, Vec<f64>) {
        let bias = &p[self.features * K..];
        let mut loss = 0.0;
        let mut g = vec![0.0; p.len()];
        for (x, y) in rows {
            let mut s = [0f64; K];
            s.copy_from_slice(bias);
            for &(i, v) in x {
                for (sv, w) in s.iter_mut().zip(&p[i * K..(i + 1) * K]) {
                    *sv += w * v;
                }
            }
            let max = s.iter().copied().fold(f64::MIN, f64::max);
            let e = s.map(|v| (v - max).exp());
            let sum: f64 = e.iter().sum();
            loss += max + sum.ln() - s[*y];
            // The gradient of the cross-entropy by the scores: probability less the label.
            let d: [f64; K] = std::array::from_fn(|c| e[c] / sum - f64::from(u8::from(c == *y)));
            for &(i, v) in x {
                for (gv, dv) in g[i * K..(i + 1) * K].iter_mut().zip(&d) {
                    *gv += dv * v;
                }
            }
            for (gv, dv) in g[self.features * K..].iter_mut().zip(&d) {
                *gv += dv;
            }
        }
        (loss, g)
    }

    /// The objective and its gradient at `p`, evaluated once for both: the line search asks
    /// for each at the same points.
    fn both(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, f, g)) = last.as_ref()
            && at.as_slice() == p
        {
            return (*f, g.clone());
        }
        let (f, g) = self.evaluate(p);
        *last = Some((p.to_vec(), f, g.clone()));
        (f, g)
    }
}

impl CostFunction for &Problem {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Self::Param) -> Result<f64, argmin::core::Error> {
        Ok(self.both(p).0)
    }
}

impl Gradient for &Problem {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, p: &Self::Param) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.both(p).1)
    }
}

#[cfg(test)]
#[path = "train_tests.rs"]
mod tests;
