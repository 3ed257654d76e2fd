// Designs from request bodies (see design_input.hpp).
#include "service/design_input.hpp"

#include <algorithm>
#include <cmath>

#include "dia/design.hpp"

namespace dia::service {

namespace {

// A saved reduced form on a discrete SPEC is over exactly its atoms: any other grid would price
// types that never occur and miss those that do.
void require_atoms(const Distribution& distribution, const std::vector<double>& values) {
  const auto& atoms = distribution.atoms().values;
  bool same = atoms.size() == values.size();
  for (std::size_t i = 0; same && i < atoms.size(); ++i) {
    same = std::abs(atoms[i] - values[i]) <= 1e-9 * std::max(1.0, std::abs(atoms[i]));
  }
  if (!same) {
    bad_input("invalid_reduced_form",
              "reduced_form.values " + json(values).dump() + " are not the atoms " +
                  json(atoms).dump() + " of " + distribution.spec(),
              "a saved design on a discrete SPEC gives X at each of its atoms, in order");
  }
}

}  // namespace

std::shared_ptr<const PreparedDesign> DesignInput::prepare(const json& body) {
  if (body.contains("bidders") && body["bidders"].is_array()) return prepare_classes(body);
  const std::string spec = get_string(body, "values", true);
  int bidders = 1;
  if (body.contains("bidders")) {
    if (!body["bidders"].is_number_integer() || body["bidders"].get<std::int64_t>() < 1 ||
        body["bidders"].get<std::int64_t>() > 50) {
      bad_input("invalid_field", "bidders must be an integer in 1..50");
    }
    bidders = body["bidders"].get<int>();
  }
  // A client's SPEC never makes the server read a file (its own, e.g. empirical(/etc/passwd)).
  auto dist = parse_distribution(spec, SpecFiles::kRefuse);
  if (!dist) {
    bad_input(dist.error().code == ErrorCode::kFileNotAllowed ? "file_not_allowed" : "invalid_spec",
              dist.error().message, dist.error().hint);
  }
  auto d = std::make_shared<PreparedDesign>();
  d->bidders = bidders;
  d->spec = (*dist)->spec();
  if (body.contains("reduced_form")) {
    d->source = "saved";
    build_rule(*d, body["reduced_form"]);
    if ((*dist)->is_discrete()) require_atoms(**dist, d->values);
    d->reduced_form = body["reduced_form"].dump();
    return d;
  }
  const std::string key = d->spec + "|" + std::to_string(bidders);
  if (auto hit = cache_.find(key)) return *hit;
  auto mechanism = design_mechanism(**dist, bidders);
  if (!mechanism) {
    bad_input("design_failed", mechanism.error().message, mechanism.error().hint, 422);
  }
  d->source = "design";
  const json reduced{{"values", mechanism->types.values},
                     {"allocation", mechanism->reduced.allocation},
                     {"probabilities", mechanism->types.probabilities}};
  d->bidders = mechanism->bidders;
  try {
    build_rule(*d, reduced);
  } catch (const BadInput& e) {
    // No reduced form was sent: the optimiser's own design cannot run, which is no input error.
    const json& error = e.reply.body.at("error");
    bad_input(
        "design_failed",
        "the optimiser's design for " + d->spec + " with " + std::to_string(d->bidders) +
            " bidder(s) has no runnable ex post rule: " + error.at("message").get<std::string>(),
        error.at("hint").get<std::string>(), 422);
  }
  d->reduced_form = reduced.dump();
  cache_.put(key, d);
  return d;
}

}  // namespace dia::service
