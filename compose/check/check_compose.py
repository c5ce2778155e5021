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
* the database owner's password is nowhere in clear: every service reading it (the shards' and
  the catalog's) and every PostgreSQL service (POSTGRES_PASSWORD_FILE) take it as NAME_FILE from
  a docker secret they mount, and no service sets PGPASSWORD; services and databases agree when
  they name the same secret;
* each docker secret these settings name is defined at the top level, and its file exists or is
  one that the `for f in ...` loops of docs/operations.md create;
* the catalog (datasources.catalog.*) is one PostgreSQL service here holding its database, with the
  services' catalog credentials, and every service waits for it to be healthy;
* the Kafka bootstrap names the brokers, the brokers form one cluster, and the topic job creates the
  topics the services use, with a replication the brokers can hold;
* dependencies wait on health checks or on the topic job's success;
* images and the Dockerfile's base images are pinned; the image runs as non-root with a health
  check;
* with Kafka security on (docker-compose.secure.yml): the brokers advertise SASL_SSL only, with
  SCRAM, their inter-broker and controller listeners are declared with the ports the quorum and the
  clients use, the controller listener is TLS requiring a certificate; every Kafka client (the
  services and the topic job) logs in over SASL_SSL with a SCRAM user of its own that the brokers
  create, its password and truststore password from files, and trusts the truststore the
  certificate job makes; every file a setting names is a mounted docker secret (checked as above)
  or a file the certificate job writes into a volume the service mounts; no client mounts the CA's
  or the brokers' key; the brokers and every client wait for the certificate job.

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
# docs/configuration.md: the Kafka client settings every service reads, apart from the shared ones
# because each service logs in as its own user.
KAFKA_SECURITY_SECTION = "Kafka client security (every service)"
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
# The owner's login to the shards (docs/security.md, "Database roles"); the catalog's is above.
DATABASE_PASSWORD_KEY = "shardpipe.database.password"
# The official postgres image reads POSTGRES_PASSWORD_FILE itself; psql and libpq read PGPASSWORD.
POSTGRES_PASSWORD = "POSTGRES_PASSWORD"
PGPASSWORD = "PGPASSWORD"
OWNER_PASSWORD_KEYS = (DATABASE_PASSWORD_KEY, CATALOG_PASSWORD_KEY)
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
    shared = sections.get(SHARED_SECTION, []) + sections.get(KAFKA_SECURITY_SECTION, [])
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
        # Secrets already reported missing: one line each, not one per service mounting it.
        self.missing: set[str] = set()
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
        self.check_auth()
        self.check_owner_password()
        shared = self.check_shared_settings()
        self.check_ports()
        self.check_shards(shared)
        self.check_catalog(shared)
        self.check_kafka(shared)
        KafkaSecurity(self).run()
        self.check_dependencies()
        self.check_images()
        return self.problems

    def check_auth(self) -> None:
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
            self.check_secret(name, variable + FILE_SUFFIX, path)

    def check_owner_password(self) -> None:
        """The owner's password comes from a docker secret everywhere it is used, never in clear."""
        for name, module in self.ours.items():
            keys = [CATALOG_PASSWORD_KEY]
            if module in DATABASE_MODULES:
                keys.append(DATABASE_PASSWORD_KEY)
            for key in keys:
                self.check_password_file(name, env_name(key))
        for name, svc in self.services.items():
            if str(svc.get("image", "")).startswith("postgres:"):
                self.check_password_file(name, POSTGRES_PASSWORD)
            if environment(svc).get(PGPASSWORD) is not None:
                self.problem(
                    f"{name}: {PGPASSWORD} puts a database password in the compose file; read it"
                    f" from a docker secret under {SECRETS_DIR} instead"
                )

    def check_password_file(self, name: str, variable: str) -> None:
        env = environment(self.services[name])
        if env.get(variable) is not None:
            self.problem(
                f"{name}: {variable} puts the owner's password in the compose file; use"
                f" {variable}{FILE_SUFFIX} with a docker secret"
            )
            return
        path = env.get(variable + FILE_SUFFIX)
        if path is None:
            self.problem(
                f"{name}: {variable}{FILE_SUFFIX} is not set; the owner's password comes from a"
                " docker secret"
            )
            return
        self.check_secret(name, variable + FILE_SUFFIX, path)

    def check_secret(self, name: str, variable: str, path: str) -> str | None:
        """Returns the docker secret a service mounts at `path`, if it is one, after checking that
        it is defined at the top level and its file exists or docs/operations.md creates it."""
        secret = mounted_secrets(self.services[name]).get(path)
        if secret is None:
            self.problem(f"{name}: {variable}={path} is no secret the service mounts")
            return None
        self.check_secret_file(name, variable, secret)
        return secret

    def check_secret_file(self, name: str, variable: str, secret: str) -> None:
        top = (self.secrets.get(secret) or {}).get("file")
        if top is None:
            self.problem(f"{name}: secret {secret} is not defined at the top level")
            return
        file = Path(top)
        documented = file.parent == HOST_SECRETS_DIR and file.name in documented_secret_files()
        if not file.exists() and not documented and secret not in self.missing:
            self.missing.add(secret)
            self.problem(
                f"{name}: {variable}: the file {top} of secret {secret} neither exists nor is"
                " one docs/operations.md creates"
            )

    def credential(self, name: str, variable: str) -> str | None:
        """A service's value of `variable`, or of its NAME_FILE form as the docker secret it names,
        so that two services given the same secret agree and a secret never equals a value."""
        env = environment(self.services[name])
        if env.get(variable) is not None:
            return env[variable]
        path = env.get(variable + FILE_SUFFIX)
        if path is None:
            return None
        secret = mounted_secrets(self.services[name]).get(path)
        return f"<file {path}>" if secret is None else f"<docker secret {secret}>"

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
        # The owner's passwords are compared as the secrets they come from; the writers' password
        # is no such setting to compare, since only the writers get it.
        if setting.key in OWNER_PASSWORD_KEYS:
            value = self.credential(name, env_name(setting.key))
        else:
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
            (shared.get(DATABASE_PASSWORD_KEY), env_name(DATABASE_PASSWORD_KEY)),
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
        if self.credential(host, POSTGRES_PASSWORD) != password[0]:
            self.problem(f"{host}: {POSTGRES_PASSWORD} differs from {password[1]}")
        test = " ".join(map(str, (svc.get("healthcheck") or {}).get("test") or []))
        if "pg_isready" not in test:
            self.problem(f"{host}: needs a pg_isready health check")
        if not is_named_volume(volume_targets(svc).get(POSTGRES_DATA, "")):
            self.problem(f"{host}: needs a named volume at {POSTGRES_DATA}")
        return host

    def brokers(self) -> dict[str, dict[str, str | None]]:
        return {
            name: environment(svc)
            for name, svc in self.services.items()
            if str(svc.get("image", "")).startswith("apache/kafka:")
            and "broker" in (environment(svc).get("KAFKA_PROCESS_ROLES") or "")
        }

    def topic_jobs(self) -> list[str]:
        return [
            name
            for name, svc in self.services.items()
            if "create-topics.sh" in " ".join(map(str, svc.get("entrypoint") or []))
        ]

    def check_kafka(self, shared: dict[str, str | None]) -> None:
        brokers = self.brokers()
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
                self.problem(
                    f"{name}: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false (docs/contract.md §4)"
                )
            voters = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS") or ""
            if f"{env.get('KAFKA_NODE_ID')}@{name}:" not in voters:
                self.problem(f"{name}: node {env.get('KAFKA_NODE_ID')} is no quorum voter")
            if int(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR") or 3) > len(brokers):
                self.problem(f"{name}: offsets topic replication exceeds {len(brokers)} brokers")
        if len({env.get("KAFKA_NODE_ID") for env in brokers.values()}) != len(brokers):
            self.problem("brokers share a KAFKA_NODE_ID")
        self.check_topic_job(shared, brokers)

    def check_topic_job(self, shared: dict[str, str | None], brokers: dict) -> None:
        jobs = self.topic_jobs()
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


# Kafka security (docs/operations.md, "Kafka with SASL/SCRAM over TLS").
SASL_SSL = "SASL_SSL"
SCRAM = "SCRAM-SHA-512"
SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule"
CERT_SCRIPT = "kafka-certs.sh"
BROKER_SCRIPT = "kafka-broker.sh"
# The placeholder the services' login reads its password through (docs/configuration.md).
PASSWORD_KEY = "shardpipe.kafka.password"
PASSWORD_PLACEHOLDER = "${" + PASSWORD_KEY + "}"
# What compose/kafka-certs.sh writes into the directory each of its variables names.
CERT_FILES = {
    "CA_DIR": ("ca.p12", "ca.password"),
    "BROKER_DIR": (
        "broker.keystore.p12",
        "keystore.password",
        "truststore.p12",
        "truststore.password",
    ),
    "CLIENT_DIR": ("truststore.p12", "truststore.password"),
}
# The directories that hold a private key: no client may mount them.
KEY_DIRS = ("CA_DIR", "BROKER_DIR")
HOST_SECRETS_DIR = REPO / "compose" / "secrets"
JAAS_USER = re.compile(r'\busername="([^"]+)"')
JAAS_PASSWORD = re.compile(r'\bpassword="([^"]*)"')


def listeners(value: str | None) -> dict[str, int]:
    """Maps each listener name of KAFKA_LISTENERS or KAFKA_ADVERTISED_LISTENERS to its port."""
    found = {}
    for entry in (value or "").split(","):
        match = re.fullmatch(r"\s*([A-Za-z0-9_]+)://[^:]*:(\d+)\s*", entry)
        if match:
            found[match.group(1)] = int(match.group(2))
    return found


def protocol_map(value: str | None) -> dict[str, str]:
    pairs = (entry.split(":", 1) for entry in (value or "").split(",") if ":" in entry)
    return {name.strip(): protocol.strip() for name, protocol in pairs}


def documented_secret_files(repo: Path = REPO) -> set[str]:
    """The files under compose/secrets/ that docs/operations.md's `for f in ...` loops create."""
    text = (repo / "docs" / "operations.md").read_text(encoding="utf-8")
    names: set[str] = set()
    for loop in re.findall(r"^for f in ([^;\n]+);", text, re.MULTILINE):
        names.update(loop.split())
    return names


def mounted_secrets(service: dict) -> dict[str, str]:
    """Maps the path of each docker secret a service mounts to the secret's name."""
    mounted = {}
    for secret in service.get("secrets") or []:
        if isinstance(secret, str):
            mounted[SECRETS_DIR + secret] = secret
        else:
            target = secret.get("target") or secret["source"]
            path = target if target.startswith("/") else SECRETS_DIR + target
            mounted[path] = secret["source"]
    return mounted


class KafkaSecurity:
    """The checks of a stack whose Kafka clients log in with SASL/SCRAM over TLS."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.services = checker.services
        self.brokers = checker.brokers()
        self.jobs = checker.topic_jobs()

    def problem(self, message: str) -> None:
        self.checker.problem(message)

    def secured(self) -> bool:
        maps = [protocol_map(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")) for env in
                self.brokers.values()]
        clients = [environment(self.services[name]) for name in self.checker.ours]
        return any(SASL_SSL in m.values() for m in maps) or any(
            env.get("KAFKA_SECURITY_PROTOCOL") not in (None, "PLAINTEXT") for env in clients
        )

    def run(self) -> None:
        if not self.brokers or not self.secured():
            return
        cert_job = self.check_cert_job()
        generated = self.generated_files(cert_job)
        mechanisms = self.check_brokers(generated)
        users: dict[str, str] = {}
        for name in self.checker.ours:
            self.check_service(name, mechanisms, generated, users)
            for variable, path in environment(self.services[name]).items():
                if variable.endswith(FILE_SUFFIX) and path is not None:
                    self.check_file(name, variable, path, generated)
        for job in self.jobs:
            self.check_topic_job(job, mechanisms, generated, users)
        for broker, env in self.brokers.items():
            created = {e.split("=", 1)[0] for e in (env.get("SCRAM_USERS") or "").split()}
            created.add(env.get("INTER_BROKER_USER") or "")
            for user, client in sorted(users.items()):
                if user not in created:
                    self.problem(
                        f"{broker}: SCRAM_USERS does not create {user}, the user of {client}"
                    )
        if cert_job is not None:
            for name in [*self.brokers, *self.checker.ours, *self.jobs]:
                if depends_on(self.services[name]).get(cert_job) != COMPLETED:
                    self.problem(f"{name}: must depend on {cert_job} with condition {COMPLETED}")

    def check_cert_job(self) -> str | None:
        jobs = [
            name
            for name, svc in self.services.items()
            if CERT_SCRIPT in " ".join(map(str, svc.get("entrypoint") or []))
        ]
        if len(jobs) != 1:
            self.problem(f"expected one certificate job ({CERT_SCRIPT}), found {jobs}")
            return None
        return jobs[0]

    def generated_files(self, cert_job: str | None) -> dict[str, tuple[str, str]]:
        """Maps each named volume the certificate job writes to (its directory variable, files)."""
        if cert_job is None:
            return {}
        svc = self.services[cert_job]
        env = environment(svc)
        mounts = volume_targets(svc)
        found = {}
        for variable in CERT_FILES:
            source = mounts.get(env.get(variable) or "")
            if source is None or not is_named_volume(source):
                self.problem(f"{cert_job}: {variable} is not a named volume the job mounts")
                continue
            found[source] = (variable, env.get(variable) or "")
        hosts = set((env.get("BROKER_HOSTS") or "").split(","))
        for broker in self.brokers:
            if broker not in hosts:
                self.problem(f"{cert_job}: BROKER_HOSTS lacks {broker}; TLS would refuse its name")
        return found

    def check_file(self, name: str, variable: str, path: str | None, generated: dict) -> None:
        """A file a setting names: a mounted secret whose file is there or documented, or a file
        the certificate job writes into a volume this service mounts."""
        if not path:
            self.problem(f"{name}: {variable} is not set")
            return
        svc = self.services[name]
        secret = mounted_secrets(svc).get(path)
        if secret is not None:
            self.checker.check_secret_file(name, variable, secret)
            return
        for target, source in volume_targets(svc).items():
            if path.startswith(target.rstrip("/") + "/") and source in generated:
                variable_dir, _ = generated[source]
                if path[len(target.rstrip("/")) + 1 :] in CERT_FILES[variable_dir]:
                    return
        self.problem(
            f"{name}: {variable}={path} is neither a secret it mounts nor a file the certificate"
            " job writes into a volume it mounts"
        )

    def check_brokers(self, generated: dict) -> set[str]:
        mechanisms: set[str] = set()
        for name, env in self.brokers.items():
            svc = self.services[name]
            if BROKER_SCRIPT not in " ".join(map(str, svc.get("entrypoint") or [])):
                self.problem(f"{name}: must start through {BROKER_SCRIPT}, which creates the users")
            ports = listeners(env.get("KAFKA_LISTENERS"))
            protocols = protocol_map(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
            for listener in ports:
                if listener not in protocols:
                    self.problem(f"{name}: listener {listener} has no security protocol")
            for listener, port in listeners(env.get("KAFKA_ADVERTISED_LISTENERS")).items():
                if ports.get(listener) != port:
                    self.problem(
                        f"{name}: advertises {listener} on port {port}, but listens on"
                        f" {ports.get(listener)}"
                    )
                if protocols.get(listener) != SASL_SSL:
                    self.problem(
                        f"{name}: advertises {listener} ({protocols.get(listener)}); clients"
                        f" must reach the brokers over {SASL_SSL} only"
                    )
            inter = env.get("KAFKA_INTER_BROKER_LISTENER_NAME") or ""
            if inter not in ports or protocols.get(inter) != SASL_SSL:
                self.problem(f"{name}: the inter-broker listener {inter} is no {SASL_SSL} listener")
            enabled = set((env.get("KAFKA_SASL_ENABLED_MECHANISMS") or "").split(","))
            if SCRAM not in enabled:
                self.problem(f"{name}: KAFKA_SASL_ENABLED_MECHANISMS lacks {SCRAM}")
            if env.get("KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL") not in enabled:
                self.problem(f"{name}: the inter-broker SASL mechanism is not enabled")
            mechanisms |= enabled
            self.check_controller(name, env, ports, protocols)
            for key in ("KAFKA_SSL_KEYSTORE_LOCATION", "KAFKA_SSL_TRUSTSTORE_LOCATION"):
                self.check_file(name, key, env.get(key), generated)
            for key in (
                "KAFKA_SSL_KEYSTORE_PASSWORD_FILE",
                "KAFKA_SSL_KEY_PASSWORD_FILE",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE",
                "INTER_BROKER_PASSWORD_FILE",
            ):
                if env.get(key.removesuffix(FILE_SUFFIX)) is not None:
                    self.problem(f"{name}: {key.removesuffix(FILE_SUFFIX)} puts a password in")
                self.check_file(name, key, env.get(key), generated)
            for entry in (env.get("SCRAM_USERS") or "").split():
                user, _, path = entry.partition("=")
                self.check_file(name, f"SCRAM_USERS ({user})", path, generated)
            test = " ".join(map(str, (svc.get("healthcheck") or {}).get("test") or []))
            if "--command-config" not in test:
                self.problem(f"{name}: its health check must log in (--command-config)")
        return mechanisms

    def check_controller(self, name, env, ports: dict, protocols: dict) -> None:
        """The KRaft quorum: TLS with a certificate required of the other side, since SCRAM
        credentials live in the metadata the controllers serve."""
        for controller in (env.get("KAFKA_CONTROLLER_LISTENER_NAMES") or "").split(","):
            if controller not in ports:
                self.problem(f"{name}: controller listener {controller} is not in KAFKA_LISTENERS")
                continue
            if protocols.get(controller) != "SSL":
                self.problem(f"{name}: controller listener {controller} must be SSL")
            auth = env.get(f"KAFKA_LISTENER_NAME_{controller}_SSL_CLIENT_AUTH") or env.get(
                "KAFKA_SSL_CLIENT_AUTH"
            )
            if auth != "required":
                self.problem(
                    f"{name}: controller listener {controller} must require a client certificate"
                    f" (KAFKA_LISTENER_NAME_{controller}_SSL_CLIENT_AUTH=required)"
                )
            voters = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS") or ""
            for voter in voters.split(","):
                port = int(voter.rsplit(":", 1)[1]) if ":" in voter else None
                if port != ports[controller]:
                    self.problem(
                        f"{name}: quorum voter {voter} is not on the controller listener's port"
                        f" {ports[controller]}"
                    )

    def check_client_volumes(self, name: str, generated: dict) -> None:
        for source in volume_targets(self.services[name]).values():
            if source in generated and generated[source][0] in KEY_DIRS:
                self.problem(f"{name}: mounts {source}, which holds a private key")

    def check_service(self, name: str, mechanisms: set, generated: dict, users: dict) -> None:
        env = environment(self.services[name])
        if env.get("KAFKA_SECURITY_PROTOCOL") != SASL_SSL:
            self.problem(f"{name}: KAFKA_SECURITY_PROTOCOL must be {SASL_SSL}")
        if env.get("KAFKA_SASL_MECHANISM") not in mechanisms:
            self.problem(
                f"{name}: KAFKA_SASL_MECHANISM {env.get('KAFKA_SASL_MECHANISM')} is not enabled"
                f" on the brokers ({', '.join(sorted(mechanisms))})"
            )
        jaas = (env.get("KAFKA_SASL_JAAS_CONFIG") or "").replace("$$", "$")
        user = JAAS_USER.search(jaas)
        password = JAAS_PASSWORD.search(jaas)
        if SCRAM_LOGIN not in jaas or user is None:
            self.problem(f"{name}: KAFKA_SASL_JAAS_CONFIG is no {SCRAM_LOGIN} login with a user")
        else:
            self.claim(users, user.group(1), name)
        if password is None or password.group(1) != PASSWORD_PLACEHOLDER:
            self.problem(
                f"{name}: KAFKA_SASL_JAAS_CONFIG must take its password from"
                f" {PASSWORD_PLACEHOLDER}, not write it in"
            )
        for variable in ("SHARDPIPE_KAFKA_PASSWORD_FILE", "KAFKA_SSL_TRUSTSTORE_LOCATION"):
            self.check_file(name, variable, env.get(variable), generated)
        if env.get("KAFKA_SSL_TRUSTSTORE_PASSWORD") is not None:
            self.problem(f"{name}: KAFKA_SSL_TRUSTSTORE_PASSWORD puts a password in; use _FILE")
        self.check_file(
            name,
            "KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE",
            env.get("KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE"),
            generated,
        )
        self.check_client_volumes(name, generated)

    def check_topic_job(self, name: str, mechanisms: set, generated: dict, users: dict) -> None:
        env = environment(self.services[name])
        if env.get("SECURITY_PROTOCOL") != SASL_SSL:
            self.problem(f"{name}: SECURITY_PROTOCOL must be {SASL_SSL}")
        if env.get("SASL_MECHANISM") not in mechanisms:
            self.problem(f"{name}: SASL_MECHANISM {env.get('SASL_MECHANISM')} is not enabled")
        if not env.get("SASL_USER"):
            self.problem(f"{name}: SASL_USER is not set")
        else:
            self.claim(users, env["SASL_USER"], name)
        for variable in ("SASL_PASSWORD_FILE", "TRUSTSTORE", "TRUSTSTORE_PASSWORD_FILE"):
            self.check_file(name, variable, env.get(variable), generated)
        for address in (env.get("BOOTSTRAP") or "").split(","):
            host = address.split(":")[0]
            advertised = (self.brokers.get(host) or {}).get("KAFKA_ADVERTISED_LISTENERS") or ""
            if f"//{address}" not in advertised:
                self.problem(f"{name}: BOOTSTRAP names {address}, which no broker advertises")
        self.check_client_volumes(name, generated)

    def claim(self, users: dict[str, str], user: str, client: str) -> None:
        if user in users:
            self.problem(f"{client}: logs in as {user}, like {users[user]}; one user per client")
        else:
            users[user] = client



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
