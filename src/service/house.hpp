// The auction house's state: loaded from the database at start, changed only by the writer
// thread, and every change emitted as SQL into the current batch (committed before any answer).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dia/class_lottery.hpp"
#include "dia/decision_lottery.hpp"
#include "dia/lottery.hpp"
#include "dia/service.hpp"
#include "ledger/database.hpp"
#include "service/api_error.hpp"
#include "service/decision_chain.hpp"
#include "service/token_registry.hpp"

namespace dia::service {

using Batch = std::vector<ledger::Statement>;

// The most money the house holds: all funding together, so every balance and sum, stays <= 2^62.
inline constexpr Micros kMaxFundedMicros = Micros{1} << 62;

// A mechanism ready to run: computed outside the writer (designing can take a while).
struct PreparedDesign {
  std::string spec;
  int bidders = 1;
  std::string source;  // "design" (dia::design_mechanism) or "saved" (explicit reduced form)
  // JSON {"values": [...], "allocation": [...]}, and "probabilities": [...] where given
  std::string reduced_form;
  std::shared_ptr<const ExPostRule> rule;  // null for a design with bidder classes
  std::vector<double> values, allocation;  // the reduced form's grid and X
  // A design with bidder classes (house_asymmetric.cpp): its classes and their priority
  // rankings; `reduced_form` is then {"classes": [...]} and `bidders` the seats in all.
  std::vector<ClassDesign> classes;
  std::shared_ptr<const PriorityRankings> rankings;
};

// The rule's name: rule_name(*d.rule), or kPriorityRankingsRule for a design with classes.
const char* design_rule_name(const PreparedDesign& d);

// Builds the classes and priority rankings of a reduced form {"classes": [...]} into d (its
// spec, bidders and reduced_form are the caller's); BadInput on an invalid one.
void build_class_rule(PreparedDesign& d, const json& reduced_form);

struct DecisionInput;

// The seats of a one-shot decision's bids on design d (docs/api.md, "Bidder classes"): on a design
// with classes each bid names one, at most its count per class, and the bidders of a class take
// its seats in bidder id order; a bid naming a class on a design without classes is refused. The
// 4xx reply when not, else none (seats set).
std::optional<Reply> decision_seats_error(const PreparedDesign& d, const DecisionInput& in,
                                          std::vector<ClassSeat>& seats);
// dia::draw_decision_classes on d's classes and rankings, the seats checked as above.
LotteryOutcome draw_class_decision(const std::string& secret, const DecisionInputs& inputs,
                                   const std::vector<SealedBid>& bids,
                                   const std::vector<ClassSeat>& seats, const PreparedDesign& d,
                                   std::string& inputs_sha256);

// Builds the rule of a reduced form for d's spec and bidders (dia::build_ex_post_rule) and keeps
// its grid in d; BadInput on an invalid one.
void build_rule(PreparedDesign& d, const json& reduced_form);

// A new auction's protocol and terms (POST /v1/auctions): dia-lottery-v1 (plain bids) or
// dia-lottery-v2 (commit and reveal, with its cap, penalty and reveal window).
struct AuctionTerms {
  std::optional<Micros> tolerance;
  std::string protocol = kLotteryV1;
  Micros max_bid = 0, penalty = 0;
  std::int64_t reveal_seconds = 0;
};

// The SHA-256 of a design's canonical text (dia::design_digest_text).
std::string design_sha256(const PreparedDesign& d);

struct DecisionInput;

struct Request {
  std::string token_sha256;  // of the bearer token; empty when none was sent
  std::string idempotency_key;
  std::string request_sha256;  // of method, path and body
};

class House {
 public:
  House(Micros default_tolerance, std::string currency)
      : default_tolerance_(default_tolerance), currency_(std::move(currency)) {}

