#!/usr/bin/env python3
"""Checks that compose files deploy the shardpipe services the way the services are configured.

Each file is first resolved by a real compose implementation (`docker-compose config`, or
`docker compose config`), which validates it against the compose schema without a Docker engine and
applies defaults, anchors and merges. The resolved model is then checked against the repository:

* every SHARDPIPE_*, KAFKA_* and MICRONAUT_* variable of a service, or its NAME_FILE form that the
  image's entry point reads from a file, maps to a configuration key that service has (docs/configuration.md, its section and "Shared by every service", or its
  application.yml), the way Micronaut maps variables to keys;
* the shared settings agree across all services, defaults included;
* each service publishes its HTTP port and nothing else does; no host port is published twice;
* every shard of the placement has exactly one writer and a PostgreSQL service holding its database,
  with a pg_isready health check, a named volume and the services' credentials; a writer of a shard
  added later (an override such as docker-compose.shard-c.yml) names its database in the label
  dev.shardpipe.shard-url, which is checked the same way;
* ingest-api and query-service get the token signing secret as NAME_FILE from a docker secret they
  mount, unless their authentication is turned off;
* the catalog (datasources.catalog.*) is one PostgreSQL service here holding its database, with the
  services' catalog credentials, and every service waits for it to be healthy;
* the Kafka bootstrap names the brokers, the brokers form one cluster, and the topic job creates the
  topics the services use, with a replication the brokers can hold;
* dependencies wait on health checks or on the topic job's success;
* images and the Dockerfile's base images are pinned; the image runs as non-root with a health
  check.

Usage: check_compose.py [--compose CMD] FILE[+OVERRIDE...]...   (exit status 1 when a check fails)
A FILE+OVERRIDE argument checks the override merged over the file, as `compose -f FILE -f OVERRIDE`.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
MODULES = ("ingest-api", "shard-writer", "query-service")
CHECKED_PREFIXES = ("SHARDPIPE_", "KAFKA_", "MICRONAUT_", "DATASOURCES_")
# The HTTP services' authentication (docs/security.md): on unless turned off, with this secret.
AUTH_MODULES = ("ingest-api", "query-service")
AUTH_ENABLED_KEY = "micronaut.security.enabled"
AUTH_SECRET_KEY = "micronaut.security.token.jwt.signatures.secret.generator.secret"
SECRETS_DIR = "/run/secrets/"
# A setting read from a file (a docker secret) by the image's entry point: NAME_FILE for NAME.
FILE_SUFFIX = "_FILE"
SHARED_SECTION = "Shared by every service"
# docs/configuration.md: the database settings are read by the writers and query-service only.
DATABASE_KEY_PREFIX = "shardpipe.database."
DATABASE_MODULES = ("shard-writer", "query-service")
HEALTHY = "service_healthy"
COMPLETED = "service_completed_successfully"
POSTGRES_DATA = "/var/lib/postgresql/data"
INITDB_DIR = "/docker-entrypoint-initdb.d"
SHARD_NAME = re.compile(r"[a-z][a-z0-9_]{0,30}")
# The catalog's data source (docs/configuration.md, "Shared by every service").
CATALOG_URL_KEY = "datasources.catalog.url"
CATALOG_USER_KEY = "datasources.catalog.username"
CATALOG_PASSWORD_KEY = "datasources.catalog.password"
# On the writer of a shard added at runtime: the JDBC URL its shard is registered with.
SHARD_URL_LABEL = "dev.shardpipe.shard-url"
JDBC_URL = re.compile(r"jdbc:postgresql://([^:/?]+)(?::(\d+))?/([^?]+)")


def env_name(key: str) -> str:
    """Returns the environment variable Micronaut maps to `key`: upper case, `.` and `-` as `_`."""
    return re.sub(r"[.\-]", "_", key).upper()


@dataclass(frozen=True)
class Setting:
    """One configuration key as docs/configuration.md or an application.yml defines it."""

    key: str
    default: str | None
    shared: bool

    @property
    def wildcard(self) -> bool:
        return self.key.endswith(".*")

    def matches(self, variable: str) -> bool:
        if self.wildcard:
            return variable.startswith(env_name(self.key[:-2]) + "_")
        return variable == env_name(self.key)


@dataclass(frozen=True)
class ModuleConfig:
    """What one service module accepts: its settings and its HTTP port."""

    name: str
    settings: tuple[Setting, ...]
    port: int

    def setting_for(self, variable: str) -> Setting | None:
        exact = [s for s in self.settings if not s.wildcard and s.matches(variable)]
        wildcard = [s for s in self.settings if s.wildcard and s.matches(variable)]
        return (exact or wildcard or [None])[0]


def docs_sections(markdown: str) -> dict[str, list[Setting]]:
    """Returns the settings of each `## ` section's tables: first column key, second its default."""
    sections: dict[str, list[Setting]] = {}
    current: list[Setting] | None = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            current = sections.setdefault(title, [])
            continue
        if current is None or not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        key = re.match(r"`([^`]+)`", cells[0])
        if key is None:
            continue
        default_cell = cells[1] if len(cells) > 1 else ""
        default = re.match(r"`([^`]*)`", default_cell)
        if default is not None:
            value: str | None = default.group(1)
        elif default_cell == "(empty)":
            value = ""
        else:
            value = None
        current.append(Setting(key.group(1), value, title == SHARED_SECTION))
    return sections


