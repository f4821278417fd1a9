"""Emit stage, Zuul around the jobs: nodesets, the project-template and project stanza.

Per repository one ``project-template`` named ``<repo>-tempest-matrix`` runs the K
jobs that together cover the most combinations (:func:`most_covering`; the catalog's
``check_jobs``, ``--check-jobs`` or 3) voting in ``check`` and ``gate``, and every
job in ``periodic-weekly``; the repository's own ``project`` stanza uses it, and
nova can add the same template to its stanza so that its changes run the driver's
jobs too.

A third-party driver (the catalog's ``third_party``) cannot run in OpenDev: its
file is meant for the third-party Zuul (loaded through the tenant's
``extra-config-paths``), its template names that Zuul's pipelines and no
``project`` stanza puts the jobs into an OpenDev pipeline.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.matrix import Matrix
    from generator.model import Catalog, ThirdParty

__all__ = [
    "PLAYBOOK_DIR",
    "THIRD_PARTY_DIR",
    "nodeset_stanzas",
    "playbook_path",
    "project_stanzas",
    "template_name",
    "third_party_header",
]

PLAYBOOK_DIR = PurePosixPath("playbooks") / "tempest-matrix"
"""Where a repository's copies of the catalog's pre-run playbooks live."""

THIRD_PARTY_DIR = "third-party-zuul.d"
"""The folder of a third-party driver's Zuul file: not one OpenDev loads (zuul.d/,
.zuul.d/, zuul.yaml, .zuul.yaml), so OpenDev never sees jobs it cannot run."""


def playbook_path(playbook: str) -> str:
    """The repository path of a catalog playbook (``playbooks/tempest-matrix/<name>``)."""
    return str(PLAYBOOK_DIR / PurePosixPath(playbook).name)


def template_name(catalog: Catalog) -> str:
    """``<repo>-tempest-matrix`` (the short name of an ``org/name`` repo)."""
    return f"{catalog.repo_name}-tempest-matrix"


def nodeset_stanzas(catalog: Catalog) -> list[dict[str, Any]]:
    """The ``nodeset`` stanzas of the nodesets the catalog defines."""
    stanzas: list[dict[str, Any]] = []
    for nodeset in catalog.nodesets:
        body: dict[str, Any] = {
            "name": nodeset.name,
            "nodes": [{"name": name, "label": label} for name, label in nodeset.nodes],
        }
        if nodeset.groups:
            body["groups"] = [
                {"name": name, "nodes": list(nodes)} for name, nodes in nodeset.groups
            ]
        stanzas.append({"nodeset": body})
    return stanzas


def third_party_header(catalog: Catalog, third: ThirdParty) -> str:
    """The comment that says where a third-party driver's file belongs."""
    secrets = ", ".join(secret for _, secret in third.secrets) or "none"
    reason = " ".join(third.reason.split())
    return (
        f"# Third-party CI only: {reason}\n"
        f"# Load this folder in the third-party Zuul's tenant (extra-config-paths:\n"
        f"# [{THIRD_PARTY_DIR}/]) for project {catalog.repo}, which must define the Zuul\n"
        f"# secrets the jobs read: {secrets}.\n"
    )


def project_stanzas(catalog: Catalog, matrix: Matrix, chosen: tuple[str, ...]) -> list[Any]:
    """The project-template (and, in OpenDev, the project stanza using it)."""
    names = [job.name for job in matrix.jobs]
    picked = [name for name in names if name in set(chosen)]
    third = catalog.third_party
    body: dict[str, Any] = {"name": template_name(catalog)}
    if third is not None:
        body["description"] = (
            f"{catalog.driver} jobs of tempest-matrix for a third-party Zuul ({len(names)} jobs)."
        )
        for pipeline in third.pipelines:
            body[pipeline] = {"jobs": list(names)}
        return [{"project-template": body}]
    body["description"] = (
        f"{catalog.driver} jobs of tempest-matrix: the {len(picked)} that cover the most "
        f"combinations in check and gate, all {len(names)} in periodic-weekly."
    )
    if picked:
        body["check"] = {"jobs": list(picked)}
        body["gate"] = {"jobs": list(picked)}
    body["periodic-weekly"] = {"jobs": list(names)}
    project: dict[str, Any] = {"templates": [body["name"]]}
    if "/" in catalog.repo:  # a full Zuul project name: say which project this is
        project = {"name": catalog.repo, **project}
    return [{"project-template": body}, {"project": project}]
