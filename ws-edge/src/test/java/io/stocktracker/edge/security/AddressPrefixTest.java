package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressPrefixTest {

    @Test
    void ipv6AddressesOfOneSlash64ShareOneKey() {
        String a = AddressPrefix.key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64);
        assertThat(a).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(AddressPrefix.key("2001:db8:1:2::1", 64)).isEqualTo(a);
        assertThat(AddressPrefix.key("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff", 64)).as("however it is spelled").isEqualTo(a);
        assertThat(AddressPrefix.key("[2001:db8:1:2::7]", 64)).isEqualTo(a);
        assertThat(AddressPrefix.key("2001:db8:1:3::1", 64)).as("the next /64 is another client").isNotEqualTo(a);
    }

    @Test
    void prefixLengthsThatAreNotWholeBytesMaskTheRightBits() {
        assertThat(AddressPrefix.key("2001:db8:abcd:12ff::1", 56)).isEqualTo("2001:db8:abcd:1200:0:0:0:0/56");
        assertThat(AddressPrefix.key("2001:db8:abcd:12ff::1", 60)).isEqualTo("2001:db8:abcd:12f0:0:0:0:0/60");
        assertThat(AddressPrefix.key("2001:db8:abcd:12ff::1", 48)).isEqualTo("2001:db8:abcd:0:0:0:0:0/48");
        assertThat(AddressPrefix.key("ffff:ffff::", 1)).isEqualTo("8000:0:0:0:0:0:0:0/1");
    }

    @Test
    void prefix128CountsEachIpv6AddressOnItsOwn() {
        assertThat(AddressPrefix.key("2001:db8:1:2::1", 128)).isEqualTo("2001:db8:1:2:0:0:0:1");
        assertThat(AddressPrefix.key("2001:db8:1:2::2", 128)).isEqualTo("2001:db8:1:2:0:0:0:2");
        assertThat(AddressPrefix.key("::1", 128)).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void ipv4IsUnchangedAndIpv4MappedIpv6CountsAsIpv4() {
        assertThat(AddressPrefix.key("203.0.113.7", 64)).isEqualTo("203.0.113.7");
        assertThat(AddressPrefix.key("203.0.113.8", 64)).isEqualTo("203.0.113.8");
        assertThat(AddressPrefix.key("::ffff:203.0.113.7", 64)).isEqualTo("203.0.113.7");
        assertThat(AddressPrefix.key("::ffff:cb00:7107", 64)).as("the same, in hex").isEqualTo("203.0.113.7");
        assertThat(AddressPrefix.key("::ffff:203.0.113.7", 128)).isEqualTo("203.0.113.7");
    }

    @Test
    void whatIsNotAnIpLiteralIsItsOwnKeyAndIsNeverResolved() {
        assertThat(AddressPrefix.key("localhost", 64)).isEqualTo("localhost");
        assertThat(AddressPrefix.key("unknown", 64)).isEqualTo("unknown");
        assertThat(AddressPrefix.key("2001:db8::g", 64)).isEqualTo("2001:db8::g");
    }

    @Test
    void prefixOutsideOneTo128IsRefused() {
        assertThatThrownBy(() -> AddressPrefix.key("::1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPrefix.key("::1", 129)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConnectionLimiterCapsAWholeIpv6PrefixButNotNeighbouringIpv4Addresses() {
        ConnectionLimiter slash64 = new ConnectionLimiter(100, 2, 64);
        assertThat(slash64.tryAcquire("2001:db8:1:2::1")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(slash64.tryAcquire("2001:db8:1:2::2")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(slash64.tryAcquire("2001:db8:1:2:ffff::3")).as("a third address of the same /64").isEqualTo(ConnectionLimiter.Outcome.ADDRESS_FULL);
        assertThat(slash64.tryAcquire("2001:db8:1:9::1")).as("another /64").isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(slash64.forIp("2001:db8:1:2::99")).isEqualTo(2);
        slash64.release("2001:db8:1:2::1");
        assertThat(slash64.tryAcquire("2001:db8:1:2::4")).as("a release frees the prefix's slot").isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);

        assertThat(slash64.tryAcquire("198.51.100.1")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(slash64.tryAcquire("198.51.100.1")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(slash64.tryAcquire("::ffff:198.51.100.1")).as("the same IPv4 client written as mapped IPv6").isEqualTo(ConnectionLimiter.Outcome.ADDRESS_FULL);
        assertThat(slash64.tryAcquire("198.51.100.2")).as("IPv4 stays per address").isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);

        ConnectionLimiter perAddress = new ConnectionLimiter(100, 1, 128);
        assertThat(perAddress.tryAcquire("2001:db8:1:2::1")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(perAddress.tryAcquire("2001:db8:1:2::2")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(perAddress.tryAcquire("2001:db8:1:2:0::1")).isEqualTo(ConnectionLimiter.Outcome.ADDRESS_FULL);
    }
}
