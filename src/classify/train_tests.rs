//! Training's tests: the objective's gradient against finite differences, the fit at the
//! objective's minimum, and a model that decides as its samples teach.

use std::sync::Mutex;

use super::*;
use crate::classify::Model;

fn problem() -> Problem {
    // Three features, four modes present, overlapping so that no weight runs off to infinity.
    let rows = vec![
        (vec![(0, 1.0), (1, 0.5)], Mode::Fix.index()),
        (vec![(0, 1.0)], Mode::Build.index()),
        (vec![(1, 1.0), (2, 0.25)], Mode::Test.index()),
        (vec![(2, 1.0)], Mode::Build.index()),
        (vec![(0, 0.5), (2, 1.0)], Mode::Communicate.index()),
        (vec![(1, 1.0)], Mode::Fix.index()),
    ];
    Problem {
        rows,
        features: 3,
        penalty: 0.7,
        last: Mutex::new(None),
    }
}

/// The analytic gradient is the objective's: central differences agree on every parameter.
#[test]
fn gradient_matches_finite_differences() {
    let p = problem();
    let params: Vec<f64> = (0..(p.features + 1) * K)
        .map(|i| ((i * 37 % 11) as f64 - 5.0) / 7.0)
        .collect();
    let (_, g) = p.evaluate(&params);
    let h = 1e-6;
    for i in 0..params.len() {
        let (mut up, mut down) = (params.clone(), params.clone());
        up[i] += h;
        down[i] -= h;
        let numeric = (p.evaluate(&up).0 - p.evaluate(&down).0) / (2.0 * h);
        assert!(
            (numeric - g[i]).abs() < 1e-6,
            "parameter {i}: analytic {} numeric {numeric}",
            g[i]
        );
    }
}

/// The fit stops at the minimum: the gradient there is all but zero, and moving any weight
/// either way raises the objective.
#[test]
fn fit_reaches_the_minimum() {
    let p = problem();
    let w = p.fit().unwrap();
    let (at, g) = p.evaluate(&w);
    // The biases of the five absent modes still fall (towards minus infinity), ever more slowly.
    let largest = g[..p.features * K].iter().fold(0f64, |m, v| m.max(v.abs()));
    assert!(largest < 1e-5, "gradient {largest}");
    for i in 0..p.features * K {
        for step in [1e-3, -1e-3] {
            let mut moved = w.clone();
            moved[i] += step;
            assert!(p.evaluate(&moved).0 > at, "weight {i} by {step}");
        }
    }
    // Modes no sample carries are never predicted.
    let bias = &w[p.features * K..];
    for m in [Mode::Orchestrate, Mode::Operate, Mode::Plan] {
        assert!(
            bias[m.index()] < bias[Mode::Build.index()] - 3.0,
            "{bias:?}"
        );
    }
}

/// Training finds the words that separate two modes.
#[test]
fn training_learns_separable_words() {
    let mut samples = Vec::new();
    for i in 0..200 {
        let (word, mode) = if i % 2 == 0 {
            ("crash", Mode::Fix)
        } else {
            ("add", Mode::Build)
        };
        samples.push((
            vec![(format!("s:{word}"), 1.0), (format!("s:w{}", i % 7), 1.0)],
            mode,
        ));
    }
    let trained = train(&samples, DEFAULT_C, 2).unwrap();
    // Most frequent first (100 commits each, then 29 and 28), ties by name: the order scoring
    // lays its table out in.
    let names: Vec<&str> = trained.weights.iter().map(|(n, _)| n.as_str()).collect();
    let expected: Vec<&str> = [
        "s:add", "s:crash", "s:w0", "s:w1", "s:w2", "s:w3", "s:w4", "s:w5", "s:w6",
    ]
    .into_iter()
    .filter(|n| names.contains(n))
    .collect();
    assert_eq!(names, expected);
    assert_eq!(names[..2], ["s:add", "s:crash"]);
    let model = Model::parse(&serde_json::to_string(&trained).unwrap(), "t").unwrap();
    assert_eq!(
        model
            .predict_features(&[("s:crash".into(), 1.0)], Mode::Build)
            .0,
        Mode::Fix
    );
    assert_eq!(
        model
            .predict_features(&[("s:add".into(), 1.0)], Mode::Fix)
            .0,
        Mode::Build
    );
    let why = model.strongest(
        &[("s:crash".into(), 1.0), ("s:w3".into(), 1.0)],
        Mode::Fix,
        1,
    );
    assert_eq!(why[0].0, "s:crash");
}

