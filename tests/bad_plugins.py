"""Plugins that must stop start-up, one class each, installed per test through an entry point
(``tests.bad_plugins:ClassName``)."""

from __future__ import annotations

import strawberry
from pydantic import BaseModel

from core import ModelApp, RoleSpec, hookimpl
from schema import SchemaContribution


class Declared:
    """Declares a plugin API range, so that each plugin below fails for its own reason."""

    HEMEI_PLUGIN_API = ">=1,<2"


class UnknownHook(Declared):
    @hookimpl
    def register_widgets() -> list[str]:  # type: ignore[misc]  # hooks are plain functions
        return ["not a hook"]


class ExtraHookArgument(Declared):
    @hookimpl
    def load_demo_data(demo, colour):  # type: ignore[no-untyped-def]  # wrong on purpose
        return None


class SettingsNotAModel(Declared):
    @hookimpl
    def register_settings():  # type: ignore[no-untyped-def]
        return {"booking_cutoff": "09:00"}


class RequiredSetting(BaseModel):
    api_key: str


class SettingsWithoutDefault(Declared):
    @hookimpl
    def register_settings():  # type: ignore[no-untyped-def]
        return RequiredSetting


class RaisesAtStart(Declared):
    @hookimpl
    def register_settings():  # type: ignore[no-untyped-def]
        raise RuntimeError("cannot read my data file")


class CoreRoleClash(Declared):
    @hookimpl
    def register_roles():  # type: ignore[no-untyped-def]
        return [RoleSpec("GRID_WORKER", "mine now")]


class StaffRoleA(Declared):
    @hookimpl
    def register_roles():  # type: ignore[no-untyped-def]
        return [RoleSpec("CANTEEN_STAFF", "cooks")]


class StaffRoleB(Declared):
    @hookimpl
    def register_roles():  # type: ignore[no-untyped-def]
        return [RoleSpec("CANTEEN_STAFF", "also cooks")]


@strawberry.type(name="KernelNotice")
class ImpostorNotice:
    text: str


@strawberry.type
class ImpostorQuery:
    @strawberry.field
    def impostor(self) -> ImpostorNotice | None:
        return None


class TypeNameClash(Declared):
    @hookimpl
    def register_graphql():  # type: ignore[no-untyped-def]
        return SchemaContribution(query=ImpostorQuery)


@strawberry.type
class DistrictsAgain:
    @strawberry.field
    def districts(self) -> list[str]:
        return []


class RootFieldClash(Declared):
    @hookimpl
    def register_graphql():  # type: ignore[no-untyped-def]
        return SchemaContribution(query=DistrictsAgain)


@strawberry.type
class MoreCommunityNotices:
    @strawberry.field
    def kernel_notices(self) -> list[str] | None:
        return None


class TypeFieldClash(Declared):
    @hookimpl
    def register_graphql():  # type: ignore[no-untyped-def]
        return SchemaContribution(type_fields={"Community": MoreCommunityNotices})


@strawberry.type
class NonNullCommunityField:
    @strawberry.field
    def headcount(self) -> int:
        return 0


class NonNullableTypeField(Declared):
    @hookimpl
    def register_graphql():  # type: ignore[no-untyped-def]
        return SchemaContribution(type_fields={"Community": NonNullCommunityField})


class NotAContribution(Declared):
    @hookimpl
    def register_graphql():  # type: ignore[no-untyped-def]
        return {"query": DistrictsAgain}


class WrongModelLabel(Declared):
    @hookimpl
    def register_models():  # type: ignore[no-untyped-def]
        return ModelApp(label="someone_else", modules=(), migrations="x.migrations")


@strawberry.type
class ExplodingQuery:
    @strawberry.field(description="Raises something unexpected, with a secret in the message.")
    def exploding(self) -> str | None:
        raise ValueError("password=hunter2 at /srv/hemei/secret.py line 3")


class ExplodesAtRequest(Declared):
    @hookimpl
    def register_graphql():  # type: ignore[no-untyped-def]
        return SchemaContribution(query=ExplodingQuery)


@strawberry.type
class CommunityNameAgain:
    @strawberry.field
    def name(self) -> str | None:
        return None


class CoreFieldClash(Declared):
    @hookimpl
    def register_graphql():  # type: ignore[no-untyped-def]
        return SchemaContribution(type_fields={"Community": CommunityNameAgain})


class CategoryClash(Declared):
    @hookimpl
    def register_case_categories():  # type: ignore[no-untyped-def]
        from core import CaseCategory

        return [CaseCategory("heating", "供暖", "Heating again")]


class FigureWithoutPrefix(Declared):
    @hookimpl
    def register_figures():  # type: ignore[no-untyped-def]
        from core import FigureSpec, Unit

        async def nothing(place, start, end):  # type: ignore[no-untyped-def]
            return None

        return [FigureSpec("meals", "餐", "Meals", "Meals.", Unit.COUNT, nothing)]


class ApiTooNew:
    """Made for a plugin API this Hemei does not offer yet."""

    HEMEI_PLUGIN_API = ">=2,<3"


class ApiUndeclared:
    """Says nothing about the plugin API it was made for."""


class ApiMalformed:
    HEMEI_PLUGIN_API = "version two please"


class RoutesNotRoutes(Declared):
    @hookimpl
    def register_routes():  # type: ignore[no-untyped-def]
        return ["/hello"]
