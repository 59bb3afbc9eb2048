"""The planned read path: a query's selection completed level by level, one batched read per
relation level, without graphql-core resolving each field of each object.

- :mod:`schema.planner.declare`: relations declared as data (used by resolvers too);
- :mod:`schema.planner.complete`: the completer that walks a selection over objects, and
  which plan reads each field;
- :mod:`schema.planner.readers`: how each kind of field is read for a whole level;
- :mod:`schema.planner.children`: child connections, their pages read for all parents at once
  with only the columns the selection uses;
- :mod:`schema.planner.json_rows`: levels of plain columns written as JSON by PostgreSQL;
- :mod:`schema.planner.values`: leaves serialised and response dicts built, a level at once;
- :mod:`schema.planner.executor`: the graphql-core executor that hands root query fields to it.

The resolver path stays the reference: whatever the planner does not know (a field without a
declaration, an access rule it cannot apply, an abstract type, ``@defer``) makes it give the
whole root field back to graphql-core, which then resolves it as always.
"""
