#!/usr/bin/env python3
"""Reference values for flywheel-monitor's drift statistics, computed once with SciPy and NumPy.

How to regenerate (from the repository root; Debian's python3-scipy and python3-numpy are enough):

    /usr/bin/python3 flywheel-monitor/src/test/resources/dev/flywheel/monitor/scipy/drift_fixtures.py

It rewrites drift-fixtures.json beside this file. DriftAgreementTest reads that file, rebuilds the same samples
in Java and asserts that every statistic agrees to 1e-6.

The samples are not stored: each is described by a seed and a recipe, and both sides draw it from the same
integer generator (SplitMix64) and turn integers into doubles with one correctly rounded division, so Python and
Java hold bit-identical data. The recipes sweep sizes (5 to 200,000 rows), equal and unequal sizes, heavy ties,
shifts, skew, missing values, constant columns, low-cardinality and binary numbers, categorical columns with
categories unseen in the reference or absent from the current data, and the KS method boundary (SciPy's exact
p-value up to 10,000 rows per sample, asymptotic above, including the half-integer n*m/(n+m) case).

What each number is (SciPy/NumPy call, or the formula Evidently's stattests apply around it):
- ks_statistic, ks_p_value: scipy.stats.ks_2samp(ref, cur) (method='auto', two-sided).
- wasserstein_norm: scipy.stats.wasserstein_distance(ref, cur) / max(numpy.std(ref), 0.001).
- chi2_statistic, chi2_p_value: scipy.stats.chisquare(f_obs, f_exp) over the union of values, with
  f_exp = reference count * (current size / reference size) (Evidently's chisquare stattest).
- z_statistic, z_p_value: Evidently's proportion-difference Z-test (first sorted value against the rest),
  p = 2 * (1 - scipy.stats.norm.cdf(|z|)); 1 when both samples hold the same single value.
- jensen_shannon: scipy.spatial.distance.jensenshannon(ref_share, cur_share) (natural log) over Evidently's bins.
- psi: sum((ref_share - cur_share) * ln(ref_share / cur_share)) over Evidently's bins with empty bins filled.
- Evidently's bins (get_binned_data): a numeric column whose reference has more than 20 distinct values uses
  numpy.histogram_bin_edges(concat(ref, cur), bins='sturges') for both samples; any other column uses one bin per
  value seen in either sample. PSI then replaces empty shares by min(non-empty share)/1e6 when that minimum is
  <= 1e-4, else by 1e-4 (Jensen-Shannon does not).
- kolmogorov: scipy.stats.kstwo.sf(d, n) over a grid of n and d: the distribution ks_2samp's asymptotic p-value
  uses, with n = numpy.round(n1*n2/(n1+n2)) (round half to even).
- default_method: Evidently's automatic choice, which this script mirrors (Evidently itself is not installed):
  reference <= 1000 rows: numeric with > 5 distinct values (in both samples together) -> ks; otherwise
  chisquare, or z when there are at most 2 distinct values; reference > 1000 rows: numeric with > 5 distinct
  values -> wasserstein, otherwise jensenshannon. Missing values (NaN, None, +-inf) are dropped first.
- default_drifted: p-value tests drift when p < threshold (0.05); distances when score >= threshold (0.1).
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

MASK = (1 << 64) - 1


class SplitMix64:
    """The generator both sides use: Steele, Lea and Flood's SplitMix64."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, bound):
        # Java: Long.remainderUnsigned(next(), bound)
        return self.next() % bound


def numeric_sample(spec):
    """Row i: m = below(1000); x from the shape; the value is (x + offset) / divisor, or missing if m < missing."""
    rng = SplitMix64(spec["seed"])
    r, offset, divisor, missing = spec["range"], spec["offset"], spec["divisor"], spec["missing_per_mille"]
    out = []
    for _ in range(spec["n"]):
        m = rng.below(1000)
        if spec["shape"] == "uniform":
            x = rng.below(r)
        elif spec["shape"] == "bell":
            x = rng.below(r) + rng.below(r) + rng.below(r) + rng.below(r)
        elif spec["shape"] == "skew":
            a = rng.below(r)
            x = a * a // r
        else:
            raise ValueError(spec["shape"])
        out.append(float("nan") if m < missing else (x + offset) / divisor)
    return np.array(out, dtype=np.float64)


def categorical_sample(spec):
    """Row i: m = below(1000); r = below(sum(weights)) picks a category by cumulative weight; missing if m < missing."""
    rng = SplitMix64(spec["seed"])
    cats, weights, missing = spec["categories"], spec["weights"], spec["missing_per_mille"]
    total = sum(weights)
    out = []
    for _ in range(spec["n"]):
        m = rng.below(1000)
        r = rng.below(total)
        acc = 0
        pick = None
        for c, w in zip(cats, weights):
            acc += w
            if r < acc:
                pick = c
                break
        out.append(None if m < missing else pick)
    return out


