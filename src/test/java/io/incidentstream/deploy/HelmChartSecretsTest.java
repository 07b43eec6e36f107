package io.incidentstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.auth.TokenHashes;
import io.incidentstream.auth.TokenStore;
import io.incidentstream.config.Config;
import io.incidentstream.config.ConfigException;
import io.incidentstream.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart's secrets and auth, rendered by real Helm as on install and as on upgrade: PEER_TOKEN and
 * CURSOR_SECRET persist, the tokens file follows the values, auth off must be asked for, Kafka
 * credentials come from Secrets.
 */
class HelmChartSecretsTest {
    private static final String FULLNAME = HelmChart.RELEASE + "-incident-stream";
    private static final String TOKENS_SECRET = FULLNAME + "-tokens";
    private static final String ALICE = "alice-token-4f1c9a";
    private static final String BOB = "bob-token-77d02e";
    private static final String POD = FULLNAME + "-0";

    @Test
    void shouldRemoveARevokedTokenOnUpgrade() {
        final HelmChart.Rendered installed = HelmChart.template(Map.of("auth.tokens", tokensFile(ALICE, BOB)));
        assertTrue(tokens(installed).authenticate(BOB).isPresent());

        final HelmChart.Rendered upgraded = HelmChart.upgrade(Map.of("auth.tokens", tokensFile(ALICE)));
        final TokenStore after = tokens(upgraded);
        assertTrue(after.authenticate(ALICE).isPresent(), "the token kept in the values still works");
        assertTrue(after.authenticate(BOB).isEmpty(), "the token removed from the values is gone from the pods");
        assertEquals(1, after.size());
        // what the pods mount is that Secret, as a directory the kubelet refreshes in place
        final JsonNode volume = upgraded.volume("auth").orElseThrow();
        assertEquals(TOKENS_SECRET, volume.at("/secret/secretName").asText());
        assertEquals("tokens", volume.at("/secret/items/0/key").asText());
        final JsonNode mount = upgraded.mount("auth").orElseThrow();
        assertTrue(mount.path("subPath").isMissingNode(), "a subPath mount never sees the Secret change");
        assertEquals(
                mount.path("mountPath").asText() + "/"
                        + volume.at("/secret/items/0/path").asText(),
                upgraded.env("AUTH_TOKENS_FILE").path("value").asText());
    }

    @Test
    void shouldChangeNothingButTheSecretWhenOnlyTokensChange() {
        // the app re-reads the file, so a revocation needs no rolling restart (one rebalance per pod)
        final JsonNode before =
                HelmChart.upgrade(Map.of("auth.tokens", tokensFile(ALICE, BOB))).statefulSet();
        final JsonNode after =
                HelmChart.upgrade(Map.of("auth.tokens", tokensFile(ALICE))).statefulSet();
        final String annotations = "/spec/template/metadata/annotations";
        assertEquals(before.at(annotations), after.at(annotations), "a changed annotation rolls every pod");
        assertEquals(before, after);
        // whereas a changed peer token must reach every pod's env: a restart
        final Map<String, Object> given = Map.of(
                "auth.tokens", tokensFile(ALICE),
                "auth.peerToken", "a".repeat(Settings.MIN_PEER_TOKEN),
                "auth.cursorSecret", "c");
        final Map<String, Object> changed = new HashMap<>(given);
        changed.put("auth.peerToken", "b".repeat(Settings.MIN_PEER_TOKEN));
        assertNotEquals(
                HelmChart.upgrade(given).statefulSet().at("/spec/template"),
                HelmChart.upgrade(changed).statefulSet().at("/spec/template"));
    }

