package smppgw.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code store.type: kafka}: what check-config takes and what it refuses, by name. */
class KafkaStoreConfigTest {
    private static final String OPERATORS = """
            operators:
              - name: op
                default: true
                binds: [{host: 127.0.0.1, port: 2775, system-id: gw, password: pw}]
            """;

    private static GatewayConfig parse(String yaml) {
        return GatewayConfig.parse("gw.yaml", yaml + OPERATORS, Path.of("/srv/smppgw"));
    }

    private static String problems(String yaml) {
        List<String> p = assertThrows(ConfigException.class, () -> parse(yaml)).problems();
        return String.join("\n", p);
    }

    @Test
    void theEmbeddedStoreIsTheDefaultAndNeedsNoKafka() {
        assertNull(parse("").store().kafka());
        assertNull(parse("store: {type: chronicle}\n").store().kafka());
    }

    @Test
    void aKafkaStoreWithItsDefaults() {
        KafkaStoreConfig k = parse("store: {type: kafka, kafka: {bootstrap: '10.0.0.1:9092,10.0.0.2:9092'}}\ncluster: {node-id: gw1}\n").store().kafka();
        assertEquals("10.0.0.1:9092,10.0.0.2:9092", k.bootstrap());
        assertEquals(3, k.replicationFactor());
        assertEquals(2, k.minInsyncReplicas());
        assertEquals("smppgw.journal.gw1", k.journalTopic());
        assertEquals(Duration.ofSeconds(10), k.ackTimeout());
        assertEquals(null, k.failoverGroup());
    }

    @Test
    void nodesOfAFailoverGroupShareTheGroupsJournal() {
        KafkaStoreConfig k = parse("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main}\n").store().kafka();
        assertEquals("smppgw.journal.main", k.journalTopic(), "not the node's own");
        assertEquals("smppgw.active.main", k.activeTopic());
        assertEquals(Duration.ofSeconds(10), k.sessionTimeout());
        String p = problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: 'a b', session-timeout: 2s}\n");
        assertTrue(p.contains("cluster.failover-group") && p.contains("cluster.session-timeout"), p);
    }

    @Test
    void aGroupDividedIntoShards() {
        assertEquals(1, parse("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main}\n")
                .store().kafka().shards(), "one shard: a failover group, one active node");
        assertEquals(12, parse("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main, shards: 12}\n"
                + "admin: {api-key: group-admin-key-0123}\n")
                .store().kafka().shards());
        String p = problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, shards: 12}\n");
        assertTrue(p.contains("cluster.shards") && p.contains("failover-group"), p);
        assertTrue(problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main, shards: 2000}\n")
                .contains("cluster.shards"));
    }

    @Test
    void aShardedNodesLinkListensWhereToldWithTheGroupsPassword() {
        String group = "store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main, shards: 6";
        assertNull(parse(group + "}\nadmin: {api-key: group-admin-key-0123}\n").store().kafka().link(), "no link unless configured");
        GatewayConfig c = parse(group + ", link: {listen: '10.0.0.2:2786', password: s3cret-link}}\nadmin: {api-key: group-admin-key-0123}\n");
        assertEquals(new KafkaStoreConfig.Link(HostPort.parse("10.0.0.2:2786"), "s3cret-link"), c.store().kafka().link());
        assertEquals(c.store().kafka().link(), c.store().kafka().forShard(3, 6).link(), "each shard's core knows it too");
        String printed = ConfigPrinter.toYaml(c);
        assertTrue(printed.contains("10.0.0.2:2786") && !printed.contains("s3cret-link"), printed);
        String p = problems(group + ", link: {listen: '10.0.0.2:2786', password: short}}\n");
        assertTrue(p.contains("cluster.link.password") && p.contains("8 to 64"), p);
        p = problems(group + ", link: {password: s3cret-link}}\n");
        assertTrue(p.contains("cluster.link.listen"), p);
        p = problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main,"
                + " link: {listen: '10.0.0.2:2786', password: s3cret-link}}\n");
        assertTrue(p.contains("cluster.link") && p.contains("cluster.shards"), p);
    }

    @Test
    void aShardedNodeNeedsTheGroupsAdminKey() {
        String node = "store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main, shards: 6}\n";
        String p = problems(node);
        assertTrue(p.contains("admin.api-key") && p.contains("same on every node"), p);
        String smpp = node + "smpp-server: {listen: '127.0.0.1:2776'}\nclients: [{name: acme, system-id: acme, password: pw}]\n";
        assertTrue(problems(smpp).contains("admin.api-key"), "its SMPP server hands submits to other nodes with it");
        assertEquals(6, parse(smpp + "admin: {api-key: group-admin-key-0123}\n").store().kafka().shards());
        parse(smpp.replace("shards: 6", "shards: 1")); // a failover group's active node stores every submit itself
    }

    @Test
    void aNodeAdvertisesAHostNotAPort() {
        String base = "store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092'}}\ncluster: {node-id: gw2, failover-group: main";
        assertEquals(null, parse(base + "}\n").store().kafka().advertise(), "the listen host, resolved at start");
        assertEquals("gw2.example.net", parse(base + ", advertise: gw2.example.net}\n").store().kafka().advertise());
        assertEquals("[fd00::2]", parse(base + ", advertise: '[fd00::2]'}\n").store().kafka().advertise());
        for (String bad : new String[] {"'10.0.0.2:8080'", "'http://gw2'", "'a b'"}) {
            String p = problems(base + ", advertise: " + bad + "}\n");
            assertTrue(p.contains("cluster.advertise") && p.contains("no port"), bad + ": " + p);
        }
    }

    @Test
    void durabilityWeakerThanThreeReplicasAndTwoInSyncIsRefusedUnlessToldItIsADemo() {
        String p = problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092', replication-factor: 1, min-insync-replicas: 1}}\ncluster: {node-id: gw1}\n");
        assertTrue(p.contains("store.kafka.replication-factor") && p.contains("unsafe-single-broker"), p);
        p = problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092', min-insync-replicas: 1}}\ncluster: {node-id: gw1}\n");
        assertTrue(p.contains("at least 3 with min-insync-replicas at least 2"), p);
        KafkaStoreConfig demo = parse("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092', replication-factor: 1, min-insync-replicas: 1,"
                + " unsafe-single-broker: true}}\ncluster: {node-id: gw1}\n").store().kafka();
        assertEquals(1, demo.replicationFactor());
        p = problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092', replication-factor: 3, min-insync-replicas: 4}}\ncluster: {node-id: gw1}\n");
        assertTrue(p.contains("store.kafka.min-insync-replicas"), p);
    }

    @Test
    void eachMissingOrMisplacedSettingIsNamed() {
        String p = problems("store: {type: kafka}\n");
        assertTrue(p.contains("store.kafka.bootstrap"), p);
        assertTrue(p.contains("cluster.node-id"), p);
        p = problems("store: {type: kafka, kafka: {bootstrap: 'nohostport'}}\ncluster: {node-id: 'two words'}\n");
        assertTrue(p.contains("store.kafka.bootstrap") && p.contains("cluster.node-id"), p);
        p = problems("store: {type: rocks}\n");
        assertTrue(p.contains("store.type") && p.contains("chronicle"), p);
        p = problems("cluster: {node-id: gw1}\n");
        assertTrue(p.contains("store.type"), p);
        p = problems("store: {type: kafka, kafka: {bootstrap: '127.0.0.1:9092', acks: 1}}\ncluster: {node-id: gw1}\n");
        assertTrue(p.contains("store.kafka.acks"), p);
    }
}
