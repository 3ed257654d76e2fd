// A raw TCP connection to a local server, for bytes no HTTP client library would send (malformed,
// split, slow or smuggled requests) and for reading exactly what comes back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace dia::testing {

class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
    const int one = 1;
    if (fd_ >= 0) ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& o) noexcept : fd_(o.fd_), closed_(o.closed_) { o.fd_ = -1; }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Whether the server ended the connection (end of stream or reset) during a receive.
  bool closed() const { return closed_; }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // What arrives until the server closes, `quiet` passes without a byte, or `total` passes.
  std::string receive(std::chrono::milliseconds quiet = std::chrono::milliseconds(300),
                      std::chrono::milliseconds total = std::chrono::milliseconds(5000)) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + total;
    char buffer[65536];
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(quiet.count())) <= 0) break;
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

  // The first complete answer (headers and a Content-Length body) within `total`.
  std::string receive_one(std::chrono::milliseconds total = std::chrono::milliseconds(5000)) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + total;
    char buffer[65536];
    while (!complete(out) && std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) break;
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  static bool complete(const std::string& s) {
    const auto end = s.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const auto cl = s.find("Content-Length: ");
    if (cl == std::string::npos || cl > end) return true;
    return s.size() >= end + 4 + std::stoul(s.substr(cl + 16));
  }

  int fd_ = -1;
  bool closed_ = false;
};

// The status code of an HTTP answer ("HTTP/1.1 404 Not Found..." -> 404), 0 if none.
inline int status_of(const std::string& answer) {
  if (answer.size() < 12 || answer.compare(0, 5, "HTTP/") != 0) return 0;
  return std::atoi(answer.c_str() + 9);
}

// The body of an answer (after the blank line).
inline std::string body_of(const std::string& answer) {
  const auto end = answer.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

// How many answers a byte stream holds (status lines at the start of a line).
inline int answers_in(const std::string& stream) {
  int n = 0;
  for (std::size_t at = 0; (at = stream.find("HTTP/1.1 ", at)) != std::string::npos; ++at) {
    n += at == 0 || stream[at - 1] == '\n';
  }
  return n;
}

}  // namespace dia::testing