  // Reads every table; creates the platform accounts; makes the operator token the only one.
  Expected<void> load(ledger::Database& db, const std::string& operator_token_sha256);
  // Replaces the state by the database's, as load does (after a request's changes were not
  // committed, so that memory again holds exactly what the database does). Handler threads may
  // authenticate meanwhile: the tokens are swapped at once.
  Expected<void> reload(ledger::Database& db);
  // Several nodes (PostgreSQL): merges the rows other processes changed since this one last
  // wrote (Database::changed_since), or reloads when the backend cannot say which. On an error
  // memory may be half merged: reload it.
  Expected<void> catch_up(ledger::Database& db);
  // The whole state as canonical text (tests: a caught-up house against a freshly loaded one).
  std::string state_text() const;

  // The principal holding a token (any thread); none for an unknown or missing token.
  std::optional<Principal> authenticate(const std::string& token_sha256) const {
    return tokens_.find(token_sha256);
  }
  std::uint64_t token_generation() const { return tokens_.generation(); }
  // The principal holding a token that memory does not know, read from the database (several
  // nodes: another node may have issued it since this one's last group); none when nobody
  // holds it or the database does not answer.
  static std::optional<Principal> principal_of(ledger::Database& db,
                                               const std::string& token_sha256);
  // Mutations of an authenticated, authorized principal: the idempotency wrapper around op;
  // stores its answer (2xx or 4xx) with the key.
  template <class Op>
  Reply mutate(const Principal& who, const Request& r, Batch& batch, Op op);

  std::optional<std::int64_t> find_design(const std::string& spec, int bidders,
                                          const std::string& reduced_form) const;

  Reply create_design(Batch& b, const PreparedDesign& d);
  Reply create_auction(Batch& b, const Principal& who, std::optional<std::int64_t> design_id,
                       const PreparedDesign* design, const AuctionTerms& terms);
  // Registers a bidder or inspector without a token: the answer holds a one-time enrollment
  // code (kept hashed; it expires after kEnrollmentMs) that the principal itself exchanges for
  // its token (enroll), so that the operator never holds the token.
  Reply register_principal(Batch& b, const std::string& role, const std::string& name);
  // POST /v1/enroll: the code's principal gets a fresh token, shown in this answer only.
  Reply enroll(Batch& b, const std::string& code_sha256);
  Reply fund(Batch& b, std::int64_t bidder_id, Micros amount);
  // A design with bidder classes (house_asymmetric.cpp): the operator admits a bidder to the
  // next free seat of a class of an open auction, before its commitment.
  Reply admit(Batch& b, std::int64_t auction_id, std::int64_t bidder_id, int bidder_class);
  Reply account(const Principal& who, std::int64_t bidder_id) const;
  Reply submit_bid(Batch& b, const Principal& who, std::int64_t auction_id, Micros amount,
                   const std::string& format);
  // dia-lottery-v2 (house_sealed.cpp): a sealed commitment while open (`price` the OpenRTB
  // form's, which must be the cap), its opening after the freeze, and the draw.
  Reply commit_bid(Batch& b, const Principal& who, std::int64_t auction_id,
                   const std::string& commitment, const std::string& format,
                   std::optional<Micros> price);
  Reply reveal_bid(Batch& b, const Principal& who, std::int64_t auction_id, Micros amount,
                   const std::string& salt, const std::string& format);
  Reply draw(Batch& b, std::int64_t auction_id);
  Reply bids(const Principal& who, std::int64_t auction_id) const;
  Reply auction(const Principal& who, std::int64_t auction_id) const;
  // The OpenRTB 2.6 BidRequest: compact (under 4 KB, the design's terms by reference), or with
  // `inline_terms` the whole grid and SPEC inline as before (docs/api.md, "OpenRTB 2.6").
  Reply openrtb_request(std::int64_t auction_id, bool inline_terms = false) const;
  // GET /v1/designs/{id}/terms: the design's terms document, served as these exact bytes.
  Reply design_terms(std::int64_t design_id) const;
  // Keeps an accepted OpenRTB bid's Bid.id and win, billing and loss notice URLs (nurl, burl,
  // lurl; "" when not given) with the bid that `bidder_id` just placed (v1) or revealed (v2).
  void record_openrtb(Batch& b, std::int64_t auction_id, std::int64_t bidder_id,
                      const std::string& bid_id, const std::string& nurl, const std::string& burl,
                      const std::string& lurl);
  // OpenRTB `tmax` of the BidRequests, in ms (dia serve --openrtb-tmax-ms).
  void set_openrtb_tmax_ms(int ms) { tmax_ms_ = ms; }
  // The house's absolute base URL (dia serve --public-url, checked by public_base_url): the
  // BidRequests' terms_url is absolute under it ("": relative).
  void set_public_url(std::string base) { public_url_ = std::move(base); }
  Reply close(Batch& b, std::int64_t auction_id);
  Reply inspect(Batch& b, const Principal& who, std::int64_t auction_id, Micros observed);
  Reply export_auction(std::int64_t auction_id) const;
  // Operator listings for the operator page, newest first: at most `limit` entries with an id
  // below `before` (0 = from the newest); `next_before` continues the listing (null at the end).
  Reply auction_list(const Principal& who, std::int64_t before, int limit) const;
  Reply bidder_list(const Principal& who, std::int64_t before, int limit) const;

