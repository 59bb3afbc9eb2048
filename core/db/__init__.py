"""The data layer: model base classes, Tortoise configuration, migrations and SQL counting."""