    @Test
    void shouldTurnAuthOnByUpgrade() {
        final HelmChart.Rendered installed = HelmChart.template(HelmChartTest.ANONYMOUS);
        assertFalse(installed.environment().containsKey("AUTH_TOKENS_FILE"));
        assertTrue(installed.volume("auth").isEmpty());
        final Map<String, Map<String, String>> cluster = secrets(installed);

        // the generated Secret is not rendered again, yet the pods still find it in the cluster
        final HelmChart.Rendered upgraded = HelmChart.upgrade(Map.of("auth.tokens", tokensFile(ALICE)));
        assertEquals(List.of(TOKENS_SECRET), upgraded.secretNames());
        final Config config = Config.from(upgraded.podEnvironment(POD, cluster));
        assertTrue(config.authEnabled());
        assertFalse(config.allowAnonymous());
        assertEquals(
                Path.of(upgraded.mount("auth").orElseThrow().path("mountPath").asText(), "tokens"),
                config.authTokensFile().orElseThrow());
        assertEquals(cluster.get(FULLNAME).get("peer-token"), config.peerToken().orElseThrow());
        assertEquals(
                cluster.get(FULLNAME).get("cursor-secret"),
                config.cursorSecret().orElseThrow());
        assertTrue(tokens(upgraded).authenticate(ALICE).isPresent());
    }

    @Test
    void shouldGeneratePeerTokenAndCursorSecretOnceAndKeepThem() {
        final HelmChart.Rendered installed = HelmChart.template(HelmChartTest.ANONYMOUS);
        final JsonNode generated = installed.secret(FULLNAME).orElseThrow();
        assertEquals(
                "keep",
                generated.at("/metadata/annotations/helm.sh~1resource-policy").asText());
        final Map<String, String> values = secrets(installed).get(FULLNAME);
        assertEquals(40, values.get("peer-token").length());
        assertTrue(values.get("peer-token").length() >= Settings.MIN_PEER_TOKEN);
        assertNotEquals(values.get("peer-token"), values.get("cursor-secret"));
        assertEquals(
                values.keySet(),
                secrets(HelmChart.template(HelmChartTest.ANONYMOUS))
                        .get(FULLNAME)
                        .keySet());
        // an upgrade leaves the generated values alone: rendering them again would mean new random ones
        assertTrue(HelmChart.upgrade(HelmChartTest.ANONYMOUS).secretNames().isEmpty());

        // given values are rendered on every upgrade, and kept too, so dropping them later keeps the Secret
        final HelmChart.Rendered given = HelmChart.upgrade(Map.of(
                "auth.allowAnonymous",
                true,
                "auth.peerToken",
                "p".repeat(Settings.MIN_PEER_TOKEN),
                "auth.cursorSecret",
                "cursor"));
        final JsonNode secret = given.secret(FULLNAME).orElseThrow();
        assertEquals(
                "keep",
                secret.at("/metadata/annotations/helm.sh~1resource-policy").asText());
        assertEquals("cursor", HelmChart.decode(secret.at("/data/cursor-secret")));

        final HelmChart.Rendered existing =
                HelmChart.template(Map.of("auth.existingSecret", "mine", "auth.existingSecretHasTokens", true));
        assertTrue(existing.secretNames().isEmpty());
        for (String name : List.of("PEER_TOKEN", "CURSOR_SECRET")) {
            assertEquals(
                    "mine",
                    existing.env(name).at("/valueFrom/secretKeyRef/name").asText());
        }
        assertEquals(
                "mine",
                existing.volume("auth").orElseThrow().at("/secret/secretName").asText());
        assertTrue(existing.environment().containsKey("AUTH_TOKENS_FILE"));
    }