  // One-shot decisions (house_decisions.cpp; docs/api.md, "One-shot decisions"): the draw, the
  // deposit and the record in one request; the inspection settles as an auction's does.
  Reply decide(Batch& b, const Principal& exchange, const DecisionInput& in,
               const PreparedDesign* design);
  Reply decision(std::int64_t id) const;
  Reply inspect_decision(Batch& b, const Principal& who, std::int64_t id, Micros observed);
  Reply decision_chains() const;

  static Reply unauthorized();

 private:
  struct Design {
    std::int64_t id = 0;
    PreparedDesign prepared;
    std::string sha256;              // design_sha256(prepared), for dia-lottery-v2's terms
    std::optional<Micros> bidfloor;  // lowest_winning_bid; none if nothing ever sells
    std::shared_ptr<const std::string> terms;  // design_terms_text, served by reference
    std::string terms_sha256;                  // of those bytes
  };
  static Design make_design(std::int64_t id, PreparedDesign d);
  struct Bid {
    std::int64_t id = 0, auction_id = 0, bidder_id = 0;
    Micros amount = 0;
    std::string format;
    std::int64_t created_at = 0;
    std::string openrtb_bid_id{}, nurl{}, burl{}, lurl{};  // an OpenRTB bid's Bid.id, notices
  };
  struct Inspection {
    std::int64_t inspector_id = 0;
    Micros observed = 0, reward = 0;
    bool truthful = false;
    std::int64_t created_at = 0;
  };
  struct Commitment {
    std::string commitment, format, salt;  // salt: empty until revealed
    std::int64_t created_at = 0;
  };
  struct Auction {
    std::int64_t id = 0, design_id = 0;
    std::string status, commitment, seed;
    Micros tolerance = 0;
    // dia-lottery-v2: the terms (protocol v1 leaves them 0/empty), the reveal deadline (ms,
    // set at the freeze) and the sealed commitments by bidder.
    std::string protocol = kLotteryV1, terms_digest;
    Micros max_bid = 0, penalty = 0;
    std::int64_t reveal_seconds = 0, reveal_deadline = 0;
    std::map<std::int64_t, Commitment> commitments;
    std::map<std::int64_t, ClassSeat> seats;  // by bidder: a design with classes only
    std::int64_t winner_id = 0;
    Micros deposit = 0;
    json outcome;
    std::map<std::int64_t, Bid> bids;  // by bidder
    std::optional<Inspection> inspection;
    std::int64_t created_at = 0, closed_at = 0;
  };
  struct Account {
    std::int64_t id = 0;
    std::string kind;
    std::int64_t owner = 0;
    Micros balance = 0;
  };
  struct Enrollment {
    std::int64_t principal_id = 0, expires_at = 0, used_at = 0;
  };
  struct Remembered {
    std::string request_sha256;
    int status = 0;
    std::string response;
  };

