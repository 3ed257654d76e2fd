#include "service/access_log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "service/metrics.hpp"

namespace dia::service {

std::string access_log_line(const Exchange& e, std::int64_t unix_micros) {
  const std::time_t seconds = static_cast<std::time_t>(unix_micros / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time[64];
  std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(unix_micros % 1'000'000));
  // The method and the route are the server's own constants (no character needs JSON escaping
  // but a quote or a backslash, escaped as the Prometheus label is); the rest are numbers.
  std::string line = std::string("{\"time\":\"") + time + "\",\"method\":\"" +
                     prometheus_label(e.method) + "\",\"path\":";
  line += e.route.empty() ? "null" : "\"" + prometheus_label(e.route) + "\"";
  line += ",\"status\":" + std::to_string(e.status) + ",\"micros\":" + std::to_string(e.micros) +
          ",\"principal\":" + (e.principal > 0 ? std::to_string(e.principal) : "null") + "}\n";
  return line;
}

void write_access_log(const Exchange& e) {
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const std::string line = access_log_line(e, now.count());
  // One write: O_APPEND files and pipes keep each line whole (a line is far below PIPE_BUF).
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace dia::service
