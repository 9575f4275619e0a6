# syntax=docker/dockerfile:1
# ws-edge with the built frontend on its classpath (/public). Build from the repository root:
#   docker build -f deploy/docker/ws-edge.Dockerfile -t stocktracker/ws-edge .
# The frontend module runs npm through Maven, so the build stage has Node 20 next to the JDK.
FROM eclipse-temurin:17-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.npm \
    ./mvnw -B -q -Dmaven.test.skip=true -pl schemas,embedded-infra,service-kit,frontend,ws-edge install \
 && ./mvnw -B -q -pl ws-edge dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp ws-edge/target/ws-edge-*.jar /out/app.jar \
 && cp frontend/target/frontend-*.jar /out/lib/

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app app
WORKDIR /app
COPY --from=build /out/ /app/
USER app
EXPOSE 8081
# one WebSocket = one file descriptor: raise the limit with `ulimits: nofile` in the orchestrator
# JAVA_OPTS (override it in the orchestrator to size the JVM):
#   -XX:MaxRAMPercentage=75   the heap is 75% of the container's memory limit (no limit set: 75% of the host's
#                             RAM, so always set one); the rest is metaspace, thread stacks and direct buffers.
#                             each WebSocket costs its queue and Jetty buffers (tens of KB): about 1 GB of heap per 10,000 connections
#   -XX:+ExitOnOutOfMemoryError  a JVM out of heap exits (the orchestrator restarts it) rather than limp on
# Logging: LOG_LEVEL (our code's level, default INFO) and LOG_FORMAT=json (one JSON object per line), see
# docs/OPERATIONS.md; the configuration is service-kit's logback.xml on the classpath.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/app.jar:/app/lib/*' io.stocktracker.edge.EdgeApp"]
