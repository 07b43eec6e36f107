package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.testkit.GeneratedBlock;
import java.nio.file.Path;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAclsTest {

    @Test
    void readmeListsTheAclsTheAppNeeds() {
        new GeneratedBlock(Path.of("README.md"), "acls")
                .check("```bash\n" + KafkaAcls.commands("User:incident-stream", "incident-stream") + "```\n");
    }

    @Test
    void shouldGrantWriteOnTheCommandTopicButNothingClusterWide() {
        assertTrue(KafkaAcls.required("x").stream()
                .anyMatch(g ->
                        g.name().equals("incident-commands") && g.operations().contains(AclOperation.WRITE)));
        assertTrue(KafkaAcls.required("x").stream().noneMatch(g -> g.type() == ResourceType.CLUSTER));
    }
}
