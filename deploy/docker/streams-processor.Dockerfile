# syntax=docker/dockerfile:1
# streams-processor: Maven build stage -> JRE runtime. Build from the repository root:
#   docker build -f deploy/docker/streams-processor.Dockerfile -t stocktracker/streams-processor .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# embedded-infra is a test dependency: it is built (not tested) so the reactor resolves
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -Dmaven.test.skip=true -pl schemas,embedded-infra,service-kit,streams-processor install \
 && ./mvnw -B -q -pl streams-processor dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp streams-processor/target/streams-processor-*.jar /out/app.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app app && mkdir -p /var/lib/streams && chown app /var/lib/streams
WORKDIR /app
COPY --from=build /out/ /app/
USER app
EXPOSE 8082
# JAVA_OPTS (override it in the orchestrator to size the JVM):
#   -XX:MaxRAMPercentage=75   the heap is 75% of the container's memory limit (no limit set: 75% of the host's
#                             RAM, so always set one); the rest is metaspace, thread stacks and direct buffers.
#                             RocksDB state (bars, last quotes) lives off-heap: leave it the other 25% and give the container 1 GB or more
#   -XX:+ExitOnOutOfMemoryError  a JVM out of heap exits (the orchestrator restarts it) rather than limp on
# Logging: LOG_LEVEL (our code's level, default INFO) and LOG_FORMAT=json (one JSON object per line), see
# docs/OPERATIONS.md; the configuration is service-kit's logback.xml on the classpath.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# exec: the JVM is PID 1 and gets SIGTERM, which its shutdown hook turns into a graceful close()
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/app.jar:/app/lib/*' io.stocktracker.streams.StreamsApp"]
