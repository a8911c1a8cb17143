"""A generated portal for the search benchmark: N plans over 200 services.

Each plan is a copy of the contract's complete example plan with the fields people search
by varied: service, release, title, a step title, commands, owners, status, outcome,
strategy and date (2020-2026). ``PlanInfo`` records what was written, so the benchmark
can ask for one plan and know which page is the right answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

SPEC = Path(__file__).resolve().parents[1] / "tests/fixtures/contract/deployment-plan.example.yaml"

DOMAINS = [
    "checkout",
    "payments",
    "ledger",
    "billing",
    "invoices",
    "catalog",
    "search",
    "pricing",
    "orders",
    "cart",
    "shipping",
    "inventory",
    "returns",
    "refunds",
    "loyalty",
    "coupons",
    "reviews",
    "ratings",
    "accounts",
    "profiles",
    "identity",
    "sessions",
    "tokens",
    "vault",
    "audit",
    "reports",
    "metrics",
    "alerts",
    "notifications",
    "emails",
    "sms",
    "push",
    "webhooks",
    "gateway",
    "routing",
    "geo",
    "tax",
    "fraud",
    "risk",
    "kyc",
]
KINDS = ("api", "worker", "web", "batch", "sync")
SERVICES = tuple(f"{d}-{k}" for d in DOMAINS for k in KINDS)  # 200
WORDS = [
    "amber",
    "basalt",
    "cedar",
    "delta",
    "ember",
    "falcon",
    "garnet",
    "harbor",
    "indigo",
    "juniper",
    "kestrel",
    "lagoon",
    "marble",
    "nickel",
    "onyx",
    "pepper",
    "quartz",
    "raven",
    "saffron",
    "timber",
    "umber",
    "velvet",
    "walnut",
    "xenon",
    "yarrow",
    "zephyr",
    "acorn",
    "birch",
    "cobalt",
    "dune",
]
TOPICS = (
    "card vault migration",
    "TLS certificate rotation",
    "schema split",
    "cache warm-up",
    "queue re-partitioning",
    "index rebuild",
    "runtime upgrade",
    "feature rollout",
)
PEOPLE = (
    "Alice Martin",
    "Bao Tran",
    "Chidi Okafor",
    "Dana Kowalski",
    "Elif Yilmaz",
    "Farah Haddad",
    "Goran Petrovic",
    "Hana Sato",
    "Ivan Novak",
    "Jonas Berg",
)
STATUSES = ("completed", "completed", "completed", "rolled-back", "cancelled", "approved")
OUTCOMES = {"completed": "success", "rolled-back": "rolled-back", "cancelled": "aborted"}
PATTERNS = ("blue-green", "canary", "rolling", "feature-flags", "recreate")


@dataclass(frozen=True)
class PlanInfo:
    index: int
    service: str
    release: str
    date: str
    status: str
    outcome: str | None
    pattern: str
    owner: str
    step_title: str
    command_fragment: str
    folder: str

    @property
    def url(self) -> str:
        return f"plans/{self.folder}/"


def plan_info(i: int, n: int) -> PlanInfo:
    service = SERVICES[i % len(SERVICES)]
    k = i // len(SERVICES)
    release = f"{1 + k // 10}.{k % 10}.{i % 3}"
    day = dt.date(2020, 1, 1) + dt.timedelta(days=i * (7 * 365) // max(n, 1))
    status = STATUSES[(i * 7 + k) % len(STATUSES)]
    n_words = len(WORDS)  # three words name each plan's step uniquely up to 27,000 plans
    w1, w2, w3 = WORDS[i % n_words], WORDS[i // n_words % n_words], WORDS[i // n_words**2 % n_words]
    return PlanInfo(
        index=i,
        service=service,
        release=release,
        date=day.isoformat(),
        status=status,
        outcome=OUTCOMES.get(status),
        pattern=PATTERNS[(i // 3) % len(PATTERNS)],
        owner=PEOPLE[(i * 3 + k) % len(PEOPLE)],
        step_title=f"Rotate the {w1} {w2} {w3} signing key",
        command_fragment=f"{service}-{release}-{w1}.dump",
        folder=f"{service}/{day.isoformat()}-{release}",
    )


def plan_text(example: str, info: PlanInfo, i: int) -> str:
    old_service = "checkout-api"
    text = example
    text = text.replace("title: Checkout API 2.10 - card vault migration", "title: TITLE")
    text = text.replace("Back up the payments database", info.step_title)
    text = text.replace("/backups/checkout-2.10.dump", f"/backups/{info.command_fragment}")
    text = text.replace(f"service: {old_service}", f"service: {info.service}")
    text = text.replace(old_service, info.service)
    text = text.replace('release: "2.10"', f'release: "{info.release}"')
    text = text.replace("Deploy 2.10", f"Deploy {info.release}")
    text = text.replace(":2.10", f":{info.release}")
    text = text.replace("date: 2026-11-20", f"date: {info.date}")
    text = text.replace("approved: 2026-11-18", f"approved: {info.date}")
    text = text.replace("status: completed", f"status: {info.status}")
    text = text.replace("Dana Kowalski (Release Manager)", f"{info.owner} (Release Manager)")
    text = text.replace("name: Bao Tran", f"name: {PEOPLE[(i + 5) % len(PEOPLE)]}")
    text = text.replace("pattern: blue-green", f"pattern: {info.pattern}")
    if info.pattern != "blue-green":
        text = text.replace("    switch: load balancer", "    owner: platform team")
        text = text.replace("    standby: 24h", "    reviewed: true")
    title = f"{info.service} {info.release} - {TOPICS[i % len(TOPICS)]}"
    text = text.replace("title: TITLE", f"title: {title}")
    head, sep, _tail = text.partition("outcome:")
    if info.outcome is None:
        return head
    outcome = (
        f"outcome:\n  result: {info.outcome}\n"
        "  notes: Green took 7 minutes to become ready; no trigger fired.\n"
    )
    return head + outcome if sep else text


def make_portal(root: Path, n: int) -> list[PlanInfo]:
    """Write N plans below ``root/plans`` and return what each holds."""
    example = SPEC.read_text(encoding="utf-8")
    infos = []
    for i in range(n):
        info = plan_info(i, n)
        folder = root / "plans" / info.folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "deployment-plan.yaml").write_text(plan_text(example, info, i), "utf-8")
        infos.append(info)
    return infos