def flatten(tree: object, prefix: str = "") -> dict[str, object]:
    """Flattens nested YAML maps into dotted keys, as Micronaut reads application.yml."""
    if not isinstance(tree, dict):
        return {prefix: tree}
    flat: dict[str, object] = {}
    for key, value in tree.items():
        flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def load_modules(repo: Path = REPO) -> dict[str, ModuleConfig]:
    """Reads each service module's settings from docs/configuration.md and its application.yml."""
    sections = docs_sections((repo / "docs" / "configuration.md").read_text(encoding="utf-8"))
    shared = sections.get(SHARED_SECTION, [])
    modules = {}
    for module in MODULES:
        own = next((s for title, s in sections.items() if title.split()[0] == module), [])
        yml = flatten(
            yaml.safe_load(
                (repo / module / "src" / "main" / "resources" / "application.yml").read_text(
                    encoding="utf-8"
                )
            )
        )
        from_yml = [Setting(key, None, False) for key in yml]
        modules[module] = ModuleConfig(
            module, tuple(shared + own + from_yml), int(yml["micronaut.server.port"])
        )
    return modules


def environment(service: dict) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {k: (None if v is None else str(v)) for k, v in env.items()}


def published_ports(service: dict) -> list[tuple[str, str, int]]:
    """Returns (host address, host port, container port) of each published port, either syntax."""
    result = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            result.append(
                (str(port.get("host_ip", "")), str(port.get("published", "")), int(port["target"]))
            )
            continue
        parts = str(port).split("/")[0].split(":")
        target = int(parts[-1])
        published = parts[-2] if len(parts) >= 2 else ""
        address = ":".join(parts[:-2])
        result.append((address, published, target))
    return result


def labels(service: dict) -> dict[str, str]:
    found = service.get("labels") or {}
    if isinstance(found, list):
        found = dict(item.split("=", 1) if "=" in item else (item, "") for item in found)
    return {str(k): str(v) for k, v in found.items()}


def depends_on(service: dict) -> dict[str, str | None]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: None for name in deps}
    return {name: (spec or {}).get("condition") for name, spec in deps.items()}


def volume_targets(service: dict) -> dict[str, str]:
    """Maps each mount target to its source."""
    mounts = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            mounts[volume["target"]] = str(volume.get("source", ""))
        else:
            parts = str(volume).split(":")
            mounts[parts[1]] = parts[0]
    return mounts


def is_named_volume(source: str) -> bool:
    return bool(source) and not source.startswith(("/", "."))


def image_pinned(image: str) -> bool:
    name = image.split("@", 1)[0]
    tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else ""
    return "@sha256:" in image or (tag not in ("", "latest") and any(c.isdigit() for c in tag))


def placement_shards(placement: str) -> list[str]:
    return [entry.split("=", 1)[0].strip() for entry in placement.split(",") if entry.strip()]


def check_dockerfile(text: str) -> list[str]:
    """Checks the image: pinned base images, a non-root user and a health check at the end."""
    problems = []
    defaults = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", text, re.MULTILINE))
    stages = re.split(r"^FROM\s", text, flags=re.MULTILINE)[1:]
    for stage in stages:
        image = stage.split()[0]
        resolved = re.sub(r"\$\{(\w+)\}", lambda m: defaults.get(m.group(1), m.group(0)), image)
        if not image_pinned(resolved):
            problems.append(f"Dockerfile: base image {resolved} is not pinned to a version")
    final = stages[-1] if stages else ""
    users = re.findall(r"^USER\s+(\S+)", final, re.MULTILINE)
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("Dockerfile: the final stage must switch to a non-root USER")
    if not re.search(r"^HEALTHCHECK\s", final, re.MULTILINE):
        problems.append("Dockerfile: the final stage has no HEALTHCHECK")
    return problems


