#!/usr/bin/env bash
# One-shot job of compose/docker-compose.secure.yml: makes the TLS material of the Kafka cluster
# with keytool (every Java image has it), all PKCS12, into three directories that are three volumes,
# so that each container sees only what it needs (docs/operations.md, "Kafka with SASL/SCRAM over
# TLS"):
#
#   CA_DIR      ca.p12, ca.password: the certificate authority's key; only this job mounts it
#   BROKER_DIR  broker.keystore.p12, keystore.password (the brokers' key and certificate, for every
#               name in BROKER_HOSTS), truststore.p12, truststore.password
#   CLIENT_DIR  truststore.p12, truststore.password: the CA's certificate, for every client
#
# The store passwords are random and written beside the stores: a store's password guards the file,
# and the volumes already decide who reads them. Existing material is kept, so restarting the stack
# does not change the certificates under running clients; to renew them, remove the volumes.
set -euo pipefail

: "${CA_DIR:?}" "${BROKER_DIR:?}" "${CLIENT_DIR:?}"
: "${BROKER_HOSTS:?names the brokers, comma-separated}"
VALIDITY_DAYS="${VALIDITY_DAYS:-825}"
# The brokers' user in the apache/kafka image; the clients read their truststore as another user.
BROKER_UID="${BROKER_UID:-1000}"

if [ -s "$BROKER_DIR/broker.keystore.p12" ] && [ -s "$CLIENT_DIR/truststore.p12" ]; then
  echo "Kafka TLS material present in $BROKER_DIR and $CLIENT_DIR; kept"
  exit 0
fi

new_password() {
  # 32 hex characters: nothing a properties file or a shell would read specially.
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$CA_DIR" "$BROKER_DIR" "$CLIENT_DIR"
umask 077

if [ ! -s "$CA_DIR/ca.p12" ]; then
  new_password > "$CA_DIR/ca.password"
  keytool -genkeypair -storetype PKCS12 -keystore "$CA_DIR/ca.p12" \
    -storepass "$(cat "$CA_DIR/ca.password")" -alias ca -keyalg RSA -keysize 3072 \
    -validity "$VALIDITY_DAYS" -dname "CN=shardpipe Kafka CA" \
    -ext bc:c=ca:true,pathlen:0 -ext KeyUsage:c=keyCertSign,cRLSign
fi
ca_password="$(cat "$CA_DIR/ca.password")"
keytool -exportcert -rfc -keystore "$CA_DIR/ca.p12" -storepass "$ca_password" -alias ca \
  -file "$work/ca.crt"

keystore_password="$(new_password)"
truststore_password="$(new_password)"
san="dns:${BROKER_HOSTS//,/,dns:}"
keytool -genkeypair -storetype PKCS12 -keystore "$work/broker.keystore.p12" \
  -storepass "$keystore_password" -alias broker -keyalg RSA -keysize 2048 \
  -validity "$VALIDITY_DAYS" -dname "CN=shardpipe Kafka broker"
keytool -certreq -keystore "$work/broker.keystore.p12" -storepass "$keystore_password" \
  -alias broker -file "$work/broker.csr"
# serverAuth for the clients, clientAuth because each broker also presents this certificate to the
# controllers, whose listener requires one (ssl.client.auth=required).
keytool -gencert -keystore "$CA_DIR/ca.p12" -storepass "$ca_password" -alias ca -rfc \
  -infile "$work/broker.csr" -outfile "$work/broker.crt" -validity "$VALIDITY_DAYS" \
  -ext "SAN=$san" -ext KeyUsage:c=digitalSignature,keyEncipherment \
  -ext ExtendedKeyUsage=serverAuth,clientAuth
keytool -importcert -noprompt -keystore "$work/broker.keystore.p12" \
  -storepass "$keystore_password" -alias ca -file "$work/ca.crt"
keytool -importcert -keystore "$work/broker.keystore.p12" -storepass "$keystore_password" \
  -alias broker -file "$work/broker.crt"
keytool -importcert -noprompt -storetype PKCS12 -keystore "$work/truststore.p12" \
  -storepass "$truststore_password" -alias ca -file "$work/ca.crt"

printf '%s' "$keystore_password" > "$work/keystore.password"
printf '%s' "$truststore_password" > "$work/truststore.password"
cp "$work/broker.keystore.p12" "$work/keystore.password" "$BROKER_DIR/"
cp "$work/truststore.p12" "$work/truststore.password" "$BROKER_DIR/"
cp "$work/truststore.p12" "$work/truststore.password" "$CLIENT_DIR/"
# The CA's certificate is public: any user of the clients' volume may read the truststore.
chmod 0444 "$CLIENT_DIR/truststore.p12" "$CLIENT_DIR/truststore.password"
chmod 0400 "$BROKER_DIR"/*
if [ "$(id -u)" = 0 ]; then
  chown "$BROKER_UID" "$BROKER_DIR" "$BROKER_DIR"/*
  chmod 0755 "$CLIENT_DIR"
fi
echo "Kafka TLS material written: broker certificate for $BROKER_HOSTS, valid $VALIDITY_DAYS days"
