#!/usr/bin/env bash
# Runs hawtio (io.hawt:hawtio-default 4.2.0 on embedded Jetty 12) on this machine, to watch a running
# gateway through its Jolokia endpoint. Builds tools/hawtio on first use (needs Maven Central once,
# then works offline).
#
#   tools/hawtio/run.sh                  # hawtio on http://localhost:8090/hawtio/
#   HAWTIO_PORT=8091 tools/hawtio/run.sh # another port
#
# Then in hawtio: Connect > Remote > Add connection: scheme http, host localhost, port 9876,
# path /observe/jolokia (the gateway's camel.management.port), Connect.
# No login (hawtio.authenticationEnabled=false): hawtio listens on 127.0.0.1 only (HAWTIO_HOST to change),
# and its proxy only reaches gateways on localhost/127.0.0.1 (hawtio.proxyAllowlist).
# Extra JVM options: HAWTIO_OPTS="-Dhawtio.proxyAllowlist=localhost,127.0.0.1,gateway-host".
# The gateway answers Jolokia only for the web origins in its gateway.management.allowed-origins (default: this
# hawtio on port 8090); with another HAWTIO_PORT, add http://localhost:<port> there.
set -euo pipefail
cd "$(dirname "$0")"

if [[ ! -f target/hawtio-launcher.jar || ! -f target/hawtio.war || pom.xml -nt target/hawtio-launcher.jar \
      || -n "$(find src -newer target/hawtio-launcher.jar -type f 2>/dev/null)" ]]; then
  echo "Building tools/hawtio (first run resolves hawtio and Jetty from Maven Central) ..."
  mvn -B -q -Dstyle.color=never -o package 2>/dev/null || mvn -B -q -Dstyle.color=never package
fi

PORT="${HAWTIO_PORT:-8090}"
echo "Starting hawtio on port ${PORT}: open http://localhost:${PORT}/hawtio/ and connect to http://localhost:9876/observe/jolokia"
exec java ${HAWTIO_OPTS:-} \
  -Dhawtio.port="${PORT}" \
  -Dhawtio.authenticationEnabled=false \
  -Dhawtio.proxyAllowlist=localhost,127.0.0.1 \
  -jar target/hawtio-launcher.jar