def num(n, seed, shape="bell", range_=1000, divisor=100, offset=0, missing=0):
    return {"n": n, "seed": seed, "shape": shape, "range": range_, "divisor": divisor, "offset": offset,
            "missing_per_mille": missing}


def cat(n, seed, categories, weights, missing=0):
    return {"n": n, "seed": seed, "categories": categories, "weights": weights, "missing_per_mille": missing}


def shares(ref, cur, numeric, fill_zeroes):
    if numeric and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
    else:
        rc, cc = value_counts(ref, cur)
        rp = np.array(rc) / len(ref)
        cp = np.array(cc) / len(cur)
    if fill_zeroes:
        for p in (rp, cp):
            low = min(p[p != 0])
            np.place(p, p == 0, low / 10 ** 6 if low <= 0.0001 else 0.0001)
    return rp, cp


def value_counts(ref, cur):
    """Counts of each value of either sample, values ascending: (reference counts, current counts)."""
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    rc = {k: 0 for k in keys}
    cc = {k: 0 for k in keys}
    for v in ref.tolist():
        rc[v] += 1
    for v in cur.tolist():
        cc[v] += 1
    return [rc[k] for k in keys], [cc[k] for k in keys]


def chi2(ref, cur):
    rc, cc = value_counts(ref, cur)
    k_norm = len(cur) / len(ref)
    f_exp = [r * k_norm for r in rc]
    f_obs = cc
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.chisquare(f_obs, f_exp)
    return float(res[0]), float(res[1])


def z_test(ref, cur):
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    if len(set(ref.tolist())) == 1 and len(set(cur.tolist())) == 1 and ref[0] == cur[0]:
        return 0.0, 1.0
    r = np.array([0 if v == keys[0] else 1 for v in ref.tolist()])
    c = np.array([0 if v == keys[0] else 1 for v in cur.tolist()])
    n1, n2 = len(r), len(c)
    p1 = float(sum(r)) / n1
    p2 = float(sum(c)) / n2
    p = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2))
    return float(z), float(2 * (1 - stats.norm.cdf(np.abs(z))))


THRESHOLDS = {"ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1, "jensenshannon": 0.1, "psi": 0.1}


def default_method(ref, cur, numeric):
    n_values = len(set(ref.tolist()) | set(cur.tolist()))
    if len(ref) <= 1000:
        if numeric and n_values > 5:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if numeric and n_values > 5:
        return "wasserstein"
    return "jensenshannon"


def expected(ref, cur, numeric):
    out = {"reference_count": len(ref), "current_count": len(cur)}
    n_values = len(set(ref.tolist()) | set(cur.tolist()))
    out["distinct_values"] = n_values
    if numeric:
        ks = stats.ks_2samp(ref, cur)
        out["ks_statistic"] = float(ks.statistic)
        out["ks_p_value"] = float(ks.pvalue)
        out["wasserstein_norm"] = float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))
    if not numeric or n_values <= 20:
        out["chi2_statistic"], out["chi2_p_value"] = chi2(ref, cur)
        out["z_statistic"], out["z_p_value"] = z_test(ref, cur)
    rp, cp = shares(ref, cur, numeric, False)
    out["jensen_shannon"] = float(distance.jensenshannon(rp, cp))
    rp, cp = shares(ref, cur, numeric, True)
    out["psi"] = float(np.sum((rp - cp) * np.log(rp / cp)))
    method = default_method(ref, cur, numeric)
    out["default_method"] = method
    value = {"ks": "ks_p_value", "chisquare": "chi2_p_value", "z": "z_p_value",
             "wasserstein": "wasserstein_norm", "jensenshannon": "jensen_shannon"}[method]
    score = out[value]
    out["default_drifted"] = bool(score < THRESHOLDS[method]) if value.endswith("p_value") \
        else bool(score >= THRESHOLDS[method])
    return out