    @Test
    void shouldRefuseToRenderAnOpenApiUnlessAskedTo() {
        for (Map<String, Object> values : List.<Map<String, Object>>of(
                Map.of(), Map.of("auth.allowAnonymous", false), Map.of("auth.existingSecret", "mine"))) {
            final IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> HelmChart.template(values), values.toString());
            assertTrue(e.getMessage().contains("authentication is off"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("auth.tokens") && e.getMessage().contains("auth.allowAnonymous=true"),
                    "the message says how to fix it: " + e.getMessage());
            assertThrows(IllegalStateException.class, () -> HelmChart.upgrade(values), "upgrade " + values);
        }

        final HelmChart.Rendered open = HelmChart.template(HelmChartTest.ANONYMOUS);
        final Map<String, String> env = open.podEnvironment(POD, Map.of());
        assertEquals("true", open.get("ConfigMap").at("/data/ALLOW_ANONYMOUS").asText());
        assertTrue(Config.from(env).allowAnonymous());
        // the value is what lets the app start: without it, it refuses the open 0.0.0.0
        env.remove("ALLOW_ANONYMOUS");
        final ConfigException refused = assertThrows(ConfigException.class, () -> Config.from(env));
        assertTrue(refused.getMessage().contains("ALLOW_ANONYMOUS"), refused.getMessage());

        final HelmChart.Rendered authenticated = HelmChart.template(Map.of("auth.tokens", tokensFile(ALICE)));
        assertFalse(authenticated.environment().containsKey("ALLOW_ANONYMOUS"));
        assertTrue(Config.from(authenticated.podEnvironment(POD, Map.of())).authEnabled());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "auth.existingSecretHasTokens=true | needs auth.existingSecret",
                "auth.peerToken=peer-token-of-16-chars | give both or neither",
                "auth.cursorSecret=cursor | give both or neither",
                "auth.existingSecret=mine,auth.existingSecretHasTokens=true,auth.tokens=x | set one",
                "auth.cursorSecretPrevious=old | give the new auth.cursorSecret",
                "auth.existingSecret=mine,auth.cursorSecretPrevious=old | as key cursor-secret-previous"
            })
    void shouldRefuseAmbiguousAuthValues(final String settings, final String message) {
        final Map<String, Object> values = new HashMap<>(HelmChartTest.ANONYMOUS);
        for (String setting : settings.split(",", -1)) {
            final String[] kv = setting.split("=", 2);
            values.put(kv[0], kv[1]);
        }
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelmChart.template(values));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void shouldRotateTheCursorSecretWithThePreviousOneStillAccepted() {
        final Map<String, Object> rotating = new HashMap<>(HelmChartTest.ANONYMOUS);
        rotating.put("auth.peerToken", "p".repeat(Settings.MIN_PEER_TOKEN));
        rotating.put("auth.cursorSecret", "new-cursor-secret");
        rotating.put("auth.cursorSecretPrevious", "old-cursor-secret");
        final Config during = Config.from(HelmChart.upgrade(rotating).podEnvironment(POD, Map.of()));
        assertEquals(Optional.of("new-cursor-secret"), during.cursorSecret());
        assertEquals(Optional.of("old-cursor-secret"), during.cursorSecretPrevious());

        rotating.remove("auth.cursorSecretPrevious");
        final HelmChart.Rendered after = HelmChart.upgrade(rotating);
        assertFalse(after.secret(FULLNAME).orElseThrow().at("/data").has("cursor-secret-previous"));
        assertEquals(
                Optional.empty(),
                Config.from(after.podEnvironment(POD, Map.of())).cursorSecretPrevious());

        // an existing Secret may carry the key or not: the reference is optional
        final HelmChart.Rendered existing =
                HelmChart.template(Map.of("auth.existingSecret", "mine", "auth.existingSecretHasTokens", true));
        assertTrue(existing.env("CURSOR_SECRET_PREVIOUS")
                .at("/valueFrom/secretKeyRef/optional")
                .asBoolean());
        final Map<String, String> mine = new HashMap<>(Map.of(
                "peer-token", "p".repeat(Settings.MIN_PEER_TOKEN),
                "cursor-secret", "new",
                "cursor-secret-previous", "old"));
        assertEquals(
                Optional.of("old"),
                Config.from(existing.podEnvironment(POD, Map.of("mine", mine))).cursorSecretPrevious());
        mine.remove("cursor-secret-previous");
        assertEquals(
                Optional.empty(),
                Config.from(existing.podEnvironment(POD, Map.of("mine", mine))).cursorSecretPrevious());
    }

    @Test
    void shouldRejectAPeerTokenTheAppWouldRefuse() {
        final String shortest = "p".repeat(Settings.MIN_PEER_TOKEN);
        final Map<String, Object> values = new HashMap<>(HelmChartTest.ANONYMOUS);
        values.put("auth.cursorSecret", "cursor");
        values.put("auth.peerToken", shortest.substring(1));
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelmChart.template(values));
        assertTrue(e.getMessage().contains("schema"), e.getMessage());
        values.put("auth.peerToken", shortest);
        assertEquals(
                shortest,
                Config.from(HelmChart.template(values).podEnvironment(POD, Map.of()))
                        .peerToken()
                        .orElseThrow());
    }

    @Test
    void shouldTakeKafkaSecretsFromSecretsAndMountTheTruststore() {
        final HelmChart.Rendered custom =
                HelmChart.template(Path.of("src", "test", "resources", "deploy", "helm-non-default-values.yaml"));
        final JsonNode jaas = custom.env("KAFKA_SASL_JAAS_CONFIG");
        assertEquals(
                "kafka-credentials", jaas.at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("jaas", jaas.at("/valueFrom/secretKeyRef/key").asText());
        assertFalse(
                custom.get("ConfigMap").path("data").has("KAFKA_SASL_JAAS_CONFIG"), "no credential in the ConfigMap");

        final JsonNode mount = custom.mount("kafka-tls").orElseThrow();
        assertTrue(mount.path("readOnly").asBoolean());
        assertEquals(
                "kafka-cluster-ca-cert",
                custom.volume("kafka-tls")
                        .orElseThrow()
                        .at("/secret/secretName")
                        .asText());

        final Config config = Config.from(custom.podEnvironment(POD, HelmChartTest.KAFKA_SECRETS));
        final Map<String, String> kafka = config.kafkaClientSettings();
        assertEquals("SASL_SSL", kafka.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", kafka.get("sasl.mechanism"));
        assertEquals(HelmChartTest.KAFKA_SECRETS.get("kafka-credentials").get("jaas"), kafka.get("sasl.jaas.config"));
        assertEquals("changeit", kafka.get("ssl.truststore.password"));
        assertTrue(
                kafka.get("ssl.truststore.location")
                        .startsWith(mount.path("mountPath").asText() + "/"),
                "the truststore is read from the mounted Secret: " + kafka);

        final HelmChart.Rendered plain = HelmChart.template(HelmChartTest.ANONYMOUS);
        assertTrue(plain.volume("kafka-tls").isEmpty());
        assertTrue(plain.environment().keySet().stream().noneMatch(n -> n.startsWith("KAFKA_SASL")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "kafka.secretEnv[0].name, PEER_TOKEN",
        "kafka.secretEnv[0].name, kafka_sasl_jaas_config",
        "kafka.secretEnv[0].secretName, Kafka_Credentials",
        "kafka.tlsSecret, not a name"
    })
    void shouldRejectBadKafkaSecretValuesBySchema(final String name, final String value) {
        final Map<String, Object> values = new HashMap<>(HelmChartTest.ANONYMOUS);
        values.put("kafka.secretEnv[0].name", "KAFKA_SASL_JAAS_CONFIG");
        values.put("kafka.secretEnv[0].secretName", "kafka-credentials");
        values.put("kafka.secretEnv[0].key", "jaas");
        assertTrue(HelmChart.template(values).environment().containsKey("KAFKA_SASL_JAAS_CONFIG"));
        values.put(name, value);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelmChart.template(values));
        assertTrue(e.getMessage().contains("schema"), e.getMessage());
    }

    /** A tokens file giving each token read access in tenant default, its subject the token's first word. */
    private static String tokensFile(final String... tokens) {
        return Stream.of(tokens)
                .map(t ->
                        "  - subject: " + t.split("-", -1)[0] + "\n    tenant: default\n    scopes: [incidents:read]\n"
                                + "    sha256: " + TokenHashes.sha256Hex(t) + "\n")
                .collect(Collectors.joining("", "tokens:\n", ""));
    }

    /** The tokens file the pods get, parsed as the app does. */
    private static TokenStore tokens(final HelmChart.Rendered r) {
        final JsonNode secret = r.secret(TOKENS_SECRET).orElseThrow(() -> new AssertionError("no " + TOKENS_SECRET));
        return TokenStore.parse(HelmChart.decode(secret.at("/data/tokens")).getBytes(StandardCharsets.UTF_8));
    }

    /** The rendered Secrets as they would then be in the cluster: name → key → decoded value. */
    private static Map<String, Map<String, String>> secrets(final HelmChart.Rendered r) {
        final Map<String, Map<String, String>> all = new HashMap<>();
        for (String name : r.secretNames()) {
            final Map<String, String> data = new HashMap<>();
            r.secret(name)
                    .orElseThrow()
                    .path("data")
                    .properties()
                    .forEach(e -> data.put(e.getKey(), HelmChart.decode(e.getValue())));
            all.put(name, data);
        }
        return all;
    }
}
