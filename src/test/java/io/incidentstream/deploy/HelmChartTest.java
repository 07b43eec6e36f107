package io.incidentstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import io.incidentstream.config.Config;
import io.incidentstream.ops.OpsAssets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * helm/incident-stream linted and rendered by real Helm, with the default values and with
 * src/test/resources/deploy/helm-non-default-values.yaml, asserting on the rendered objects. Secrets,
 * auth and upgrades: {@link HelmChartSecretsTest}.
 */
class HelmChartTest {
    private static final Path NON_DEFAULT =
            Path.of("src", "test", "resources", "deploy", "helm-non-default-values.yaml");
    /** The Secrets helm-non-default-values.yaml names in kafka.secretEnv, as the operator made them. */
    static final Map<String, Map<String, String>> KAFKA_SECRETS = Map.of(
            "kafka-credentials",
            Map.of(
                    "jaas",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"),
            "kafka-cluster-ca-cert",
            Map.of("ca.password", "changeit", "ca.p12", "(binary)"));

    /** The one value the defaults lack to render: auth off must be asked for (HelmChartSecretsTest). */
    static final Map<String, Object> ANONYMOUS = Map.of("auth.allowAnonymous", true);

    private static HelmChart.Rendered defaults;
    private static HelmChart.Rendered custom;

    @BeforeAll
    static void render() {
        defaults = HelmChart.template(ANONYMOUS);
        custom = HelmChart.template(NON_DEFAULT);
    }

    @Test
    void shouldPassStrictLint() {
        // (lint logs a template's fail() instead of failing: the refused open API does not hide other findings)
        final LintResult result = HelmChart.lint();
        assertFalse(result.isFailed(), result.getMessages().toString());
        assertTrue(
                result.getMessages().stream().noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]")),
                result.getMessages().toString());
    }

    @Test
    void shouldRenderTheDefaultObjects() {
        assertEquals(
                List.of(
                        "ConfigMap",
                        "NetworkPolicy",
                        "PodDisruptionBudget",
                        "Secret",
                        "Service",
                        "Service",
                        "StatefulSet"),
                defaults.kinds().stream().sorted().toList());
        assertEquals(3, defaults.statefulSet().at("/spec/replicas").asInt());
        assertEquals(5, custom.statefulSet().at("/spec/replicas").asInt());
        assertEquals(
                "registry.example.com/incident-stream:1.2.3",
                custom.container().path("image").asText());
        assertEquals("incident-stream:0.1.0", defaults.container().path("image").asText());
    }

    @Test
    void shouldSetOnlyVariablesTheAppReads() {
        for (HelmChart.Rendered r : List.of(defaults, custom)) {
            final List<String> unknown = r.environment().keySet().stream()
                    .filter(n -> !AppEnvironment.known(n) && !n.equals("POD_NAME") && !n.equals("POD_NAMESPACE"))
                    .toList();
            assertEquals(List.of(), unknown, "env names Config does not read (typo or stale name)");
        }
    }

