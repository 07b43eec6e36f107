package io.incidentstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.config.ConfigException;
import io.incidentstream.ops.OpsAssets;
import io.incidentstream.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, which cannot be run here (no container engine): kept
 * honest against the app's environment variables, its topics and ops/ files. `.ci/run` also has
 * Debian's docker-compose validate the compose file.
 */
class DeploymentFilesTest {
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Set<String> APP_SERVICES = Set.of("incident-stream-1", "incident-stream-2");
    /** repository:tag with a version in the tag: never latest, never a bare major. */
    private static final Pattern PINNED = Pattern.compile("[a-z0-9./_-]+:v?\\d+\\.\\d+(\\.\\d+)?[A-Za-z0-9._-]*");

    private static final Set<String> CONDITIONS =
            Set.of("service_healthy", "service_completed_successfully", "service_started");

    /** Parsed with SnakeYAML, which (unlike Jackson's YAML parser) applies the `<<:` merge keys. */
    private static JsonNode compose() throws Exception {
        final Object tree = new Yaml().load(Files.readString(COMPOSE));
        return Json.mapper().valueToTree(tree);
    }

    private static JsonNode service(final String name) throws Exception {
        final JsonNode s = compose().path("services").path(name);
        assertFalse(s.isMissingNode(), "no service " + name);
        return s;
    }

