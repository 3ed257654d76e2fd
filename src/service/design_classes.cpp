// Designs with bidder classes from request bodies: {"bidders": ["K*SPEC", "SPEC", ...]} runs the
// asymmetric designer (dia::design_asymmetric, docs/asymmetric.md) and keeps, per class, its
// types and interim allocation X; with a saved "reduced_form" (discrete classes) it takes the
// given X once it passes Border's condition (see design_input.hpp).
#include <cmath>

#include "dia/asymmetric_design.hpp"
#include "service/design_input.hpp"

namespace dia::service {

namespace {

bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a)); }

// A saved reduced form with classes: the stored form of a class design (its export's
// design.reduced_form), {"classes": [{"values": SPEC, "count": K, "reduced_form": {"values",
// "allocation", "probabilities"}}]}, class c being the body's c-th bidders entry. Each class's SPEC
// is discrete and its grid and probabilities are the SPEC's atoms (as a symmetric saved design's
// on a discrete SPEC); the rule's construction checks X in [0,1] and Border's condition.
std::shared_ptr<const PreparedDesign> saved_classes(const std::vector<BidderClass>& classes,
                                                    const json& reduced_form) {
  if (reduced_form.is_object()) only_keys(reduced_form, {"classes"}, "reduced_form");
  auto saved = class_designs_from_json(reduced_form);
  if (!saved) bad_input("invalid_reduced_form", saved.error().message);
  if (saved->size() != classes.size()) {
    bad_input("invalid_reduced_form",
              "reduced_form.classes has " + std::to_string(saved->size()) + " classes, bidders " +
                  std::to_string(classes.size()),
              "class c of reduced_form.classes is the c-th entry of bidders");
  }
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const BidderClass& b = classes[c];
    const ClassDesign& s = (*saved)[c];
    const std::string where = "bidder class " + std::to_string(c) + " (" + b.values + ")";
    if (!b.distribution->is_discrete()) {
      bad_input("invalid_reduced_form",
                where + ": a saved reduced form with classes needs discrete class SPECs",
                "leave reduced_form out: the server designs continuous classes");
    }
    auto spec = parse_distribution(s.values, SpecFiles::kRefuse);
    if (!spec || (*spec)->spec() != b.values || s.count != b.count) {
      bad_input("invalid_reduced_form",
                where + ": reduced_form.classes[" + std::to_string(c) + "] is " +
                    std::to_string(s.count) + "*" + s.values + ", not " + std::to_string(b.count) +
                    "*" + b.values,
                "each class of reduced_form names the SPEC and count of its bidders entry");
    }
    const DiscreteTypes& atoms = b.distribution->atoms();
    bool same = atoms.size() == s.types.size();
    for (std::size_t t = 0; same && t < atoms.size(); ++t) {
      same = near(atoms.values[t], s.types.values[t]) &&
             near(atoms.probabilities[t], s.types.probabilities[t]);
    }
    if (!same) {
      bad_input("invalid_reduced_form",
                where + ": reduced_form values and probabilities must be the SPEC's atoms " +
                    json(atoms.values).dump() + " with " + json(atoms.probabilities).dump(),
                "a saved design on a discrete SPEC gives X at each of its atoms, in order");
    }
  }
  auto d = std::make_shared<PreparedDesign>();
  d->spec = bidder_classes_text(classes);
  d->bidders = 0;
  for (const auto& b : classes) d->bidders += b.count;
  d->source = "saved";
  d->reduced_form = class_designs_json(*saved).dump();
  build_class_rule(*d, json::parse(d->reduced_form));
  return d;
}

}  // namespace

std::shared_ptr<const PreparedDesign> DesignInput::prepare_classes(const json& body) {
  if (body.contains("values")) {
    bad_input("invalid_field",
              "a design with bidder classes gives each class's SPEC in bidders: values does not "
              "go with a list of bidders",
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
  if (body.contains("reduced_form")) return saved_classes(*classes, body.at("reduced_form"));
  std::string key = "classes";
  for (const auto& c : *classes) key += "|" + std::to_string(c.count) + "*" + c.values;
  if (auto hit = cache_.find(key)) return *hit;
  const AsymmetricDesign design = design_asymmetric(*classes, {});
  std::string why = design.notes.empty() ? "" : design.notes.back();
  if (design.status == SolveStatus::kFailed || !design.ex_post_rule) {
    bad_input("design_failed", "the asymmetric designer found no runnable design: " + why, "", 422);
  }
  // Per class one interim X, averaged over its seats (BidderClassDesign::allocation).
  std::vector<ClassDesign> out;
  std::size_t first = 0;
  for (const BidderClassDesign& d : design.classes) {
    out.push_back({d.values, d.count, d.types, d.allocation});
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
