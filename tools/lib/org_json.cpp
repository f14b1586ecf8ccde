#include "org_json.hpp"

namespace escalator::tools {
namespace {

using Json = nlohmann::ordered_json;

Json unit_json(const OrgChart& chart, const OrgUnit& unit, Timestamp at) {
  const OrgPlace* place = chart.place(unit.place, at);
  const OrgRole* role = chart.role(unit.role);
  Json people = Json::array();
  for (const OrgPost& post : chart.posts_in(unit.id)) {
    Json also = Json::array();
    for (const OrgPost& other : chart.posts_of(post.person)) {
      if (other.unit != unit.id) also.push_back({{"title", other.title}, {"unit", unit_ref(chart, other.unit)}});
    }
    people.push_back({{"person", post.person},
                      {"name", post.person_name},
                      {"title", post.title},
                      {"in_force", in_force_json(post.in_force)},
                      {"other_posts", also}});
  }
  return {{"kind", "unit"},
          {"id", unit.id},
          {"name", unit.name},
          {"in_force", in_force_json(unit.in_force)},
          {"role", {{"id", unit.role}, {"name", role ? Json(role->name) : Json(nullptr)}}},
          {"level", place ? Json(to_string(place->level)) : Json(nullptr)},
          {"place", place_ref(chart, unit.place, at)},
          {"above", place ? above_json(chart, *place, at) : Json::array()},
          {"people", people}};
}

Json place_json(const OrgChart& chart, const OrgPlace& place, Timestamp at) {
  Json below = Json::array();
  for (const OrgPlace* p : chart.places_under(place.id)) {
    below.push_back({{"id", p->id}, {"name", p->name}, {"in_force", in_force_json(p->in_force)}});
  }
  Json units = Json::array();
  for (const OrgUnit* u : chart.units_at(place.id)) {
    units.push_back({{"id", u->id}, {"name", u->name}, {"role", u->role}, {"in_force", in_force_json(u->in_force)}});
  }
  Json acting = Json::array();
  if (place.level == Level::kCompound || place.level == Level::kBuilding) {
    for (const OrgRole* role : chart.roles()) {
      if (role->level != place.level) continue;
      const OrgUnit* unit = acting_for(chart, place, *role, at);
      acting.push_back({{"role", {{"id", role->id}, {"name", role->name}}},
                        {"unit", unit ? unit_ref(chart, unit->id) : Json(nullptr)},
                        {"fallback", unit && unit->role != role->id ? Json(unit->role) : Json(nullptr)}});
    }
  }
  return {{"kind", "place"},
          {"id", place.id},
          {"name", place.name},
          {"level", to_string(place.level)},
          {"in_force", in_force_json(place.in_force)},
          {"above", above_json(chart, place, at)},
          {"below", below},
          {"units", units},
          {"acting", acting}};
}

Json person_json(const OrgChart& chart, const std::vector<OrgPost>& posts, Timestamp at) {
  Json listed = Json::array();
  for (const OrgPost& post : posts) {
    const OrgUnit* unit = chart.unit(post.unit);
    listed.push_back({{"title", post.title},
                      {"unit", unit_ref(chart, post.unit)},
                      {"role", unit ? Json(unit->role) : Json(nullptr)},
                      {"place", unit ? place_ref(chart, unit->place, at) : Json(nullptr)},
                      {"in_force", in_force_json(post.in_force)}});
  }
  return {{"kind", "person"}, {"id", posts.front().person}, {"name", posts.front().person_name}, {"posts", listed}};
}

}  // namespace

Json in_force_json(const InForce& in_force) {
  if (in_force.always()) return nullptr;
  return {{"from", in_force.valid_from.empty() ? Json(nullptr) : Json(in_force.valid_from)},
          {"to", in_force.valid_to.empty() ? Json(nullptr) : Json(in_force.valid_to)}};
}

Json place_ref(const OrgChart& chart, const std::string& id, Timestamp at) {
  const OrgPlace* place = chart.place(id, at);
  return {{"id", id}, {"name", place ? Json(place->name) : Json(nullptr)}};
}

Json unit_ref(const OrgChart& chart, const std::string& id) {
  const OrgUnit* unit = chart.unit(id);
  return {{"id", id}, {"name", unit ? Json(unit->name) : Json(nullptr)}};
}

Json above_json(const OrgChart& chart, const OrgPlace& place, Timestamp at) {
  Json above = Json::array();
  for (const OrgPlace* p = chart.place(place.parent, at); p != nullptr; p = chart.place(p->parent, at)) {
    above.push_back({{"id", p->id}, {"name", p->name}, {"level", to_string(p->level)}});
  }
  return above;
}

const OrgUnit* acting_for(const OrgChart& chart, const OrgPlace& place, const OrgRole& role, Timestamp at) {
  WorkflowStep asked;
  asked.level = place.level;
  asked.role = role.id;
  const auto held = chart.holder(location_of(chart, place, at), asked, at);
  return held ? chart.unit(*held) : nullptr;
}

Location location_of(const OrgChart& chart, const OrgPlace& place, Timestamp at) {
  Location where;
  (place.level == Level::kBuilding ? where.building : where.compound) = place.id;
  const OrgPlace* p = &place;
  while (chart.place(p->parent, at) != nullptr) p = chart.place(p->parent, at);
  where.district_code = p->id;
  return where;
}

Json shown_json(const OrgChart& chart, const std::string& id, Timestamp at) {
  if (const OrgUnit* unit = chart.unit(id)) return unit_json(chart, *unit, at);
  if (const OrgPlace* place = chart.place(id, at)) return place_json(chart, *place, at);
  if (const auto posts = chart.posts_of(id); !posts.empty()) return person_json(chart, posts, at);
  return nullptr;
}

}  // namespace escalator::tools
