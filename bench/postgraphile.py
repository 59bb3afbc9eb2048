"""PostGraphile 5 over Hemei's tables: installed with npm (with Node 22 from the npm package
``node@22``) into the ignored folder ``bench/.work`` on first use, configured as it comes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from bench.hemei import wait_ready

PACKAGES = {"node": "22.x", "postgraphile": "5.1.5", "@graphile/simplify-inflection": "9.0.0"}

CONFIG = """\
// Written by `python -m bench`: PostGraphile 5 as it comes, over Hemei's tables.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { makePgService } from "postgraphile/adaptors/pg";

export default {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  pgServices: [makePgService({ connectionString: process.env.BENCH_PG_URL, schemas: ["public"] })],
  // Hemei indexes few foreign keys (case.grid_id has none): without this PostGraphile hides
  // the relations it would have to read without an index (Community.grids, Grid.cases).
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  schema: { defaultBehavior: "+list" },
  grafserv: { host: "127.0.0.1", port: Number(process.env.BENCH_PORT), graphiql: false },
};
"""


def node_binary(work: Path) -> Path:
    return work / "node_modules" / "node" / "bin" / "node"


def install(work: Path) -> None:
    """``npm install`` the peers into ``work`` unless they are there already."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "graphile.config.mjs").write_text(CONFIG, encoding="utf-8")
    cli = work / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
    if cli.exists() and node_binary(work).exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("PostGraphile needs npm (apt-get install npm), or pass --no-postgraphile")
    package = {"name": "hemei-bench-peers", "private": True, "type": "module",
               "dependencies": PACKAGES}  # fmt: skip
    (work / "package.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    print(f"Installing PostGraphile and Node 22 into {work} (once) ...", flush=True)
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=work,
                   check=True)  # fmt: skip
    if not node_binary(work).exists():
        raise SystemExit(f"npm did not install Node 22 at {node_binary(work)}")


def serve(work: Path, database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """PostGraphile on loopback, started and ready (the process is node itself)."""
    env = dict(os.environ, BENCH_PG_URL=database_url, BENCH_PORT=str(port),
               NODE_ENV="production")  # fmt: skip
    process = subprocess.Popen(
        [str(node_binary(work)), "node_modules/postgraphile/dist/cli-run.js",
         "-C", "graphile.config.mjs"],
        cwd=work, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    # Grafserv answers GET /graphql with 405 once up; a POST probe tells ready from starting.
    wait_ready(f"http://127.0.0.1:{port}/graphql", process, post=True)
    return process
