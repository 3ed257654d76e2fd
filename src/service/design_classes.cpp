// Designs with bidder classes from request bodies: {"bidders": ["K*SPEC", "SPEC", ...]} runs the
// asymmetric designer (dia::design_asymmetric, docs/asymmetric.md) and keeps, per class, its
// types and interim allocation X (see design_input.hpp).
#include "dia/asymmetric_design.hpp"
#include "service/design_input.hpp"

namespace dia::service {

std::shared_ptr<const PreparedDesign> DesignInput::prepare_classes(const json& body) {
  if (body.contains("values") || body.contains("reduced_form")) {
    bad_input("invalid_field",
              "a design with bidder classes gives each class's SPEC in bidders, and is designed "
              "by the server: values and reduced_form do not go with a list of bidders",
              "e.g. {\"bidders\": [\"2*lognormal(0,0.5)\", \"lognormal(1,0.5)\"]}");
  }
  std::vector<std::string> entries;
  for (const json& e : body.at("bidders")) {
    if (!e.is_string()) {
      bad_input("invalid_field", "bidders must be a count or a list of strings K*SPEC or SPEC");
    }
    entries.push_back(e.get<std::string>());
  }
  // A client's SPEC never makes the server read a file.
  auto classes = parse_bidder_classes(entries, SpecFiles::kRefuse);
  if (!classes) {
    bad_input(
        classes.error().code == ErrorCode::kFileNotAllowed ? "file_not_allowed" : "invalid_spec",
        classes.error().message, classes.error().hint);
  }
  std::string key = "classes";
  for (const auto& c : *classes) key += "|" + std::to_string(c.count) + "*" + c.values;
  if (auto hit = cache_.find(key)) return *hit;
  const AsymmetricDesign design = design_asymmetric(*classes, {});
  std::string why = design.notes.empty() ? "" : design.notes.back();
  if (design.status == SolveStatus::kFailed || !design.ex_post_rule) {
    bad_input("design_failed", "the asymmetric designer found no runnable design: " + why, "", 422);
  }
  // Per class one interim X: the average over its seats (the seats of a class are identical
  // bidders, so averaging the optimum over their permutations keeps it feasible and optimal).
  std::vector<ClassDesign> out;
  std::size_t first = 0;
  for (std::size_t c = 0; c < classes->size(); ++c) {
    const BidderClassDesign& d = design.classes[c];
    std::vector<double> x(d.types.size(), 0.0);
    for (int k = 0; k < d.count; ++k) {
      const auto& seat = design.solution.mechanism[first + std::size_t(k)].allocation;
      for (std::size_t t = 0; t < x.size(); ++t) x[t] += seat[t] / d.count;
    }
    out.push_back({d.values, d.count, d.types, std::move(x)});
    first += std::size_t(d.count);
  }
  auto d = std::make_shared<PreparedDesign>();
  d->spec = bidder_classes_text(design);
  d->bidders = static_cast<int>(first);
  d->source = "design";
  // The rule is built from the stored JSON's numbers, as a restart and verify-lottery build it.
  d->reduced_form = class_designs_json(out).dump();
  try {
    build_class_rule(*d, json::parse(d->reduced_form));
  } catch (const BadInput& e) {
    bad_input("design_failed",
              "the asymmetric design for " + d->spec + " has no runnable ex post rule: " +
                  e.reply.body.at("error").at("message").get<std::string>(),
              "", 422);
  }
  cache_.put(key, d);
  return d;
}

}  // namespace dia::service