NUMERIC_CASES = [
    ("tiny samples, no ties", num(5, 1, "uniform", 1_000_000, 1000), num(7, 2, "uniform", 1_000_000, 1000)),
    ("equal sizes, same distribution", num(40, 3), num(40, 4)),
    ("equal sizes, shifted", num(40, 5), num(40, 6, offset=600)),
    ("heavy ties: 20 values", num(300, 7, "uniform", 20, 1), num(200, 8, "uniform", 20, 1)),
    ("1000 rows each, 5% missing", num(1000, 9, missing=50), num(1000, 10, missing=50)),
    ("skewed and shifted", num(1000, 11, "skew", 10_000, 100), num(3000, 12, "skew", 10_000, 100, offset=300)),
    ("small reference, large current: asymptotic KS", num(800, 13), num(15_000, 14, offset=40)),
    ("10,000 rows each: largest exact KS", num(10_000, 15), num(10_000, 16, offset=25)),
    ("10,001 rows each: asymptotic KS with n*m/(n+m) = 5000.5", num(10_001, 17), num(10_001, 18, offset=25)),
    ("5,000 vs 7,000: exact KS, unequal sizes", num(5_000, 19), num(7_000, 20, offset=20)),
    ("large reference: Wasserstein", num(2_000, 21), num(2_500, 22, offset=30)),
    ("large reference, large current", num(100_000, 23, "skew", 1_000_000, 1000),
     num(200_000, 24, "skew", 1_000_000, 1000, offset=5_000)),
    ("four values: chi-squared", num(500, 25, "uniform", 4, 1), num(600, 26, "uniform", 4, 1)),
    ("binary numbers, small reference: Z-test", num(300, 27, "uniform", 2, 1), num(400, 28, "uniform", 2, 1, offset=0)),
    ("binary numbers, large reference: Jensen-Shannon", num(5_000, 29, "uniform", 2, 1), num(5_000, 30, "uniform", 2, 1)),
    ("a value unseen in the reference", num(400, 31, "uniform", 3, 1), num(400, 32, "uniform", 4, 1)),
    ("identical samples", num(500, 33), num(500, 33)),
    ("constant reference", num(2_000, 34, "uniform", 1, 1), num(2_000, 35, "uniform", 10, 1)),
    ("far shift: empty histogram bins", num(3_000, 36), num(3_000, 37, offset=5_000)),
    ("missing values, 30%", num(1_500, 38, "skew", 5_000, 10, missing=300), num(1_200, 39, "skew", 5_000, 10, missing=300)),
]

CATEGORICAL_CASES = [
    ("five categories, same weights",
     cat(200, 101, ["a", "b", "c", "d", "e"], [5, 4, 3, 2, 1]), cat(300, 102, ["a", "b", "c", "d", "e"], [5, 4, 3, 2, 1])),
    ("a category unseen in the reference",
     cat(200, 103, ["a", "b", "c"], [1, 1, 1]), cat(300, 104, ["a", "b", "c", "new"], [1, 1, 1, 1])),
    ("a category absent from the current data",
     cat(500, 105, ["a", "b", "c", "gone"], [3, 3, 3, 1]), cat(500, 106, ["a", "b", "c"], [3, 3, 3])),
    ("large reference: Jensen-Shannon",
     cat(5_000, 107, ["x", "y", "z", "w"], [4, 3, 2, 1]), cat(8_000, 108, ["x", "y", "z", "w"], [3, 3, 2, 2])),
    ("binary strings: Z-test", cat(500, 109, ["no", "yes"], [7, 3]), cat(700, 110, ["no", "yes"], [6, 4])),
    ("binary strings, large reference", cat(3_000, 111, ["no", "yes"], [7, 3]), cat(3_000, 112, ["no", "yes"], [7, 3])),
    ("10% missing", cat(800, 113, ["p", "q", "r"], [1, 2, 3], missing=100), cat(900, 114, ["p", "q", "r"], [1, 2, 3], missing=100)),
    ("one category on both sides", cat(100, 115, ["only"], [1]), cat(100, 116, ["only"], [1])),
    ("many categories",
     cat(1_000, 117, [f"c{i:02d}" for i in range(40)], list(range(1, 41))),
     cat(1_000, 118, [f"c{i:02d}" for i in range(40)], list(range(40, 0, -1)))),
]


def main():
    cases = []
    for name, rs, cs in NUMERIC_CASES:
        ref = numeric_sample(rs)
        cur = numeric_sample(cs)
        ref = ref[np.isfinite(ref)]
        cur = cur[np.isfinite(cur)]
        cases.append({"name": name, "kind": "numeric", "reference": rs, "current": cs,
                      "expected": expected(ref, cur, True)})
    for name, rs, cs in CATEGORICAL_CASES:
        ref = np.array([v for v in categorical_sample(rs) if v is not None], dtype=object)
        cur = np.array([v for v in categorical_sample(cs) if v is not None], dtype=object)
        cases.append({"name": name, "kind": "categorical", "reference": rs, "current": cs,
                      "expected": expected(ref, cur, False)})
    kolmogorov = []
    for n in (1, 2, 3, 10, 50, 139, 140, 141, 500, 999, 1000, 1001, 5000, 5001, 10_000, 100_000):
        for d in (0.0001, 0.001, 0.004, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 0.99):
            kolmogorov.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})
    doc = {
        "about": "Computed by drift_fixtures.py beside this file; see its docstring for what each number is.",
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": cases,
        "kolmogorov": kolmogorov,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "drift-fixtures.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=True)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