    private static Map<String, String> environment(final JsonNode service) {
        final Map<String, String> env = new HashMap<>();
        service.path("environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    @Test
    void shouldUseTheComposeSpecificationWithPinnedImages() throws Exception {
        final JsonNode compose = compose();
        assertFalse(compose.has("version"), "the `version:` key is obsolete");
        compose.path("services").properties().forEach(e -> {
            final JsonNode s = e.getValue();
            if (s.has("build")) {
                assertTrue(APP_SERVICES.contains(e.getKey()), e.getKey() + " builds an image");
                assertEquals("incident-stream:local", s.path("image").asText());
            } else {
                assertTrue(
                        PINNED.matcher(s.path("image").asText()).matches(),
                        e.getKey() + ": unpinned image " + s.path("image"));
            }
        });
    }

    @Test
    void shouldHealthcheckEveryLongRunningServiceAndWaitOnConditions() throws Exception {
        compose().path("services").properties().forEach(e -> {
            final JsonNode s = e.getValue();
            if (!"no".equals(s.path("restart").asText())) {
                assertTrue(s.path("healthcheck").has("test"), e.getKey() + " has no healthcheck");
            }
            s.path("depends_on")
                    .properties()
                    .forEach(d -> assertTrue(
                            CONDITIONS.contains(d.getValue().path("condition").asText()),
                            e.getKey() + " → " + d.getKey() + ": depends_on without a condition"));
        });
        for (String app : APP_SERVICES) {
            final JsonNode deps = service(app).path("depends_on");
            assertEquals("service_healthy", deps.at("/kafka/condition").asText());
            assertEquals(
                    "service_completed_successfully",
                    deps.at("/kafka-topics/condition").asText());
            assertTrue(service(app).at("/healthcheck/test").toString().contains("/health/ready"));
        }
        assertEquals(
                "service_healthy",
                service("kafka-topics").at("/depends_on/kafka/condition").asText());
        assertEquals(
                "service_healthy",
                service("grafana").at("/depends_on/prometheus/condition").asText());
    }

    @Test
    void shouldConfigureTheInstancesWithVariablesTheAppReads() throws Exception {
        final Map<String, Map<String, String>> envs = new HashMap<>();
        for (String app : APP_SERVICES) {
            final Map<String, String> env = environment(service(app));
            final List<String> unknown = env.keySet().stream()
                    .filter(n -> !AppEnvironment.known(n))
                    .sorted()
                    .toList();
            assertEquals(List.of(), unknown, app + ": env names Config does not read");
            final Config config = Config.from(env);
            assertEquals("0.0.0.0", config.httpHost(), "loopback is unreachable from other containers");
            assertEquals("kafka:29092", config.bootstrapServers().orElseThrow());
            assertEquals(1, config.topicReplicationFactor());
            assertEquals(1, config.numStandbyReplicas());
            assertTrue(config.peerToken().isPresent());
            assertEquals(app + ":8080", config.applicationServer(), "peers reach it by its service name");
            final String volume = service(app).path("volumes").get(0).asText();
            assertTrue(volume.endsWith(":" + config.dataDir()), app + ": state volume on DATA_DIR, got " + volume);
            final long grace = java.time.Duration.parse("PT"
                            + service(app).path("stop_grace_period").asText().toUpperCase(Locale.ROOT))
                    .toSeconds();
            assertTrue(grace > config.shutdownTimeout().toSeconds(), "stop_grace_period must exceed SHUTDOWN_TIMEOUT");
            envs.put(app, env);
        }
        final Map<String, String> one = envs.get("incident-stream-1");
        final Map<String, String> two = envs.get("incident-stream-2");
        assertNotEquals(one.get("APPLICATION_SERVER"), two.get("APPLICATION_SERVER"));
        assertNotEquals(
                service("incident-stream-1").path("volumes").get(0).asText().split(":", -1)[0],
                service("incident-stream-2").path("volumes").get(0).asText().split(":", -1)[0],
                "one state volume each");
        for (String shared : List.of("PEER_TOKEN", "CURSOR_SECRET", "APPLICATION_ID", "KAFKA_BOOTSTRAP_SERVERS")) {
            assertEquals(one.get(shared), two.get(shared), shared + " must be the same on every instance");
        }
        final String advertised = environment(service("kafka")).get("KAFKA_ADVERTISED_LISTENERS");
        assertTrue(advertised.contains("://" + one.get("KAFKA_BOOTSTRAP_SERVERS")), advertised);
    }

    @Test
    void shouldCreateEveryTopicWithExplicitPartitions() throws Exception {
        final String script = service("kafka-topics").path("command").get(0).asText();
        final Set<String> created = new TreeSet<>();
        final Matcher m = Pattern.compile("(?m)^create ([a-z-]+)(.*)$").matcher(script);
        while (m.find()) {
            created.add(m.group(1));
            if (m.group(1).equals(Topics.INCIDENTS)) {
                assertTrue(m.group(2).contains("cleanup.policy=compact"), "incidents is compacted");
            }
        }
        assertEquals(
                new TreeSet<>(Set.of(
                        Topics.ALERTS,
                        Topics.ALERTS_DLQ,
                        Topics.GROUPING_RULES,
                        Topics.INCIDENTS,
                        Topics.INCIDENT_EVENTS,
                        Topics.INCIDENT_COMMANDS)),
                created);
        final Matcher partitions = Pattern.compile("--partitions (\\d+)").matcher(script);
        assertTrue(partitions.find());
        for (String app : APP_SERVICES) {
            assertEquals(partitions.group(1), environment(service(app)).get("TOPIC_PARTITIONS"));
        }
        assertTrue(script.contains("/opt/kafka/bin/kafka-topics.sh") && script.contains("--if-not-exists"));
        assertEquals("no", service("kafka-topics").path("restart").asText());
    }

    @Test
    void shouldScrapeBothInstancesWithTheRulesAndProvisionTheDashboard() throws Exception {
        final List<String> mounts = new ArrayList<>();
        compose().path("services").forEach(s -> s.path("volumes").forEach(v -> mounts.add(v.asText())));
        for (String mount : mounts) {
            if (mount.startsWith("./")) {
                assertTrue(Files.exists(Path.of(mount.split(":", -1)[0])), "bind mount of a missing file: " + mount);
            }
        }
        final JsonNode prometheus = service("prometheus");
        assertTrue(prometheus
                .path("volumes")
                .toString()
                .contains("./" + OpsAssets.PROMETHEUS_COMPOSE_CONFIG + ":/etc/prometheus/prometheus.yml"));
        assertTrue(
                prometheus.path("volumes").toString().contains("./" + OpsAssets.RULES + ":/etc/prometheus/rules.yml"));
        final JsonNode config = new YAMLMapper().readTree(OpsAssets.PROMETHEUS_COMPOSE_CONFIG.toFile());
        assertEquals("rules.yml", config.at("/rule_files/0").asText());
        final JsonNode job = config.at("/scrape_configs/0");
        assertEquals("incident-stream", job.path("job_name").asText(), "the job the rules select");
        final Set<String> targets = new TreeSet<>();
        job.at("/static_configs/0/targets").forEach(t -> targets.add(t.asText()));
        final Set<String> servers = new TreeSet<>();
        for (String app : APP_SERVICES) {
            servers.add(environment(service(app)).get("APPLICATION_SERVER"));
        }
        assertEquals(servers, targets);

        final JsonNode grafana = service("grafana");
        final JsonNode provider = new YAMLMapper()
                .readTree(Path.of("ops/grafana/provisioning/dashboards/incident-stream.yml")
                        .toFile());
        final String dashboards = provider.at("/providers/0/options/path").asText();
        assertTrue(
                grafana.path("volumes").toString().contains("./" + OpsAssets.DASHBOARD + ":" + dashboards + "/"),
                grafana.toString());
        assertTrue(grafana.path("volumes").toString().contains("./ops/grafana/provisioning:/etc/grafana/provisioning"));
        final JsonNode datasource = new YAMLMapper()
                .readTree(Path.of("ops/grafana/provisioning/datasources/prometheus.yml")
                        .toFile());
        assertEquals("prometheus", datasource.at("/datasources/0/type").asText());
        assertEquals(
                "http://prometheus:9090", datasource.at("/datasources/0/url").asText());
    }

    @Test
    void shouldPublishPortsOnLoopbackOnly() throws Exception {
        compose()
                .path("services")
                .properties()
                .forEach(e -> e.getValue()
                        .path("ports")
                        .forEach(p -> assertTrue(
                                p.asText().startsWith("127.0.0.1:"),
                                e.getKey() + " publishes " + p + " beyond loopback while auth is off")));
    }

    @Test
    void shouldRunTheInstancesWithoutAuthOnlyBecauseTheFileSaysSo() throws Exception {
        // auth is off on 0.0.0.0 (other containers must reach the API), which the app refuses unless told
        for (String app : APP_SERVICES) {
            final Map<String, String> env = environment(service(app));
            assertFalse(env.containsKey("AUTH_TOKENS_FILE"), app);
            assertEquals("true", env.get("ALLOW_ANONYMOUS"), app);
            assertTrue(Config.from(env).allowAnonymous());
            env.remove("ALLOW_ANONYMOUS");
            final ConfigException e = assertThrows(ConfigException.class, () -> Config.from(env), app);
            assertTrue(e.getMessage().contains("ALLOW_ANONYMOUS"), e.getMessage());
        }
    }

    @Test
    void shouldBuildANonRootImageWithAHealthcheck() throws Exception {
        final List<String> lines = dockerfileInstructions();
        final List<String> froms =
                lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(2, froms.size(), "multi-stage: build, then runtime");
        assertTrue(froms.get(0).matches("FROM maven:3\\.\\d+\\.\\d+-eclipse-temurin-17 AS build"), froms.get(0));
        assertTrue(froms.get(1).matches("FROM eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jre(-[a-z]+)?"), froms.get(1));
        for (String from : froms) {
            assertTrue(PINNED.matcher(from.split(" ", -1)[1]).matches(), "unpinned base image: " + from);
        }
        final List<String> users =
                lines.stream().filter(l -> l.startsWith("USER ")).toList();
        assertFalse(users.isEmpty(), "no USER: the app would run as root");
        final String user = users.get(users.size() - 1).substring(5).split(":", -1)[0];
        assertFalse(user.equals("root") || user.equals("0"), "runs as " + user);
        final String healthcheck = lines.stream()
                .filter(l -> l.startsWith("HEALTHCHECK "))
                .findFirst()
                .orElseThrow();
        assertTrue(healthcheck.contains("/health/ready"), healthcheck);
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("RUN ") && l.contains("install") && l.contains("curl")),
                "the healthcheck's curl must be installed");
        assertTrue(lines.contains("EXPOSE 8080"));
        assertTrue(lines.stream()
                .anyMatch(l -> l.startsWith("ENTRYPOINT [\"java\"") && l.contains("incident-stream.jar")));
        assertTrue(
                lines.stream()
                        .anyMatch(l -> l.contains("--mount=type=cache,target=/root/.m2")
                                && l.contains("dependency:go-offline")),
                "dependencies resolved in their own cached layer");
    }

