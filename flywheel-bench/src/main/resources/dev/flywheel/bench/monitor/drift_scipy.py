"""The SciPy/NumPy baseline of DriftBenchmark: Evidently's formulas for large references on the same data.

Called by DriftBenchmark as: python3 drift_scipy.py DIR REPS. DIR holds, per column, ref_<name>.f64 and
cur_<name>.f64 (raw little-endian float64) or ref_<name>.txt and cur_<name>.txt (one value a line). Prints one JSON
line: {"wall_ms": [...], "cpu_ms": [...], "score_sum": ...}.
"""
import json
import os
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance


def shares(ref, cur, numeric):
    if numeric and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return np.histogram(ref, bins)[0] / len(ref), np.histogram(cur, bins)[0] / len(cur)
    keys, inverse = np.unique(np.concatenate([ref, cur]), return_inverse=True)
    rc = np.bincount(inverse[:len(ref)], minlength=len(keys))
    cc = np.bincount(inverse[len(ref):], minlength=len(keys))
    return rc / len(ref), cc / len(cur)


def psi(rp, cp):
    rp, cp = rp.copy(), cp.copy()
    for p in (rp, cp):
        low = min(p[p != 0])
        np.place(p, p == 0, low / 10 ** 6 if low <= 0.0001 else 0.0001)
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def column(ref, cur, numeric):
    if numeric:
        ref = ref[np.isfinite(ref)]
        cur = cur[np.isfinite(cur)]
    if numeric and len(np.unique(np.concatenate([ref, cur]))) > 5:
        score = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    else:
        score = distance.jensenshannon(*shares(ref, cur, numeric))
    return score + psi(*shares(ref, cur, numeric))


def main():
    folder, reps = sys.argv[1], int(sys.argv[2])
    names = sorted({f[4:].rsplit(".", 1)[0] for f in os.listdir(folder) if f.startswith("ref_")})
    data = []
    for name in names:
        numeric = os.path.exists(os.path.join(folder, f"ref_{name}.f64"))
        if numeric:
            load = lambda side: np.fromfile(os.path.join(folder, f"{side}_{name}.f64"), dtype="<f8")
        else:
            load = lambda side: np.array(open(os.path.join(folder, f"{side}_{name}.txt")).read().split("\n"), dtype=object)
        data.append((load("ref"), load("cur"), numeric))
    walls, cpus, total = [], [], 0.0
    for _ in range(reps):
        w0, c0 = time.perf_counter(), time.process_time()
        total = sum(column(r, c, n) for r, c, n in data)
        walls.append((time.perf_counter() - w0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    print(json.dumps({"wall_ms": walls, "cpu_ms": cpus, "score_sum": total}))


if __name__ == "__main__":
    main()