/// scikit-learn's multinomial logistic regression minimises the same objective (the summed
/// cross-entropy plus `‖W‖² / 2C`, the intercepts free) by its own L-BFGS: on a random sparse
/// problem with overlapping classes, both fits give the same weights and the same intercepts up
/// to the constant that softmax ignores.
#[test]
fn fit_agrees_with_scikit_learn() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let has = Command::new("python3")
        .args(["-c", "import sklearn"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        eprintln!(
            "SKIPPED: scikit-learn is not installed (`python3 -m pip install scikit-learn`; .ci/run installs it)"
        );
        return;
    }
    // Four modes over twelve features; each sample has three features, drawn from a small
    // xorshift generator, with the label leaning on the first one so that the fit is not flat.
    let (features, classes) = (12usize, [0usize, 1, 2, 8]);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n) as usize
    };
    let rows: Vec<(Vec<(usize, f64)>, usize)> = (0..400)
        .map(|_| {
            let mut x: Vec<(usize, f64)> = Vec::new();
            while x.len() < 3 {
                let i = next(features as u64);
                if x.iter().all(|(j, _)| *j != i) {
                    x.push((i, 0.25 + next(4) as f64 * 0.25));
                }
            }
            let y = if next(3) == 0 {
                classes[next(4)]
            } else {
                classes[x[0].0 % 4]
            };
            (x, y)
        })
        .collect();
    let c = 0.3;
    let problem = Problem {
        rows: rows.clone(),
        features,
        penalty: 1.0 / c,
        last: Mutex::new(None),
    };
    let ours = problem.fit().unwrap();

    let data = serde_json::json!({
        "rows": rows.iter().map(|(x, _)| x).collect::<Vec<_>>(),
        "y": rows.iter().map(|(_, y)| y).collect::<Vec<_>>(),
        "features": features,
        "c": c,
    });
    let script = r#"
import json, sys
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
d = json.load(sys.stdin)
r, k, v = [], [], []
for n, row in enumerate(d["rows"]):
    for i, x in row:
        r.append(n); k.append(i); v.append(x)
X = csr_matrix((v, (r, k)), shape=(len(d["rows"]), d["features"]))
m = LogisticRegression(C=d["c"], tol=1e-10, max_iter=10000).fit(X, d["y"])
print(json.dumps({"classes": m.classes_.tolist(), "coef": m.coef_.tolist(), "intercept": m.intercept_.tolist()}))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(data.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<usize> = theirs["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(got, classes);
    let intercept = |k: usize| theirs["intercept"][k].as_f64().unwrap();
    let shift = |ours: f64, k: usize| ours - intercept(k);
    let base = shift(ours[features * K + classes[0]], 0);
    for (k, &class) in classes.iter().enumerate() {
        for i in 0..features {
            let (a, b) = (ours[i * K + class], theirs["coef"][k][i].as_f64().unwrap());
            assert!(
                (a - b).abs() < 1e-4,
                "feature {i}, mode {class}: {a} against {b}"
            );
        }
        let s = shift(ours[features * K + class], k);
        assert!(
            (s - base).abs() < 1e-4,
            "intercept of mode {class}: {s} against {base}"
        );
    }
    // The fit is not trivial: the first feature of a sample leans on its label.
    assert!(ours[..features * K].iter().any(|w| w.abs() > 0.2));
}
