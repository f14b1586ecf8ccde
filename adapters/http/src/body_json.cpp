#include "body_json.hpp"

#include "schema_check.hpp"

namespace escalator::http {
namespace {

using Json = nlohmann::json;

// Builds the document as nlohmann's own DOM parser would, refusing what
// nlohmann accepts and a service must not: a key given twice (nlohmann keeps
// the last) and nesting beyond kMaxDepth.
class StrictBuilder : public nlohmann::json_sax<Json> {
 public:
  explicit StrictBuilder(Json& root) : root_(root) {}

  std::optional<Problem> problem;

  bool null() override { return put(Json(nullptr)); }
  bool boolean(bool v) override { return put(Json(v)); }
  bool number_integer(number_integer_t v) override { return put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(Json(v)); }
  bool string(string_t& v) override { return put(Json(std::move(v))); }
  bool binary(binary_t&) override { return put(Json(nullptr)); }  // JSON text has none
  bool start_object(std::size_t) override { return open(Json::object()); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    Json& object = *stack_.back().value;
    stack_.back().key.reset();  // here() is now the object's place
    if (object.contains(k)) {
      problem = Problem{ProblemKind::kDuplicateKey, "键 \"" + k + "\" 在同一对象中出现了两次",
                        here() + "/" + pointer_token(k)};
      return false;
    }
    stack_.back().key = std::move(k);
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    const std::string what = ex.what();
    const bool utf8 = what.find("UTF-8") != std::string::npos;
    const bool range = ex.id == 406;
    std::string detail = "第 " + std::to_string(position) + " 字节处";
    detail += utf8 ? "：字符串不是合法的 UTF-8" : range ? "：数值超出范围" : "：" + what;
    problem = Problem{utf8 ? ProblemKind::kInvalidUtf8 : ProblemKind::kMalformedJson, std::move(detail), here()};
    return false;
  }

 private:
  struct Open {
    Json* value;
    std::optional<std::string> key;  // the key whose value comes next, in an object
  };

  std::string here() const {
    std::string pointer;
    for (const auto& open : stack_) {
      if (open.value->is_object()) {
        if (open.key) pointer += "/" + pointer_token(*open.key);
      } else {
        pointer += "/" + std::to_string(open.value->size());
      }
    }
    return pointer;
  }

  Json* place(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *stack_.back().value;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    return &(parent[*stack_.back().key] = std::move(value));
  }
  bool put(Json value) {
    place(std::move(value));
    return true;
  }
  bool open(Json empty) {
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      problem = Problem{ProblemKind::kTooDeep, "嵌套超过 " + std::to_string(kMaxDepth) + " 层", here()};
      return false;
    }
    Json* value = place(std::move(empty));
    stack_.push_back({value, {}});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Open> stack_;
};

std::string_view json_type(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "布尔值";
    case Json::value_t::string: return "字符串";
    case Json::value_t::array: return "数组";
    case Json::value_t::object: return "对象";
    default: return "数字";
  }
}

}  // namespace

tl::expected<Json, Problem> parse_body(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json::object();
  Json root;
  StrictBuilder builder(root);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(text, &builder, Json::input_format_t::json, true, false);
  } catch (const std::exception& e) {  // nlohmann reports through parse_error; this is a guard
    return tl::unexpected(Problem{ProblemKind::kMalformedJson, e.what()});
  }
  if (!parsed) {
    if (builder.problem) return tl::unexpected(std::move(*builder.problem));
    return tl::unexpected(Problem{ProblemKind::kMalformedJson, "请求体不是完整的 JSON"});
  }
  return root;
}

BodyFields::BodyFields(const Json& object, std::string pointer, std::optional<Problem>& problem)
    : object_(object), pointer_(std::move(pointer)), problem_(problem) {
  if (!object_.is_object() && !problem_) {
    problem_ = Problem{ProblemKind::kWrongType,
                       "应为对象，实际为" + std::string(json_type(object_)), pointer_};
  }
}

void BodyFields::fail(ProblemKind kind, std::string_view key, std::string detail) {
  if (!problem_) problem_ = Problem{kind, std::move(detail), pointer_ + "/" + pointer_token(key)};
}

const Json* BodyFields::value(const char* key, bool required) {
  read_.insert(key);
  if (problem_ || !object_.is_object()) return nullptr;
  const auto found = object_.find(key);
  if (found == object_.end() || found->is_null()) {
    if (required) fail(ProblemKind::kMissingField, key, std::string("缺少必填字段 ") + key);
    return nullptr;
  }
  return &*found;
}

void BodyFields::text(const char* key, std::string& out, bool required) {
  const Json* v = value(key, required);
  if (v == nullptr) return;
  if (!v->is_string()) return fail(ProblemKind::kWrongType, key, "应为字符串，实际为" + std::string(json_type(*v)));
  out = v->get<std::string>();
  if (required && out.empty()) fail(ProblemKind::kMissingField, key, std::string("必填字段 ") + key + " 不能为空");
}

void BodyFields::flag(const char* key, bool& out, bool required) {
  const Json* v = value(key, required);
  if (v == nullptr) return;
  if (!v->is_boolean()) return fail(ProblemKind::kWrongType, key, "应为布尔值，实际为" + std::string(json_type(*v)));
  out = v->get<bool>();
}

void BodyFields::texts(const char* key, std::vector<std::string>& out) {
  const Json* v = value(key, false);
  if (v == nullptr) return;
  if (!v->is_array()) return fail(ProblemKind::kWrongType, key, "应为字符串数组，实际为" + std::string(json_type(*v)));
  out.clear();
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string()) {
      if (!problem_) {
        problem_ = Problem{ProblemKind::kWrongType, "应为字符串，实际为" + std::string(json_type(item)),
                           pointer_ + "/" + pointer_token(key) + "/" + std::to_string(i)};
      }
      return;
    }
    out.push_back(item.get<std::string>());
  }
}

void BodyFields::instant(const char* key, std::optional<Timestamp>& out) {
  std::string text_value;
  text(key, text_value);
  if (text_value.empty() || problem_) return;
  auto parsed = parse_time(text_value);
  if (!parsed) return fail(ProblemKind::kInvalidField, key, parsed.error().message);
  out = *parsed;
}

void BodyFields::duration(const char* key, Duration& out, bool required) {
  std::string text_value;
  text(key, text_value, required);
  if (text_value.empty() || problem_) return;
  auto parsed = parse_duration(text_value);
  if (!parsed) return fail(ProblemKind::kInvalidField, key, parsed.error().message);
  out = *parsed;
}

void BodyFields::object(const char* key, const std::function<void(BodyFields&)>& read, bool required) {
  const Json* v = value(key, required);
  if (v == nullptr) return;
  BodyFields inner(*v, pointer_ + "/" + pointer_token(key), problem_);
  if (problem_) return;
  read(inner);
  inner.no_others();
}

void BodyFields::no_others() {
  if (problem_ || !object_.is_object()) return;
  for (const auto& [key, unused] : object_.items()) {
    if (!read_.contains(key)) return fail(ProblemKind::kUnknownField, key, "不认识的字段 " + key);
  }
}

}  // namespace escalator::http
