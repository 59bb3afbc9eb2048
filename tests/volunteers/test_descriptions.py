"""Frontend teams read the schema: every type, field, argument and input field of this area
says what it is."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, get_named_type

from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from tests.volunteers.probes import PROBES

TYPES = ("VolunteerTeam", "VolunteerMember", "WorkOrder", "WorkOrderPhoto")


def test_every_operation_type_field_and_argument_is_described():
    schema = build_schema(build_plugin_host([])).schema._schema
    missing: list[str] = []
    named: set[str] = set(TYPES)
    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        for name in set(PROBES) & set(root.fields):
            field = root.fields[name]
            if not field.description:
                missing.append(name)
            for arg_name, arg in field.args.items():
                named.add(get_named_type(arg.type).name)
                if not arg.description:
                    missing.append(f"{name}({arg_name})")
    for type_name in sorted(named):
        type_ = schema.type_map[type_name]
        described = GraphQLObjectType | GraphQLInputObjectType | GraphQLEnumType
        if isinstance(type_, described) and not type_.description:
            missing.append(type_name)
        if isinstance(type_, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{type_name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{type_name}.{field_name}({arg_name})")
    assert not missing, f"no description: {missing}"
    case_fields = schema.type_map["Case"].fields  # type: ignore[union-attr]
    assert case_fields["workOrders"].description
