// Designs from request bodies (see design_input.hpp).
#include "service/design_input.hpp"

#include "dia/design.hpp"

namespace dia::service {

std::shared_ptr<const PreparedDesign> DesignInput::prepare(const json& body) {
  const std::string spec = get_string(body, "values", true);
  int bidders = 1;
  if (body.contains("bidders")) {
    if (!body["bidders"].is_number_integer() || body["bidders"].get<std::int64_t>() < 1 ||
        body["bidders"].get<std::int64_t>() > 50) {
      bad_input("invalid_field", "bidders must be an integer in 1..50");
    }
    bidders = body["bidders"].get<int>();
  }
  auto dist = parse_distribution(spec);
  if (!dist) bad_input("invalid_spec", dist.error().message, dist.error().hint);
  auto d = std::make_shared<PreparedDesign>();
  d->bidders = bidders;
  d->spec = (*dist)->spec();
  if (body.contains("reduced_form")) {
    d->source = "saved";
    build_rule(*d, body["reduced_form"]);
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
  build_rule(*d, reduced);
  d->reduced_form = reduced.dump();
  cache_.put(key, d);
  return d;
}

}  // namespace dia::service
