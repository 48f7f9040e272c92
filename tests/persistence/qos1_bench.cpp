// postcard-persist-bench: QoS 1, one publisher to one subscriber with a persistent session (clean
// session off, so every delivery changes durable state), over loopback TCP with plain sockets.
//   postcard-persist-bench PORT [SECONDS=5] [WINDOW=64] [PAYLOAD=64]
// Prints messages acknowledged to the publisher and delivered to the subscriber per second.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void put_length(std::string& out, std::size_t n) {
  do {
    auto b = static_cast<std::uint8_t>(n & 0x7F);
    n >>= 7;
    out.push_back(static_cast<char>(n ? b | 0x80 : b));
  } while (n);
}
void put_str(std::string& out, std::string_view s) {
  out.push_back(static_cast<char>(s.size() >> 8));
  out.push_back(static_cast<char>(s.size() & 0xFF));
  out.append(s);
}
void packet(std::string& out, std::uint8_t first, const std::string& body) {
  out.push_back(static_cast<char>(first));
  put_length(out, body.size());
  out += body;
}
void send_all(int fd, const std::string& data) {
  std::size_t at = 0;
  while (at < data.size()) {
    const ssize_t n = ::write(fd, data.data() + at, data.size() - at);
    if (n <= 0) {
      std::perror("write");
      std::exit(1);
    }
    at += static_cast<std::size_t>(n);
  }
}
std::string connect_packet(std::string_view id, bool clean) {
  std::string body;
  put_str(body, "MQTT");
  body.push_back(4);
  body.push_back(clean ? 0x02 : 0x00);
  body.push_back(0);
  body.push_back(0);  // keep alive 0
  put_str(body, id);
  std::string out;
  packet(out, 0x10, body);
  return out;
}

// Calls on_packet(first_byte, body) for each whole packet in `buf`, keeping the rest.
template <class F>
void drain(std::string& buf, F&& on_packet) {
  std::size_t at = 0;
  for (;;) {
    std::size_t len = 0, i = at + 1;
    int shift = 0;
    bool complete = false;
    while (i < buf.size()) {
      auto b = static_cast<std::uint8_t>(buf[i++]);
      len |= std::size_t{b & 0x7Fu} << shift;
      shift += 7;
      if (!(b & 0x80)) { complete = true; break; }
    }
    if (!complete || buf.size() - i < len) break;
    on_packet(static_cast<std::uint8_t>(buf[at]), std::string_view(buf).substr(i, len));
    at = i + len;
  }
  buf.erase(0, at);
}

bool read_into(int fd, std::string& buf) {
  char tmp[65536];
  const ssize_t n = ::read(fd, tmp, sizeof tmp);
  if (n <= 0) return false;
  buf.append(tmp, static_cast<std::size_t>(n));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: postcard-persist-bench PORT [SECONDS] [WINDOW] [PAYLOAD]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5;
  const int window = argc > 3 ? std::atoi(argv[3]) : 64;
  const std::size_t payload = argc > 4 ? static_cast<std::size_t>(std::atoi(argv[4])) : 64;

  const int sub = connect_to(port), pub = connect_to(port);
  std::string sbuf, pbuf;
  send_all(sub, connect_packet("persist-bench-sub", false));
  {
    std::string body{0, 1};
    put_str(body, "bench/persist");
    body.push_back(1);
    std::string out;
    packet(out, 0x82, body);
    send_all(sub, out);
  }
  send_all(pub, connect_packet("persist-bench-pub", true));
  int ready = 0;  // CONNACK (pub), SUBACK (sub)
  while (ready < 2) {
    pollfd fds[2] = {{sub, POLLIN, 0}, {pub, POLLIN, 0}};
    ::poll(fds, 2, 1000);
    if ((fds[0].revents & POLLIN) && read_into(sub, sbuf)) drain(sbuf, [&](std::uint8_t f, std::string_view) { if ((f >> 4) == 9) ++ready; });
    if ((fds[1].revents & POLLIN) && read_into(pub, pbuf)) drain(pbuf, [&](std::uint8_t f, std::string_view) { if ((f >> 4) == 2) ++ready; });
  }

  std::string body_template;
  put_str(body_template, "bench/persist");
  const std::size_t id_at = body_template.size();
  body_template.append(2, '\0');
  body_template.append(payload, 'x');
  std::uint64_t sent = 0, acked = 0, delivered = 0;
  std::uint16_t next_id = 1;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    std::string out;
    // End to end: at most `window` messages between the publisher and the subscriber, so the
    // subscriber's queue stays short and the rate is the steady state, not a growing backlog.
    while (sent - std::min(acked, delivered) < static_cast<std::uint64_t>(window)) {
      body_template[id_at] = static_cast<char>(next_id >> 8);
      body_template[id_at + 1] = static_cast<char>(next_id & 0xFF);
      next_id = static_cast<std::uint16_t>(next_id == 65535 ? 1 : next_id + 1);
      packet(out, 0x32, body_template);
      ++sent;
    }
    if (!out.empty()) send_all(pub, out);
    pollfd fds[2] = {{sub, POLLIN, 0}, {pub, POLLIN, 0}};
    ::poll(fds, 2, 100);
    if (fds[0].revents & POLLIN) {
      if (!read_into(sub, sbuf)) break;
      std::string acks;
      drain(sbuf, [&](std::uint8_t f, std::string_view b) {
        if ((f >> 4) != 3) return;
        ++delivered;
        const std::size_t topic_len = (static_cast<std::size_t>(static_cast<std::uint8_t>(b[0])) << 8) | static_cast<std::uint8_t>(b[1]);
        acks += std::string{'\x40', '\x02', b[2 + topic_len], b[3 + topic_len]};
      });
      if (!acks.empty()) send_all(sub, acks);
    }
    if (fds[1].revents & POLLIN) {
      if (!read_into(pub, pbuf)) break;
      drain(pbuf, [&](std::uint8_t f, std::string_view) { if ((f >> 4) == 4) ++acked; });
    }
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"acked_per_s\": %.0f, \"delivered_per_s\": %.0f, \"acked\": %llu, \"delivered\": %llu, \"seconds\": %.2f}\n",
              static_cast<double>(acked) / elapsed, static_cast<double>(delivered) / elapsed,
              static_cast<unsigned long long>(acked), static_cast<unsigned long long>(delivered), elapsed);
  ::close(sub);
  ::close(pub);
  return 0;
}
