"""Tests of check_compose.py: the real compose files pass, and each kind of mistake fails.

The mistakes are made in copies of the real files' resolved models, so every test starts from what
compose itself accepted. Run: python3 -m unittest discover -s compose/check
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import check_compose as cc

FULL = cc.REPO / "compose" / "docker-compose.yml"
SMALL = cc.REPO / "compose" / "docker-compose.small.yml"
SHARD_C = cc.REPO / "compose" / "docker-compose.shard-c.yml"
SECURE = cc.REPO / "compose" / "docker-compose.secure.yml"


class ComposeFilesTest(unittest.TestCase):
    full: dict
    small: dict
    shard_c: dict
    modules: dict

    @classmethod
    def setUpClass(cls) -> None:
        command = cc.compose_command()
        cls.full = cc.resolve(FULL, command)
        cls.small = cc.resolve(SMALL, command)
        cls.shard_c = cc.resolve([FULL, SHARD_C], command)
        cls.modules = cc.load_modules()

    def problems(self, model: dict) -> list[str]:
        return cc.Checker(model, self.modules, image_healthcheck=True).run()

    def broken(self, change, model: dict | None = None) -> list[str]:
        copied = copy.deepcopy(self.full if model is None else model)
        change(copied["services"])
        return self.problems(copied)

    def assertFails(self, problems: list[str], expected: str) -> None:
        self.assertTrue(
            any(expected in p for p in problems), f"no problem contains {expected!r}: {problems}"
        )

    def test_both_files_pass(self) -> None:
        self.assertEqual(self.problems(self.full), [])
        self.assertEqual(self.problems(self.small), [])

    def test_the_third_shard_override_passes_merged_over_the_full_stack(self) -> None:
        self.assertEqual(self.problems(self.shard_c), [])
        services = self.shard_c["services"]
        self.assertEqual(services["pg-c"]["environment"]["POSTGRES_DB"], "shard_c")
        self.assertEqual(services["writer-c"]["environment"]["SHARDPIPE_WRITER_SHARD"], "c")
        self.assertEqual(
            cc.labels(services["writer-c"])[cc.SHARD_URL_LABEL],
            "jdbc:postgresql://pg-c:5432/shard_c",
        )

    def test_every_stack_has_a_catalog_database_every_service_waits_for(self) -> None:
        for model in (self.full, self.small, self.shard_c):
            services = model["services"]
            catalog = services["pg-catalog"]["environment"]
            self.assertEqual(catalog["POSTGRES_DB"], "shardpipe_catalog")
            for name in ("ingest-api", "writer-eu", "writer-us", "query-service"):
                self.assertEqual(
                    services[name]["environment"]["DATASOURCES_CATALOG_URL"],
                    "jdbc:postgresql://pg-catalog:5432/shardpipe_catalog",
                )

    def test_added_writer_without_its_database_label_fails(self) -> None:
        def change(services):
            del services["writer-c"]["labels"]

        self.assertFails(
            self.broken(change, self.shard_c),
            "writer-c: shard c is not in the placement eu=0-7,us=8-15; the writer of a shard added"
            " at runtime names its database in the label dev.shardpipe.shard-url",
        )

    def test_added_writer_database_must_be_a_postgres_service_it_waits_for(self) -> None:
        def no_database(services):
            url = "jdbc:postgresql://pg-d:5432/shard_c"
            services["writer-c"]["labels"][cc.SHARD_URL_LABEL] = url

        self.assertFails(
            self.broken(no_database, self.shard_c),
            "shard c: its database host pg-d is no PostgreSQL service here",
        )

        def not_waiting(services):
            del services["writer-c"]["depends_on"]["pg-c"]

        self.assertFails(
            self.broken(not_waiting, self.shard_c),
            "writer-c: must depend on pg-c with condition service_healthy",
        )

    def test_added_writer_settings_must_agree_with_the_stack(self) -> None:
        def change(services):
            services["writer-c"]["environment"]["SHARDPIPE_PARTITIONS"] = "32"

        self.assertFails(
            self.broken(change, self.shard_c), "SHARDPIPE_PARTITIONS differs between services"
        )

    def test_catalog_url_must_agree_between_services(self) -> None:
        def change(services):
            services["writer-us"]["environment"]["DATASOURCES_CATALOG_URL"] = (
                "jdbc:postgresql://postgres-us:5432/shardpipe_catalog"
            )

        self.assertFails(self.broken(change), "DATASOURCES_CATALOG_URL differs between services")

    def test_catalog_left_to_its_default_on_one_service_fails(self) -> None:
        def change(services):
            del services["ingest-api"]["environment"]["DATASOURCES_CATALOG_URL"]

        self.assertFails(
            self.broken(change),
            "DATASOURCES_CATALOG_URL differs between services:"
            " ingest-api='jdbc:postgresql://localhost:5433/shardpipe_catalog'",
        )

    def test_catalog_must_be_a_postgres_service_here_creating_its_database(self) -> None:
        def elsewhere(services):
            for name in ("ingest-api", "writer-eu", "writer-us", "query-service"):
                services[name]["environment"]["DATASOURCES_CATALOG_URL"] = (
                    "jdbc:postgresql://catalog.example:5432/shardpipe_catalog"
                )

        self.assertFails(
            self.broken(elsewhere),
            "catalog: its database host catalog.example is no PostgreSQL service here",
        )

        def not_created(services):
            services["pg-catalog"]["environment"]["POSTGRES_DB"] = "catalog"

        self.assertFails(
            self.broken(not_created),
            "catalog: pg-catalog does not create database shardpipe_catalog",
        )

    def test_catalog_credentials_must_match_the_services(self) -> None:
        def change(services):
            services["pg-catalog"]["environment"]["POSTGRES_PASSWORD"] = "other"

        self.assertFails(
            self.broken(change),
            "pg-catalog: POSTGRES_PASSWORD differs from DATASOURCES_CATALOG_PASSWORD",
        )

    def test_service_that_does_not_wait_for_the_catalog_fails(self) -> None:
        def change(services):
            del services["query-service"]["depends_on"]["pg-catalog"]

        self.assertFails(
            self.broken(change),
            "query-service: must depend on pg-catalog (the catalog) with service_healthy",
        )

    def test_misspelt_catalog_variable_fails(self) -> None:
        def change(services):
            services["writer-eu"]["environment"]["DATASOURCES_CATALOG_USER"] = "postgres"

        self.assertFails(
            self.broken(change),
            "writer-eu: DATASOURCES_CATALOG_USER is no configuration key of shard-writer",
        )

    def test_a_setting_from_a_file_passes_and_an_unknown_one_fails(self) -> None:
        def change(services):
            services["writer-eu"]["environment"]["SHARDPIPE_WRITER_POOLSIZE_FILE"] = "/run/x"

        self.assertFails(
            self.broken(change),
            "writer-eu: SHARDPIPE_WRITER_POOLSIZE_FILE is no configuration key of shard-writer",
        )
        env = self.full["services"]["query-service"]["environment"]
        self.assertEqual(
            env["MICRONAUT_SECURITY_TOKEN_JWT_SIGNATURES_SECRET_GENERATOR_SECRET_FILE"],
            "/run/secrets/auth-secret",
        )

    def test_http_services_without_the_signing_secret_fail(self) -> None:
        variable = "MICRONAUT_SECURITY_TOKEN_JWT_SIGNATURES_SECRET_GENERATOR_SECRET"

        def unset(services):
            del services["ingest-api"]["environment"][variable + "_FILE"]

        def inline(services):
            services["query-service"]["environment"][variable] = "x" * 32
            del services["query-service"]["environment"][variable + "_FILE"]

        def unmounted(services):
            services["query-service"]["secrets"] = []

        def switched_off(services):
            del services["ingest-api"]["environment"][variable + "_FILE"]
            services["ingest-api"]["environment"]["MICRONAUT_SECURITY_ENABLED"] = "false"

        self.assertFails(
            self.broken(unset), f"ingest-api: authentication is on but {variable}_FILE is not set"
        )
        self.assertFails(self.broken(inline), f"query-service: {variable} puts the secret in the")
        self.assertFails(
            self.broken(unmounted),
            f"query-service: {variable}_FILE=/run/secrets/auth-secret is no secret the service",
        )
        self.assertEqual(self.broken(switched_off), [])

    def test_full_stack_has_three_brokers_and_a_database_per_shard(self) -> None:
        services = self.full["services"]
        brokers = [n for n, s in services.items() if s["image"].startswith("apache/kafka:")]
        self.assertEqual(brokers, ["kafka-1", "kafka-2", "kafka-3", "topics"])
        self.assertEqual(services["topics"]["environment"]["REPLICATION_FACTOR"], 3)
        self.assertEqual(services["topics"]["environment"]["MIN_INSYNC_REPLICAS"], 2)
        self.assertIn("postgres-eu", services)
        self.assertIn("postgres-us", services)

    def test_unknown_variable_fails(self) -> None:
        def change(services):
            services["writer-eu"]["environment"]["SHARDPIPE_WRITER_POOLSIZE"] = "4"

        self.assertFails(
            self.broken(change),
            "writer-eu: SHARDPIPE_WRITER_POOLSIZE is no configuration key of shard-writer",
        )

    def test_another_services_key_fails(self) -> None:
        def change(services):
            services["writer-eu"]["environment"]["SHARDPIPE_QUERY_POOL_SIZE"] = "4"

        self.assertFails(
            self.broken(change), "SHARDPIPE_QUERY_POOL_SIZE is no configuration key of shard-writer"
        )

    def test_documented_kafka_client_keys_pass(self) -> None:
        def change(services):
            services["writer-eu"]["environment"][
                "KAFKA_CONSUMERS_SHARD_WRITER_MAX_POLL_RECORDS"
            ] = "500"
            services["ingest-api"]["environment"]["KAFKA_PRODUCERS_INGEST_API_LINGER_MS"] = "10"

        self.assertEqual(self.broken(change), [])

    def test_disagreeing_shared_setting_fails(self) -> None:
        def change(services):
            services["ingest-api"]["environment"]["SHARDPIPE_PARTITIONS"] = "32"

        self.assertFails(self.broken(change), "SHARDPIPE_PARTITIONS differs between services")

    def test_shared_setting_left_to_its_default_on_one_service_fails(self) -> None:
        def change(services):
            del services["ingest-api"]["environment"]["KAFKA_BOOTSTRAP_SERVERS"]

        self.assertFails(
            self.broken(change),
            "KAFKA_BOOTSTRAP_SERVERS differs between services: ingest-api='localhost:9092'",
        )

    def test_published_port_that_is_not_the_http_port_fails(self) -> None:
        def change(services):
            services["ingest-api"]["ports"] = ["127.0.0.1:8080:8081/tcp"]

        self.assertFails(
            self.broken(change), "ingest-api: publishes container port 8081, its HTTP port is 8080"
        )

    def test_unpublished_api_fails(self) -> None:
        def change(services):
            del services["query-service"]["ports"]

        self.assertFails(self.broken(change), "query-service: does not publish its HTTP port 8081")

    def test_published_kafka_fails(self) -> None:
        def change(services):
            services["kafka-1"]["ports"] = ["9092:9092/tcp"]

        self.assertFails(self.broken(change), "kafka-1: publishes")

    def test_host_port_published_twice_fails(self) -> None:
        def change(services):
            services["writer-us"]["ports"] = ["127.0.0.1:8082:8082/tcp"]

        self.assertFails(self.broken(change), "host port 8082 is already published by")

    def test_image_port_other_than_the_service_port_fails(self) -> None:
        def change(services):
            services["query-service"]["build"]["args"]["PORT"] = "8080"

        self.assertFails(
            self.broken(change),
            "query-service: build arg PORT=8080, but query-service listens on 8081",
        )

    def test_missing_service_fails(self) -> None:
        self.assertFails(
            self.broken(lambda services: services.pop("ingest-api")), "no service runs ingest-api"
        )

    def test_shard_without_writer_fails(self) -> None:
        def change(services):
            del services["writer-us"]
            del services["query-service"]["depends_on"]["writer-us"]

        self.assertFails(self.broken(change), "shard us: 0 writers (none); exactly one per shard")

    def test_second_writer_of_a_shard_fails(self) -> None:
        def change(services):
            services["writer-eu-2"] = copy.deepcopy(services["writer-eu"])
            services["writer-eu-2"]["ports"] = ["127.0.0.1:8084:8082/tcp"]

        self.assertFails(self.broken(change), "shard eu: 2 writers (writer-eu, writer-eu-2)")

    def test_scaled_writer_fails(self) -> None:
        def change(services):
            services["writer-eu"]["deploy"] = {"replicas": 2}

        self.assertFails(
            self.broken(change), "writer-eu: 2 replicas; a shard has exactly one writer"
        )

    def test_writer_of_an_unplaced_shard_fails(self) -> None:
        def change(services):
            services["writer-us"]["environment"]["SHARDPIPE_WRITER_SHARD"] = "ap"

        problems = self.broken(change)
        self.assertFails(problems, "writer-us: shard ap is not in the placement eu=0-7,us=8-15")
        self.assertFails(problems, "shard us: 0 writers")

    def test_new_shard_in_the_placement_needs_a_writer_and_a_database(self) -> None:
        def change(services):
            for name in ("ingest-api", "writer-eu", "writer-us", "query-service"):
                services[name]["environment"]["SHARDPIPE_PLACEMENT"] = "eu=0-7,us=8-11,ap=12-15"

        problems = self.broken(change)
        self.assertFails(problems, "shard ap: 0 writers")
        self.assertFails(
            problems, "shard ap: its database host postgres-ap is no PostgreSQL service"
        )

    def test_database_that_is_not_created_fails(self) -> None:
        def change(services):
            services["postgres-us"]["environment"]["POSTGRES_DB"] = "shard_usa"

        self.assertFails(
            self.broken(change), "shard us: postgres-us does not create database shard_us"
        )

    def test_small_stack_must_create_every_shard_database(self) -> None:
        def change(services):
            services["postgres"]["environment"]["SHARD_DATABASES"] = "shard_eu"

        self.assertFails(
            self.broken(change, self.small), "shard us: postgres does not create database shard_us"
        )

    def test_database_without_pg_isready_or_named_volume_fails(self) -> None:
        def change(services):
            services["postgres-eu"]["healthcheck"]["test"] = ["CMD", "true"]
            services["postgres-eu"]["volumes"] = ["/srv/pg:/var/lib/postgresql/data:rw"]

        problems = self.broken(change)
        self.assertFails(problems, "postgres-eu: needs a pg_isready health check")
        self.assertFails(problems, "postgres-eu: needs a named volume at /var/lib/postgresql/data")

    def test_database_credentials_must_match_the_services(self) -> None:
        def change(services):
            services["postgres-eu"]["environment"]["POSTGRES_PASSWORD"] = "other"

        self.assertFails(
            self.broken(change),
            "postgres-eu: POSTGRES_PASSWORD differs from SHARDPIPE_DATABASE_PASSWORD",
        )

    # --- the owner's password comes from a docker secret, never in clear

    def test_every_stack_gives_the_owner_password_as_a_docker_secret(self) -> None:
        path = "/run/secrets/db-owner-password"
        for model in (self.full, self.small, self.shard_c):
            services = model["services"]
            self.assertTrue(
                model["secrets"]["db-owner-password"]["file"].endswith(
                    "compose/secrets/db-owner-password"
                )
            )
            for name, svc in services.items():
                env = svc.get("environment") or {}
                for variable in ("POSTGRES_PASSWORD", "SHARDPIPE_DATABASE_PASSWORD",
                                 "DATASOURCES_CATALOG_PASSWORD", "PGPASSWORD"):
                    self.assertNotIn(variable, env, name)
                if str(svc.get("image", "")).startswith("postgres:"):
                    self.assertEqual(env["POSTGRES_PASSWORD_FILE"], path, name)
                if "DATASOURCES_CATALOG_URL" in env:
                    self.assertEqual(env["DATASOURCES_CATALOG_PASSWORD_FILE"], path, name)
                    self.assertIn(path, cc.mounted_secrets(svc), name)

    def test_owner_password_in_clear_on_a_service_fails(self) -> None:
        def database(services):
            env = services["writer-eu"]["environment"]
            del env["SHARDPIPE_DATABASE_PASSWORD_FILE"]
            env["SHARDPIPE_DATABASE_PASSWORD"] = "shardpipe"

        self.assertFails(
            self.broken(database),
            "writer-eu: SHARDPIPE_DATABASE_PASSWORD puts the owner's password in the compose file;"
            " use SHARDPIPE_DATABASE_PASSWORD_FILE",
        )

        def catalog(services):
            env = services["ingest-api"]["environment"]
            del env["DATASOURCES_CATALOG_PASSWORD_FILE"]
            env["DATASOURCES_CATALOG_PASSWORD"] = "shardpipe"

        self.assertFails(
            self.broken(catalog),
            "ingest-api: DATASOURCES_CATALOG_PASSWORD puts the owner's password in the compose"
            " file",
        )

    def test_owner_password_in_clear_on_every_service_still_fails(self) -> None:
        # All services agree then, so only the check of the password itself can catch it.
        def change(services):
            for name in ("writer-eu", "writer-us", "query-service", "ingest-api"):
                env = services[name]["environment"]
                for variable in ("SHARDPIPE_DATABASE_PASSWORD", "DATASOURCES_CATALOG_PASSWORD"):
                    if env.pop(variable + "_FILE", None) is not None:
                        env[variable] = "shardpipe"
            for name in ("postgres-eu", "postgres-us", "pg-catalog"):
                env = services[name]["environment"]
                del env["POSTGRES_PASSWORD_FILE"]
                env["POSTGRES_PASSWORD"] = "shardpipe"

        problems = self.broken(change)
        self.assertFails(
            problems,
            "query-service: SHARDPIPE_DATABASE_PASSWORD puts the owner's password in the compose",
        )
        self.assertFails(
            problems, "pg-catalog: POSTGRES_PASSWORD puts the owner's password in the compose file"
        )
        self.assertFalse(any("differs" in p for p in problems), problems)

    def test_postgres_password_in_clear_fails(self) -> None:
        def change(services, name="pg-c"):
            env = services[name]["environment"]
            del env["POSTGRES_PASSWORD_FILE"]
            env["POSTGRES_PASSWORD"] = "shardpipe"

        problems = self.broken(change, self.shard_c)
        self.assertFails(
            problems,
            "pg-c: POSTGRES_PASSWORD puts the owner's password in the compose file; use"
            " POSTGRES_PASSWORD_FILE",
        )
        self.assertFails(
            problems, "pg-c: POSTGRES_PASSWORD differs from SHARDPIPE_DATABASE_PASSWORD"
        )

    def test_postgres_without_a_password_fails(self) -> None:
        def change(services):
            del services["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"]

        self.assertFails(
            self.broken(change, self.small),
            "postgres: POSTGRES_PASSWORD_FILE is not set; the owner's password comes from a docker"
            " secret",
        )

    def test_a_job_logging_in_with_pgpassword_fails(self) -> None:
        def change(services):
            services["topics"]["environment"]["PGPASSWORD"] = "shardpipe"

        self.assertFails(
            self.broken(change), "topics: PGPASSWORD puts a database password in the compose file"
        )

    def test_owner_password_secret_not_mounted_fails(self) -> None:
        def change(services):
            services["query-service"]["secrets"] = [
                s for s in services["query-service"]["secrets"]
                if (s if isinstance(s, str) else s["source"]) != "db-owner-password"
            ]

        problems = self.broken(change)
        self.assertFails(
            problems,
            "query-service: SHARDPIPE_DATABASE_PASSWORD_FILE=/run/secrets/db-owner-password is no"
            " secret the service mounts",
        )
        self.assertFails(problems, "SHARDPIPE_DATABASE_PASSWORD differs between services")

    def test_database_given_another_secret_than_the_services_fails(self) -> None:
        def change(services):
            services["pg-catalog"]["secrets"] = [{"source": "db-reader-password"}]
            services["pg-catalog"]["environment"]["POSTGRES_PASSWORD_FILE"] = (
                "/run/secrets/db-reader-password"
            )

        self.assertFails(
            self.broken(change),
            "pg-catalog: POSTGRES_PASSWORD differs from DATASOURCES_CATALOG_PASSWORD",
        )

    def test_owner_password_file_nobody_creates_fails(self) -> None:
        copied = copy.deepcopy(self.full)
        missing = cc.REPO / "compose" / "secrets" / "db-owner-pasword"
        copied["secrets"]["db-owner-password"]["file"] = str(missing)
        problems = self.problems(copied)
        self.assertFails(
            problems,
            f"the file {missing} of secret db-owner-password neither exists nor is one"
            " docs/operations.md creates",
        )
        self.assertEqual(len([p for p in problems if "db-owner-pasword" in p]), 1, problems)

    def test_owner_password_secret_not_defined_at_the_top_level_fails(self) -> None:
        copied = copy.deepcopy(self.small)
        del copied["secrets"]["db-owner-password"]
        self.assertFails(
            self.problems(copied), "postgres: secret db-owner-password is not defined"
        )

    def test_writer_must_wait_for_its_database(self) -> None:
        def change(services):
            del services["writer-us"]["depends_on"]["postgres-us"]

        self.assertFails(
            self.broken(change),
            "writer-us: must depend on postgres-us with condition service_healthy",
        )

    def test_bootstrap_naming_no_broker_fails(self) -> None:
        def change(services):
            for name in ("ingest-api", "writer-eu", "writer-us", "query-service"):
                services[name]["environment"][
                    "KAFKA_BOOTSTRAP_SERVERS"
                ] = "kafka-1:9092,kafka-4:9092"

        self.assertFails(
            self.broken(change),
            "KAFKA_BOOTSTRAP_SERVERS names kafka-4:9092, which is no broker here",
        )

    def test_brokers_of_different_clusters_fail(self) -> None:
        def change(services):
            services["kafka-3"]["environment"]["CLUSTER_ID"] = "MkU3OEVBNTcwNTJENDM2Qg"

        self.assertFails(self.broken(change), "brokers differ in CLUSTER_ID")

    def test_malformed_cluster_id_fails(self) -> None:
        def change(services):
            for name in ("kafka-1", "kafka-2", "kafka-3"):
                services[name]["environment"]["CLUSTER_ID"] = "shardpipe"

        self.assertFails(self.broken(change), "kafka-1: CLUSTER_ID is not a Kafka UUID")

    def test_auto_created_topics_fail(self) -> None:
        def change(services):
            del services["kafka-2"]["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]

        self.assertFails(
            self.broken(change), "kafka-2: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false"
        )

    def test_topic_job_must_create_the_services_topic(self) -> None:
        def change(services):
            services["topics"]["environment"]["PARTITIONS"] = "8"

        self.assertFails(self.broken(change), "topics: PARTITIONS=8, the services use 16")

    def test_replication_beyond_the_brokers_fails(self) -> None:
        def change(services):
            services["topics"]["environment"]["REPLICATION_FACTOR"] = 3

        self.assertFails(
            self.broken(change, self.small), "topics: replication factor 3 needs 1..1 brokers"
        )

    def test_min_insync_replicas_equal_to_replication_fails(self) -> None:
        def change(services):
            services["topics"]["environment"]["MIN_INSYNC_REPLICAS"] = 3

        self.assertFails(self.broken(change), "topics: min.insync.replicas 3 must be below")

    def test_service_started_before_the_topics_fails(self) -> None:
        def change(services):
            del services["ingest-api"]["depends_on"]

        self.assertFails(
            self.broken(change),
            "ingest-api: must depend on topics with condition service_completed_successfully",
        )

    def test_dependency_without_condition_fails(self) -> None:
        def change(services):
            services["writer-eu"]["depends_on"]["postgres-eu"] = {"condition": "service_started"}

        self.assertFails(
            self.broken(change), "writer-eu: depends on postgres-eu without a health condition"
        )

    def test_waiting_for_health_without_a_check_fails(self) -> None:
        def change(services):
            del services["kafka-1"]["healthcheck"]

        self.assertFails(
            self.broken(change), "topics: waits for kafka-1 to be healthy; it has no check"
        )

    def test_unpinned_image_fails(self) -> None:
        def change(services):
            services["postgres-us"]["image"] = "postgres:latest"

        self.assertFails(self.broken(change), "postgres-us: image postgres:latest is not pinned")


class SecureKafkaTest(unittest.TestCase):
    """docker-compose.secure.yml merged over docker-compose.yml, and each of its checks failing."""

    secure: dict
    modules: dict

    @classmethod
    def setUpClass(cls) -> None:
        cls.secure = cc.resolve([FULL, SECURE], cc.compose_command())
        cls.modules = cc.load_modules()

    def broken(self, change) -> list[str]:
        copied = copy.deepcopy(self.secure)
        change(copied)
        return cc.Checker(copied, self.modules, image_healthcheck=True).run()

    def assertFails(self, problems: list[str], expected: str) -> None:
        self.assertTrue(
            any(expected in p for p in problems), f"no problem contains {expected!r}: {problems}"
        )

    def test_the_secure_overlay_passes_merged_over_the_full_stack(self) -> None:
        self.assertEqual(cc.Checker(self.secure, self.modules, True).run(), [])
        services = self.secure["services"]
        env = services["writer-us"]["environment"]
        self.assertEqual(env["KAFKA_SECURITY_PROTOCOL"], "SASL_SSL")
        self.assertIn('username="writer-us"', env["KAFKA_SASL_JAAS_CONFIG"])
        self.assertEqual(
            services["kafka-2"]["environment"]["KAFKA_ADVERTISED_LISTENERS"],
            "SASL_SSL://kafka-2:9092",
        )

    def test_plain_stacks_are_not_held_to_it(self) -> None:
        model = cc.resolve(FULL, cc.compose_command())
        self.assertFalse(cc.KafkaSecurity(cc.Checker(model, self.modules, True)).secured())

    # --- every Kafka client logs in over SASL_SSL and trusts the generated truststore

    def test_a_client_left_on_plaintext_fails(self) -> None:
        def change(model):
            model["services"]["writer-eu"]["environment"]["KAFKA_SECURITY_PROTOCOL"] = "PLAINTEXT"

        self.assertFails(self.broken(change), "writer-eu: KAFKA_SECURITY_PROTOCOL must be SASL_SSL")

    def test_the_topic_job_left_on_plaintext_fails(self) -> None:
        def change(model):
            del model["services"]["topics"]["environment"]["SECURITY_PROTOCOL"]

        self.assertFails(self.broken(change), "topics: SECURITY_PROTOCOL must be SASL_SSL")

    def test_a_mechanism_the_brokers_do_not_enable_fails(self) -> None:
        def change(model):
            model["services"]["query-service"]["environment"]["KAFKA_SASL_MECHANISM"] = "PLAIN"

        self.assertFails(
            self.broken(change), "query-service: KAFKA_SASL_MECHANISM PLAIN is not enabled"
        )

    def test_a_client_without_a_truststore_fails(self) -> None:
        def change(model):
            del model["services"]["ingest-api"]["environment"]["KAFKA_SSL_TRUSTSTORE_LOCATION"]

        self.assertFails(
            self.broken(change), "ingest-api: KAFKA_SSL_TRUSTSTORE_LOCATION is not set"
        )

    def test_a_truststore_the_job_does_not_write_fails(self) -> None:
        def change(model):
            model["services"]["writer-us"]["environment"][
                "KAFKA_SSL_TRUSTSTORE_LOCATION"
            ] = "/etc/shardpipe/kafka-tls/cacerts.jks"

        self.assertFails(
            self.broken(change),
            "writer-us: KAFKA_SSL_TRUSTSTORE_LOCATION=/etc/shardpipe/kafka-tls/cacerts.jks is"
            " neither a secret it mounts nor a file the certificate job writes",
        )

    def test_a_truststore_on_a_volume_the_client_does_not_mount_fails(self) -> None:
        def change(model):
            model["services"]["writer-us"]["volumes"] = []

        self.assertFails(
            self.broken(change),
            "writer-us: KAFKA_SSL_TRUSTSTORE_LOCATION=/etc/shardpipe/kafka-tls/truststore.p12 is"
            " neither",
        )

    def test_passwords_written_into_the_environment_fail(self) -> None:
        def change(model):
            env = model["services"]["ingest-api"]["environment"]
            env["KAFKA_SASL_JAAS_CONFIG"] = env["KAFKA_SASL_JAAS_CONFIG"].replace(
                "$${shardpipe.kafka.password}", "hunter2"
            )
            env["KAFKA_SSL_TRUSTSTORE_PASSWORD"] = "changeit"

        problems = self.broken(change)
        self.assertFails(
            problems,
            "ingest-api: KAFKA_SASL_JAAS_CONFIG must take its password from"
            " ${shardpipe.kafka.password}",
        )
        self.assertFails(problems, "ingest-api: KAFKA_SSL_TRUSTSTORE_PASSWORD puts a password in")

    def test_two_clients_sharing_a_user_fail(self) -> None:
        def change(model):
            env = model["services"]["writer-us"]["environment"]
            env["KAFKA_SASL_JAAS_CONFIG"] = env["KAFKA_SASL_JAAS_CONFIG"].replace(
                '"writer-us"', '"writer-eu"'
            )

        self.assertFails(self.broken(change), "logs in as writer-eu, like writer-eu")

    def test_a_user_the_brokers_do_not_create_fails(self) -> None:
        def change(model):
            env = model["services"]["kafka-2"]["environment"]
            env["SCRAM_USERS"] = " ".join(
                e for e in env["SCRAM_USERS"].split() if not e.startswith("query-service=")
            )

        self.assertFails(
            self.broken(change),
            "kafka-2: SCRAM_USERS does not create query-service, the user of query-service",
        )

    def test_brokers_not_started_through_the_script_that_creates_the_users_fail(self) -> None:
        def change(model):
            del model["services"]["kafka-3"]["entrypoint"]

        self.assertFails(self.broken(change), "kafka-3: must start through kafka-broker.sh")

    def test_a_broker_health_check_that_does_not_log_in_fails(self) -> None:
        def change(model):
            model["services"]["kafka-1"]["healthcheck"]["test"] = [
                "CMD-SHELL",
                "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092",
            ]

        self.assertFails(self.broken(change), "kafka-1: its health check must log in")

    # --- every secret file referenced exists or is generated

    def test_a_password_file_not_mounted_fails(self) -> None:
        def change(model):
            model["services"]["query-service"]["secrets"] = [
                s for s in model["services"]["query-service"]["secrets"]
                if s["source"] != "kafka-query-service-password"
            ]

        self.assertFails(
            self.broken(change),
            "query-service: SHARDPIPE_KAFKA_PASSWORD_FILE=/run/secrets/kafka-query-service-password"
            " is neither a secret it mounts nor a file the certificate job writes",
        )

    def test_a_secret_file_nobody_creates_fails(self) -> None:
        def change(model):
            model["secrets"]["kafka-topics-password"]["file"] = str(
                cc.REPO / "compose" / "secrets" / "kafka-topic-password"
            )

        self.assertFails(
            self.broken(change),
            "the file " + str(cc.REPO / "compose" / "secrets" / "kafka-topic-password")
            + " of secret kafka-topics-password neither exists nor is one docs/operations.md"
            " creates",
        )

    def test_a_secret_not_defined_at_the_top_level_fails(self) -> None:
        def change(model):
            del model["secrets"]["kafka-broker-password"]

        self.assertFails(
            self.broken(change), "kafka-1: secret kafka-broker-password is not defined"
        )

    def test_a_keystore_the_job_does_not_write_fails(self) -> None:
        def change(model):
            model["services"]["kafka-2"]["environment"][
                "KAFKA_SSL_KEYSTORE_LOCATION"
            ] = "/etc/kafka/tls/kafka-2.p12"

        self.assertFails(
            self.broken(change),
            "kafka-2: KAFKA_SSL_KEYSTORE_LOCATION=/etc/kafka/tls/kafka-2.p12 is neither",
        )

    def test_the_documented_secret_files_are_read_from_the_loops(self) -> None:
        names = cc.documented_secret_files()
        self.assertIn("auth-secret", names)
        self.assertIn("db-owner-password", names)
        self.assertIn("kafka-query-service-password", names)
        self.assertNotIn("do", names)

    # --- the listener names and ports agree between brokers and clients

    def test_an_advertised_port_the_broker_does_not_listen_on_fails(self) -> None:
        def change(model):
            model["services"]["kafka-1"]["environment"][
                "KAFKA_ADVERTISED_LISTENERS"
            ] = "SASL_SSL://kafka-1:9094"

        problems = self.broken(change)
        self.assertFails(
            problems, "kafka-1: advertises SASL_SSL on port 9094, but listens on 9092"
        )
        self.assertFails(problems, "kafka-1: does not advertise kafka-1:9092")

    def test_a_plaintext_listener_advertised_to_clients_fails(self) -> None:
        def change(model):
            env = model["services"]["kafka-2"]["environment"]
            env["KAFKA_LISTENERS"] += ",PLAINTEXT://:9094"
            env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] += ",PLAINTEXT:PLAINTEXT"
            env["KAFKA_ADVERTISED_LISTENERS"] += ",PLAINTEXT://kafka-2:9094"

        self.assertFails(
            self.broken(change),
            "kafka-2: advertises PLAINTEXT (PLAINTEXT); clients must reach the brokers over"
            " SASL_SSL only",
        )

    def test_a_listener_without_a_protocol_fails(self) -> None:
        def change(model):
            model["services"]["kafka-1"]["environment"][
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"
            ] = "SASL_SSL:SASL_SSL"

        problems = self.broken(change)
        self.assertFails(problems, "kafka-1: listener CONTROLLER has no security protocol")
        self.assertFails(problems, "kafka-1: controller listener CONTROLLER must be SSL")

    def test_an_inter_broker_listener_that_is_not_sasl_ssl_fails(self) -> None:
        def change(model):
            model["services"]["kafka-3"]["environment"][
                "KAFKA_INTER_BROKER_LISTENER_NAME"
            ] = "PLAINTEXT"

        self.assertFails(
            self.broken(change), "kafka-3: the inter-broker listener PLAINTEXT is no SASL_SSL"
        )

    def test_a_controller_listener_without_client_certificates_fails(self) -> None:
        def change(model):
            del model["services"]["kafka-1"]["environment"][
                "KAFKA_LISTENER_NAME_CONTROLLER_SSL_CLIENT_AUTH"
            ]

        self.assertFails(
            self.broken(change),
            "kafka-1: controller listener CONTROLLER must require a client certificate",
        )

    def test_quorum_voters_off_the_controller_port_fail(self) -> None:
        def change(model):
            for name in ("kafka-1", "kafka-2", "kafka-3"):
                model["services"][name]["environment"][
                    "KAFKA_LISTENERS"
                ] = "SASL_SSL://:9092,CONTROLLER://:9094"

        self.assertFails(
            self.broken(change),
            "kafka-1: quorum voter 1@kafka-1:9093 is not on the controller listener's port 9094",
        )

    def test_a_topic_job_bootstrap_no_broker_advertises_fails(self) -> None:
        def change(model):
            model["services"]["topics"]["environment"]["BOOTSTRAP"] = "kafka-1:9093"

        self.assertFails(
            self.broken(change), "topics: BOOTSTRAP names kafka-1:9093, which no broker advertises"
        )

    # --- the certificate job

    def test_without_the_certificate_job_fails(self) -> None:
        def change(model):
            del model["services"]["kafka-certs"]

        self.assertFails(self.broken(change), "expected one certificate job (kafka-certs.sh)")

    def test_brokers_and_clients_must_wait_for_the_certificate_job(self) -> None:
        def change(model):
            del model["services"]["kafka-3"]["depends_on"]["kafka-certs"]
            del model["services"]["writer-us"]["depends_on"]["kafka-certs"]
            del model["services"]["topics"]["depends_on"]["kafka-certs"]

        problems = self.broken(change)
        for name in ("kafka-3", "writer-us", "topics"):
            self.assertFails(
                problems,
                f"{name}: must depend on kafka-certs with condition service_completed_successfully",
            )

    def test_a_certificate_without_a_brokers_name_fails(self) -> None:
        def change(model):
            model["services"]["kafka-certs"]["environment"]["BROKER_HOSTS"] = "kafka-1,kafka-2"

        self.assertFails(self.broken(change), "kafka-certs: BROKER_HOSTS lacks kafka-3")

    def test_a_client_mounting_the_brokers_key_fails(self) -> None:
        def change(model):
            model["services"]["ingest-api"]["volumes"].append("kafka-broker-tls:/keys:ro")

        self.assertFails(
            self.broken(change), "ingest-api: mounts kafka-broker-tls, which holds a private key"
        )

    @unittest.skipUnless(shutil.which("keytool"), "keytool (a JDK) is needed")
    def test_the_certificate_job_writes_the_files_the_check_expects(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            dirs = {variable: str(Path(tmp) / variable) for variable in cc.CERT_FILES}
            env = {"PATH": os.environ["PATH"], "BROKER_HOSTS": "kafka-1,localhost", **dirs}
            subprocess.run(
                ["bash", str(cc.REPO / "compose" / "kafka-certs.sh")],
                env=env, check=True, capture_output=True, timeout=120,
            )
            for variable, files in cc.CERT_FILES.items():
                self.assertEqual(sorted(os.listdir(dirs[variable])), sorted(files), variable)


class ComposeValidationTest(unittest.TestCase):
    def test_compose_rejects_an_invalid_file(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "docker-compose.yml"
            bad.write_text(
                "services:\n  a:\n    image: postgres:17.7\n    depends_on:\n"
                "      b:\n        condition: service_ready\n  b:\n    image: postgres:17.7\n",
                encoding="utf-8",
            )
            with self.assertRaisesRegex(ValueError, "config rejects"):
                cc.resolve(bad, cc.compose_command())

    def test_main_exits_1_on_a_problem(self) -> None:
        output = io.StringIO()
        with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(output):
            lone = Path(tmp) / "docker-compose.yml"
            lone.write_text("services:\n  db:\n    image: postgres:17.7\n", encoding="utf-8")
            self.assertEqual(cc.main([str(lone)]), 1)
        self.assertIn("docker-compose.yml: no service runs ingest-api", output.getvalue())

    def test_main_exits_0_on_the_real_files(self) -> None:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            self.assertEqual(
                cc.main([str(FULL), str(SMALL), f"{FULL}+{SHARD_C}", f"{FULL}+{SECURE}"]), 0
            )
        self.assertIn("docker-compose.small.yml: valid", output.getvalue())
        self.assertIn("docker-compose.shard-c.yml: valid", output.getvalue())
        self.assertIn("docker-compose.secure.yml: valid", output.getvalue())

    def test_main_rejects_an_override_without_its_base(self) -> None:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            self.assertEqual(cc.main([str(SHARD_C)]), 1)
        self.assertIn("config rejects", output.getvalue())


class ParsingTest(unittest.TestCase):
    def test_env_name_is_micronauts_mapping(self) -> None:
        self.assertEqual(
            cc.env_name("shardpipe.database.url-template"), "SHARDPIPE_DATABASE_URL_TEMPLATE"
        )
        self.assertEqual(
            cc.env_name("kafka.consumers.shard-writer.max.poll.records"),
            "KAFKA_CONSUMERS_SHARD_WRITER_MAX_POLL_RECORDS",
        )

    def test_docs_sections_read_keys_and_defaults(self) -> None:
        markdown = (
            "## Shared by every service\n\n| key | default | meaning |\n|---|---|---|\n"
            "| `shardpipe.topic` | `ingest.events` | The topic. |\n"
            "| `shardpipe.database.password` | (empty) | Password. |\n"
            "## ingest-api (port 8080)\n"
            "| `kafka.producers.ingest-api.*` | see below | Any producer setting. |\n"
        )
        sections = cc.docs_sections(markdown)
        self.assertEqual(
            sections["Shared by every service"],
            [
                cc.Setting("shardpipe.topic", "ingest.events", True),
                cc.Setting("shardpipe.database.password", "", True),
            ],
        )
        wildcard = sections["ingest-api (port 8080)"][0]
        self.assertTrue(wildcard.matches("KAFKA_PRODUCERS_INGEST_API_LINGER_MS"))
        self.assertFalse(wildcard.matches("KAFKA_PRODUCERS_SHARD_WRITER_LINGER_MS"))

    def test_ports_in_short_and_long_syntax(self) -> None:
        short = {"ports": ["127.0.0.1:8080:8080/tcp", "9000:9001", "8443"]}
        long = {"ports": [{"host_ip": "127.0.0.1", "published": "8080", "target": 8080}]}
        self.assertEqual(
            cc.published_ports(short),
            [("127.0.0.1", "8080", 8080), ("", "9000", 9001), ("", "", 8443)],
        )
        self.assertEqual(cc.published_ports(long), [("127.0.0.1", "8080", 8080)])

    def test_volumes_in_short_and_long_syntax(self) -> None:
        self.assertEqual(
            cc.volume_targets({"volumes": ["pg:/var/lib/postgresql/data:rw"]}),
            {"/var/lib/postgresql/data": "pg"},
        )
        self.assertEqual(
            cc.volume_targets({"volumes": [{"type": "volume", "source": "pg", "target": "/data"}]}),
            {"/data": "pg"},
        )

    def test_image_pins(self) -> None:
        self.assertTrue(cc.image_pinned("apache/kafka:4.3.1"))
        self.assertTrue(cc.image_pinned("eclipse-temurin:17.0.18_8-jre-noble"))
        self.assertTrue(cc.image_pinned("postgres@sha256:" + "a" * 64))
        self.assertFalse(cc.image_pinned("postgres"))
        self.assertFalse(cc.image_pinned("postgres:latest"))
        self.assertFalse(cc.image_pinned("registry:5000/postgres"))
        self.assertFalse(cc.image_pinned("postgres:bookworm"))

    def test_cluster_id(self) -> None:
        self.assertTrue(cc.valid_cluster_id("8dKCYxCLQPK_8qh9gw4eeQ"))
        self.assertFalse(cc.valid_cluster_id("8dKCYxCLQPK_8qh9gw4ee"))
        self.assertFalse(cc.valid_cluster_id("not a cluster id!!!!!!"))

    def test_the_real_dockerfile_passes(self) -> None:
        text = (cc.REPO / "compose" / "Dockerfile").read_text(encoding="utf-8")
        self.assertEqual(cc.check_dockerfile(text), [])

    def test_dockerfile_mistakes_fail(self) -> None:
        text = "ARG BASE=eclipse-temurin:latest\nFROM ${BASE}\nUSER root\n"
        self.assertEqual(
            cc.check_dockerfile(text),
            [
                "Dockerfile: base image eclipse-temurin:latest is not pinned to a version",
                "Dockerfile: the final stage must switch to a non-root USER",
                "Dockerfile: the final stage has no HEALTHCHECK",
            ],
        )


if __name__ == "__main__":
    unittest.main()
