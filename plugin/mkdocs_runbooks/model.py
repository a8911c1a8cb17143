"""Pydantic models of the ``deployment-plan.yaml`` contract, schema version 1.

Key names and shapes follow ``shared/spec`` exactly. Every model forbids unknown keys, so a
typo such as ``comand:`` is an error instead of a silently dropped command.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .fields import (
    Date,
    Duration,
    Markdown,
    Shell,
    Slug,
    Text,
    Url,
    enum_schema,
    enum_validator,
    norm_token,
)

STATUSES = (
    "draft",
    "in-review",
    "approved",
    "scheduled",
    "in-progress",
    "completed",
    "rolled-back",
    "cancelled",
)
RISK_LEVELS = ("low", "medium", "high", "critical")
USER_IMPACTS = ("low", "moderate", "critical")
ROLLBACK_COMPLEXITIES = ("simple", "moderate", "complex")
MIGRATION_STRATEGIES = ("expand-contract", "direct")
MIGRATION_PHASES = ("expand", "migrate", "contract")
OUTCOMES = ("success", "success-with-issues", "rolled-back", "aborted")
STANDARD_PHASES = (
    "pre-deployment",
    "database-migration",
    "application-deployment",
    "smoke-testing",
    "monitoring",
)

Status = Annotated[str, enum_validator(STATUSES), enum_schema(STATUSES)]
RiskLevel = Annotated[str, enum_validator(RISK_LEVELS), enum_schema(RISK_LEVELS)]
UserImpact = Annotated[str, enum_validator(USER_IMPACTS), enum_schema(USER_IMPACTS)]
RollbackComplexity = Annotated[
    str, enum_validator(ROLLBACK_COMPLEXITIES), enum_schema(ROLLBACK_COMPLEXITIES)
]
MigrationStrategy = Annotated[
    str, enum_validator(MIGRATION_STRATEGIES), enum_schema(MIGRATION_STRATEGIES)
]
MigrationPhase = Annotated[str, enum_validator(MIGRATION_PHASES), enum_schema(MIGRATION_PHASES)]
OutcomeResult = Annotated[str, enum_validator(OUTCOMES), enum_schema(OUTCOMES)]


def _check_datetime(value: str) -> str:
    try:
        dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PydanticCustomError(
            "datetime",
            "invalid date-time '{value}': use ISO 8601, for example 2026-11-20T22:00:00+01:00",
            {"value": value},
        ) from None
    return value


def _phase_id(value: object) -> object:
    return norm_token(value) if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Link(_Model):
    """A link shown in the plan's header."""

    title: Text = Field(description="Text of the link.")
    url: Url = Field(description="An http(s) address or a relative path.")


class Window(_Model):
    """The planned deployment window."""

    start: Text | None = Field(
        default=None, description="Start as ISO 8601 date-time, e.g. 2026-11-20T22:00:00+01:00."
    )
    duration: Duration | None = Field(default=None, description="Length of the window, e.g. 2h30m.")

    @field_validator("start")
    @classmethod
    def _start(cls, value: str | None) -> str | None:
        return None if value is None else _check_datetime(value)


class Risk(_Model):
    """Risk assessment of the release."""

    level: RiskLevel = Field(description="Overall risk: low, medium, high or critical.")
    breaking_changes: bool | None = Field(
        default=None, description="Whether the release contains breaking changes."
    )
    user_impact: UserImpact | None = Field(
        default=None, description="Impact on users if it fails: low, moderate or critical."
    )
    rollback_complexity: RollbackComplexity | None = Field(
        default=None, description="How hard a rollback is: simple, moderate or complex."
    )
    notes: Markdown | None = Field(default=None, description="Free notes on the risk (Markdown).")


class Strategy(_Model):
    """The deployment strategy chosen, with its reason."""

    pattern: Text = Field(
        description=(
            "Id, alias or title of a pattern page: blue-green, canary, rolling, feature-flags, "
            "recreate, or a pattern the site defines. Matched case-insensitively."
        ),
        json_schema_extra={
            "examples": ["blue-green", "canary", "rolling", "feature-flags", "recreate"]
        },
    )
    rationale: Markdown = Field(description="Why this strategy fits this release (Markdown).")
    parameters: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Free-form parameters, shown as a table. Known keys are checked: canary `steps` "
            "(percentages ending at 100) and `interval`; rolling `batch_size` and `pause`; "
            "recreate `expected_downtime`."
        ),
    )

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str, info: ValidationInfo) -> str:
        registry = (info.context or {}).get("patterns")
        if registry is None:
            return value
        found: str | None = registry.resolve(value)
        if found is None:
            raise PydanticCustomError("pattern", registry.unknown_message(value))
        return found