  struct Decision {
    std::int64_t exchange_id = 0, chain_id = 0, chain_index = 0;
    std::string request_id, nonce, inputs_sha256, format, chain_anchor;
    std::map<std::int64_t, std::string> openrtb_bid_ids;  // by bidder (OpenRTB bids)
  };
  // A hash chain of decision secrets (decision_chain.hpp): `used` of its indices are consumed.
  struct Chain {
    std::int64_t id = 0, length = 0, used = 0, created_at = 0;
    std::string anchor, top_secret;
    std::shared_ptr<const DecisionChain> secrets;  // generated when first needed
  };
  // Reads every row (since none) or the rows changed since `since` into memory (load and
  // catch_up); fix-ups of old rows go to batch, and the operators to `operators` when given.
  Expected<void> read(ledger::Database& db, std::optional<std::int64_t> since, Batch& batch,
                      std::vector<std::pair<std::int64_t, std::string>>* operators);
  // Merges decision chains and decisions rows (after the auctions).
  void merge_decisions(const std::vector<ledger::Row>& chains,
                       const std::vector<ledger::Row>& decisions);
  // Adds (sign 1) or gives back (-1) what a's bids and commitments hold of their bidders' cash.
  void hold(const Auction& a, Micros sign);
  void open_chain(Batch& b);
  // A decision as JSON (GET /v1/decisions/{id}, with its design).
  json decision_view(const Auction& a, const Decision& d, bool with_design) const;
  // The same for a decision just made, without the design, written as text
  // (house_decision_text.cpp; the answer of POST /v1/decisions): its bids (decision_bids_text, also
  // the text stored with the decision) and its outcome are given as the JSON text they were written
  // or stored as.
  std::string decision_text(const Auction& a, const Decision& d, std::string_view bids_text,
                            std::string_view outcome_text) const;
  // The bids in canonical order as a JSON array, with their classes (a's seats) and OpenRTB
  // Bid.ids.
  static std::string decision_bids_text(const std::vector<SealedBid>& canonical, const Auction& a,
                                        const Decision& d);

  const Principal& add_principal(Batch& b, const std::string& role, const std::string& name,
                                 const std::string& token_sha256);
  void set_operator_token(Batch& batch,
                          const std::vector<std::pair<std::int64_t, std::string>>& operators,
                          const std::string& token_sha256);
  std::int64_t account_id(const std::string& kind, std::int64_t owner) const;
  std::int64_t open_account(Batch& b, const std::string& kind, std::int64_t owner);
  void post(Batch& b, const std::string& kind, std::int64_t auction_id,
            const std::vector<std::pair<std::int64_t, Micros>>& legs);
  const Auction& find_auction(std::int64_t id) const;
  Auction& find_auction(std::int64_t id);
  json bid_view(const Bid& bid, const Auction& a) const;
  json commitment_view(std::int64_t bidder, const Auction& a) const;
  json auction_view(const Auction& a, bool reveal) const;
  LotteryTerms lottery_terms(const Auction& a) const;
  // Bidder classes (house_asymmetric.cpp): what a bid of `amount` by `bidder` gets back when it
  // wins and is truthful (its class's schedule, or the design's); the 4xx of a commitment by a
  // bidder with no seat in a design with classes; the draw of frozen commitments by the
  // auction's rule; the seats as the export and the operator see them, and a class's terms.
  Micros reward_micros(const Auction& a, std::int64_t bidder, Micros amount) const;
  std::optional<Reply> admission_error(const Auction& a, const Principal& who) const;
  LotteryOutcome draw_outcome(const Auction& a, const std::vector<BidCommitment>& frozen) const;
  json seats_json(const Auction& a) const;
  json classes_view(const Auction& a, const Principal* who) const;
  bool sealed(const Auction& a) const { return a.protocol == kLotteryV2; }
  // Freezes an open v2 auction (close): its commitments are final, the reveal window starts.
  Reply freeze(Batch& b, Auction& a);
  // Applies a drawn outcome (v1 at close, v2 at the draw): releases the bidders' holds, forfeits
  // the penalties of unrevealed commitments, takes the winner's deposit, stores the outcome.
  void settle_draw(Batch& b, Auction& a, const LotteryOutcome& o);