    @Test
    void shouldSetOnlyVariablesTheAppReadsInTheImage() throws Exception {
        final String env = dockerfileInstructions().stream()
                .filter(l -> l.startsWith("ENV "))
                .findFirst()
                .orElseThrow()
                .substring(4);
        final Map<String, String> vars = new HashMap<>();
        final Matcher m = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(env);
        while (m.find()) {
            vars.put(m.group(1), m.group(2).replace("\"", ""));
        }
        assertEquals(
                List.of(),
                vars.keySet().stream().filter(n -> !AppEnvironment.known(n)).toList());
        assertTrue(vars.get("JAVA_TOOL_OPTIONS").matches(".*-XX:MaxRAMPercentage=\\d+.*"));
        // the image alone, without a tokens file, must refuse to serve an open API on 0.0.0.0
        assertFalse(vars.containsKey("ALLOW_ANONYMOUS"), "the image must not accept auth off for everybody");
        final ConfigException refused = assertThrows(ConfigException.class, () -> Config.from(vars));
        assertTrue(refused.getMessage().contains("ALLOW_ANONYMOUS"), refused.getMessage());
        vars.put("ALLOW_ANONYMOUS", "true");
        final Config config = Config.from(vars);
        assertEquals("0.0.0.0", config.httpHost());
        assertTrue(
                dockerfileInstructions().contains("VOLUME [\"" + config.dataDir() + "\"]"), "DATA_DIR is the volume");
        final List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
        assertTrue(
                ignored.contains("*") && ignored.contains("!pom.xml") && ignored.contains("!src/"),
                "build context: pom and sources only");
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> dockerfileInstructions() throws Exception {
        final List<String> out = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            final String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                current.append(line);
                out.add(current.toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        return out;
    }
}