class Role(_Model):
    """A person and the role they hold during the deployment."""

    role: Text = Field(description="Role name, e.g. Deployment Lead.")
    name: Text = Field(description="The person's name.")
    contact: Text | None = Field(default=None, description="How to reach them (handle, e-mail).")


class Migration(_Model):
    """One database migration, executed in the order listed."""

    id: Text = Field(description="Migration id, unique in the plan.")
    description: Text = Field(description="What the migration does.")
    phase: MigrationPhase | None = Field(
        default=None, description="Expand-contract phase: expand, migrate or contract."
    )
    breaking: bool = Field(default=False, description="Whether the old version breaks with it.")
    reversible: bool = Field(default=True, description="Whether it can be rolled back.")
    command: Shell | None = Field(default=None, description="Command that applies it (exact).")
    verify: Shell | None = Field(default=None, description="Command that verifies it (exact).")
    rollback: Shell | None = Field(
        default=None, description="Command that reverts it; required when reversible is true."
    )
    tested_in: Text | None = Field(
        default=None, description="Where it was rehearsed, e.g. staging."
    )


class Migrations(_Model):
    """Database migrations of the release."""

    strategy: MigrationStrategy | None = Field(
        default=None, description="expand-contract or direct."
    )
    items: list[Migration] = Field(default_factory=list, description="Migrations in order.")
    rollback_plan: Markdown | None = Field(
        default=None, description="How the database is rolled back (Markdown)."
    )


class Step(_Model):
    """One step of a phase or of the rollback procedure."""

    id: Text | None = Field(
        default=None,
        description="Stable id, unique within the plan; derived from the title when absent.",
    )
    title: Text = Field(description="What the step does.")
    owner: Text | None = Field(default=None, description="A role from roles, or a person's name.")
    command: Shell | None = Field(
        default=None, description="Shell text, shown and copied exactly as written."
    )
    expected: Markdown | None = Field(default=None, description="Expected outcome (Markdown).")
    verify: Shell | None = Field(
        default=None, description="Verification command, shown and copied exactly as written."
    )
    duration: Duration | None = Field(default=None, description="Expected duration, e.g. 15m.")
    notes: Markdown | None = Field(default=None, description="Notes for the executor (Markdown).")

    _uid: str = PrivateAttr(default="")

    @property
    def uid(self) -> str:
        """The step's id as given, or the stable id derived from its title."""
        return self.id or self._uid


class Phase(_Model):
    """A phase of the deployment, in execution order."""

    phase: Text = Field(
        description=(
            "Phase id: pre-deployment, database-migration, application-deployment, "
            "smoke-testing, monitoring, or another id."
        ),
        json_schema_extra={"examples": list(STANDARD_PHASES)},
    )
    title: Text | None = Field(default=None, description="Heading; default from the phase id.")
    duration: Duration | None = Field(default=None, description="Expected duration, e.g. 30m.")
    steps: list[Step] = Field(min_length=1, description="Steps in order; at least one.")

    @field_validator("phase", mode="before")
    @classmethod
    def _norm(cls, value: object) -> object:
        return _phase_id(value)


class Trigger(_Model):
    """A condition that calls for a rollback."""

    condition: Text = Field(description="Human-readable condition.")
    metric: Text | None = Field(default=None, description="Machine-readable metric name.")
    threshold: Text | None = Field(default=None, description="Threshold, e.g. '> 0.05'.")
    window: Duration | None = Field(default=None, description="How long the condition must hold.")
    dashboard: Url | None = Field(default=None, description="Dashboard showing the metric.")


