#!/usr/bin/env python3
"""Runs the Kafka security of compose/docker-compose.secure.yml for real, without Docker.

compose's own `config` resolves the overlay over docker-compose.yml; then, on this machine, with
the resolved settings of the services (only hosts, ports, paths and replication changed for one
node on 127.0.0.1):

1. compose/kafka-certs.sh makes the TLS material, with keytool, as the kafka-certs job does;
2. compose/kafka-broker.sh formats and starts a real Kafka broker (the jars of the stack's Kafka
   version, pom.xml beside this file) with kafka-1's environment: SASL_SSL and an SSL controller
   listener requiring a certificate; the overlay's health check command must then pass;
3. compose/create-topics.sh creates the topics as the topic job's user;
4. ingest-api's jar starts through compose/entrypoint.sh with ingest-api's environment (the
   password and truststore password read from files, the JAAS login's placeholder resolved by
   Micronaut), accepts an event, and a consumer logged in as another user reads it back;
5. a wrong password and a PLAINTEXT client are refused; compose/kafka-scram-password.sh changes
   a password, after which the old one is refused and the new one accepted.

Usage (from the repository root, after `mvn -o -pl ingest-api -am -DskipTests package`):
    python3 compose/check/kafka-smoke/run.py
Exit status 0 when every step did what it should; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import check_compose as cc  # noqa: E402

REPO = cc.REPO
COMPOSE = REPO / "compose"
TOOLS = {
    "kafka-storage.sh": "kafka.tools.StorageTool",
    "kafka-server-start.sh": "kafka.Kafka",
    "kafka-topics.sh": "org.apache.kafka.tools.TopicCommand",
    "kafka-configs.sh": "kafka.admin.ConfigCommand",
    "kafka-broker-api-versions.sh": "org.apache.kafka.tools.BrokerApiVersionsCommand",
    "kafka-console-consumer.sh": "org.apache.kafka.tools.consumer.ConsoleConsumer",
}
STEP_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def step(message: str) -> None:
    print(f"--- {message}", flush=True)


class Smoke:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.model = cc.resolve(
            [COMPOSE / "docker-compose.yml", COMPOSE / "docker-compose.secure.yml"],
            cc.compose_command(),
        )
        self.services = self.model["services"]
        self.port = free_port()
        self.controller_port = free_port()
        self.processes: list[subprocess.Popen] = []
        self.paths: dict[str, str] = {}

    # --- the machine's stand-ins for the containers' paths and names

    def prepare(self) -> None:
        home = self.work / "kafka-home"
        (home / "bin").mkdir(parents=True)
        classpath = self.work / "classpath.txt"
        subprocess.run(
            ["mvn", "-o", "-q", "-f", str(HERE / "pom.xml"), "dependency:build-classpath",
             f"-Dmdep.outputFile={classpath}"],
            check=True, timeout=STEP_TIMEOUT,
        )
        for script, main in TOOLS.items():
            launcher = home / "bin" / script
            launcher.write_text(
                "#!/bin/sh\n"
                f'exec java $KAFKA_HEAP_OPTS -cp "$(cat {classpath})" {main} "$@"\n',
                encoding="utf-8",
            )
            launcher.chmod(0o755)
        self.paths["/opt/kafka"] = str(home)
        for name in self.model.get("secrets", {}):
            path = self.work / "secrets" / name
            path.parent.mkdir(exist_ok=True)
            # As the documentation creates them: with a trailing line break.
            path.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
            self.paths[f"/run/secrets/{name}"] = str(path)
        for svc in self.services.values():
            for target, source in cc.volume_targets(svc).items():
                if cc.is_named_volume(source):
                    self.paths[target] = str(self.work / "volumes" / source)
                else:
                    self.paths[target] = source
        self.paths["/tmp/healthcheck-client.properties"] = str(self.work / "health.properties")

    def local(self, value: str) -> str:
        """A container's value on this machine: paths, the brokers' names and ports."""
        value = value.replace("$$", "$")
        for path in sorted(self.paths, key=len, reverse=True):
            value = re.sub(re.escape(path) + r"(?=/|\b|$)", self.paths[path], value)
        value = re.sub(r"\bkafka-1:9092\b", f"localhost:{self.port}", value)
        value = re.sub(r",?\bkafka-[23]:9092\b", "", value)
        value = value.replace("localhost:9092", f"localhost:{self.port}")
        return value

    def env(self, service: str, **changes: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "JAVA_HOME")}
        for key, value in cc.environment(self.services[service]).items():
            if value is not None:
                env[key] = self.local(value)
        env.update(changes)
        return env

    def start(self, args: list[str], env: dict[str, str], log: str) -> subprocess.Popen:
        with open(self.work / log, "wb") as out:
            process = subprocess.Popen(
                args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes.append(process)
        return process

    def run(self, args: list[str], env: dict[str, str], stdin: bytes | None = None):
        return subprocess.run(
            args, env=env, input=stdin, capture_output=True, timeout=STEP_TIMEOUT, check=False
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)

    def wait_for(self, what: str, check, process: subprocess.Popen, log: str) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            if check():
                return
            if process.poll() is not None:
                break
            time.sleep(2)
        tail = (self.work / log).read_text(encoding="utf-8", errors="replace")[-4000:]
        raise AssertionError(f"{what} did not happen within {STEP_TIMEOUT}s:\n{tail}")

    # --- the steps

    def certificates(self) -> None:
        step("kafka-certs: CA, broker keystore, client truststore")
        env = self.env("kafka-certs")
        result = self.run(["bash", str(COMPOSE / "kafka-certs.sh")], env)
        assert result.returncode == 0, result.stderr.decode()
        print(result.stdout.decode().strip())

    def broker(self) -> None:
        step("kafka-1 through kafka-broker.sh, one node on 127.0.0.1")
        voters = f"1@localhost:{self.controller_port}"
        env = self.env(
            "kafka-1",
            KAFKA_HOME=self.paths["/opt/kafka"],
            KAFKA_HEAP_OPTS="-Xms256m -Xmx256m",
            KAFKA_LISTENERS=f"SASL_SSL://127.0.0.1:{self.port},"
            f"CONTROLLER://127.0.0.1:{self.controller_port}",
            KAFKA_CONTROLLER_QUORUM_VOTERS=voters,
            KAFKA_LOG_DIRS=str(self.work / "kafka-data"),
            KAFKA_DEFAULT_REPLICATION_FACTOR="1",
            KAFKA_MIN_INSYNC_REPLICAS="1",
            KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR="1",
            KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR="1",
            KAFKA_TRANSACTION_STATE_LOG_MIN_ISR="1",
            KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR="1",
            KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR="1",
            KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS="0",
        )
        process = self.start(["bash", str(COMPOSE / "kafka-broker.sh")], env, "broker.log")
        health = self.local(self.services["kafka-1"]["healthcheck"]["test"][1])

        def healthy() -> bool:
            return self.run(["sh", "-c", health], env).returncode == 0

        self.wait_for("the overlay's broker health check passing", healthy, process, "broker.log")
        print(f"broker healthy on localhost:{self.port} (health check: {health.split()[0]})")

    def topics(self) -> None:
        step("create-topics.sh as user topics")
        env = self.env(
            "topics",
            KAFKA_HOME=self.paths["/opt/kafka"],
            REPLICATION_FACTOR="1",
            MIN_INSYNC_REPLICAS="1",
        )
        result = self.run(["bash", str(COMPOSE / "create-topics.sh")], env)
        assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
        print(result.stdout.decode().strip().splitlines()[-1])

    def client_config(self, user: str, password_file: str, name: str) -> Path:
        env = self.env("topics", SASL_USER=user, SASL_PASSWORD_FILE=password_file)
        out = self.work / name
        result = self.run(["bash", str(COMPOSE / "kafka-client-config.sh"), str(out)], env)
        assert result.returncode == 0, result.stderr.decode()
        return out

    def api_versions(self, config: Path) -> subprocess.CompletedProcess:
        return self.run(
            [f"{self.paths['/opt/kafka']}/bin/kafka-broker-api-versions.sh", "--bootstrap-server",
             f"localhost:{self.port}", "--command-config", str(config)],
            self.env("topics"),
        )

    def ingest(self) -> None:
        step("ingest-api through entrypoint.sh with the overlay's environment")
        jar = REPO / "ingest-api" / "target" / "ingest-api.jar"
        if not jar.exists():
            raise AssertionError(f"{jar} is missing: mvn -o -pl ingest-api -am -DskipTests package")
        entrypoint = self.work / "entrypoint.sh"
        entrypoint.write_text(
            (COMPOSE / "entrypoint.sh").read_text(encoding="utf-8").replace(
                "/app/service.jar", str(jar)
            ),
            encoding="utf-8",
        )
        http = free_port()
        env = self.env(
            "ingest-api",
            MICRONAUT_SERVER_HOST="127.0.0.1",
            MICRONAUT_SERVER_PORT=str(http),
            # Not what this checks, and no catalog runs here: it keeps the placement it seeds.
            MICRONAUT_SECURITY_ENABLED="false",
            DATASOURCES_CATALOG_URL=f"jdbc:postgresql://127.0.0.1:{free_port()}/none",
            JAVA_TOOL_OPTIONS="-Xmx256m",
        )
        del env["MICRONAUT_SECURITY_TOKEN_JWT_SIGNATURES_SECRET_GENERATOR_SECRET_FILE"]
        assert "password=\"${shardpipe.kafka.password}\"" in env["KAFKA_SASL_JAAS_CONFIG"]
        process = self.start(["sh", str(entrypoint)], env, "ingest-api.log")
        event = {"location": "europe", "owner_id": 42, "text": "over SASL_SSL"}
        answer: list[int] = []
        ids: list[str] = []

        def accepted() -> bool:
            request = urllib.request.Request(
                f"http://127.0.0.1:{http}/tweets",
                data=json.dumps(event).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    answer.append(response.status)
                    ids.append(json.loads(response.read())["id"])
                    return True
            except urllib.error.HTTPError as e:
                answer.append(e.code)
                print(f"POST /tweets: {e.code} {e.read()[:300]!r}")
                return e.code < 500 and e.code != 404
            except OSError:
                return False

        self.wait_for("ingest-api accepting an event", accepted, process, "ingest-api.log")
        assert answer[-1] in (200, 201, 202), answer
        print(f"POST /tweets: {answer[-1]}, id {ids[-1]}")

        consumer = self.client_config(
            "query-service", self.paths["/run/secrets/kafka-query-service-password"],
            "consumer.properties",
        )
        topic = cc.environment(self.services["ingest-api"])["SHARDPIPE_TOPIC"]
        result = self.run(
            [f"{self.paths['/opt/kafka']}/bin/kafka-console-consumer.sh", "--bootstrap-server",
             f"localhost:{self.port}", "--command-config", str(consumer), "--topic", topic,
             "--from-beginning", "--max-messages", "1", "--timeout-ms", "60000"],
            self.env("topics"),
        )
        assert ids[-1] in result.stdout.decode(), result.stdout.decode() + result.stderr.decode()
        line = next(x for x in result.stdout.decode().splitlines() if ids[-1] in x)
        print(f"read back from {topic} as query-service: {line[:100]}")

    def refusals_and_rotation(self) -> None:
        step("a wrong password, a PLAINTEXT client, a password change")
        wrong = self.work / "wrong-password"
        wrong.write_text("not-the-password\n", encoding="utf-8")
        bad = self.client_config("ingest-api", str(wrong), "wrong.properties")
        result = self.api_versions(bad)
        assert result.returncode != 0, "a wrong password was accepted"
        print("wrong password: refused (" + last_error(result) + ")")
        plain = self.work / "plain.properties"
        plain.write_text("request.timeout.ms=5000\n", encoding="utf-8")
        result = self.api_versions(plain)
        assert result.returncode != 0, "a PLAINTEXT client was answered"
        print("PLAINTEXT client: refused")

        new = self.work / "new-ingest-api-password"
        new.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
        result = self.run(
            ["bash", str(COMPOSE / "kafka-scram-password.sh"), "ingest-api"],
            self.env("topics", KAFKA_HOME=self.paths["/opt/kafka"]),
            stdin=new.read_bytes(),
        )
        assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
        old = self.client_config(
            "ingest-api", self.paths["/run/secrets/kafka-ingest-api-password"], "old.properties"
        )
        assert self.api_versions(old).returncode != 0, "the old password still works"
        fresh = self.client_config("ingest-api", str(new), "new.properties")
        # The broker learns the new credential from the metadata log, a moment after the change.
        for _ in range(10):
            result = self.api_versions(fresh)
            if result.returncode == 0:
                break
            time.sleep(1)
        assert result.returncode == 0, last_error(result)
        print("kafka-scram-password.sh: old password refused, new one accepted")


def last_error(result: subprocess.CompletedProcess) -> str:
    text = (result.stdout + result.stderr).decode(errors="replace")
    found = re.findall(r"(\w+(?:Exception|Error)[^\n]{0,100})", text)
    # The authentication's own error, not the tool's summary of it.
    found.sort(key=lambda line: "Authentication" not in line)
    return found[0] if found else "exit status " + str(result.returncode)


def main() -> int:
    if shutil.which("keytool") is None:
        print("keytool (a JDK) is needed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="kafka-smoke-") as tmp:
        smoke = Smoke(Path(tmp))
        try:
            smoke.prepare()
            smoke.certificates()
            smoke.broker()
            smoke.topics()
            smoke.ingest()
            smoke.refusals_and_rotation()
        except (AssertionError, subprocess.SubprocessError) as e:
            print(f"FAILED: {e}", file=sys.stderr)
            return 1
        finally:
            smoke.stop()
    print("Kafka with SASL/SCRAM over TLS: every step passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
