// RFC 8785, §3.2: the canonical form, for the JSON values an event holds.
#include "canonical_json.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "json_text.hpp"
#include "utf8.hpp"

namespace escalator {
namespace {

// The UTF-16 code units of well-formed UTF-8: RFC 8785 §3.2.3 sorts member
// names by them. Byte order agrees with it except where a name holds a
// character above U+FFFF (a surrogate pair sorts below U+E000..U+FFFF).
std::u16string utf16_units(std::string_view utf8) {
  std::u16string units;
  units.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t code = next_code_point(utf8, i);
    if (code > 0xffff) {
      code -= 0x10000;
      units.push_back(static_cast<char16_t>(0xd800 + (code >> 10)));
      units.push_back(static_cast<char16_t>(0xdc00 + (code & 0x3ff)));
    } else {
      units.push_back(static_cast<char16_t>(code));
    }
  }
  return units;
}

// JsonText escapes as RFC 8785 §3.2.2.2 asks (json_text.hpp).
void write_string(std::string& out, std::string_view text) { JsonText(out).value(text); }

// RFC 6901: '~' and '/' in a member name are escaped in a pointer.
std::string pointer_token(std::string_view name) {
  std::string token;
  for (const char c : name) {
    if (c == '~') token += "~0";
    else if (c == '/') token += "~1";
    else token.push_back(c);
  }
  return token;
}

template <class Json>
class Canonical {
 public:
  explicit Canonical(std::string& out) : out_(out) {}

  // The first problem's message, or none.
  std::optional<std::string> write(const Json& value, const std::string& pointer) {
    switch (value.type()) {
      case nlohmann::json::value_t::object: return object(value, pointer);
      case nlohmann::json::value_t::array: {
        out_.push_back('[');
        std::size_t i = 0;
        for (const auto& item : value) {
          if (i > 0) out_.push_back(',');
          if (auto problem = write(item, pointer + "/" + std::to_string(i++))) return problem;
        }
        out_.push_back(']');
        return std::nullopt;
      }
      case nlohmann::json::value_t::string: {
        const auto& text = value.template get_ref<const std::string&>();
        if (!is_utf8(text)) return at(pointer, "a string that is not UTF-8");
        write_string(out_, text);
        return std::nullopt;
      }
      case nlohmann::json::value_t::number_integer: out_ += std::to_string(value.template get<std::int64_t>()); return std::nullopt;
      case nlohmann::json::value_t::number_unsigned: out_ += std::to_string(value.template get<std::uint64_t>()); return std::nullopt;
      case nlohmann::json::value_t::boolean: out_ += value.template get<bool>() ? "true" : "false"; return std::nullopt;
      case nlohmann::json::value_t::null: out_ += "null"; return std::nullopt;
      case nlohmann::json::value_t::number_float: return at(pointer, "a number that is not an integer");
      default: return at(pointer, std::string("a value of type ") + value.type_name());
    }
  }

 private:
  std::optional<std::string> object(const Json& value, const std::string& pointer) {
    struct Member {
      std::u16string order;
      const std::string* name;
      const Json* value;
    };
    std::vector<Member> members;
    members.reserve(value.size());
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!is_utf8(it.key())) return at(pointer, "a member name that is not UTF-8");
      members.push_back({utf16_units(it.key()), &it.key(), &it.value()});
    }
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.order < b.order; });
    out_.push_back('{');
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out_.push_back(',');
      write_string(out_, *members[i].name);
      out_.push_back(':');
      if (auto problem = write(*members[i].value, pointer + "/" + pointer_token(*members[i].name))) return problem;
    }
    out_.push_back('}');
    return std::nullopt;
  }

  static std::string at(const std::string& pointer, const std::string& what) {
    return "canonical JSON: " + what + " at '" + pointer + "'";
  }

  std::string& out_;
};

template <class Json>
Result<std::string> canonical(const Json& value) {
  std::string out;
  out.reserve(512);
  if (auto problem = Canonical<Json>(out).write(value, "")) return fail(ErrorCode::kInvalidArgument, *problem);
  return out;
}

}  // namespace

Result<std::string> canonical_json(const nlohmann::ordered_json& value) { return canonical(value); }
Result<std::string> canonical_json(const nlohmann::json& value) { return canonical(value); }

}  // namespace escalator
