"""A mixed read/write workload for ``tests/load/run.sh`` (Locust), not part of the test suite.

Residents read their cases and the region tree and report cases; grid workers read their queue
and accept what arrives; anonymous clients read the districts. Every request must answer 200
without ``errors`` (a refused one counts as a failure), so a run with zero failures is a run where
nothing went wrong.
"""

from __future__ import annotations

import itertools
from typing import Any

from locust import HttpUser, between, task

PASSWORD = "hemei-demo"
LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"
COMPOUND = (
    'query { district(code: "gongnong") { communities(first: 5) { edges { node { '
    "compounds(first: 2) { edges { node { id } } } } } } } }"
)
NESTED = (
    "{ districts { code name streets(first: 5) { totalCount edges { node { name "
    "communities(first: 5) { edges { node { name grids(first: 5) { totalCount } } } } } } } } }"
)
MY_CASES = "{ cases(first: 20) { totalCount edges { node { id title status level overdue } } } }"
REPORT = (
    'mutation($c: ID!, $t: String!) { reportCase(input: {title: $t, category: "sanitation", '
    "compoundId: $c}) { id status } }"
)
QUEUE = "{ cases(first: 10, status: REPORTED) { edges { node { id version allowedActions } } } }"
ACT = (
    "mutation($c: ID!, $v: Int!) { actOnCase(input: {caseId: $c, version: $v, action: ACCEPT}) "
    "{ id status } }"
)
_serial = itertools.count()


class GraphQLUser(HttpUser):
    abstract = True
    username: str | None = None
    token: str | None = None

    def graphql(self, query: str, variables: dict[str, Any] | None = None, name: str = "") -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers["Accept"] = "application/graphql-response+json"
        with self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            name=name or "graphql",
            catch_response=True,
        ) as response:
            body = response.json() if response.status_code < 500 else {}
            if response.status_code != 200 or body.get("errors"):
                response.failure(f"{response.status_code}: {str(body.get('errors'))[:200]}")
                return None
            return body["data"]

    def on_start(self) -> None:
        if self.username:
            data = self.graphql(LOGIN, {"u": self.username, "p": PASSWORD}, name="login")
            self.token = data["login"]["token"] if data else None


class Resident(GraphQLUser):
    weight = 6
    wait_time = between(0.2, 1.0)
    username = "resident_xinhong"
    compound: str | None = None

    def on_start(self) -> None:
        super().on_start()
        data = self.graphql(COMPOUND, name="compounds")
        if data:
            edges = data["district"]["communities"]["edges"]
            self.compound = next(
                c["node"]["id"] for e in edges for c in e["node"]["compounds"]["edges"]
            )

    @task(5)
    def my_cases(self) -> None:
        self.graphql(MY_CASES, name="my cases")

    @task(3)
    def region_tree(self) -> None:
        self.graphql(NESTED, name="nested region tree")

    @task(1)
    def report(self) -> None:
        if self.compound:
            title = f"load {next(_serial)}"
            self.graphql(REPORT, {"c": self.compound, "t": title}, name="reportCase")


class GridWorker(GraphQLUser):
    weight = 2
    wait_time = between(0.5, 1.5)
    username = "xinhong_grid1"

    @task(3)
    def queue(self) -> None:
        self.graphql(QUEUE, name="case queue")

    @task(1)
    def accept_one(self) -> None:
        data = self.graphql(QUEUE, name="case queue")
        for edge in (data or {}).get("cases", {}).get("edges", []):
            node = edge["node"]
            if "ACCEPT" in node["allowedActions"]:
                # another worker may have taken it: CONFLICT is an expected outcome here
                headers = {
                    "Authorization": f"Bearer {self.token}",
                    "Accept": "application/graphql-response+json",
                }
                with self.client.post(
                    "/graphql",
                    json={"query": ACT, "variables": {"c": node["id"], "v": node["version"]}},
                    headers=headers,
                    name="actOnCase",
                    catch_response=True,
                ) as response:
                    codes = [
                        e.get("extensions", {}).get("code")
                        for e in response.json().get("errors") or []
                    ]
                    if response.status_code != 200 or set(codes) - {"CONFLICT"}:
                        response.failure(f"{response.status_code}: {codes}")
                return


class Anonymous(GraphQLUser):
    weight = 2
    wait_time = between(0.2, 1.0)

    @task
    def districts(self) -> None:
        self.graphql("{ districts { code name modules { name enabled } } }", name="districts")
