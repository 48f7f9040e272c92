// postcard: the native MQTT broker. Reads the command line and configuration (mosquitto.conf syntax),
// refuses to start with a clear "file:line: what is wrong" on bad configuration, then serves until
// SIGINT or SIGTERM (exit 0). SIGHUP reloads password, ACL and certificate files.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "config/command_line.hpp"
#include "host/broker_host.hpp"
#include "host/logger.hpp"
#include "host/security_hooks.hpp"
#include "persistence/broker_persistence.hpp"

int main(int argc, char** argv) {
  using namespace postcard::native;
  std::signal(SIGPIPE, SIG_IGN);

  auto cl = parse_command_line(argc, argv);
  if (!cl) {
    std::fprintf(stderr, "Error: %s\n\n%s", cl.error_message().c_str(), help_text("postcard").c_str());
    return 1;
  }
  if (cl->action == command_action::help) {
    std::fputs(help_text("postcard").c_str(), stdout);
    return 0;
  }
  if (cl->action == command_action::version) {
    std::fputs(version_text().c_str(), stdout);
    return 0;
  }

  std::vector<std::string> notices;
  auto loaded = load_configuration(cl.value(), notices);
  if (!loaded) {
    std::fprintf(stderr, "Error: %s\n", loaded.error_message().c_str());
    return 1;
  }
  const broker_config& cfg = loaded.value();
  logger log(cfg.log);
  log.notice("postcard version " POSTCARD_VERSION " starting");
  if (!cfg.files.empty()) log.notice("Config loaded from " + cfg.files.front() + ".");
  for (const auto& n : notices) log.notice(n);

  security_hooks security(cfg);
  if (auto err = security.load(); !err.empty()) {
    log.error(err);
    return 1;
  }

  broker_host host(cfg, log, &security);
  for (const auto& w : security.warnings()) log.warning("Password file: " + w);
  host.on_reload([&security, &log] {
    auto err = security.load();
    for (const auto& w : security.warnings()) log.warning("Password file: " + w);
    return err;
  });
  std::unique_ptr<persistence::broker_persistence> persist;
  if (cfg.persistence) {
    persist = std::make_unique<persistence::broker_persistence>(cfg, log, host);
    if (auto err = persist->attach(); !err.empty()) {
      log.error(err);
      return 1;
    }
  }
  if (auto err = host.start(); !err.empty()) {
    log.error(err);
    return 1;
  }
  if (cfg.daemon && ::daemon(1, 0) != 0) {
    log.error("cannot run in the background (-d)");
    return 1;
  }
  int code = host.run();
  log.notice("postcard version " POSTCARD_VERSION " terminating");
  return code;
}
