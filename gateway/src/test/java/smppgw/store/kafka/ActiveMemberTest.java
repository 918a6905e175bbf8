package smppgw.store.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a node of a failover group is read from its group membership (the client id it published). */
class ActiveMemberTest {
    @Test
    void aMembersNodeIdAndAddressesComeFromItsClientId() {
        assertEquals(new ActiveMember.Member("gw-1", "/10.0.0.1", "http://10.0.0.1:8080", "10.0.0.1:2776", List.of(0)),
                ActiveMember.member("smppgw-gw-1-active@http://10.0.0.1:8080,smpp://10.0.0.1:2776", "/10.0.0.1", List.of(0)));
        assertEquals(new ActiveMember.Member("x-active", "/h", "https://[fd00::1]:8443", null, List.of()),
                ActiveMember.member("smppgw-x-active-active@https://[fd00::1]:8443", "/h", List.of()), "a node id may end like the suffix");
        assertEquals(new ActiveMember.Member("gw1", "/h", null, null, List.of(2, 5)), ActiveMember.member("smppgw-gw1-active", "/h", List.of(2, 5)),
                "a node of the version before publishes no address: it is listed, nothing is forwarded to it");
        assertEquals(new ActiveMember.Member("consumer-7", "/h", null, null, List.of()), ActiveMember.member("consumer-7", "/h", List.of()),
                "a member that is not smppgw's is listed by its client id");
        assertEquals(new ActiveMember.Member("n1", "/h", "http://10.0.0.2:8080", null, List.of(1, 3), "10.0.0.2:2786"),
                ActiveMember.member("smppgw-n1-active@http://10.0.0.2:8080,link://10.0.0.2:2786", "/h", List.of(1, 3)), "a sharded node's link");
    }
}
