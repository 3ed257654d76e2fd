// Waiting for a Writer job's answer in a test: the writer hands each answer to a callback after
// its group commit (src/service/writer.hpp), so a test that calls it directly waits on a promise.
#pragma once

#include <future>
#include <utility>

#include "service/writer.hpp"

namespace dia::testing {

inline service::Reply answer_of(service::Writer& writer, service::Job job) {
  std::promise<service::Reply> answer;
  writer.submit(std::move(job),
                [&answer](service::Reply reply) { answer.set_value(std::move(reply)); });
  return answer.get_future().get();
}

}  // namespace dia::testing