    @Test
    void shouldRenderAnEnvironmentConfigAccepts() {
        // what the app would see in pod 0: the rendered env with Kubernetes' $(VAR) expansion and the secrets resolved
        for (HelmChart.Rendered r : List.of(defaults, custom)) {
            final Config config = Config.from(r.podEnvironment("inc-incident-stream-0", KAFKA_SECRETS));
            assertFalse(config.embeddedBroker());
            assertEquals("0.0.0.0", config.httpHost());
            assertEquals(8080, config.httpPort());
            assertEquals(Path.of("/data"), config.dataDir());
        }
        final Config d = Config.from(defaults.podEnvironment("inc-incident-stream-0", Map.of()));
        assertEquals(
                "inc-incident-stream-0.inc-incident-stream-headless.alerts.svc.cluster.local:8080",
                d.applicationServer());
        assertEquals(6, d.topicPartitions());
        assertEquals(1, d.numStandbyReplicas());
        assertEquals("exactly_once_v2", d.processingGuarantee());
        assertFalse(d.authEnabled());
        assertTrue(d.allowAnonymous());
        assertEquals(Map.of(), d.kafkaClientSettings());
        assertEquals(Map.of("session.timeout.ms", "60000"), d.streamsOverrides(), "static membership's session");
        assertEquals(java.util.Optional.of("inc-incident-stream-0"), d.instanceId());

        final Config c = Config.from(custom.podEnvironment("inc-incident-stream-4", KAFKA_SECRETS));
        assertEquals(
                "inc-incident-stream-4.inc-incident-stream-headless.alerts.svc.k8s.internal:8080",
                c.applicationServer());
        assertEquals(
                "kafka-0.kafka:9092,kafka-1.kafka:9092", c.bootstrapServers().orElseThrow());
        assertEquals(12, c.topicPartitions());
        assertEquals(3, c.topicReplicationFactor());
        assertEquals(2, c.numStandbyReplicas());
        assertEquals("at_least_once", c.processingGuarantee());
        assertEquals(Duration.ofSeconds(60), c.shutdownTimeout());
        assertEquals("peer-secret-of-the-test", c.peerToken().orElseThrow());
        assertEquals("cursor-secret", c.cursorSecret().orElseThrow());
        assertFalse(c.allowAnonymous());
        assertEquals(
                Path.of("/etc/incident-stream/auth/tokens"), c.authTokensFile().orElseThrow());
        assertEquals(Map.of("session.timeout.ms", "30000", "num.stream.threads", "2"), c.streamsOverrides());
        assertEquals(java.util.Optional.of("inc-incident-stream-4"), c.instanceId(), "static membership");
        assertEquals(600, c.rateLimitPerMin().orElseThrow());
        assertEquals(
                "-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError",
                custom.environment().get("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void shouldGiveEachPodAStableAddressThroughTheHeadlessService() {
        final JsonNode headless = defaults.headless();
        assertEquals(
                headless.at("/metadata/name").asText(),
                defaults.statefulSet().at("/spec/serviceName").asText());
        assertTrue(
                headless.at("/spec/publishNotReadyAddresses").asBoolean(),
                "peers and scrapers must reach a restoring pod");
        final JsonNode podName = defaults.env("POD_NAME");
        assertEquals(
                "metadata.name", podName.at("/valueFrom/fieldRef/fieldPath").asText());
        final List<String> names = names(defaults.container().path("env"));
        assertTrue(
                names.indexOf("POD_NAME") < names.indexOf("APPLICATION_SERVER"),
                "$(POD_NAME) expands only if defined before");
        assertEquals(
                defaults.statefulSet().at("/spec/template/metadata/labels"),
                defaults.statefulSet().at("/spec/template/metadata/labels"));
        final JsonNode selector = defaults.statefulSet().at("/spec/selector/matchLabels");
        for (JsonNode service : defaults.services()) {
            assertEquals(selector, service.at("/spec/selector"));
            assertEquals(8080, service.at("/spec/ports/0/port").asInt());
            assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        }
    }

    @Test
    void shouldKeepTheStateDirectoryOnAVolumeClaimPerPod() {
        for (HelmChart.Rendered r : List.of(defaults, custom)) {
            final JsonNode claim = r.statefulSet().at("/spec/volumeClaimTemplates/0");
            assertEquals("data", claim.at("/metadata/name").asText());
            final JsonNode mount = StreamSupport.stream(
                            r.container().path("volumeMounts").spliterator(), false)
                    .filter(m -> m.path("name").asText().equals("data"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    r.environment().get("DATA_DIR"),
                    mount.path("mountPath").asText(),
                    "DATA_DIR (and STATE_DIR below it) on the claim");
            assertEquals("ReadWriteOnce", claim.at("/spec/accessModes/0").asText());
        }
        assertEquals(
                "10Gi",
                defaults.statefulSet()
                        .at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage")
                        .asText());
        assertTrue(defaults.statefulSet()
                .at("/spec/volumeClaimTemplates/0/spec/storageClassName")
                .isMissingNode());
        assertEquals(
                "50Gi",
                custom.statefulSet()
                        .at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage")
                        .asText());
        assertEquals(
                "fast-ssd",
                custom.statefulSet()
                        .at("/spec/volumeClaimTemplates/0/spec/storageClassName")
                        .asText());
        assertEquals(
                "/tmp",
                defaults.container().at("/volumeMounts/1/mountPath").asText(),
                "RocksDB unpacks its library to /tmp");
        assertTrue(defaults.container()
                .at("/securityContext/readOnlyRootFilesystem")
                .asBoolean());
    }

    @Test
    void shouldProbeLivenessAndReadiness() {
        for (HelmChart.Rendered r : List.of(defaults, custom)) {
            final JsonNode c = r.container();
            assertEquals("/health/live", c.at("/livenessProbe/httpGet/path").asText());
            assertEquals("/health/ready", c.at("/readinessProbe/httpGet/path").asText());
            assertEquals("/health/live", c.at("/startupProbe/httpGet/path").asText());
            assertEquals("http", c.at("/readinessProbe/httpGet/port").asText());
            assertEquals(8080, c.at("/ports/0/containerPort").asInt());
        }
        assertTrue(
                defaults.container().at("/startupProbe/periodSeconds").asInt()
                                * defaults.container()
                                        .at("/startupProbe/failureThreshold")
                                        .asInt()
                        >= 300,
                "a restore may take minutes");
    }

    @Test
    void shouldGiveStreamsTimeToCloseBeforeTheKill() {
        for (HelmChart.Rendered r : List.of(defaults, custom)) {
            final Duration shutdown = Duration.parse(r.environment().get("SHUTDOWN_TIMEOUT"));
            final long grace = r.statefulSet()
                    .at("/spec/template/spec/terminationGracePeriodSeconds")
                    .asLong();
            assertTrue(grace > shutdown.toSeconds(), "grace " + grace + " s vs SHUTDOWN_TIMEOUT " + shutdown);
        }
        assertEquals(
                45,
                defaults.statefulSet()
                        .at("/spec/template/spec/terminationGracePeriodSeconds")
                        .asInt());
        assertEquals(
                90,
                custom.statefulSet()
                        .at("/spec/template/spec/terminationGracePeriodSeconds")
                        .asInt());
        final IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> HelmChart.template(anonymousWith(
                        Map.of("shutdown.timeoutSeconds", 60, "shutdown.terminationGracePeriodSeconds", 60))));
        assertTrue(e.getMessage().contains("must exceed shutdown.timeoutSeconds"), e.getMessage());
    }

    @Test
    void shouldSpreadPodsAndRunAsNonRoot() {
        assertEquals(
                100,
                defaults.statefulSet()
                        .at(
                                "/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/weight")
                        .asInt());
        final JsonNode hard = custom.statefulSet()
                .at("/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0");
        assertEquals("kubernetes.io/hostname", hard.path("topologyKey").asText());
        assertEquals(custom.statefulSet().at("/spec/selector/matchLabels"), hard.at("/labelSelector/matchLabels"));
        assertTrue(defaults.statefulSet()
                .at("/spec/template/spec/securityContext/runAsNonRoot")
                .asBoolean());
        assertEquals(
                "OrderedReady",
                defaults.statefulSet().at("/spec/podManagementPolicy").asText());
        assertFalse(defaults.container().at("/resources/limits/memory").isMissingNode());
        assertFalse(defaults.container().at("/resources/requests/cpu").isMissingNode());
    }

    @Test
    void shouldGiveThePodNoKubernetesCredentialsNorServiceVariables() {
        for (HelmChart.Rendered r : List.of(defaults, custom)) {
            // both default to true in Kubernetes: the fields must be there, and false
            assertTrue(r.podSpec().path("automountServiceAccountToken").isBoolean());
            assertFalse(r.podSpec().path("automountServiceAccountToken").asBoolean());
            assertTrue(r.podSpec().path("enableServiceLinks").isBoolean());
            assertFalse(r.podSpec().path("enableServiceLinks").asBoolean());
        }
    }

    @Test
    void shouldMakeEachPodAStaticMemberNamedAfterItselfThatStaysInTheGroupOnARestart() {
        final Map<String, String> pod = new java.util.HashMap<>(defaults.podEnvironment("incident-stream-1", Map.of()));
        pod.put("KUBERNETES_SERVICE_HOST", "10.0.0.1"); // as the kubelet sets in every pod
        final Config config = Config.from(pod);
        assertEquals(java.util.Optional.of("incident-stream-1"), config.instanceId());
        assertFalse(config.leaveGroupOnClose(), "a restart within the session timeout moves nothing");
        assertEquals("60000", defaults.environment().get("KAFKA_STREAMS_SESSION_TIMEOUT_MS"));

        final HelmChart.Rendered dynamic = HelmChart.template(anonymousWith(Map.of("staticMembership.enabled", false)));
        final Map<String, String> dynamicPod =
                new java.util.HashMap<>(dynamic.podEnvironment("incident-stream-1", Map.of()));
        dynamicPod.put("KUBERNETES_SERVICE_HOST", "10.0.0.1");
        dynamicPod.put("HOSTNAME", "incident-stream-1");
        final Config dynamicConfig = Config.from(dynamicPod);
        assertEquals(java.util.Optional.empty(), dynamicConfig.instanceId());
        assertTrue(dynamicConfig.leaveGroupOnClose());
    }

    @Test
    void shouldServeDuringPreStopAndStillCloseWithinTheGracePeriod() {
        for (HelmChart.Rendered r : List.of(defaults, custom)) {
            final JsonNode command = r.container().at("/lifecycle/preStop/exec/command");
            assertEquals("sleep", command.path(0).asText());
            final long preStop = command.path(1).asLong();
            assertTrue(preStop > 0);
            final long grace = r.podSpec().path("terminationGracePeriodSeconds").asLong();
            final Duration shutdown = Duration.parse(r.environment().get("SHUTDOWN_TIMEOUT"));
            assertTrue(grace > preStop + shutdown.toSeconds(), grace + " s vs " + preStop + " s + " + shutdown);
        }
        final IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> HelmChart.template(anonymousWith(Map.of(
                        "shutdown.timeoutSeconds",
                        40,
                        "shutdown.preStopSeconds",
                        5,
                        "shutdown.terminationGracePeriodSeconds",
                        45))));
        assertTrue(e.getMessage().contains("plus shutdown.preStopSeconds"), e.getMessage());
    }

    @Test
    void shouldLetDrainsTakeDownNoMorePodsThanThereAreStandbys() {
        assertEquals(
                1,
                defaults.get("PodDisruptionBudget").at("/spec/maxUnavailable").asInt());
        assertEquals(
                2,
                HelmChart.template(anonymousWith(Map.of("config.numStandbyReplicas", 2)))
                        .get("PodDisruptionBudget")
                        .at("/spec/maxUnavailable")
                        .asInt());
        assertEquals(
                1,
                HelmChart.template(anonymousWith(Map.of("config.numStandbyReplicas", 0)))
                        .get("PodDisruptionBudget")
                        .at("/spec/maxUnavailable")
                        .asInt(),
                "without standbys still one at a time");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "serviceMonitor.enabled, ServiceMonitor, false",
        "prometheusRule.enabled, PrometheusRule, false",
        "networkPolicy.enabled, NetworkPolicy, true",
        "podDisruptionBudget.enabled, PodDisruptionBudget, true"
    })
    void shouldGateOptionalObjects(final String value, final String kind, final boolean byDefault) {
        assertEquals(byDefault, defaults.find(kind).isPresent(), kind + " by default");
        assertTrue(
                HelmChart.template(anonymousWith(Map.of(value, true)))
                        .find(kind)
                        .isPresent(),
                kind + " with " + value + "=true");
        assertFalse(
                HelmChart.template(anonymousWith(Map.of(value, false)))
                        .find(kind)
                        .isPresent(),
                kind + " with " + value + "=false");
    }

