"""GraphQL of the assessment: the three-colour warning, appeals, grid visits and archives."""

from __future__ import annotations

from schema.assessment.operations import AssessmentMutation, AssessmentQuery
from schema.assessment.types import ASSESSMENT_RESULT
from schema.nodes import NodeSource

QUERIES: tuple[type, ...] = (AssessmentQuery,)
MUTATIONS: tuple[type, ...] = (AssessmentMutation,)
NODES: tuple[NodeSource, ...] = (ASSESSMENT_RESULT,)
TYPE_FIELDS: dict[str, type] = {}
