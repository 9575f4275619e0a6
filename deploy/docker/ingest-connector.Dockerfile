# syntax=docker/dockerfile:1
# ingest-connector: Maven build stage -> JRE runtime. Build from the repository root:
#   docker build -f deploy/docker/ingest-connector.Dockerfile -t stocktracker/ingest-connector .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# embedded-infra is a test dependency: it is built (not tested) so the reactor resolves
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -Dmaven.test.skip=true -pl schemas,embedded-infra,ingest-connector install \
 && ./mvnw -B -q -pl ingest-connector dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp ingest-connector/target/ingest-connector-*.jar /out/app.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app app
WORKDIR /app
COPY --from=build /out/ /app/
USER app
EXPOSE 8083
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# exec: the JVM is PID 1 and gets SIGTERM, which its shutdown hook turns into a graceful close()
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/app.jar:/app/lib/*' io.stocktracker.ingest.IngestApp"]
