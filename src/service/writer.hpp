// The writer thread of dia serve: it applies requests to the house in arrival order and commits
// each group of them in ONE database transaction (group commit) before any of them is answered;
// a request that fails fails alone (see apply). It answers each request itself, right after the
// group's commit (no thread waits on it: a thread hand-off less per request).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "service/house.hpp"
#include "service/metrics.hpp"

namespace dia::service {

using Job = std::function<Reply(House&, Batch&, ledger::Database&)>;
// Takes a job's answer once its group is committed (or failed), on the writer thread: it must
// be quick (hand the answer on).
using Done = std::function<void(Reply)>;

class Writer {
 public:
  // Each group commit's size and duration go to `metrics`.
  Writer(House& house, ledger::Database& db, std::size_t max_batch, Metrics& metrics)
      : house_(house), db_(db), max_batch_(max_batch), metrics_(metrics), thread_([this] {
          run();
        }) {}
  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  // Queues the job; `done` gets its answer after the commit.
  void submit(Job job, Done done) {
    bool idle = false;
    {
      std::lock_guard lock(mutex_);
      idle = queue_.empty();
      queue_.push_back({std::move(job), std::move(done)});
    }
    if (idle) wake_.notify_one();  // else the writer is awake already or was woken for the first
  }

 private:
  struct Pending {
    Job job;
    Done done;
  };

  void run() {
    std::vector<Pending> group;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        while (!queue_.empty() && group.size() < max_batch_) {
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      std::vector<Reply> replies(group.size());
      apply(group, replies);
      for (std::size_t i = 0; i < group.size(); ++i) {
        try {
          group[i].done(std::move(replies[i]));
        } catch (const std::exception& e) {  // e.g. out of memory: that request's answer is lost
          std::fprintf(stderr, "dia serve: cannot hand on an answer: %s\n", e.what());
        }
      }
      group.clear();
    }
  }

  // Runs the group's jobs in order and commits their statements, each job's apart from the
  // others' (ledger::commit_parts). A job that throws, or whose statements the database refuses,
  // fails alone with a 5xx: the jobs before it commit; memory is reloaded from the database
  // (it held the failed job's changes), and the jobs after it, which saw those changes, run
  // again on the reloaded state. No answer leaves before its commit.
  void apply(std::vector<Pending>& group, std::vector<Reply>& replies) {
    // Several nodes (PostgreSQL): the group takes its turn among the processes sharing the
    // database, and starts from their latest commits (docs/api.md, "Several nodes").
    auto stale = db_.lock_writes();
    if (!stale) {
      std::fprintf(stderr, "dia serve: cannot take the write lock: %s\n",
                   stale.error().line().c_str());
      const bool timed_out = stale.error().code == ErrorCode::kTooLarge;
      for (std::size_t i = 0; i < group.size(); ++i) {
        replies[i] = timed_out ? error_reply(503, "write_lock_timeout", stale.error().message,
                                             "retry it with the same Idempotency-Key")
                               : unavailable();
      }
      return;
    }
    if (*stale && !stale_) {  // another node wrote: merge its rows (else reload all, below)
      if (auto r = house_.catch_up(db_); !r) {
        std::fprintf(stderr, "dia serve: cannot catch up: %s\n", r.error().line().c_str());
        stale_ = true;
      }
    }
    struct Unlock {
      ledger::Database& db;
      ~Unlock() { db.unlock_writes(); }
    } unlock{db_};
    std::size_t next = 0;
    while (next < group.size()) {
      if (stale_) {
        if (auto r = house_.reload(db_); !r) {
          std::fprintf(stderr, "dia serve: cannot reload the state: %s\n",
                       r.error().line().c_str());
          for (; next < group.size(); ++next) replies[next] = unavailable();
          return;  // still stale: the next group tries again
        }
        stale_ = false;
      }
      const std::size_t first = next;
      Batch batch;
      std::vector<std::size_t> ends;  // of each job's statements in the batch
      for (; next < group.size(); ++next) {
        const std::size_t start = batch.size();
        try {
          replies[next] = group[next].job(house_, batch, db_);
        } catch (const BadInput& e) {
          replies[next] = e.reply;  // thrown before any change
        } catch (const std::exception& e) {
          std::fprintf(stderr, "dia serve: internal error: %s\n", e.what());
          replies[next] = error_reply(500, "internal_error",
                                      "the request failed inside the server and changed nothing",
                                      "retry it with the same Idempotency-Key");
          batch.resize(start);
          stale_ = true;
          ++next;
          break;
        }
        ends.push_back(batch.size());
      }
      const auto start = std::chrono::steady_clock::now();
      auto committed = ledger::commit_parts(db_, batch, ends);
      if (!batch.empty()) {  // a group of reads only commits nothing
        metrics_.group_commit(ends.size(), std::chrono::duration_cast<std::chrono::microseconds>(
                                               std::chrono::steady_clock::now() - start)
                                               .count());
      }
      if (!committed) {
        std::fprintf(stderr, "dia serve: commit failed: %s\n", committed.error().line().c_str());
        for (std::size_t i = first; i < first + ends.size(); ++i) replies[i] = unavailable();
        stale_ = true;
      } else if (committed->committed < ends.size()) {
        const std::size_t failed = first + committed->committed;
        std::fprintf(stderr, "dia serve: a request's statements were refused: %s\n",
                     committed->error->line().c_str());
        replies[failed] = error_reply(500, "commit_refused",
                                      "the database refused this request's changes; it changed "
                                      "nothing and the server goes on",
                                      "retry it with the same Idempotency-Key");
        next = failed + 1;
        stale_ = true;
      }
    }
  }

  static Reply unavailable() {
    return error_reply(503, "database_unavailable",
                       "the database did not take the commit; the request changed nothing",
                       "retry it with the same Idempotency-Key");
  }

  House& house_;
  ledger::Database& db_;
  std::size_t max_batch_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stop_ = false;
  bool stale_ = false;  // memory may differ from the database: reload before the next job
  std::thread thread_;
};

}  // namespace dia::service
