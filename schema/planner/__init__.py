"""The planned read path: a query's selection completed level by level, one batched read per
relation level, without graphql-core resolving each field of each object.

- :mod:`schema.planner.declare`: relations declared as data (used by resolvers too);
- :mod:`schema.planner.complete`: the completer that walks a selection over objects;
- :mod:`schema.planner.values`: leaves serialised and response dicts built, a level at once;
- :mod:`schema.planner.executor`: the graphql-core executor that hands root query fields to it.

The resolver path stays the reference: whatever the planner does not know (a field without a
declaration, an access rule it cannot apply, an abstract type, ``@defer``) makes it give the
whole root field back to graphql-core, which then resolves it as always.
"""
