"""Matching speed: N EU x N JP generated firms, top 20 each, against the floor of bare products.

Run: .venv/bin/python bench/matching_speed.py [--sizes 1000 2500 5000 10000] [--top 20]
(repeat a size to measure it again: --sizes 1000 2500 5000 10000 10000 10000)

Each size runs in its own process so that its peak memory (ru_maxrss) is its own. The floor is
the bare products of the same matrices, each done the fastest plain way, summed, plus an
argpartition top-k, in the same blocks and the same process: what any method reading those
matrices must pay (see floor_seconds); the best of three runs. "floor v1" is the floor as first
measured (one run), for comparison.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from companies.synthetic import generate_profiles  # noqa: E402  (after the path fix)
from matchmaking.engine import MatchSettings, prepare, profile_from_dict, score_block  # noqa: E402
from matchmaking.engine.core import ROWS_PER_PASS, Prepared, text_matrices_read  # noqa: E402
from matchmaking.engine.text import WHOLE  # noqa: E402


def floor_seconds(prepared: Prepared, top: int, rows_per_pass: int) -> float:
    """The bare products of the engine's matrices (the text matrices its weighted parts read, and the
    structural ones), each done the fastest plain way, summed, plus an argpartition top-k: what any
    method that reads these matrices must pay.

    Per side, the other side's operands are made once (text matrices densified, structural ones
    transposed): a sparse block times a dense matrix gives the same numbers as the sparse-sparse
    product and is about three times faster. Products and sums write into buffers made once where
    numpy allows it (fresh arrays of this size cost page faults). No ties, thresholds or records.
    """
    s, m = prepared.structure, prepared.text.matrices
    started = time.perf_counter()
    for side, other in (("EU", "JP"), ("JP", "EU")):
        rows_all, cols = prepared.members[side], prepared.members[other]
        read = text_matrices_read(prepared.settings)
        text = {name: prepared.candidates[(name, other)].toarray() for name in read}
        products = [("seek", "offer"), ("offer", "seek")] if "seek" in read else []
        products += [(name, name) for name in ("topic", *WHOLE) if name in read]
        pairs = [
            (s.sector, s.sector), (s.stage_buyers, s.stage), (s.stage, s.stage_buyers), (s.stage, s.stage),
            (s.partnership_fits, s.partnership), (s.dependency, s.supplier), (s.supplier, s.dependency),
        ]  # fmt: skip
        dense = [(left, np.ascontiguousarray(right[cols].T)) for left, right in pairs]
        scratch = {}
        for start in range(0, len(rows_all), rows_per_pass):
            rows = rows_all[start : start + rows_per_pass]
            if len(rows) not in scratch:
                scratch[len(rows)] = np.empty((len(rows), len(cols)), dtype=np.float32)
            product = scratch[len(rows)]
            total = np.zeros((len(rows), len(cols)), dtype=np.float32)
            for left, right in products:
                total += m[left][rows] @ text[right]
            for left, right in dense:
                np.matmul(left[rows], right, out=product)
                total += product
            np.argpartition(total, total.shape[1] - top, axis=1)[:, -top:]
    return time.perf_counter() - started


def floor_v1_seconds(prepared: Prepared, top: int) -> float:
    """The floor as measured before engine 1.0.0's speed-up, kept for comparison: sparse-sparse text
    products, the other side's structural operands gathered again for every block."""
    s, m = prepared.structure, prepared.text.matrices
    started = time.perf_counter()
    for side, other in (("EU", "JP"), ("JP", "EU")):
        rows_all, cols = prepared.members[side], prepared.members[other]
        candidates = {name: m[name][cols].T.tocsr() for name in ("offer", "seek", "topic")}
        for start in range(0, len(rows_all), prepared.settings.block_size):
            rows = rows_all[start : start + prepared.settings.block_size]
            total = (m["seek"][rows] @ candidates["offer"]).toarray()
            total += (m["offer"][rows] @ candidates["seek"]).toarray()
            total += (m["topic"][rows] @ candidates["topic"]).toarray()
            total += s.sector[rows] @ s.sector[cols].T
            total += s.stage_buyers[rows] @ s.stage[cols].T + s.stage[rows] @ s.stage_buyers[cols].T
            total += s.stage[rows] @ s.stage[cols].T
            total += s.partnership_fits[rows] @ s.partnership[cols].T
            total += s.dependency[rows] @ s.supplier[cols].T + s.supplier[rows] @ s.dependency[cols].T
            np.argpartition(-total, top - 1, axis=1)[:, :top]
    return time.perf_counter() - started


def run_one(per_side: int, top: int) -> dict[str, Any]:
    firms = generate_profiles(2 * per_side, seed=11)
    profiles = [profile_from_dict(f) for f in firms]
    settings = MatchSettings(top_k=top, min_score=0)
    started = time.perf_counter()
    prepared = prepare(profiles, settings)
    prepared_at = time.perf_counter()
    suggestions = score_block(prepared, [p.id for p in profiles])
    scored_at = time.perf_counter()
    # The floor's best of three runs and of two pass sizes (the engine's and the run's block size):
    # BLAS threads suffer most from a neighbour's load, and a floor should be the least it can cost.
    # The engine itself is timed once.
    sizes = (ROWS_PER_PASS, settings.block_size)
    floor = min(floor_seconds(prepared, top, size) for _ in range(3) for size in sizes)
    floor_v1 = floor_v1_seconds(prepared, top)
    return {
        "per_side": per_side,
        "prepare": prepared_at - started,
        "score": scored_at - prepared_at,
        "total": scored_at - started,
        "floor": floor,
        "floor_v1": floor_v1,
        "suggestions": len(suggestions),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000])
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--single", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        print(json.dumps(run_one(args.single, args.top)))
        return
    rows = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--single", str(size), "--top", str(args.top)]
        rows.append(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))
    print(f"top {args.top}, block size {MatchSettings().block_size}, float32, sparse text features")
    print(
        f"{'per side':>9}{'prepare s':>11}{'score s':>9}{'total s':>9}{'floor s':>9}{'total/floor':>13}"
        f"{'floor v1 s':>12}{'total/v1':>10}{'peak MB':>9}{'growth':>8}"
    )
    for row in rows:
        growth = row["total"] / rows[0]["total"]
        print(
            f"{row['per_side']:>9}{row['prepare']:>11.1f}{row['score']:>9.1f}{row['total']:>9.1f}{row['floor']:>9.1f}"
            f"{row['total'] / row['floor']:>13.2f}{row['floor_v1']:>12.1f}{row['total'] / row['floor_v1']:>10.2f}"
            f"{row['peak_mb']:>9.0f}{growth:>7.1f}x"
        )


if __name__ == "__main__":
    main()
