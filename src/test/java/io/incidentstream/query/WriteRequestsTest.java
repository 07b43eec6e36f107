package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST and PATCH bodies are validated strictly into commands; every refusal is a 400 that says why. */
class WriteRequestsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final String ID = "incident.0.1";

    private static JsonNode json(final String text) {
        try {
            return Json.mapper().readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IncidentCommand create(final String body) {
        return WriteRequests.create(json(body), "cmd-1", "acme", "alice", AT);
    }

    private static IncidentCommand update(final String body) {
        return WriteRequests.update(json(body), "cmd-2", "acme", "alice", AT, ID);
    }

    private static String createRefusal(final String body) {
        return assertThrows(BadRequestException.class, () -> create(body)).getMessage();
    }

    private static String updateRefusal(final String body) {
        return assertThrows(BadRequestException.class, () -> update(body)).getMessage();
    }

    private static String withLabels(final int count) {
        final ObjectNode labels = JsonNodeFactory.instance.objectNode();
        for (int n = 0; n < count; n++) {
            labels.put("k" + n, "v");
        }
        return "{'title':'t','labels':" + labels + "}";
    }

    @Test
    void shouldBuildCreateCommandFromFullBody() {
        final IncidentCommand c =
                create("{'title':'Disk full','severity':'Critical','description':'sda1','assignee':'bob',"
                        + "'labels':{'team':'ops'},'status':'acknowledged','note':'by hand'}");
        assertEquals(
                new IncidentCommand(
                        "cmd-1",
                        IncidentCommand.Kind.CREATE,
                        "acme",
                        null,
                        "alice",
                        AT,
                        "Disk full",
                        Severity.CRITICAL,
                        "sda1",
                        "bob",
                        false,
                        Map.of("team", "ops"),
                        Status.ACKNOWLEDGED,
                        "by hand"),
                c);
    }

    @Test
    void shouldBuildCreateCommandFromTitleAlone() {
        final IncidentCommand c = create("{'title':'Disk full'}");
        assertEquals("Disk full", c.title());
        assertNull(c.severity());
        assertNull(c.status());
        assertNull(c.assignee());
        assertEquals(Map.of(), c.labels());
        assertEquals(Map.of(), create("{'title':'t','labels':null}").labels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'title':null}", "{'title':''}", "{'title':'   '}", "{'severity':'high'}"})
    void shouldRequireTitleOnCreate(final String body) {
        assertEquals("title is required", createRefusal(body));
    }

    @Test
    void shouldRefuseUnknownFieldsNamingThem() {
        assertTrue(createRefusal("{'title':'t','asignee':'bob'}").contains("'asignee'"));
        assertTrue(updateRefusal("{'status':'resolved','stauts':'x'}").contains("'stauts'"));
        assertTrue(updateRefusal("{'labels':{'a':'b'}}").contains("'labels'"), "labels cannot be patched");
        assertTrue(
                createRefusal("{'title':'t','unassign':true}").contains("'unassign'"),
                "internal fields are not API fields");
        final String longName = "x".repeat(500);
        final String message = updateRefusal("{'" + longName + "':1}");
        assertTrue(message.contains("x".repeat(40) + "…"), message);
        assertFalse(message.contains("x".repeat(41)), "a huge field name is not echoed back");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "'text'", "null", "17"})
    void shouldRefuseBodiesThatAreNotObjects(final String body) {
        assertEquals("the body must be a JSON object", createRefusal(body));
        assertEquals("the body must be a JSON object", updateRefusal(body));
        assertThrows(BadRequestException.class, () -> WriteRequests.create(null, "c", "acme", "alice", AT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"title", "severity", "status", "description", "assignee", "note"})
    void shouldRefuseWrongTypes(final String field) {
        for (String value : new String[] {"17", "true", "{}", "['a']"}) {
            final String base = field.equals("title") ? "" : "'title':'t',";
            assertEquals(
                    field + " must be a string", createRefusal("{" + base + "'" + field + "':" + value + "}"), value);
            assertEquals(field + " must be a string", updateRefusal("{'" + field + "':" + value + "}"), value);
        }
    }

    @Test
    void shouldRefuseUnknownEnumValuesNamingTheField() {
        assertTrue(createRefusal("{'title':'t','severity':'apocalyptic'}").startsWith("severity must be one of"));
        assertTrue(updateRefusal("{'status':'closed'}").startsWith("status must be one of"));
        assertTrue(updateRefusal("{'severity':''}").contains("severity"));
    }

    @Test
    void shouldParseEnumsCaseInsensitively() {
        assertEquals(Status.RESOLVED, update("{'status':'resolved'}").status());
        assertEquals(Status.ACTIVE, update("{'status':'Active'}").status());
        assertEquals(Severity.LOW, update("{'severity':'LOW'}").severity());
    }

    @Test
    void shouldPassClosedStatusesOnForTheOwnerToRefuse() {
        assertEquals(Status.EXPIRED, update("{'status':'expired'}").status());
        assertEquals(
                Status.RESOLVED, create("{'title':'t','status':'resolved'}").status());
    }

    @Test
    void shouldBuildUpdateCommandLeavingAbsentFieldsUnchanged() {
        final IncidentCommand c = update("{'status':'acknowledged','note':'mine'}");
        assertEquals(
                new IncidentCommand(
                        "cmd-2",
                        IncidentCommand.Kind.UPDATE,
                        "acme",
                        ID,
                        "alice",
                        AT,
                        null,
                        null,
                        null,
                        null,
                        false,
                        Map.of(),
                        Status.ACKNOWLEDGED,
                        "mine"),
                c);
    }

    @Test
    void shouldUnassignOnlyWhenAssigneeIsExplicitlyNull() {
        final IncidentCommand unassign = update("{'assignee':null}");
        assertTrue(unassign.unassign());
        assertNull(unassign.assignee());
        final IncidentCommand absent = update("{'severity':'high'}");
        assertFalse(absent.unassign());
        assertNull(absent.assignee());
        final IncidentCommand assign = update("{'assignee':'carol'}");
        assertFalse(assign.unassign());
        assertEquals("carol", assign.assignee());
    }

    @Test
    void shouldRefuseEmptyPatch() {
        assertTrue(updateRefusal("{}").startsWith("nothing to change"));
    }

    @Test
    void shouldRefuseBlankTitleOnPatchButAllowOmittingIt() {
        assertEquals("title may not be blank", updateRefusal("{'title':'  '}"));
        assertEquals("new title", update("{'title':'new title'}").title());
        assertNull(update("{'title':null,'note':'x'}").title());
    }

    @Test
    void shouldValidateLabels() {
        assertTrue(createRefusal("{'title':'t','labels':'team=ops'}").startsWith("labels must be an object"));
        assertTrue(createRefusal("{'title':'t','labels':[]}").startsWith("labels must be an object"));
        assertTrue(createRefusal("{'title':'t','labels':{'port':8080}}").startsWith("labels.port must be a string"));
        assertTrue(createRefusal("{'title':'t','labels':{'a':null}}").startsWith("labels.a must be a string"));
        assertTrue(createRefusal("{'title':'t','labels':{'" + "k".repeat(129) + "':'v'}}")
                .startsWith("labels.kkk"));
        assertTrue(createRefusal("{'title':'t','labels':{'a':'" + "v".repeat(1025) + "'}}")
                .startsWith("labels.a"));
        assertEquals(
                "v".repeat(1024),
                create("{'title':'t','labels':{'" + "k".repeat(128) + "':'" + "v".repeat(1024) + "'}}")
                        .labels()
                        .get("k".repeat(128)));
        assertEquals(64, create(withLabels(64)).labels().size());
        assertTrue(createRefusal(withLabels(65)).startsWith("labels must be an object of at most 64"));
    }

    @Test
    void shouldBoundTextSizes() {
        assertEquals(
                1024, create("{'title':'" + "t".repeat(1024) + "'}").title().length());
        assertEquals("title is longer than 1024 characters", createRefusal("{'title':'" + "t".repeat(1025) + "'}"));
        assertEquals("title is longer than 1024 characters", updateRefusal("{'title':'" + "t".repeat(1025) + "'}"));
        assertEquals(
                "assignee is longer than 1024 characters", updateRefusal("{'assignee':'" + "a".repeat(1025) + "'}"));
        assertEquals(
                16 * 1024,
                update("{'description':'" + "d".repeat(16 * 1024) + "'}")
                        .description()
                        .length());
        assertEquals(
                "description is longer than 16384 characters",
                updateRefusal("{'description':'" + "d".repeat(16 * 1024 + 1) + "'}"));
        assertEquals(
                "note is longer than 16384 characters",
                createRefusal("{'title':'t','note':'" + "n".repeat(16 * 1024 + 1) + "'}"));
        assertTrue(updateRefusal("{'status':'" + "a".repeat(33) + "'}").startsWith("status is longer than 32"));
    }

    @Test
    void shouldBuildDeleteCommand() {
        assertEquals(
                new IncidentCommand(
                        "cmd-3",
                        IncidentCommand.Kind.DELETE,
                        "acme",
                        ID,
                        "alice",
                        AT,
                        null,
                        null,
                        null,
                        null,
                        false,
                        Map.of(),
                        null,
                        null),
                WriteRequests.delete("cmd-3", "acme", "alice", AT, ID));
    }
}
