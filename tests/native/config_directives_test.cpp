// Every directive of the configuration parser: its default and the value it sets.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config_parser.hpp"

namespace postcard::native {
namespace {

broker_config parse_ok(std::string_view text) {
  result<broker_config> r = parse_config_text(text, "t.conf");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error_message());
  return r.ok() ? r.value() : broker_config{};
}

std::string absolute(const std::string& relative) {
  return (std::filesystem::current_path() / relative).lexically_normal().string();
}

TEST(ConfigDefaults, EmptyFileIsMosquittoLocalOnlyMode) {
  const broker_config c = parse_ok("# nothing\n\n");
  EXPECT_TRUE(c.local_only);
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_EQ(c.listeners[0].bind_address, "127.0.0.1");
  EXPECT_EQ(c.listeners[0].domain, socket_domain::ipv4);
  EXPECT_EQ(c.listeners[1].bind_address, "::1");
  EXPECT_EQ(c.listeners[1].domain, socket_domain::ipv6);
  for (const listener_config& l : c.listeners) {
    EXPECT_EQ(l.port, 1883);
    EXPECT_EQ(l.protocol, listener_protocol::mqtt);
    EXPECT_TRUE(l.security.allow_anonymous);
  }
  EXPECT_TRUE(c.security.allow_anonymous);
}

TEST(ConfigDefaults, GlobalValuesAreMosquitto2Defaults) {
  const broker_config c = parse_ok("listener 1883\n");
  EXPECT_FALSE(c.local_only);
  EXPECT_FALSE(c.security.allow_anonymous);
  EXPECT_FALSE(c.listeners.at(0).security.allow_anonymous);
  EXPECT_TRUE(c.security.allow_zero_length_clientid);
  EXPECT_EQ(c.security.auto_id_prefix, "auto-");
  EXPECT_EQ(c.max_inflight_messages, 20);
  EXPECT_EQ(c.max_inflight_bytes, 0u);
  EXPECT_EQ(c.max_queued_messages, 1000u);
  EXPECT_EQ(c.max_queued_bytes, 0u);
  EXPECT_EQ(c.message_size_limit, 0u);
  EXPECT_EQ(c.max_packet_size, 0u);
  EXPECT_EQ(c.max_keepalive, 65535);
  EXPECT_TRUE(c.retain_available);
  EXPECT_TRUE(c.check_retain_source);
  EXPECT_FALSE(c.upgrade_outgoing_qos);
  EXPECT_FALSE(c.queue_qos0_messages);
  EXPECT_FALSE(c.persistent_client_expiration.has_value());
  EXPECT_FALSE(c.persistence);
  EXPECT_EQ(c.autosave_interval, 1800u);
  EXPECT_EQ(c.sys_interval, 10u);
  EXPECT_EQ(c.log.destinations, log_to_stderr);
  EXPECT_EQ(c.log.types, log_error | log_warning | log_notice | log_information);
  EXPECT_TRUE(c.log.connection_messages);
  EXPECT_TRUE(c.log.timestamp);
  EXPECT_EQ(c.io_threads, 1u);
  const listener_config& l = c.listeners.at(0);
  EXPECT_EQ(l.max_connections, -1);
  EXPECT_EQ(l.max_qos, 2);
  EXPECT_EQ(l.max_topic_alias, 10);
  EXPECT_EQ(l.protocol, listener_protocol::mqtt);
  EXPECT_EQ(l.domain, socket_domain::any);
  EXPECT_TRUE(l.bind_address.empty());
  EXPECT_FALSE(l.tls.enabled());
  EXPECT_EQ(l.tls.min_version, tls_min_version::tls1_2);
  EXPECT_TRUE(l.metrics);
  EXPECT_EQ(l.source, "t.conf:1");
}

TEST(ConfigListener, PortBindProtocolDomainAndLimits) {
  const broker_config c = parse_ok(
      "listener 8080 127.0.0.1\n"
      "protocol websockets\n"
      "socket_domain ipv4\n"
      "max_connections 50\n"
      "max_qos 1\n"
      "max_topic_alias 0\n"
      "mount_point tenant/a/\n"
      "use_username_as_clientid true\n"
      "http_dir web/dist\n"
      "metrics false\n"
      "bind_interface lo\n"
      "listener 1884\n"
      "socket_domain ipv6\n"
      "max_connections -5\n");
  ASSERT_EQ(c.listeners.size(), 2u);
  const listener_config& ws = c.listeners[0];
  EXPECT_EQ(ws.port, 8080);
  EXPECT_EQ(ws.bind_address, "127.0.0.1");
  EXPECT_EQ(ws.protocol, listener_protocol::websockets);
  EXPECT_EQ(ws.domain, socket_domain::ipv4);
  EXPECT_EQ(ws.max_connections, 50);
  EXPECT_EQ(ws.max_qos, 1);
  EXPECT_EQ(ws.max_topic_alias, 0);
  EXPECT_EQ(ws.mount_point, "tenant/a/");
  EXPECT_TRUE(ws.use_username_as_clientid);
  EXPECT_EQ(ws.http_dir, absolute("web/dist"));
  EXPECT_FALSE(ws.metrics);
  EXPECT_EQ(ws.bind_interface, "lo");
  const listener_config& mqtt = c.listeners[1];
  EXPECT_EQ(mqtt.port, 1884);
  EXPECT_EQ(mqtt.protocol, listener_protocol::mqtt);
  EXPECT_EQ(mqtt.domain, socket_domain::ipv6);
  EXPECT_EQ(mqtt.max_connections, -1);
  EXPECT_EQ(mqtt.source, "t.conf:12");
}

TEST(ConfigListener, SamePortOnDifferentAddressesOrFamiliesIsAllowed) {
  EXPECT_EQ(parse_ok("listener 1883 127.0.0.1\nlistener 1883 ::1\n").listeners.size(), 2u);
  EXPECT_EQ(parse_ok("listener 1883\nsocket_domain ipv4\nlistener 1883\nsocket_domain ipv6\n").listeners.size(), 2u);
}

TEST(ConfigListener, PortAndBindAddressMakeTheDefaultListener) {
  const broker_config c = parse_ok("port 1999\nbind_address 10.0.0.1\nmax_connections 7\n");
  ASSERT_EQ(c.listeners.size(), 1u);
  EXPECT_EQ(c.listeners[0].port, 1999);
  EXPECT_EQ(c.listeners[0].bind_address, "10.0.0.1");
  EXPECT_EQ(c.listeners[0].max_connections, 7);
  EXPECT_FALSE(c.local_only);
  EXPECT_FALSE(c.listeners[0].security.allow_anonymous);
}

TEST(ConfigListener, ListenerOptionsBeforeAnyListenerCreateTheDefaultListenerOn1883) {
  const broker_config c = parse_ok("protocol websockets\nlistener 9001\n");
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_EQ(c.listeners[0].port, 1883);
  EXPECT_EQ(c.listeners[0].protocol, listener_protocol::websockets);
  EXPECT_EQ(c.listeners[1].port, 9001);
  EXPECT_EQ(c.listeners[1].protocol, listener_protocol::mqtt);
}

TEST(ConfigListener, PortAfterAListenerStillSetsTheDefaultListener) {
  const broker_config c = parse_ok("listener 9001\nport 1999\n");
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_EQ(c.listeners[0].port, 1999);
  EXPECT_EQ(c.listeners[1].port, 9001);
}

TEST(ConfigTls, EveryTlsOption) {
  const broker_config c = parse_ok(
      "listener 8883\n"
      "cafile ca.pem\n"
      "capath certs\n"
      "certfile /etc/p/server.pem\n"
      "keyfile /etc/p/server.key\n"
      "crlfile crl.pem\n"
      "dhparamfile dh.pem\n"
      "ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256\n"
      "ciphers_tls1.3 TLS_AES_128_GCM_SHA256\n"
      "tls_version tlsv1.3\n"
      "tls_keyform pem\n"
      "require_certificate true\n"
      "use_identity_as_username true\n"
      "use_subject_as_username false\n");
  const tls_options& t = c.listeners.at(0).tls;
  EXPECT_TRUE(t.enabled());
  EXPECT_EQ(t.cafile, absolute("ca.pem"));
  EXPECT_EQ(t.capath, absolute("certs"));
  EXPECT_EQ(t.certfile, "/etc/p/server.pem");
  EXPECT_EQ(t.keyfile, "/etc/p/server.key");
  EXPECT_EQ(t.crlfile, absolute("crl.pem"));
  EXPECT_EQ(t.dhparamfile, absolute("dh.pem"));
  EXPECT_EQ(t.ciphers, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(t.ciphers_tls13, "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(t.min_version, tls_min_version::tls1_3);
  EXPECT_TRUE(t.require_certificate);
  EXPECT_TRUE(t.use_identity_as_username);
  EXPECT_FALSE(t.use_subject_as_username);
  const broker_config v12 = parse_ok("listener 8883\ntls_version tlsv1.2\n");
  EXPECT_EQ(v12.listeners.at(0).tls.min_version, tls_min_version::tls1_2);
}

TEST(ConfigSecurity, GlobalSecurityAppliesToEveryListener) {
  const broker_config c = parse_ok(
      "listener 1883\n"
      "listener 1884\n"
      "allow_anonymous true\n"
      "password_file /etc/p/passwd\n"
      "acl_file acl.txt\n"
      "scram_file /etc/p/scram\n"
      "acl_subscribe_check true\n"
      "allow_zero_length_clientid false\n"
      "auto_id_prefix gen-\n");
  EXPECT_FALSE(c.per_listener_settings);
  for (const listener_config& l : c.listeners) {
    EXPECT_TRUE(l.security.allow_anonymous);
    EXPECT_EQ(l.security.password_file, "/etc/p/passwd");
    EXPECT_EQ(l.security.acl_file, absolute("acl.txt"));
    EXPECT_EQ(l.security.scram_file, "/etc/p/scram");
    EXPECT_TRUE(l.security.acl_subscribe_check);
    EXPECT_FALSE(l.security.allow_zero_length_clientid);
    EXPECT_EQ(l.security.auto_id_prefix, "gen-");
  }
}

TEST(ConfigSecurity, PerListenerSettingsScopeSecurityToTheCurrentListener) {
  // per_listener_settings applies wherever it appears in the file.
  const broker_config c = parse_ok(
      "listener 1883\n"
      "allow_anonymous true\n"
      "listener 1884\n"
      "password_file /etc/p/passwd\n"
      "acl_file /etc/p/acl\n"
      "per_listener_settings true\n");
  ASSERT_TRUE(c.per_listener_settings);
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_TRUE(c.listeners[0].security.allow_anonymous);
  EXPECT_TRUE(c.listeners[0].security.password_file.empty());
  EXPECT_FALSE(c.listeners[1].security.allow_anonymous);
  EXPECT_EQ(c.listeners[1].security.password_file, "/etc/p/passwd");
  EXPECT_EQ(c.listeners[1].security.acl_file, "/etc/p/acl");
  EXPECT_TRUE(c.security.password_file.empty());
}

TEST(ConfigSecurity, PerListenerSecurityOnTheDefaultListener) {
  const broker_config c = parse_ok("per_listener_settings true\nport 1999\nallow_anonymous true\nlistener 2000\n");
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_EQ(c.listeners[0].port, 1999);
  EXPECT_TRUE(c.listeners[0].security.allow_anonymous);
  EXPECT_FALSE(c.listeners[1].security.allow_anonymous);
}

TEST(ConfigSecurity, ExplicitAllowAnonymousFalseInLocalOnlyMode) {
  const broker_config c = parse_ok("allow_anonymous false\n");
  EXPECT_TRUE(c.local_only);
  EXPECT_FALSE(c.listeners.at(0).security.allow_anonymous);
}

TEST(ConfigGlobal, LimitsAndSwitches) {
  const broker_config c = parse_ok(
      "listener 1883\n"
      "max_inflight_messages 100\n"
      "max_inflight_bytes 1048576\n"
      "max_queued_messages 0\n"
      "max_queued_bytes 5000000000\n"
      "message_size_limit 268435455\n"
      "max_packet_size 20\n"
      "max_keepalive 30\n"
      "memory_limit 1073741824\n"
      "websockets_headers_size 4096\n"
      "retain_available false\n"
      "check_retain_source false\n"
      "upgrade_outgoing_qos true\n"
      "queue_qos0_messages true\n"
      "set_tcp_nodelay true\n"
      "clientid_prefixes secure-\n"
      "allow_duplicate_messages true\n"
      "sys_interval 0\n"
      "io_threads 4\n"
      "pid_file run/postcard.pid\n"
      "user nobody\n");
  EXPECT_EQ(c.max_inflight_messages, 100);
  EXPECT_EQ(c.max_inflight_bytes, 1048576u);
  EXPECT_EQ(c.max_queued_messages, 0u);
  EXPECT_EQ(c.max_queued_bytes, 5000000000u);
  EXPECT_EQ(c.message_size_limit, 268435455u);
  EXPECT_EQ(c.max_packet_size, 20u);
  EXPECT_EQ(c.max_keepalive, 30);
  EXPECT_EQ(c.memory_limit, 1073741824u);
  EXPECT_EQ(c.websockets_headers_size, 4096u);
  EXPECT_FALSE(c.retain_available);
  EXPECT_FALSE(c.check_retain_source);
  EXPECT_TRUE(c.upgrade_outgoing_qos);
  EXPECT_TRUE(c.queue_qos0_messages);
  EXPECT_TRUE(c.set_tcp_nodelay);
  EXPECT_EQ(c.clientid_prefixes, "secure-");
  EXPECT_EQ(c.sys_interval, 0u);
  EXPECT_EQ(c.io_threads, 4u);
  EXPECT_EQ(c.pid_file, absolute("run/postcard.pid"));
  EXPECT_EQ(c.user, "nobody");
}

TEST(ConfigGlobal, Persistence) {
  const broker_config c = parse_ok(
      "persistence true\n"
      "persistence_location /var/lib/postcard/\n"
      "persistence_file broker.db\n"
      "autosave_interval 60\n"
      "autosave_on_changes true\n");
  EXPECT_TRUE(c.persistence);
  EXPECT_EQ(c.persistence_location, "/var/lib/postcard/");
  EXPECT_EQ(c.persistence_file, "broker.db");
  EXPECT_EQ(c.autosave_interval, 60u);
  EXPECT_TRUE(c.autosave_on_changes);
  EXPECT_EQ(parse_ok("").persistence_file, "postcard.db");
  EXPECT_EQ(persistence_file_path(c), "/var/lib/postcard/broker.db");
  EXPECT_EQ(persistence_file_path(parse_ok("persistence_location /srv/p\n")), "/srv/p/postcard.db");
  EXPECT_EQ(persistence_file_path(parse_ok("")), absolute("postcard.db"));
}

TEST(ConfigGlobal, PersistentClientExpirationUnits) {
  const std::pair<const char*, std::uint64_t> cases[] = {
      {"2h", 2 * 3600}, {"14d", 14 * 86400}, {"1w", 7 * 86400}, {"2m", 60 * 86400}, {"1y", 365 * 86400}};
  for (const auto& [text, seconds] : cases) {
    const broker_config c = parse_ok(std::string("persistent_client_expiration ") + text + "\n");
    ASSERT_TRUE(c.persistent_client_expiration.has_value()) << text;
    EXPECT_EQ(*c.persistent_client_expiration, seconds) << text;
  }
}

TEST(ConfigLogging, DestinationsReplaceTheDefaultThenAccumulate) {
  const broker_config c = parse_ok("log_dest stdout\nlog_dest file logs/postcard.log\nlog_dest syslog\n");
  EXPECT_EQ(c.log.destinations, log_to_stdout | log_to_file | log_to_syslog);
  EXPECT_EQ(c.log.file, absolute("logs/postcard.log"));
  EXPECT_EQ(parse_ok("log_dest topic\nlog_dest dlt\n").log.destinations, log_to_topic | log_to_dlt);
  EXPECT_EQ(parse_ok("log_dest stderr\nlog_dest none\n").log.destinations, log_to_none);
}

TEST(ConfigLogging, TypesFacilityTimestampsAndConnectionMessages) {
  const broker_config c = parse_ok(
      "log_type error\nlog_type warning subscribe\nlog_type unsubscribe\nlog_type websockets\n"
      "log_facility 5\nlog_timestamp false\nlog_timestamp_format %Y-%m-%dT%H:%M:%S\n"
      "connection_messages false\nwebsockets_log_level 255\n");
  EXPECT_EQ(c.log.types, log_error | log_warning | log_subscribe | log_unsubscribe | log_websockets);
  EXPECT_EQ(c.log.syslog_facility, 5);
  EXPECT_TRUE(c.log.facility_set);
  EXPECT_FALSE(c.log.timestamp);
  EXPECT_EQ(c.log.timestamp_format, "%Y-%m-%dT%H:%M:%S");
  EXPECT_FALSE(c.log.connection_messages);
  EXPECT_EQ(c.log.websockets_log_level, 255u);
  EXPECT_EQ(parse_ok("log_type all\n").log.types, log_all);
  EXPECT_EQ(parse_ok("log_type all\nlog_type none\n").log.types, log_none);
  EXPECT_EQ(parse_ok("log_type debug\nlog_type notice information\n").log.types,
            log_debug | log_notice | log_information);
}

TEST(ConfigSyntax, CrlfLineEndsBlanksTabsAndComments) {
  const broker_config c = parse_ok(
      "# a comment\r\n"
      "\r\n"
      "   # an indented comment\r\n"
      "listener\t1883  127.0.0.1 \r\n"
      "password_file /etc/p/pass word\r\n"
      "allow_anonymous true\r\n");
  ASSERT_EQ(c.listeners.size(), 1u);
  EXPECT_EQ(c.listeners[0].bind_address, "127.0.0.1");
  EXPECT_EQ(c.security.password_file, "/etc/p/pass word");  // no '\r', spaces kept
  EXPECT_TRUE(c.security.allow_anonymous);
}

TEST(ConfigSyntax, Utf8ByteOrderMarkOfWindowsEditorsIsSkipped) {
  const broker_config c = parse_ok("\xEF\xBB\xBFlistener 1883\r\nallow_anonymous true\r\n");
  ASSERT_EQ(c.listeners.size(), 1u);
  EXPECT_TRUE(c.security.allow_anonymous);
}

TEST(ConfigSyntax, LastLineWithoutLineEnd) {
  const broker_config c = parse_ok("listener 1883\nmax_qos 1");
  EXPECT_EQ(c.listeners.at(0).max_qos, 1);
}

}  // namespace
}  // namespace postcard::native
