// Every error path of the configuration parser, with its "file:line: what is wrong" message.
#include <gtest/gtest.h>

#include "config/config_parser.hpp"

namespace postcard::native {
namespace {

std::string error_of(std::string_view text) {
  result<broker_config> r = parse_config_text(text, "b.conf");
  EXPECT_FALSE(r.ok()) << "accepted: " << text;
  return r.ok() ? std::string{} : r.error_message();
}

TEST(ConfigErrors, UnknownDirective) {
  EXPECT_EQ(error_of("listener 1883\n\nbogus 1\n"), "b.conf:3: unknown configuration directive 'bogus'");
  EXPECT_EQ(error_of("Listener 1883\n"), "b.conf:1: unknown configuration directive 'Listener'");
}

TEST(ConfigErrors, MissingAndExtraArguments) {
  EXPECT_EQ(error_of("max_inflight_messages\n"), "b.conf:1: max_inflight_messages needs a value");
  EXPECT_EQ(error_of("allow_anonymous\n"), "b.conf:1: allow_anonymous needs a value");
  EXPECT_EQ(error_of("password_file\n"), "b.conf:1: password_file needs a value");
  EXPECT_EQ(error_of("max_qos 1 2\n"), "b.conf:1: max_qos takes one value, found extra '2'");
  EXPECT_EQ(error_of("retain_available true # comment\n"),
            "b.conf:1: retain_available takes one value, found extra '#'");
}

TEST(ConfigErrors, BadNumbers) {
  EXPECT_EQ(error_of("max_inflight_messages 12abc\n"),
            "b.conf:1: invalid max_inflight_messages value '12abc' (expected a non-negative integer)");
  EXPECT_EQ(error_of("max_inflight_messages -3\n"),
            "b.conf:1: invalid max_inflight_messages value '-3' (expected a non-negative integer)");
  EXPECT_EQ(error_of("max_inflight_messages 65536\n"),
            "b.conf:1: invalid max_inflight_messages value 65536 (allowed: 0 to 65535)");
  EXPECT_EQ(error_of("max_keepalive 70000\n"), "b.conf:1: invalid max_keepalive value 70000 (allowed: 0 to 65535)");
  EXPECT_EQ(error_of("max_queued_bytes 99999999999999999999999\n"),
            "b.conf:1: invalid max_queued_bytes value 99999999999999999999999 (allowed: 0 to 18446744073709551615)");
  EXPECT_EQ(error_of("message_size_limit 268435456\n"),
            "b.conf:1: invalid message_size_limit value 268435456 (allowed: 0 to 268435455)");
  EXPECT_EQ(error_of("max_packet_size 10\n"),
            "b.conf:1: invalid max_packet_size value 10 (0 for no limit, or at least 20)");
  EXPECT_EQ(error_of("sys_interval -1\n"),
            "b.conf:1: invalid sys_interval value '-1' (expected a non-negative integer)");
  EXPECT_EQ(error_of("io_threads 0\n"), "b.conf:1: invalid io_threads value 0 (allowed: 1 to 64)");
  EXPECT_EQ(error_of("listener 1883\nmax_qos 3\n"), "b.conf:2: invalid max_qos value 3 (allowed: 0 to 2)");
  EXPECT_EQ(error_of("listener 1883\nmax_topic_alias 70000\n"),
            "b.conf:2: invalid max_topic_alias value 70000 (allowed: 0 to 65535)");
  EXPECT_EQ(error_of("listener 1883\nmax_connections lots\n"),
            "b.conf:2: invalid max_connections value 'lots' (expected an integer)");
  EXPECT_EQ(error_of("log_facility 8\n"), "b.conf:1: invalid log_facility value 8 (allowed: 0 to 7)");
  EXPECT_EQ(error_of("persistent_client_expiration 5x\n"),
            "b.conf:1: invalid persistent_client_expiration value '5x' (expected a number followed by h, d, w, m "
            "or y, e.g. 14d)");
  EXPECT_EQ(error_of("persistent_client_expiration d\n"),
            "b.conf:1: invalid persistent_client_expiration value 'd' (expected a number followed by h, d, w, m "
            "or y, e.g. 14d)");
}

TEST(ConfigErrors, BadBooleans) {
  EXPECT_EQ(error_of("allow_anonymous maybe\n"),
            "b.conf:1: invalid allow_anonymous value 'maybe' (expected true or false)");
  EXPECT_EQ(error_of("per_listener_settings yes\nlistener 1883\n"),
            "b.conf:1: invalid per_listener_settings value 'yes' (expected true or false)");
  EXPECT_EQ(error_of("listener 8883\nrequire_certificate 1\n"),
            "b.conf:2: invalid require_certificate value '1' (expected true or false)");
}

TEST(ConfigErrors, ListenerLine) {
  EXPECT_EQ(error_of("listener\n"), "b.conf:1: listener needs a port");
  EXPECT_EQ(error_of("listener 1883 127.0.0.1 extra\n"),
            "b.conf:1: listener takes a port and an optional bind address");
  EXPECT_EQ(error_of("listener http\n"), "b.conf:1: invalid port value 'http'");
  EXPECT_EQ(error_of("listener 70000\n"), "b.conf:1: invalid port value 70000 (1 to 65535)");
  EXPECT_EQ(error_of("listener -1\n"), "b.conf:1: invalid port value -1 (1 to 65535)");
  EXPECT_EQ(error_of("listener 0 /run/mqtt.sock\n"),
            "b.conf:1: port 0 (a Unix socket in Mosquitto) is not supported");
  EXPECT_EQ(error_of("port 0\n"), "b.conf:1: invalid port value 0 (allowed: 1 to 65535)");
}

TEST(ConfigErrors, DuplicateListeners) {
  EXPECT_EQ(error_of("listener 1883\nlistener 1884\nlistener 1883\n"),
            "b.conf:3: duplicate listener on port 1883 (already at b.conf:1)");
  EXPECT_EQ(error_of("listener 1883 127.0.0.1\nlistener 1883\n"),
            "b.conf:2: duplicate listener on port 1883 (already at b.conf:1)");
  EXPECT_EQ(error_of("listener 1883 127.0.0.1\nlistener 1883 127.0.0.1\n"),
            "b.conf:2: duplicate listener on port 1883 (already at b.conf:1)");
  EXPECT_EQ(error_of("listener 1883\nsocket_domain ipv4\nlistener 1883\n"),
            "b.conf:3: duplicate listener on port 1883 (already at b.conf:1)");
  EXPECT_EQ(error_of("port 1883\nlistener 1883\n"),
            "b.conf:1: the default listener on port 1883 duplicates the listener at b.conf:2");
}

TEST(ConfigErrors, OptionsThatMustFollowAListener) {
  EXPECT_EQ(error_of("mount_point tenant/\nlistener 1883\n"), "b.conf:1: mount_point must follow a listener");
  EXPECT_EQ(error_of("listener 1883\nmount_point tenant/+/\n"),
            "b.conf:2: invalid mount_point 'tenant/+/' (no wildcards allowed)");
}

TEST(ConfigErrors, PerListenerSecurityOptionsMustFollowAListener) {
  // Mosquitto 2.0 silently drops these (there is no listener for them); Postcard says so.
  EXPECT_EQ(error_of("per_listener_settings true\npassword_file /p\nlistener 1883\n"),
            "b.conf:2: password_file must follow a listener when per_listener_settings is true");
  EXPECT_EQ(error_of("allow_anonymous true\nlistener 1883\nper_listener_settings true\n"),
            "b.conf:1: allow_anonymous must follow a listener when per_listener_settings is true");
  EXPECT_EQ(error_of("per_listener_settings true\nacl_subscribe_check true\n"),
            "b.conf:2: acl_subscribe_check must follow a listener when per_listener_settings is true");
}

TEST(ConfigErrors, KeywordValues) {
  EXPECT_EQ(error_of("listener 1883\nprotocol foo\n"), "b.conf:2: invalid protocol value 'foo' (mqtt or websockets)");
  EXPECT_EQ(error_of("listener 1883\nsocket_domain ipv5\n"),
            "b.conf:2: invalid socket_domain value 'ipv5' (ipv4 or ipv6)");
  EXPECT_EQ(error_of("listener 8883\ntls_version tlsv1.1\n"),
            "b.conf:2: tls_version tlsv1.1 is not supported: Postcard accepts TLS 1.2 or newer only");
  EXPECT_EQ(error_of("listener 8883\ntls_version tlsv1\n"),
            "b.conf:2: tls_version tlsv1 is not supported: Postcard accepts TLS 1.2 or newer only");
  EXPECT_EQ(error_of("listener 8883\ntls_version sslv3\n"),
            "b.conf:2: invalid tls_version value 'sslv3' (tlsv1.2 or tlsv1.3)");
  EXPECT_EQ(error_of("listener 8883\ntls_keyform engine\n"), "b.conf:2: tls_keyform engine is not supported by Postcard");
  EXPECT_EQ(error_of("listener 8883\ntls_keyform der\n"), "b.conf:2: invalid tls_keyform value 'der' (pem)");
}

TEST(ConfigErrors, DuplicateStringOptions) {
  EXPECT_EQ(error_of("password_file /a\nlistener 1883\npassword_file /b\n"),
            "b.conf:3: duplicate password_file (already set at b.conf:1)");
  EXPECT_EQ(error_of("listener 8883\ncertfile /a\ncertfile /b\n"),
            "b.conf:3: duplicate certfile (already set at b.conf:2)");
  EXPECT_EQ(error_of("pid_file /a\npid_file /b\n"), "b.conf:2: duplicate pid_file (already set at b.conf:1)");
}

TEST(ConfigErrors, DuplicatesAreAllowedInDifferentScopes) {
  result<broker_config> r = parse_config_text(
      "per_listener_settings true\nlistener 1883\npassword_file /a\nlistener 1884\npassword_file /b\n"
      "listener 8883\ncertfile /c\nkeyfile /k\nlistener 8884\ncertfile /c\nkeyfile /k\n",
      "b.conf");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r->listeners[0].security.password_file, "/a");
  EXPECT_EQ(r->listeners[1].security.password_file, "/b");
}

TEST(ConfigErrors, CertfileWithoutKeyfile) {
  EXPECT_EQ(error_of("listener 8883\ncertfile /s.pem\n"),
            "b.conf:1: certfile and keyfile must be given together to enable TLS on port 8883");
  EXPECT_EQ(error_of("listener 1883\nlistener 8883\nkeyfile /s.key\n"),
            "b.conf:2: certfile and keyfile must be given together to enable TLS on port 8883");
}

TEST(ConfigErrors, Logging) {
  EXPECT_EQ(error_of("log_dest\n"), "b.conf:1: log_dest needs a destination");
  EXPECT_EQ(error_of("log_dest printer\n"),
            "b.conf:1: invalid log_dest value 'printer' (stdout, stderr, syslog, topic, file, dlt or none)");
  EXPECT_EQ(error_of("log_dest file\n"), "b.conf:1: log_dest file needs a file name");
  EXPECT_EQ(error_of("log_dest stdout stderr\n"), "b.conf:1: log_dest stdout takes no further value");
  EXPECT_EQ(error_of("log_dest file /a.log\nlog_dest file /b.log\n"),
            "b.conf:2: only one log_dest file is allowed (already /a.log)");
  EXPECT_EQ(error_of("log_type\n"), "b.conf:1: log_type needs a type");
  EXPECT_EQ(error_of("log_type verbose\n"),
            "b.conf:1: invalid log_type value 'verbose' (debug, error, warning, notice, information, subscribe, "
            "unsubscribe, websockets, all or none)");
}

TEST(ConfigErrors, MosquittoFeaturesPostcardDoesNotImplement) {
  EXPECT_EQ(error_of("connection upstream\n"), "b.conf:1: 'connection': bridges are not supported by Postcard");
  EXPECT_EQ(error_of("bridge_cafile /ca.pem\n"), "b.conf:1: 'bridge_cafile': bridges are not supported by Postcard");
  EXPECT_EQ(error_of("auth_plugin /usr/lib/x.so\n"),
            "b.conf:1: 'auth_plugin': Mosquitto plugins are not supported by Postcard");
  EXPECT_EQ(error_of("auth_opt_db_host localhost\n"),
            "b.conf:1: 'auth_opt_db_host': Mosquitto plugins are not supported by Postcard");
  EXPECT_EQ(error_of("plugin /usr/lib/dynsec.so\n"),
            "b.conf:1: 'plugin': Mosquitto plugins are not supported by Postcard");
  EXPECT_EQ(error_of("listener 8883\npsk_hint hint\n"), "b.conf:2: 'psk_hint': TLS-PSK is not supported by Postcard");
  EXPECT_EQ(error_of("psk_file /p\n"), "b.conf:1: 'psk_file': TLS-PSK is not supported by Postcard");
  EXPECT_EQ(error_of("listener 8883\ntls_engine pkcs11\n"),
            "b.conf:2: 'tls_engine': OpenSSL engines are not supported by Postcard");
}

TEST(ConfigErrors, MissingFile) {
  result<broker_config> r = load_config_file("/nonexistent/postcard.conf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_message(), "/nonexistent/postcard.conf: cannot open the file");
}

}  // namespace
}  // namespace postcard::native
