"""The plugin's own words on generated pages, in a small translation table.

Keys are the English words. A language missing a word falls back to English; a site can
override any word through the plugin's ``words`` option.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LANGUAGES", "Words"]

_PHASES = {
    "phase:pre-deployment": "Pre-deployment",
    "phase:database-migration": "Database migration",
    "phase:application-deployment": "Application deployment",
    "phase:smoke-testing": "Smoke testing",
    "phase:monitoring": "Monitoring",
}

# The tick-box script's words (assets/runbooks.js), handed to it as JSON on each plan page.
_SCRIPT_EN = {
    "js:steps": "{done} of {total} steps",
    "js:checks": "{done} of {total} checklist items",
    "js:copy": "Copy run record",
    "js:reset": "Reset ticks",
    "js:resetConfirm": "Clear all ticks of this plan in this browser? This cannot be undone.",
    "js:resetDone": "Ticks of this plan cleared.",
    "js:copied": "Run record copied to the clipboard. It is also shown below.",
    "js:notCopied": "Could not copy to the clipboard: select the run record below and copy it.",
    "js:recordLabel": "Run record (Markdown)",
    "js:noStorage": "Ticks are not saved: this browser does not allow local storage.",
    "js:changedTitle": "Changed since ticked.",
    "js:changedText": (
        "These items changed in the plan after they were ticked in this browser, "
        "so their ticks were removed. Check them again:"
    ),
    "js:changedFlag": "changed since it was ticked",
    "js:removed": "no longer in the plan",
    "js:tickedAt": "ticked",
    "js:dismiss": "Dismiss",
    "js:initials": "Initials",
    "js:time": "Time",
    "js:rollback": "Rollback",
    "js:triggers": "Triggers",
    "js:tickedTitle": "Ticked at ",
    "js:copyCode": "Copy",
    "js:codeCopied": "Copied",
    "js:codeNotCopied": "Not copied",
}

_SCRIPT_FR = {
    "js:steps": "{done} sur {total} étapes",
    "js:checks": "{done} sur {total} éléments de liste",
    "js:copy": "Copier le compte rendu",
    "js:reset": "Effacer les coches",
    "js:resetConfirm": (
        "Effacer toutes les coches de ce plan dans ce navigateur ? Action irréversible."
    ),
    "js:resetDone": "Coches de ce plan effacées.",
    "js:copied": "Compte rendu copié dans le presse-papiers. Il est aussi affiché ci-dessous.",
    "js:notCopied": "Copie impossible : sélectionnez le compte rendu ci-dessous et copiez-le.",
    "js:recordLabel": "Compte rendu (Markdown)",
    "js:noStorage": (
        "Les coches ne sont pas enregistrées : ce navigateur n'autorise pas le stockage local."
    ),
    "js:changedTitle": "Modifié depuis la coche.",
    "js:changedText": (
        "Ces éléments ont changé dans le plan après avoir été cochés dans ce navigateur ; "
        "leurs coches ont été retirées. Vérifiez-les à nouveau :"
    ),
    "js:changedFlag": "modifié depuis la coche",
    "js:removed": "n'est plus dans le plan",
    "js:tickedAt": "coché",
    "js:dismiss": "Fermer",
    "js:initials": "Initiales",
    "js:time": "Heure",
    "js:rollback": "Retour arrière",
    "js:triggers": "Déclencheurs",
    "js:tickedTitle": "Coché le ",
    "js:copyCode": "Copier",
    "js:codeCopied": "Copié",
    "js:codeNotCopied": "Non copié",
}

# The verdict (verdict.py): badges, the banner and the "If it goes wrong" card.
_VERDICT_EN = {
    "verdict:do-not-run": "Do not run",
    "verdict:not-approved": "Not approved",
    "verdict:ready": "Ready",
    "verdict:success": "succeeded",
    "verdict:success-with-issues": "succeeded with issues",
    "verdict:rolled-back": "rolled back",
    "verdict:aborted": "aborted",
    "verdict:completed": "completed",
    "verdict:cancelled": "cancelled",
    "banner:do-not-run": "Do not run this plan",
    "banner:not-approved": "Not approved: do not run yet",
    "banner:ready": "Ready to run",
    "banner:executed": "Already run",
    "banner:cancelled": "Cancelled: not to be run",
    "banner:invalid": "This file is not a valid plan.",
    "Approved by": "Approved by",
    "on": "on",
    "Waiting for": "Waiting for",
    "No reviewer has approved this plan.": "No reviewer has approved this plan.",
    "Planned for": "Planned for",
    "This plan is a record. The newest plan of": "This plan is a record. The newest plan of",
    "is": "is",
    "This plan is a record and the newest plan of its service.": (
        "This plan is a record and the newest plan of its service."
    ),
    "If it goes wrong": "If it goes wrong",
    "Who decides a rollback": "Who decides a rollback",
    "Roll back when": "Roll back when",
    "for": "for",
    "First rollback command": "First rollback command",
    "Expected rollback time": "Expected rollback time",
    "Full rollback procedure": "Full rollback procedure",
    "Jump to rollback": "Rollback",
    "The rollback does not work as written:": "The rollback does not work as written:",
    "errors": "errors",
    "warnings": "warnings",
    "infos": "info",
    "In production": "In production",
    "since": "since",
    "Newest plan": "Newest plan",
    "Nothing in production yet.": "Nothing in production yet.",
    "Verdict": "Verdict",
    "About this release": "About this release",
    "Applied in step": "Applied in step",
    "Applies migration": "Applies migration",
    "js:kept": (
        "Ticks are kept in this browser only; use \u201cCopy run record\u201d to share them."
    ),
}

_VERDICT_FR = {
    "verdict:do-not-run": "Ne pas exécuter",
    "verdict:not-approved": "Non approuvé",
    "verdict:ready": "Prêt",
    "verdict:success": "réussi",
    "verdict:success-with-issues": "réussi avec incidents",
    "verdict:rolled-back": "retour arrière effectué",
    "verdict:aborted": "interrompu",
    "verdict:completed": "terminé",
    "verdict:cancelled": "annulé",
    "banner:do-not-run": "N'exécutez pas ce plan",
    "banner:not-approved": "Non approuvé : ne pas exécuter pour l'instant",
    "banner:ready": "Prêt à exécuter",
    "banner:executed": "Déjà exécuté",
    "banner:cancelled": "Annulé : ne pas exécuter",
    "banner:invalid": "Ce fichier n'est pas un plan valide.",
    "Approved by": "Approuvé par",
    "on": "le",
    "Waiting for": "En attente de",
    "No reviewer has approved this plan.": "Aucun relecteur n'a approuvé ce plan.",
    "Planned for": "Prévu le",
    "This plan is a record. The newest plan of": (
        "Ce plan est un compte rendu. Le plan le plus récent de"
    ),
    "is": "est",
    "This plan is a record and the newest plan of its service.": (
        "Ce plan est un compte rendu et le plus récent de son service."
    ),
    "If it goes wrong": "En cas de problème",
    "Who decides a rollback": "Qui décide du retour arrière",
    "Roll back when": "Revenir en arrière si",
    "for": "pendant",
    "First rollback command": "Première commande de retour arrière",
    "Expected rollback time": "Durée prévue du retour arrière",
    "Full rollback procedure": "Procédure complète de retour arrière",
    "Jump to rollback": "Retour arrière",
    "The rollback does not work as written:": (
        "Le retour arrière ne fonctionne pas tel qu'il est écrit :"
    ),
    "errors": "erreurs",
    "warnings": "avertissements",
    "infos": "infos",
    "In production": "En production",
    "since": "depuis le",
    "Newest plan": "Plan le plus récent",
    "Nothing in production yet.": "Rien en production pour l'instant.",
    "Verdict": "Verdict",
    "About this release": "À propos de cette version",
    "Applied in step": "Appliquée à l'étape",
    "Applies migration": "Applique la migration",
    "js:kept": (
        "Les coches restent dans ce navigateur uniquement ; "
        "\u00ab\u00a0Copier le compte rendu\u00a0\u00bb permet de les partager."
    ),
}

# The insights' words (charts, figures, feeds: plugin/mkdocs_runbooks/insights), which get
# them through ``Words.get``. Outcomes have keys of their own: a chart's legend is shorter than
# a plan's status ("rolled back", not "rolled-back").
_INSIGHTS_EN = {
    "outcome:success": "success",
    "outcome:success-with-issues": "with issues",
    "outcome:rolled-back": "rolled back",
    "outcome:aborted": "aborted",
    "outcome:not-run": "not run",
}
_INSIGHTS_FR = {
    "outcome:success": "succès",
    "outcome:success-with-issues": "avec incidents",
    "outcome:rolled-back": "annulé",
    "outcome:aborted": "interrompu",
    "outcome:not-run": "pas exécuté",
    "not enough data": "données insuffisantes",
    "Insights": "Indicateurs",
    "Upcoming deployments": "Déploiements à venir",
    "planned": "prévu",
    "actual": "réel",
    "months": "mois",
    "failed": "en échec",
    "went well": "réussi",
}

LANGUAGES: dict[str, dict[str, str]] = {
    "en": {**_PHASES, **_SCRIPT_EN, **_VERDICT_EN, **_INSIGHTS_EN},
    "fr": {
        **_SCRIPT_FR,
        **_VERDICT_FR,
        **_INSIGHTS_FR,
        "phase:pre-deployment": "Pré-déploiement",
        "phase:database-migration": "Migration de la base de données",
        "phase:application-deployment": "Déploiement de l'application",
        "phase:smoke-testing": "Tests de fumée",
        "phase:monitoring": "Surveillance",
        "Summary": "Résumé",
        "Strategy": "Stratégie",
        "Rationale": "Justification",
        "Parameters": "Paramètres",
        "Risk assessment": "Évaluation des risques",
        "Roles": "Rôles",
        "Database migrations": "Migrations de la base de données",
        "Phases": "Phases",
        "Steps": "Étapes",
        "Step": "Étape",
        "Command": "Commande",
        "Expected": "Résultat attendu",
        "Verify": "Vérification",
        "Rollback": "Retour arrière",
        "Triggers": "Déclencheurs",
        "Procedure": "Procédure",
        "Decision owner": "Décideur",
        "Checklists": "Listes de contrôle",
        "Review": "Revue",
        "Communications": "Communications",
        "Outcome": "Résultat",
        "Progress": "Progression",
        "Owner": "Responsable",
        "Duration": "Durée",
        "Notes": "Notes",
        "Service": "Service",
        "Release": "Version",
        "Environment": "Environnement",
        "Date": "Date",
        "Window": "Fenêtre",
        "Status": "Statut",
        "Risk": "Risque",
        "Links": "Liens",
        "Pattern": "Modèle",
        "Done": "Fait",
        "Invalid plan": "Plan invalide",
        "Changed since": "Modifié depuis",
        "This plan is new since": "Ce plan est nouveau depuis",
        "Removed since": "Supprimés depuis",
        "changed": "modifié",
        "new": "nouveau",
        "added": "ajouté",
        "removed": "supprimé",
        "moved": "déplacé",
        "renamed": "renommé",
        "raises risk": "augmente le risque",
        # Plan page
        "latest": "dernier",
        "Older": "Précédent",
        "Newer": "Suivant",
        "All plans of": "Tous les plans de",
        "This is the latest plan of this service.": "C'est le dernier plan de ce service.",
        "Rollback owner": "Responsable du retour arrière",
        "Link": "Lien",
        "Plan review": "Revue du plan",
        "line": "ligne",
        "is silenced for this plan": "est désactivée pour ce plan",
        "Parameter": "Paramètre",
        "Value": "Valeur",
        "Risk level": "Niveau de risque",
        "Breaking changes": "Changements incompatibles",
        "User impact": "Impact utilisateur",
        "Rollback complexity": "Complexité du retour arrière",
        "yes": "oui",
        "no": "non",
        "Role": "Rôle",
        "Name": "Nom",
        "Contact": "Contact",
        "Migration strategy": "Stratégie de migration",
        "Expand-contract": "Expansion-contraction",
        "executed in the order listed": "exécutées dans l'ordre indiqué",
        "Phase": "Phase",
        "Breaking": "Incompatible",
        "Reversible": "Réversible",
        "Tested in": "Testée en",
        "Migration rollback plan": "Plan de retour arrière des migrations",
        "Expected duration": "Durée prévue",
        "Typical rollback time": "Durée habituelle du retour arrière",
        "Rollback method": "Méthode de retour arrière",
        "Condition": "Condition",
        "Metric": "Métrique",
        "Threshold": "Seuil",
        "Dashboard": "Tableau de bord",
        "open": "ouvrir",
        "Database": "Base de données",
        "Review and approvals": "Revue et approbations",
        "Reviewer": "Relecteur",
        "Approved": "Approuvé",
        "not yet": "pas encore",
        "When": "Quand",
        "Audience": "Destinataires",
        "Channel": "Canal",
        "Message": "Message",
        "Result": "Résultat",
        "Started": "Début",
        "Finished": "Fin",
        # Index, service, pattern, quality and invalid pages
        "Plans": "Plans",
        "plans": "plans",
        "services": "services",
        "rolled back": "retours arrière",
        "invalid": "invalides",
        "Findings": "Constats",
        "Invalid plans": "Plans invalides",
        "problems": "problèmes",
        "This plan could not be built": "Ce plan n'a pas pu être construit",
        "Fix these problems in": "Corrigez ces problèmes dans",
        "Line": "Ligne",
        "Column": "Colonne",
        "Key": "Clé",
        "Problem": "Problème",
        "Plans using this pattern": "Plans qui utilisent ce modèle",
        "No plan in this portal uses this pattern yet.": (
            "Aucun plan de ce portail n'utilise encore ce modèle."
        ),
        "Deployments": "Déploiements",
        "Rollbacks": "Retours arrière",
        "Rollback rate": "Taux de retour arrière",
        "Strategies used": "Stratégies utilisées",
        "History": "Historique",
        "outcome": "résultat",
        "no outcome yet": "pas encore de résultat",
        "risk": "risque",
        "Plan quality": "Qualité des plans",
        "How the": "Comment les",
        "valid plans of this portal follow the best-practice rules.": (
            "plans valides de ce portail suivent les règles de bonnes pratiques."
        ),
        "Coverage": "Couverture",
        "What": "Quoi",
        "Share": "Part",
        "Count": "Nombre",
        "Findings by rule": "Constats par règle",
        "Rule": "Règle",
        "Severity": "Gravité",
        "What it checks": "Ce qu'elle vérifie",
        "rules are silenced in single plans with a reason (shown on each plan page).": (
            "règles sont désactivées dans des plans précis avec une raison "
            "(indiquée sur chaque page de plan)."
        ),
        "Steps with a verification command": "Étapes avec une commande de vérification",
        "Steps with a command that say what to expect": (
            "Étapes avec une commande qui indiquent le résultat attendu"
        ),
        "Migrations that are reversible with a rollback command": (
            "Migrations réversibles avec une commande de retour arrière"
        ),
        "Plans with a measurable rollback trigger": (
            "Plans avec un déclencheur de retour arrière mesurable"
        ),
        "Plans with an approved reviewer": "Plans approuvés par un relecteur",
        # Values of the plan's enumerations (status, risk, impact, outcome, ...)
        "draft": "brouillon",
        "in-review": "en revue",
        "approved": "approuvé",
        "scheduled": "planifié",
        "in-progress": "en cours",
        "completed": "terminé",
        "rolled-back": "retour arrière effectué",
        "cancelled": "annulé",
        "low": "faible",
        "medium": "moyen",
        "high": "élevé",
        "critical": "critique",
        "moderate": "modéré",
        "simple": "simple",
        "complex": "complexe",
        "expand-contract": "expansion-contraction",
        "direct": "directe",
        "expand": "expansion",
        "migrate": "migration",
        "contract": "contraction",
        "success": "succès",
        "success-with-issues": "succès avec incidents",
        "aborted": "interrompu",
        "error": "erreur",
        "warning": "avertissement",
        "info": "info",
    },
}


class Words:
    """Look-ups of the plugin's words for one language, with site overrides."""

    def __init__(self, language: str = "en", overrides: Mapping[str, str] | None = None) -> None:
        base = language.split("-", maxsplit=1)[0].split("_", maxsplit=1)[0].lower()
        self.language = base if base in LANGUAGES else "en"
        self.table = {**LANGUAGES["en"], **LANGUAGES[self.language], **(overrides or {})}

    def get(self, key: str, default: str | None = None) -> str:
        return self.table.get(key, key if default is None else default)

    def script(self) -> dict[str, str]:
        """The words of the tick-box script, by its own keys (``steps``, ``copy``, ...)."""
        return {k[3:]: v for k, v in self.table.items() if k.startswith("js:")}
