// Prometheus text exposition (https://prometheus.io/docs/instrumenting/exposition_formats/),
// hand-written: Debian 12 packages no C++ Prometheus client, and the format is a few lines.
#include "service/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace dia::service {

template <std::size_t N>
void Histogram<N>::add(const std::array<std::int64_t, N>& bounds, std::int64_t value) {
  const auto at = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++buckets[static_cast<std::size_t>(at)];
  sum += value;
}

std::size_t Metrics::KeyHash::operator()(const Key& k) const {
  const std::hash<std::string_view> h;
  return h(k.route) * 31 + h(k.method) * 7 + static_cast<std::size_t>(k.status);
}

void Metrics::request(std::string_view method, std::string_view route, int status,
                      std::int64_t micros) {
  std::lock_guard lock(mutex_);
  requests_[Key{method, route, status}].add(kLatencyMicros, micros);
}

void Metrics::group_commit(std::size_t requests, std::int64_t micros) {
  std::lock_guard lock(mutex_);
  group_sizes_.add(kGroupSizes, static_cast<std::int64_t>(requests));
  group_micros_.add(kLatencyMicros, micros);
}

std::string prometheus_label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

std::string number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", x);
  return buffer;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// The samples of one histogram; `labels` are the series' own (may be empty); values are divided
// by `scale` (micros -> seconds: 1e6).
template <std::size_t N>
void histogram(std::string& out, const std::string& name, const std::string& labels,
               const Histogram<N>& h, const std::array<std::int64_t, N>& bounds, double scale) {
  const std::string sep = labels.empty() ? "" : labels + ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= N; ++i) {
    cumulative += h.buckets[i];
    const std::string le = i < N ? number(static_cast<double>(bounds[i]) / scale) : "+Inf";
    out += name + "_bucket{" + sep + "le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  const std::string own = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + own + " " + number(static_cast<double>(h.sum) / scale) + "\n";
  out += name + "_count" + own + " " + std::to_string(cumulative) + "\n";
}

}  // namespace

std::string Metrics::text() const {
  struct Series {
    std::string labels;
    Histogram<kLatencyMicros.size()> h;
  };
  std::vector<Series> series;
  Histogram<kGroupSizes.size()> sizes;
  Histogram<kLatencyMicros.size()> commits;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [k, h] : requests_) {
      series.push_back({"method=\"" + prometheus_label(k.method) + "\",path=\"" +
                            prometheus_label(k.route) + "\",status=\"" + std::to_string(k.status) +
                            "\"",
                        h});
    }
    sizes = group_sizes_;
    commits = group_micros_;
  }
  std::sort(series.begin(), series.end(),
            [](const Series& a, const Series& b) { return a.labels < b.labels; });
  std::string out;
  header(out, "dia_http_requests_total", "counter",
         "Requests answered, by method, path template and status.");
  for (const auto& s : series) {
    std::uint64_t n = 0;
    for (const auto b : s.h.buckets) n += b;
    out += "dia_http_requests_total{" + s.labels + "} " + std::to_string(n) + "\n";
  }
  header(out, "dia_http_request_duration_seconds", "histogram",
         "Time from the end of the request headers to the answer, by method, path template and "
         "status.");
  for (const auto& s : series) {
    histogram(out, "dia_http_request_duration_seconds", s.labels, s.h, kLatencyMicros, 1e6);
  }
  header(out, "dia_group_commit_requests", "histogram",
         "Requests carried by each group commit (one database transaction).");
  histogram(out, "dia_group_commit_requests", "", sizes, kGroupSizes, 1);
  header(out, "dia_group_commit_duration_seconds", "histogram",
         "Time each group commit's transaction took, until durable.");
  histogram(out, "dia_group_commit_duration_seconds", "", commits, kLatencyMicros, 1e6);
  header(out, "dia_token_lookups_total", "counter",
         "Bearer tokens unknown to this node's memory looked up in the database (several nodes; "
         "at most 50 per second).");
  out += "dia_token_lookups_total " + std::to_string(token_lookups_.load()) + "\n";
  return out;
}

}  // namespace dia::service
