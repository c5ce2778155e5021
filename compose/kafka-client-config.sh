#!/usr/bin/env bash
# Writes the Kafka client configuration of the compose jobs (the topic job, kafka-scram-password.sh)
# to the file $1, for their tools' --command-config, from the job's environment:
#
#   SECURITY_PROTOCOL  PLAINTEXT (the default: the file is then empty) or SASL_SSL
#   SASL_MECHANISM, SASL_USER, SASL_PASSWORD_FILE, TRUSTSTORE, TRUSTSTORE_PASSWORD_FILE
#
# The passwords are read from files (docker secrets, the certificate job's volume); the written file
# is readable by its owner only.
set -euo pipefail

out="${1:?usage: kafka-client-config.sh FILE}"
protocol="${SECURITY_PROTOCOL:-PLAINTEXT}"
(umask 077 && : > "$out")
case "$protocol" in
  PLAINTEXT) exit 0 ;;
  SASL_SSL) ;;
  *) echo "SECURITY_PROTOCOL $protocol: only PLAINTEXT and SASL_SSL are supported" >&2; exit 1 ;;
esac
: "${SASL_MECHANISM:?}" "${SASL_USER:?}" "${SASL_PASSWORD_FILE:?}"
: "${TRUSTSTORE:?}" "${TRUSTSTORE_PASSWORD_FILE:?}"
for file in "$SASL_PASSWORD_FILE" "$TRUSTSTORE_PASSWORD_FILE" "$TRUSTSTORE"; do
  if [ ! -r "$file" ]; then
    echo "$file cannot be read" >&2
    exit 1
  fi
done
cat > "$out" <<EOF
security.protocol=$protocol
sasl.mechanism=$SASL_MECHANISM
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$SASL_USER" password="$(cat "$SASL_PASSWORD_FILE")";
ssl.truststore.type=PKCS12
ssl.truststore.location=$TRUSTSTORE
ssl.truststore.password=$(cat "$TRUSTSTORE_PASSWORD_FILE")
EOF