    @Test
    void shouldBuildThePrometheusRuleFromOpsRules() throws Exception {
        assertEquals(
                Files.readString(OpsAssets.RULES),
                Files.readString(HelmChart.CHART.resolve("files/rules.yml")),
                "helm/incident-stream/files/rules.yml must be a copy of ops/prometheus/rules.yml (cp it)");
        final JsonNode sameJob = HelmChart.template(anonymousWith(Map.of("prometheusRule.enabled", true)))
                .get("PrometheusRule");
        assertEquals(OpsAssets.rules().path("groups"), sameJob.at("/spec/groups"));
        // custom: the job matcher follows serviceMonitor.jobName, everything else is the same
        final String expected =
                Files.readString(OpsAssets.RULES).replace("job=\"incident-stream\"", "job=\"incidents-prod\"");
        assertEquals(
                new YAMLMapper().readTree(expected).path("groups"),
                custom.get("PrometheusRule").at("/spec/groups"));
        assertEquals(
                "kube-prometheus-stack",
                custom.get("PrometheusRule").at("/metadata/labels/release").asText());
    }

    @Test
    void shouldScrapeEveryPodUnderTheJobTheRulesSelect() {
        final JsonNode monitor = custom.get("ServiceMonitor");
        final String jobLabel = monitor.at("/spec/jobLabel").asText();
        final JsonNode headless = custom.headless();
        assertEquals(
                "incidents-prod", headless.at("/metadata/labels").path(jobLabel).asText());
        monitor.at("/spec/selector/matchLabels")
                .properties()
                .forEach(e -> assertEquals(
                        e.getValue(),
                        headless.at("/metadata/labels").path(e.getKey()),
                        "ServiceMonitor selects the headless Service"));
        custom.services().stream()
                .filter(s -> !s.equals(headless))
                .forEach(client -> assertFalse(
                        matches(monitor.at("/spec/selector/matchLabels"), client.at("/metadata/labels")),
                        "client Service would scrape twice"));
        assertEquals("/metrics", monitor.at("/spec/endpoints/0/path").asText());
        assertEquals("http", monitor.at("/spec/endpoints/0/port").asText());
    }

