"""Computing a budget round of 200 plans and 10,000 ballots: time and peak memory.

    .venv/bin/python bench/budget_round.py [--plans 200] [--ballots 10000] [--seed 1]

The rule only (budgeting.outcome.compute: equal shares with completion, greedy beside it, the
numbers for the explanations), on generated ballots: costs € 5.000–80.000, a budget of
€ 1.000.000, each voter approving 3 to 10 plans with a skewed popularity, as in real rounds. No
database: reading 10,000 ballots is one query (budgeting.services.round_election). Writes
bench/results/budget_round.json as a list of {"measure", "value", "unit", "target", "ok"}.
"""

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 300  # the civil servant presses "compute" once a round, and waits for the page
TARGET_MEMORY_MB = 512  # the worker's container limit in deploy/


def generate(plans: int, ballots: int, seed: int):
    from budgeting.outcome import PlanInput

    rng = random.Random(seed)
    items = [PlanInput(i + 1, rng.randint(5, 80) * 1000) for i in range(plans)]
    popularity = [rng.random() ** 2 for _ in items]
    numbers = [p.number for p in items]
    chosen = []
    for _ in range(ballots):
        picks = set()
        size = rng.randint(3, 10)
        while len(picks) < size:
            picks.update(rng.choices(numbers, weights=popularity, k=size - len(picks)))
        chosen.append(sorted(picks))
    return items, chosen


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--budget", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from budgeting.outcome import compute

    plans, ballots = generate(args.plans, args.ballots, args.seed)
    start = time.perf_counter()
    outcome = compute(args.budget, plans, ballots)
    seconds = time.perf_counter() - start
    # ru_maxrss is in KiB on Linux: the whole process, the interpreter and the data included.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cost = {p.number: p.cost for p in plans}
    spent = sum(cost[n] for n in outcome.mes)
    label = f"{args.plans} plans, {args.ballots} ballots"
    rows = [
        {"measure": f"budget round: compute ({label})", "value": round(seconds, 1),
         "unit": "s", "target": f"< {TARGET_SECONDS}", "ok": seconds < TARGET_SECONDS},
        {"measure": f"budget round: peak memory ({label})", "value": round(peak_mb),
         "unit": "MB", "target": f"< {TARGET_MEMORY_MB}", "ok": peak_mb < TARGET_MEMORY_MB},
        {"measure": "budget round: equal shares within the budget", "value": spent,
         "unit": "EUR", "target": f"<= {args.budget}", "ok": spent <= args.budget},
        {"measure": "budget round: every ballot counted", "value": outcome.ballots,
         "unit": "ballots", "target": f"= {args.ballots}", "ok": outcome.ballots == args.ballots},
    ]  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "budget_round.json").write_text(json.dumps(rows, indent=2) + "\n")
    for row in rows:
        print(f"{row['measure']}: {row['value']} {row['unit']} (target {row['target']}) "
              f"{'ok' if row['ok'] else 'NOT OK'}")  # fmt: skip
    print(f"equal shares funds {len(outcome.mes)} plans ({len(outcome.mes_phase)} by the rule "
          f"itself), greedy {len(outcome.greedy)}")  # fmt: skip
    return 0 if all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