class Rollback(_Model):
    """When and how to roll back."""

    owner: Text = Field(description="Who decides to roll back.")
    triggers: list[Trigger] = Field(min_length=1, description="Rollback triggers; at least one.")
    expected_duration: Duration | None = Field(
        default=None, description="How long the rollback takes."
    )
    steps: list[Step] = Field(min_length=1, description="The rollback procedure; at least one.")
    database: Markdown | None = Field(
        default=None, description="What happens to the database on rollback (Markdown)."
    )


class Checklist(_Model):
    """An extra checklist shown as tick boxes."""

    title: Text = Field(description="Checklist heading, e.g. T-24 hours.")
    items: list[Text] = Field(min_length=1, description="Items to tick.")


class Reviewer(_Model):
    """A reviewer of the plan."""

    name: Text = Field(description="Reviewer's name.")
    role: Text | None = Field(default=None, description="Reviewer's role.")
    approved: Date | None = Field(
        default=None, description="Date of approval; absent means not yet approved."
    )


class Review(_Model):
    """Review and approvals."""

    reviewers: list[Reviewer] = Field(default_factory=list, description="Reviewers of the plan.")


class Communication(_Model):
    """A planned message to people outside the deployment team."""

    when: Text = Field(description="When it is sent, e.g. T-24h.")
    audience: Text = Field(description="Who receives it.")
    channel: Text | None = Field(default=None, description="Where it is sent.")
    message: Text | None = Field(default=None, description="What it says.")


class Outcome(_Model):
    """What happened, filled in after the deployment."""

    result: OutcomeResult = Field(
        description="success, success-with-issues, rolled-back or aborted."
    )
    started: Text | None = Field(default=None, description="ISO 8601 date-time it started.")
    finished: Text | None = Field(default=None, description="ISO 8601 date-time it finished.")
    notes: Markdown | None = Field(default=None, description="What happened (Markdown).")

    @field_validator("started", "finished")
    @classmethod
    def _dt(cls, value: str | None) -> str | None:
        return None if value is None else _check_datetime(value)


class Lint(_Model):
    """Per-plan settings of the best-practice checks."""

    ignore: dict[str, Text] = Field(
        default_factory=dict,
        description="Rules silenced for this plan, each with the reason: {RB304: 'why'}.",
    )


class Plan(_Model):
    """One release of one service to one environment (deployment-plan.yaml, schema 1)."""

    schema_version: int = Field(default=1, description="Version of the format; 1 is the only one.")
    service: Slug = Field(description="Service slug: lowercase letters, digits and '-'.")
    release: Text = Field(description="Release, kept exactly as written (2.10 is not 2.1).")
    environment: Text = Field(default="production", description="Target environment.")
    title: Text | None = Field(
        default=None, description="Page title; default '<service> <release>'."
    )
    date: Date = Field(description="Planned deployment date, YYYY-MM-DD.")
    window: Window | None = Field(default=None, description="The deployment window.")
    status: Status = Field(
        description=(
            "draft, in-review, approved, scheduled, in-progress, completed, rolled-back or "
            "cancelled."
        )
    )
    summary: Markdown | None = Field(default=None, description="What the release does (Markdown).")
    links: list[Link] = Field(default_factory=list, description="Related links.")
    risk: Risk = Field(description="Risk assessment.")
    strategy: Strategy = Field(description="The deployment strategy and why.")
    roles: list[Role] = Field(min_length=1, description="Who does what; at least one.")
    migrations: Migrations | None = Field(default=None, description="Database migrations.")
    phases: list[Phase] = Field(min_length=1, description="Phases in execution order.")
    rollback: Rollback = Field(description="Rollback triggers, owner and procedure.")
    checklists: list[Checklist] = Field(
        default_factory=list, description="Extra checklists shown as tick boxes."
    )
    review: Review | None = Field(default=None, description="Reviewers and approvals.")
    communications: list[Communication] = Field(
        default_factory=list, description="Planned messages."
    )
    outcome: Outcome | None = Field(default=None, description="What happened, after the fact.")
    lint: Lint | None = Field(
        default=None, description="Best-practice check settings for this plan."
    )

    @field_validator("schema_version")
    @classmethod
    def _version(cls, value: int) -> int:
        if value != 1:
            raise PydanticCustomError(
                "schema_version", "unsupported schema_version {value}; allowed: 1", {"value": value}
            )
        return value

    @property
    def display_title(self) -> str:
        return self.title or f"{self.service} {self.release}"