    @Test
    void shouldAdmitOnlyPeersScrapersAndClients() {
        final JsonNode defaultPolicy = defaults.get("NetworkPolicy");
        assertEquals(
                defaults.statefulSet().at("/spec/selector/matchLabels"),
                defaultPolicy.at("/spec/podSelector/matchLabels"));
        assertEquals(2, defaultPolicy.at("/spec/ingress").size(), "peers and scrapers, no clients by default");
        assertEquals(
                defaults.statefulSet().at("/spec/selector/matchLabels"),
                defaultPolicy.at("/spec/ingress/0/from/0/podSelector/matchLabels"));
        assertEquals(
                "monitoring",
                defaultPolicy
                        .at("/spec/ingress/1/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                        .asText());
        final JsonNode customPolicy = custom.get("NetworkPolicy");
        assertEquals(3, customPolicy.at("/spec/ingress").size());
        assertEquals(
                "alertmanager",
                customPolicy
                        .at("/spec/ingress/2/from/0/podSelector/matchLabels/app")
                        .asText());
        customPolicy
                .at("/spec/ingress")
                .forEach(rule -> assertEquals("http", rule.at("/ports/0/port").asText()));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "replicaCount, three",
        "replicaCount, 0",
        "config.processingGuarantee, exactly_once",
        "config.incidentTtl, 5m",
        "config.logFormat, xml",
        "kafka.topicReplicationFactor, 0",
        "kafka.bootstrapServers, kafka",
        "shutdown.timeoutSeconds, 30s",
        "affinity.podAntiAffinity, sometimes",
        "persistence.size, ten",
        "replicas, 3"
    })
    void shouldRejectBadValuesBySchema(final String name, final String value) {
        final IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> HelmChart.template(Map.of(name, value)));
        assertTrue(e.getMessage().contains("schema"), e.getMessage());
    }

