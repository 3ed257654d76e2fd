// The writer thread of dia serve: it applies requests to the house in arrival order and commits
// each group of them in ONE database transaction (group commit) before any of them is answered.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "service/house.hpp"

namespace dia::service {

using Job = std::function<Reply(House&, Batch&, ledger::Database&)>;

class Writer {
 public:
  Writer(House& house, ledger::Database& db, std::size_t max_batch)
      : house_(house), db_(db), max_batch_(max_batch), thread_([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  Reply submit(Job job) {
    Pending p{std::move(job), {}};
    auto future = p.promise.get_future();
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(&p);
    }
    wake_.notify_one();
    return future.get();
  }

 private:
  struct Pending {
    Job job;
    std::promise<Reply> promise;
  };

  void run() {
    std::vector<Pending*> group;
    std::vector<Reply> replies;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        while (!queue_.empty() && group.size() < max_batch_) {
          group.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      Batch batch;
      for (Pending* p : group) {
        try {
          replies.push_back(p->job(house_, batch, db_));
        } catch (const BadInput& e) {
          replies.push_back(e.reply);
        } catch (const std::exception& e) {
          // The state may be half-changed: stop rather than commit it (restart reloads the
          // database, which holds exactly the acknowledged requests).
          std::fprintf(stderr, "dia serve: internal error: %s; stopping\n", e.what());
          std::_Exit(70);
        }
      }
      if (!batch.empty()) {
        if (auto r = db_.execute_batch(batch); !r) {
          std::fprintf(stderr, "dia serve: commit failed: %s; stopping\n",
                       r.error().line().c_str());
          std::_Exit(70);
        }
      }
      for (std::size_t i = 0; i < group.size(); ++i)
        group[i]->promise.set_value(std::move(replies[i]));
      group.clear();
      replies.clear();
    }
  }

  House& house_;
  ledger::Database& db_;
  std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending*> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace dia::service
