"""Benchmark: ``mkdocs-runbooks validate`` against a bare ``yaml.load`` of the same files.

Generates realistic, varied plans (about 150 lines each) in a temporary folder, then times,
best of N runs each and in this one process:

(a) ``mkdocs-runbooks validate <folder>``, called in-process as ``main([...])`` with stdout
    captured: discovery, reading, YAML, model validation, cross-key checks, best-practice
    rules and the report are all inside the timing; interpreter start-up and imports are not
    (they are not in (b) either);
(b) a bare pure-Python ``yaml.load(text, Loader=yaml.SafeLoader)`` of every file, each read
    from disk inside the timed loop (the file list is collected before timing).

and prints both times and the ratio validate / bare (target: <= 0.8). For reference it also
times (c), the same loop with libyaml's ``CSafeLoader`` (the parser the validator uses).

    python benchmarks/validate.py [--plans 1500] [--repeat 3] [--profile] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from mkdocs_runbooks.cli import main

PATTERNS = [
    "blue-green",
    "canary",
    "rolling",
    "feature-flags",
    "recreate",
    "Blue_Green",
    "bluegreen",
]
STATUSES = ["draft", "in-review", "approved", "scheduled", "completed", "rolled-back", "In_Review"]
LEVELS = ["low", "medium", "high", "critical"]
PEOPLE = [
    ("Alice Martin", "@alice"),
    ("Bao Tran", "bao@example.com"),
    ("Chidi Okafor", "@chidi"),
    ("Dana Kowalski", "dana@example.com"),
    ("Eve Laurent", "@eve"),
    ("Farid Haddad", "@farid"),
    ("Grace Liu", "grace@example.com"),
]
ROLES = ["Deployment Lead", "Technical Executor", "Monitoring Observer", "Release Manager"]
WORDS = [
    *("cache", "queue", "schema", "index", "token", "vault", "ledger", "invoice", "session"),
    *("search", "report", "billing", "payment", "profile", "catalog", "inventory"),
    *("shipment", "notification", "webhook", "export", "import"),
]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _duration(rng: random.Random) -> str:
    return rng.choice(["90s", "5m", "10m", "15m", "30m", "45m", "1h", "1h30m", "2h30m"])


def _step(rng: random.Random, service: str, n: int, explicit_id: bool) -> list[str]:
    lines = []
    if explicit_id:
        lines.append(f"      - id: step-{n}")
        lines.append(f"        title: {_words(rng, 3).capitalize()} check {n}")
    else:
        lines.append(f"      - title: {_words(rng, 4).capitalize()} step {n}")
    lines.append(f"        owner: {rng.choice(ROLES)}")
    if rng.random() < 0.35:
        lines += [
            "        command: |",
            f"          kubectl -n {service} rollout status deploy/{service} --timeout=300s",
            f"          ./scripts/check.sh --service {service} --since 5m | tee /tmp/{n}.log",
        ]
    else:
        lines.append(
            f"        command: kubectl -n {service} set image deploy/{service} "
            f"app=registry.example.com/{service}:{n}"
        )
    lines.append(f'        expected: The {_words(rng, 2)} reports "ok" within {_duration(rng)}.')
    if rng.random() < 0.7:
        health = f"curl -fsS https://{service}.example.com/healthz"
        lines.append(f"        verify: \"{health} | grep 'status: ok'\"")
    if rng.random() < 0.5:
        lines.append(f"        duration: {_duration(rng)}")
    if rng.random() < 0.4:
        lines.append(f"        notes: Watch the *{rng.choice(WORDS)}* dashboard; `{n}` is fine.")
    return lines


def _parameters(rng: random.Random, pattern: str) -> list[str]:
    if pattern == "canary":
        return ["  parameters:", "    steps: [5, 25, 50, 100]", f"    interval: {_duration(rng)}"]
    if pattern == "rolling":
        return [
            "  parameters:",
            f"    batch_size: {rng.choice(['1', '2', '25%'])}",
            "    pause: 2m",
        ]
    if pattern == "recreate":
        return ["  parameters:", "    expected_downtime: 20m"]
    return ["  parameters:", "    switch: load balancer", "    standby: 24h"]


def plan_text(rng: random.Random, service: str, release: str, date: str) -> str:
    """One valid plan of roughly 150 lines."""
    pattern = rng.choice(PATTERNS)
    base_pattern = pattern.lower().replace("_", "-").replace("bluegreen", "blue-green")
    people = rng.sample(PEOPLE, 4)
    out = [
        f"# Deployment plan for {service} {release}",
        "schema_version: 1",
        f"service: {service}",
        f"release: {release}",
        f"environment: {rng.choice(['production', 'staging', 'eu-production'])}",
        f"title: {service} {release} - {_words(rng, 3)}",
        f"date: {date}",
        "window:",
        f'  start: "{date}T22:00:00+01:00"',
        f"  duration: {rng.choice(['1h', '2h', '2h30m', '3h'])}",
        f"status: {rng.choice(STATUSES)}",
        "summary: |",
        f"  Moves {_words(rng, 3)} to the new {_words(rng, 2)} service.",
        f"  Keeps the old {_words(rng, 2)} path until the next release.",
        "links:",
        f"  - title: Change ticket CHG-{rng.randint(1000, 9999)}",
        f"    url: https://change.example.com/CHG-{rng.randint(1000, 9999)}",
        "  - title: Release dashboard",
        f"    url: https://grafana.example.com/d/{service}",
        "risk:",
        f"  level: {rng.choice(LEVELS)}",
        f"  breaking_changes: {rng.choice(['true', 'false'])}",
        f"  user_impact: {rng.choice(['low', 'moderate', 'critical'])}",
        f"  rollback_complexity: {rng.choice(['simple', 'moderate', 'complex'])}",
        "  notes: |",
        f"    The {_words(rng, 2)} path is critical; a failed release blocks {_words(rng, 1)}.",
        "strategy:",
        f"  pattern: {pattern}",
        "  rationale: |",
        f"    {base_pattern} fits: the {_words(rng, 3)} change is backward compatible",
        f"    and the {_words(rng, 2)} can be switched back quickly.",
        *_parameters(rng, base_pattern),
        "roles:",
    ]
    for role, (name, contact) in zip(ROLES, people, strict=True):
        out += [f"  - role: {role}", f"    name: {name}", f'    contact: "{contact}"']
    migrations = rng.random() < 0.5
    if migrations:
        out += ["migrations:", "  strategy: expand-contract", "  items:"]
        for k in range(rng.randint(1, 2)):
            mid = f"{rng.randint(0, 9999):04d}{k}"
            out += [
                f'    - id: "{mid}"',
                f"      description: Add nullable column {rng.choice(WORDS)}_{k}",
                f"      phase: {['expand', 'migrate', 'contract'][k]}",
                "      breaking: false",
                "      reversible: true",
                f"      command: alembic upgrade {mid}",
                f"      verify: psql \"$DB_URL\" -c '\\d {rng.choice(WORDS)}' | grep {k}",
                f"      rollback: alembic downgrade {mid}",
                "      tested_in: staging",
            ]
        out += ["  rollback_plan: |", "    Roll back the application only; the schema stays."]
    out.append("phases:")
    n = 0
    for phase in [
        "pre-deployment",
        *(["database-migration"] if migrations else []),
        "application-deployment",
        "smoke-testing",
        "monitoring",
    ]:
        out += [f"  - phase: {phase}", f"    duration: {_duration(rng)}", "    steps:"]
        for _ in range(rng.choice([1, 1, 2])):
            n += 1
            out += _step(rng, service, n, explicit_id=rng.random() < 0.5)
    out += [
        "rollback:",
        f"  owner: {people[3][0]} (Release Manager)",
        "  triggers:",
        "    - condition: Error rate above 5% for 5 minutes",
        f"      metric: {service.replace('-', '_')}_http_error_ratio",
        '      threshold: "> 0.05"',
        "      window: 5m",
        f"      dashboard: https://grafana.example.com/d/{service}",
        "    - condition: The smoke suite fails",
        f"  expected_duration: {_duration(rng)}",
        "  steps:",
        "    - id: rollback-switch",
        "      title: Switch traffic back",
        "      owner: Technical Executor",
        f"      command: ./lb switch {service} --to blue",
        "      expected: 100% of requests are served by the old release.",
        f"      verify: \"./lb status {service} | grep 'active: blue'\"",
        "    - title: Confirm the rollback",
        f"      command: curl -fsS https://{service}.example.com/healthz",
        "  database: |",
        "    Leave the expanded schema in place; the old release ignores it.",
        "checklists:",
        "  - title: T-24 hours",
        "    items:",
        "      - Database backup tested by a restore into staging",
        "      - Runbook reviewed by the deployment team",
        "      - On-call coverage confirmed",
    ]
    if rng.random() < 0.5:
        out += [
            "  - title: T-1 hour",
            "    items:",
            "      - No ongoing incidents",
            f"      - Deployment team assembled in #deploy-{service}",
        ]
    out += [
        "review:",
        "  reviewers:",
        f"    - name: {people[3][0]}",
        "      role: Release Manager",
        f"      approved: {date}",
        f"    - name: {people[0][0]}",
        "      role: Deployment Lead",
        "communications:",
        "  - when: T-24h",
        "    audience: Customer support",
        '    channel: "#support"',
        f"    message: Maintenance window for {service} 22:00-00:30 CET.",
    ]
    if rng.random() < 0.4:
        out += [
            "outcome:",
            f"  result: {rng.choice(['success', 'success-with-issues', 'Rolled_Back'])}",
            f'  started: "{date}T22:02:00+01:00"',
            f'  finished: "{date}T23:41:00+01:00"',
            "  notes: Green took 7 minutes to become ready; no trigger fired.",
        ]
    return "\n".join(out) + "\n"


def generate(root: Path, count: int, seed: int = 20261120) -> list[Path]:
    rng = random.Random(seed)
    files = []
    services = [f"{a}-{b}" for a in WORDS[:10] for b in ("api", "worker", "service")]
    for i in range(count):
        service = services[i % len(services)]
        major, minor = divmod(i // len(services), 12)
        release = rng.choice([f"{major + 1}.{minor}", f"{major + 1}.{minor}.0", f"{major + 1}.10"])
        date = f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"
        path = root / "plans" / service / f"{date}-{i}" / "deployment-plan.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(plan_text(rng, service, release, date), encoding="utf-8")
        files.append(path)
    return files


def best_of(repeat: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def run_validate(plans_dir: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["validate", str(plans_dir)])
    if code != 0:
        sys.stderr.write(out.getvalue()[-3000:])
        raise SystemExit(f"validate exited {code}: the generated plans must all be valid")
    return out.getvalue()


def run_bare(files: list[Path], loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> None:
    for path in files:
        with open(path, encoding="utf-8") as handle:
            yaml.load(handle.read(), Loader=loader)


def main_benchmark(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1500, help="number of plans (1500)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (3)")
    parser.add_argument("--profile", action="store_true", help="cProfile one validate run")
    parser.add_argument("--keep", type=Path, default=None, help="generate here and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="runbooks-bench-") as tmp:
        root = args.keep or Path(tmp)
        files = generate(root, args.plans)
        lines = sum(p.read_text(encoding="utf-8").count("\n") for p in files)
        size = sum(p.stat().st_size for p in files)
        print(
            f"{len(files)} plans, {lines / len(files):.0f} lines and "
            f"{size / len(files) / 1024:.1f} KiB each on average (in {root})"
        )
        old_cwd = os.getcwd()
        os.chdir(root)  # no ./patterns folder here: the built-in pattern library is used
        try:
            report = run_validate(Path("plans"))
            print("validate:", report.strip().splitlines()[-1])
            t_validate = best_of(args.repeat, lambda: run_validate(Path("plans")))
            t_bare = best_of(args.repeat, lambda: run_bare(files))
            t_clib = None
            if getattr(yaml, "__with_libyaml__", False):
                t_clib = best_of(args.repeat, lambda: run_bare(files, yaml.CSafeLoader))
            if args.profile:
                profile = cProfile.Profile()
                profile.runcall(run_validate, Path("plans"))
                stats = pstats.Stats(profile, stream=sys.stdout)
                stats.sort_stats("cumulative").print_stats(25)
                stats.sort_stats("tottime").print_stats(20)
        finally:
            os.chdir(old_cwd)

    ratio = t_validate / t_bare
    best = f"best of {args.repeat}"
    print(f"(a) mkdocs-runbooks validate (in-process main()): {t_validate:8.3f} s  {best}")
    print(f"(b) yaml.load(SafeLoader), pure Python:           {t_bare:8.3f} s  {best}")
    if t_clib is not None:  # for reference only: libyaml, as the validator itself uses
        print(f"(c) yaml.load(CSafeLoader), libyaml (reference):  {t_clib:8.3f} s  {best}")
    verdict = "met" if ratio <= 0.8 else "NOT met"
    print(f"ratio validate/bare: {ratio:.3f}  (target <= 0.8: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main_benchmark())
