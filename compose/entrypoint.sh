#!/bin/sh
# The services' entry point in their image. A setting given as NAME_FILE (a docker secret, mounted
# under /run/secrets/, or a file of a volume such as the Kafka truststore's password) is read from
# that file into NAME, the variable Micronaut reads, so that no secret has to be written into the
# compose file or the environment of `docker inspect`. Only the prefixes of the services' settings
# are read, and giving both NAME and NAME_FILE is an error.
set -eu

for variable in $(env | sed -n 's/^\(\(SHARDPIPE\|MICRONAUT\|DATASOURCES\|KAFKA\)_[A-Z0-9_]*\)_FILE=.*/\1/p'); do
  file_variable="${variable}_FILE"
  eval "file=\${$file_variable}"
  eval "already=\${$variable:-}"
  if [ -n "$already" ]; then
    echo "both $variable and $file_variable are set; set one of them" >&2
    exit 1
  fi
  if [ ! -r "$file" ]; then
    echo "$file_variable names $file, which cannot be read" >&2
    exit 1
  fi
  # Without the trailing line break an editor or echo adds.
  value="$(cat "$file")"
  export "$variable=$value"
  unset "$file_variable"
done

exec java -XX:MaxRAMPercentage=75.0 -jar /app/service.jar "$@"
