#!/usr/bin/env bash
# The brokers' entry point in compose/docker-compose.secure.yml, in place of the apache/kafka
# image's own: that one formats the storage without SCRAM credentials, and in KRaft the first
# credentials must be in the storage before the cluster starts (kafka-storage format --add-scram),
# since nobody can log in to create them afterwards (docs/operations.md, "Kafka with SASL/SCRAM
# over TLS").
#
# 1. server.properties from the KAFKA_* variables, named as the image names them (KAFKA_ dropped,
#    lower case, _ for ., __ for _, ___ for -); KAFKA_X_FILE sets x from the file's content, so no
#    password is in the environment compose shows.
# 2. The inter-broker listener's JAAS login from INTER_BROKER_USER and INTER_BROKER_PASSWORD_FILE.
# 3. kafka-storage format with a SCRAM-SHA-512 credential for the inter-broker user and each
#    NAME=PASSWORD_FILE of SCRAM_USERS (separated by spaces); a formatted directory is left as it
#    is (the credentials then live in the cluster's metadata, where kafka-scram-password.sh
#    changes them).
# 4. HEALTH_CLIENT_CONFIG: a client configuration of the inter-broker user for the health check.
set -euo pipefail

: "${CLUSTER_ID:?}" "${INTER_BROKER_USER:?}" "${INTER_BROKER_PASSWORD_FILE:?}" "${SCRAM_USERS:?}"
KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
MECHANISM=SCRAM-SHA-512

read_secret() {
  if [ ! -r "$1" ]; then
    echo "$2 names $1, which cannot be read" >&2
    exit 1
  fi
  # Without the trailing line break an editor or echo adds, as the services read their secrets.
  local value
  value="$(cat "$1")"
  case "$value" in
    *[\"\\,\]]*) echo "$2: the password in $1 contains \", \\, a comma or ]" >&2; exit 1 ;;
  esac
  printf '%s' "$value"
}

config_dir="$(mktemp -d)"
config="$config_dir/server.properties"
# Read by kafka-run-class.sh, not broker settings.
not_settings=" KAFKA_HOME KAFKA_HEAP_OPTS KAFKA_OPTS KAFKA_JMX_OPTS KAFKA_LOG4J_OPTS \
KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS KAFKA_DEBUG KAFKA_VERSION "
for name in $(compgen -e | grep '^KAFKA_' | sort); do
  case "$not_settings" in *" $name "*) continue ;; esac
  if [[ "$name" == *_FILE ]]; then
    value="$(read_secret "${!name}" "$name")"
    name="${name%_FILE}"
  else
    value="${!name}"
  fi
  key="$(printf '%s' "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' \
    | sed -e 's/_/./g' -e 's/\.\.\./-/g' -e 's/\.\./_/g')"
  printf '%s=%s\n' "$key" "$value" >> "$config"
done

listener="$(printf '%s' "${KAFKA_INTER_BROKER_LISTENER_NAME:?}" | tr '[:upper:]' '[:lower:]')"
broker_password="$(read_secret "$INTER_BROKER_PASSWORD_FILE" INTER_BROKER_PASSWORD_FILE)"
login="org.apache.kafka.common.security.scram.ScramLoginModule required"
login="$login username=\"$INTER_BROKER_USER\" password=\"$broker_password\";"
printf 'listener.name.%s.%s.sasl.jaas.config=%s\n' \
  "$listener" "$(printf '%s' "$MECHANISM" | tr '[:upper:]' '[:lower:]')" "$login" >> "$config"

scram=(--add-scram "$MECHANISM=[name=\"$INTER_BROKER_USER\",password=\"$broker_password\"]")
for entry in $SCRAM_USERS; do
  user="${entry%%=*}"
  password="$(read_secret "${entry#*=}" "SCRAM_USERS ($user)")"
  scram+=(--add-scram "$MECHANISM=[name=\"$user\",password=\"$password\"]")
done
"$KAFKA_HOME/bin/kafka-storage.sh" format --cluster-id "$CLUSTER_ID" --config "$config" \
  --ignore-formatted "${scram[@]}"

if [ -n "${HEALTH_CLIENT_CONFIG:-}" ]; then
  truststore_password="$(read_secret "${KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE:?}" \
    KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE)"
  (
    umask 077
    cat > "$HEALTH_CLIENT_CONFIG" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=$MECHANISM
sasl.jaas.config=$login
ssl.truststore.type=${KAFKA_SSL_TRUSTSTORE_TYPE:-PKCS12}
ssl.truststore.location=${KAFKA_SSL_TRUSTSTORE_LOCATION:?}
ssl.truststore.password=$truststore_password
EOF
  )
fi

exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$config"
