#!/usr/bin/env bash
# Sets the SCRAM-SHA-512 password of a Kafka user of compose/docker-compose.secure.yml, creating the
# user if it is new. Runs in the topic job's container, as its user; the password comes on stdin,
# so that it appears in no command line (docs/operations.md, "Kafka with SASL/SCRAM over TLS"):
#
#   docker compose ... run --rm -T --no-deps --entrypoint /compose/kafka-scram-password.sh \
#     topics ingest-api < compose/secrets/kafka-ingest-api-password
set -euo pipefail

user="${1:?usage: kafka-scram-password.sh USER < password-file}"
: "${BOOTSTRAP:?}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash "$(dirname "$0")/kafka-client-config.sh" "$work/client.properties"
password="$(cat)"
case "$password" in
  "" | *[\"\\,\]]*) echo "the password is empty or contains \", \\, a comma or ]" >&2; exit 1 ;;
esac
(umask 077 && printf 'SCRAM-SHA-512=password=%s\n' "$password" > "$work/scram.properties")
"${KAFKA_HOME:-/opt/kafka}/bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" \
  --command-config "$work/client.properties" --alter --entity-type users --entity-name "$user" \
  --add-config-file "$work/scram.properties"