class Checker:
    """The checks of one resolved compose model."""

    def __init__(self, model: dict, modules: dict[str, ModuleConfig], image_healthcheck: bool):
        self.services: dict[str, dict] = model.get("services") or {}
        self.secrets: dict[str, dict] = model.get("secrets") or {}
        self.modules = modules
        self.image_healthcheck = image_healthcheck
        self.problems: list[str] = []
        self.ours = {
            name: ((svc.get("build") or {}).get("args") or {}).get("SERVICE")
            for name, svc in self.services.items()
            if ((svc.get("build") or {}).get("args") or {}).get("SERVICE") in modules
        }

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def run(self) -> list[str]:
        for module in MODULES:
            if module not in self.ours.values():
                self.problem(f"no service runs {module} (build arg SERVICE={module})")
        self.check_variables()
        self.check_auth(model_secrets=self.secrets)
        shared = self.check_shared_settings()
        self.check_ports()
        self.check_shards(shared)
        self.check_catalog(shared)
        self.check_kafka(shared)
        self.check_dependencies()
        self.check_images()
        return self.problems

    def check_auth(self, model_secrets: dict[str, dict]) -> None:
        """The HTTP services verify bearer tokens with a signing secret read from a docker secret."""
        for name, module in self.ours.items():
            if module not in AUTH_MODULES:
                continue
            env = environment(self.services[name])
            if str(env.get(env_name(AUTH_ENABLED_KEY), "true")).lower() == "false":
                continue
            variable = env_name(AUTH_SECRET_KEY)
            if env.get(variable) is not None:
                self.problem(f"{name}: {variable} puts the secret in the file; use {variable}_FILE")
                continue
            path = env.get(variable + FILE_SUFFIX)
            if path is None:
                self.problem(f"{name}: authentication is on but {variable}_FILE is not set")
                continue
            mounted = {
                (s if isinstance(s, str) else s.get("source")): (
                    None if isinstance(s, str) else s.get("target")
                )
                for s in self.services[name].get("secrets") or []
            }
            secret = next(
                (src for src, target in mounted.items() if path == SECRETS_DIR + (target or src)),
                None,
            )
            if secret is None:
                self.problem(f"{name}: {variable}_FILE={path} is no secret the service mounts")
            elif secret not in model_secrets:
                self.problem(f"{name}: secret {secret} is not defined at the top level")

    def check_variables(self) -> None:
        for name, module in self.ours.items():
            for variable in environment(self.services[name]):
                if not variable.startswith(CHECKED_PREFIXES):
                    continue
                # The image's entry point reads NAME_FILE into NAME (compose/entrypoint.sh).
                setting = variable.removesuffix(FILE_SUFFIX)
                if self.modules[module].setting_for(setting) is None:
                    self.problem(
                        f"{name}: {variable} is no configuration key of {module}"
                        f" (docs/configuration.md, {module}/src/main/resources/application.yml)"
                    )

    def effective(self, name: str, setting: Setting) -> str | None:
        value = environment(self.services[name]).get(env_name(setting.key))
        return setting.default if value is None else value

    def check_shared_settings(self) -> dict[str, str | None]:
        """Requires each shared setting to have one value across the services that read it."""
        agreed: dict[str, str | None] = {}
        any_module = next(iter(self.modules.values()))
        for setting in (s for s in any_module.settings if s.shared and not s.wildcard):
            if setting.key.startswith("micronaut."):
                continue
            readers = DATABASE_MODULES if setting.key.startswith(DATABASE_KEY_PREFIX) else MODULES
            values = {
                name: self.effective(name, setting)
                for name, module in self.ours.items()
                if module in readers
            }
            if len(set(values.values())) > 1:
                listed = ", ".join(f"{n}={v!r}" for n, v in sorted(values.items()))
                self.problem(f"{env_name(setting.key)} differs between services: {listed}")
            agreed[setting.key] = next(iter(values.values()), setting.default)
        return agreed

    def http_port(self, name: str) -> int:
        module = self.ours[name]
        env_port = environment(self.services[name]).get("MICRONAUT_SERVER_PORT")
        arg_port = self.services[name]["build"]["args"].get("PORT")
        if arg_port is not None and int(arg_port) != self.modules[module].port:
            self.problem(
                f"{name}: build arg PORT={arg_port}, but {module} listens on"
                f" {self.modules[module].port} (micronaut.server.port)"
            )
        return int(env_port or arg_port or self.modules[module].port)

    def check_ports(self) -> None:
        seen: dict[tuple[str, str], str] = {}
        for name, svc in self.services.items():
            ports = published_ports(svc)
            if name not in self.ours:
                if ports:
                    self.problem(f"{name}: publishes {svc['ports']}; only HTTP ports are published")
                continue
            http = self.http_port(name)
            if self.ours[name] != "shard-writer" and not ports:
                self.problem(f"{name}: does not publish its HTTP port {http}")
            for address, published, target in ports:
                if target != http:
                    self.problem(
                        f"{name}: publishes container port {target}, its HTTP port is {http}"
                    )
                if published:
                    if (address, published) in seen:
                        self.problem(
                            f"{name}: host port {published} is already published by"
                            f" {seen[(address, published)]}"
                        )
                    seen[(address, published)] = name

    def check_shards(self, shared: dict[str, str | None]) -> None:
        placement = shared.get("shardpipe.placement") or ""
        shards = placement_shards(placement)
        for shard in shards:
            if not SHARD_NAME.fullmatch(shard):
                self.problem(f"SHARDPIPE_PLACEMENT: shard name {shard!r} is not valid")
        writers: dict[str, list[str]] = {}
        for name, module in self.ours.items():
            if module != "shard-writer":
                continue
            svc = self.services[name]
            shard = environment(svc).get("SHARDPIPE_WRITER_SHARD")
            if not shard:
                self.problem(f"{name}: SHARDPIPE_WRITER_SHARD is not set")
                continue
            writers.setdefault(shard, []).append(name)
            replicas = (svc.get("deploy") or {}).get("replicas", svc.get("scale", 1))
            if int(replicas) != 1:
                self.problem(f"{name}: {replicas} replicas; a shard has exactly one writer")
            if shard not in shards:
                self.check_added_writer(name, shard, placement, shared)
        template = shared.get("shardpipe.database.url-template") or ""
        databases: dict[str, str] = {}
        for shard in shards:
            found = writers.get(shard, [])
            if len(found) != 1:
                self.problem(
                    f"shard {shard}: {len(found)} writers ({', '.join(found) or 'none'});"
                    " exactly one per shard"
                )
            host = self.check_database(shard, template.replace("{shard}", shard), shared)
            if host is None:
                continue
            databases[shard] = host
            for writer in found:
                if depends_on(self.services[writer]).get(host) != HEALTHY:
                    self.problem(f"{writer}: must depend on {host} with condition {HEALTHY}")
        for name, module in self.ours.items():
            if module == "query-service":
                for shard, host in databases.items():
                    if depends_on(self.services[name]).get(host) != HEALTHY:
                        self.problem(
                            f"{name}: must depend on {host} (shard {shard}) with {HEALTHY}"
                        )

    def check_added_writer(
        self, name: str, shard: str, placement: str, shared: dict[str, str | None]
    ) -> None:
        """A writer of a shard added at runtime: its database is the URL of its label."""
        url = labels(self.services[name]).get(SHARD_URL_LABEL)
        if url is None:
            self.problem(
                f"{name}: shard {shard} is not in the placement {placement}; the writer of a"
                f" shard added at runtime names its database in the label {SHARD_URL_LABEL}"
            )
            return
        host = self.check_database(shard, url, shared)
        if host is not None and depends_on(self.services[name]).get(host) != HEALTHY:
            self.problem(f"{name}: must depend on {host} with condition {HEALTHY}")

    def check_database(self, shard: str, url: str, shared: dict[str, str | None]) -> str | None:
        return self.check_postgres(
            f"shard {shard}",
            url,
            (shared.get("shardpipe.database.user"), "SHARDPIPE_DATABASE_USER"),
            (shared.get("shardpipe.database.password"), "SHARDPIPE_DATABASE_PASSWORD"),
        )

    def check_catalog(self, shared: dict[str, str | None]) -> None:
        """The catalog: a PostgreSQL service here, with its database, that every service awaits."""
        url = shared.get(CATALOG_URL_KEY) or ""
        host = self.check_postgres(
            "catalog",
            url,
            (shared.get(CATALOG_USER_KEY), env_name(CATALOG_USER_KEY)),
            (shared.get(CATALOG_PASSWORD_KEY), env_name(CATALOG_PASSWORD_KEY)),
        )
        if host is None:
            return
        for name in self.ours:
            if depends_on(self.services[name]).get(host) != HEALTHY:
                self.problem(f"{name}: must depend on {host} (the catalog) with {HEALTHY}")

    def check_postgres(
        self,
        what: str,
        url: str,
        user: tuple[str | None, str],
        password: tuple[str | None, str],
    ) -> str | None:
        """Checks that a JDBC URL names a database a PostgreSQL service here creates."""
        match = JDBC_URL.fullmatch(url)
        if match is None:
            self.problem(f"{what}: {url} is not a jdbc:postgresql://host:port/db URL")
            return None
        host, port, database = match.group(1), int(match.group(2) or 5432), match.group(3)
        svc = self.services.get(host)
        if svc is None or not str(svc.get("image", "")).startswith("postgres:"):
            self.problem(f"{what}: its database host {host} is no PostgreSQL service here")
            return None
        env = environment(svc)
        if port != int(env.get("PGPORT") or 5432):
            self.problem(f"{what}: {url} uses port {port}; {host} listens on 5432")
        initdb = INITDB_DIR in volume_targets(svc)
        created = {env.get("POSTGRES_DB") or env.get("POSTGRES_USER") or "postgres"}
        if initdb:
            created |= set((env.get("SHARD_DATABASES") or "").replace(",", " ").split())
        if database not in created:
            self.problem(f"{what}: {host} does not create database {database}")
        if env.get("POSTGRES_USER", "postgres") != user[0]:
            self.problem(f"{host}: POSTGRES_USER differs from {user[1]}")
        if env.get("POSTGRES_PASSWORD") != password[0]:
            self.problem(f"{host}: POSTGRES_PASSWORD differs from {password[1]}")
        test = " ".join(map(str, (svc.get("healthcheck") or {}).get("test") or []))
        if "pg_isready" not in test:
            self.problem(f"{host}: needs a pg_isready health check")
        if not is_named_volume(volume_targets(svc).get(POSTGRES_DATA, "")):
            self.problem(f"{host}: needs a named volume at {POSTGRES_DATA}")
        return host

    def check_kafka(self, shared: dict[str, str | None]) -> None:
        brokers = {
            name: environment(svc)
            for name, svc in self.services.items()
            if str(svc.get("image", "")).startswith("apache/kafka:")
            and "broker" in (environment(svc).get("KAFKA_PROCESS_ROLES") or "")
        }
        if not brokers:
            self.problem("no Kafka broker (apache/kafka with KAFKA_PROCESS_ROLES broker)")
            return
        for address in (shared.get("kafka.bootstrap.servers") or "").split(","):
            host = address.split(":")[0]
            if host not in brokers:
                self.problem(f"KAFKA_BOOTSTRAP_SERVERS names {address}, which is no broker here")
            elif f"//{address}" not in (brokers[host].get("KAFKA_ADVERTISED_LISTENERS") or ""):
                self.problem(f"{host}: does not advertise {address}")
        for setting in ("CLUSTER_ID", "KAFKA_CONTROLLER_QUORUM_VOTERS"):
            values = {env.get(setting) for env in brokers.values()}
            if len(values) != 1:
                self.problem(f"brokers differ in {setting}: {sorted(map(str, values))}")
        for name, env in brokers.items():
            if not valid_cluster_id(env.get("CLUSTER_ID") or ""):
                self.problem(f"{name}: CLUSTER_ID is not a Kafka UUID (22 base64url characters)")
            if (env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE") or "true").lower() != "false":
                self.problem(f"{name}: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false (SPEC 4)")
            voters = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS") or ""
            if f"{env.get('KAFKA_NODE_ID')}@{name}:" not in voters:
                self.problem(f"{name}: node {env.get('KAFKA_NODE_ID')} is no quorum voter")
            if int(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR") or 3) > len(brokers):
                self.problem(f"{name}: offsets topic replication exceeds {len(brokers)} brokers")
        if len({env.get("KAFKA_NODE_ID") for env in brokers.values()}) != len(brokers):
            self.problem("brokers share a KAFKA_NODE_ID")
        self.check_topic_job(shared, brokers)

    def check_topic_job(self, shared: dict[str, str | None], brokers: dict) -> None:
        jobs = [
            name
            for name, svc in self.services.items()
            if "create-topics.sh" in " ".join(map(str, svc.get("entrypoint") or []))
        ]
        if len(jobs) != 1:
            self.problem(f"expected one topic job (create-topics.sh), found {jobs}")
            return
        job = jobs[0]
        env = environment(self.services[job])
        for variable, key in (
            ("TOPIC", "shardpipe.topic"),
            ("DLQ_TOPIC", "shardpipe.dlq-topic"),
            ("PARTITIONS", "shardpipe.partitions"),
        ):
            if env.get(variable) != shared.get(key):
                self.problem(
                    f"{job}: {variable}={env.get(variable)}, the services use {shared.get(key)}"
                )
        replication = int(env.get("REPLICATION_FACTOR") or 0)
        min_isr = int(env.get("MIN_INSYNC_REPLICAS") or 0)
        if not 1 <= replication <= len(brokers):
            self.problem(f"{job}: replication factor {replication} needs 1..{len(brokers)} brokers")
        if not 1 <= min_isr <= replication or (replication > 1 and min_isr >= replication):
            self.problem(
                f"{job}: min.insync.replicas {min_isr} must be below the replication factor"
                f" {replication} (or both 1), so that acks=all survives one broker down"
            )
        for broker in brokers:
            if depends_on(self.services[job]).get(broker) != HEALTHY:
                self.problem(f"{job}: must depend on {broker} with condition {HEALTHY}")
        for name in self.ours:
            if depends_on(self.services[name]).get(job) != COMPLETED:
                self.problem(f"{name}: must depend on {job} with condition {COMPLETED}")

    def check_dependencies(self) -> None:
        for name, svc in self.services.items():
            for target, condition in depends_on(svc).items():
                if condition not in (HEALTHY, COMPLETED):
                    self.problem(f"{name}: depends on {target} without a health condition")
                elif condition == HEALTHY and target in self.services:
                    has_check = bool(self.services[target].get("healthcheck")) or (
                        target in self.ours and self.image_healthcheck
                    )
                    if not has_check:
                        self.problem(f"{name}: waits for {target} to be healthy; it has no check")

    def check_images(self) -> None:
        for name, svc in self.services.items():
            if "build" not in svc and not image_pinned(str(svc.get("image", ""))):
                self.problem(f"{name}: image {svc.get('image')} is not pinned to a version")


def valid_cluster_id(value: str) -> bool:
    try:
        return len(value) == 22 and len(base64.urlsafe_b64decode(value + "==")) == 16
    except (binascii.Error, ValueError):
        return False


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return ["docker", "compose"]


def resolve(file: Path | list[Path], command: list[str]) -> dict:
    """Runs `<compose> -f FILE [-f OVERRIDE...] config` with only PATH and HOME set, so the defaults
    are checked; several files are merged in order, as compose merges overrides."""
    files = file if isinstance(file, list) else [file]
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
    result = subprocess.run(
        [*command, *(arg for f in files for arg in ("-f", str(f))), "config"],
        capture_output=True,
        text=True,
        env=clean,
        check=False,
    )
    if result.returncode != 0:
        named = " + ".join(str(f) for f in files)
        raise ValueError(f"{' '.join(command)} config rejects {named}:\n{result.stderr.strip()}")
    return yaml.safe_load(result.stdout)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--compose", help="compose command, such as 'docker compose'")
    parser.add_argument("files", nargs="+", help="a compose file, or FILE+OVERRIDE[+...]")
    args = parser.parse_args(argv)
    command = shlex.split(args.compose) if args.compose else compose_command()
    modules = load_modules()
    dockerfile = (REPO / "compose" / "Dockerfile").read_text(encoding="utf-8")
    problems = check_dockerfile(dockerfile)
    image_healthcheck = not any("HEALTHCHECK" in p for p in problems)
    for problem in problems:
        print(f"compose/Dockerfile: {problem}")
    failed = bool(problems)
    for file in args.files:
        try:
            merged = [Path(part) for part in file.split("+")]
            found = Checker(resolve(merged, command), modules, image_healthcheck).run()
        except ValueError as e:
            found = [str(e)]
        for problem in found:
            print(f"{file}: {problem}")
        if not found:
            print(f"{file}: valid ({' '.join(command)} config) and consistent with the services")
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