    @Test
    void shouldDocumentEveryValue() throws Exception {
        // values.yaml documented value by value: each leaf (or map/list value) follows a comment line
        final List<String> lines = Files.readAllLines(HelmChart.CHART.resolve("values.yaml"), StandardCharsets.UTF_8);
        // (inside resources, a free-form Kubernetes object documented as a whole, and inside lists, nothing is a value
        // of ours)
        final List<String> undocumented = new ArrayList<>();
        String topLevel = "";
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            final String trimmed = line.strip();
            if (indent(line) == 0 && isKey(trimmed)) {
                topLevel = trimmed.substring(0, trimmed.indexOf(':'));
            }
            if (trimmed.isEmpty()
                    || trimmed.startsWith("#")
                    || trimmed.startsWith("-")
                    || !isKey(trimmed)
                    || (topLevel.equals("resources") && indent(line) > 0)) {
                continue;
            }
            final boolean parent = trimmed.endsWith(":")
                    && i + 1 < lines.size()
                    && indent(lines.get(i + 1)) > indent(line)
                    && !lines.get(i + 1).strip().startsWith("-");
            if (!parent && !lines.get(i - 1).strip().startsWith("#") && indent(line) <= 4) {
                undocumented.add(trimmed);
            }
        }
        assertEquals(List.of(), undocumented);
    }

    private static boolean isKey(final String trimmed) {
        return trimmed.matches("[A-Za-z][A-Za-z0-9]*:.*");
    }

    private static int indent(final String line) {
        return line.length() - line.stripLeading().length();
    }

    private static boolean matches(final JsonNode selector, final JsonNode labels) {
        final boolean[] all = {true};
        selector.properties().forEach(e -> all[0] &= e.getValue().equals(labels.path(e.getKey())));
        return all[0];
    }

    private static List<String> names(final JsonNode env) {
        return StreamSupport.stream(env.spliterator(), false)
                .map(e -> e.path("name").asText())
                .toList();
    }

    /** ANONYMOUS with these values on top. */
    static Map<String, Object> anonymousWith(final Map<String, Object> values) {
        final Map<String, Object> all = new HashMap<>(ANONYMOUS);
        all.putAll(values);
        return all;
    }
}