  Micros default_tolerance_;
  std::string currency_;
  int tmax_ms_ = ServeOptions{}.openrtb_tmax_ms;  // dia serve's default
  std::string public_url_;
  std::string operator_token_sha256_;
  TokenRegistry tokens_;
  std::unordered_map<std::int64_t, Principal> principals_;
  std::unordered_map<std::int64_t, Design> designs_;
  std::map<std::int64_t, Auction> auctions_;
  std::unordered_map<std::int64_t, Account> accounts_;
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> account_index_;
  // Per bidder: what its bids hold of its cash: v1 bids in open auctions, and the cap of each v2
  // commitment not yet drawn.
  std::unordered_map<std::int64_t, Micros> committed_;
  std::unordered_map<std::string, Remembered> remembered_;
  std::unordered_map<std::string, Enrollment> enrollments_;          // by code_sha256
  std::unordered_map<std::int64_t, Decision> decisions_;             // by decision (= auction) id
  std::unordered_map<std::string, std::int64_t> decision_requests_;  // "exchange:request" -> id
  std::map<std::int64_t, Chain> chains_;
  std::int64_t next_principal_ = 1, next_design_ = 1, next_auction_ = 1, next_bid_ = 1,
               next_account_ = 1, next_transaction_ = 1, next_entry_ = 1;
};

std::int64_t now_ms();
// `bytes` random bytes (OpenSSL's RAND_bytes) in lowercase hex.
std::string random_hex(int bytes);

// How long an enrollment code can be exchanged: 7 days.
inline constexpr std::int64_t kEnrollmentMs = 7LL * 24 * 3600 * 1000;

// An answer as the idempotency table keeps it: a registration's secret (its enrollment code, or
// the token of older versions; shown once) replaced by null and a note saying so, so that a
// replay never hands out a usable secret; other answers unchanged.
json redact_token(json answer);
// Whether redact_token changes `answer` (it holds a token or an enrollment code).
bool holds_secret(const json& answer);

template <class Op>
Reply House::mutate(const Principal& who, const Request& r, Batch& batch, Op op) {
  // Stored as text on both backends: printable ASCII only (PostgreSQL refuses bytes that are
  // not UTF-8 at commit).
  for (unsigned char c : r.idempotency_key) {
    if (c < 0x20 || c > 0x7e) {
      return error_reply(400, "invalid_idempotency_key",
                         "the Idempotency-Key header must be printable ASCII",
                         "e.g. -H 'Idempotency-Key: $(uuidgen)'");
    }
  }
  const std::string key = std::to_string(who.id) + ":" + r.idempotency_key;
  if (auto it = remembered_.find(key); it != remembered_.end()) {
    if (it->second.request_sha256 != r.request_sha256) {
      return error_reply(422, "idempotency_key_reused",
                         "this Idempotency-Key was used for a different request",
                         "use a fresh key for every new request");
    }
    return {it->second.status, json::parse(it->second.response)};
  }
  Reply reply;
  try {
    reply = op(who);
  } catch (const BadInput& e) {
    reply = e.reply;
  }
  // The answer of every request that ran, 2xx or 4xx, is its answer for good; 401/403 (which
  // never get here) and 5xx change nothing and stay retryable. Secrets are not stored.
  if (reply.status < 500 && reply.status != 401 && reply.status != 403) {
    // Dumped once, in the writer: these bytes are also the answer sent, unless a secret was
    // redacted from the stored copy.
    // An answer already written as text (a decision's) holds no secret.
    const bool secret = !reply.raw && holds_secret(reply.body);
    Remembered m{
        r.request_sha256, reply.status,
        reply.raw ? *reply.raw : dump_safely(secret ? redact_token(reply.body) : reply.body)};
    if (!secret && !reply.raw) reply.raw = std::make_shared<const std::string>(m.response);
    batch.push_back(
        {"INSERT INTO idempotency (principal_id, idem_key, request_sha256, status,"
         " response, created_at) VALUES (?, ?, ?, ?, ?, ?)",
         {who.id, r.idempotency_key, m.request_sha256, std::int64_t{m.status}, m.response,
          now_ms()}});
    remembered_.emplace(key, std::move(m));
  }
  return reply;
}

}  // namespace dia::service
