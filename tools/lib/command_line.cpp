#include "command_line.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <sstream>

#include <CLI/Error.hpp>

namespace escalator::tools {
namespace {

// Usage first, as git and kubectl print it, then what the command does.
class HouseFormatter : public CLI::Formatter {
 public:
  HouseFormatter() { column_width(32); }

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    std::ostringstream out;
    out << make_usage(app, name);
    if (const auto& what = app->get_description(); !what.empty()) out << "\n" << what << "\n";
    out << make_positionals(app) << make_groups(app, mode) << make_subcommands(app, mode);
    if (const auto& footer = app->get_footer(); !footer.empty()) out << "\n" << footer << "\n";
    return out.str();
  }

  // "--by DIMENSION": the value's name only; what it may be goes into the
  // description, and which options exclude which into the refusal.
  std::string make_option_opts(const CLI::Option* option) const override {
    if (option->get_type_size() == 0 || option->get_positional()) return "";
    const std::string& text = option->get_option_text();
    return " " + (text.empty() ? value_name(*option) : text);
  }

  // The description, then the names the value may be and its default.
  std::string make_option_desc(const CLI::Option* option) const override {
    std::string text = option->get_description();
    const std::string type = option->get_type_name();
    if (const auto open = type.find(":{"); open != std::string::npos) {
      std::string names = type.substr(open + 2, type.find('}', open) - open - 2);
      for (std::size_t comma = names.find(','); comma != std::string::npos; comma = names.find(',', comma + 2)) {
        names.insert(comma + 1, " ");
      }
      text += "; one of: " + names;
    }
    if (const auto& fallback = option->get_default_str(); !fallback.empty()) text += " (default: " + fallback + ")";
    return text;
  }

  // A subcommand in its parent's list: the first paragraph of what it does.
  std::string make_subcommand(const CLI::App* sub) const override {
    std::string what = sub->get_description();
    what = what.substr(0, what.find("\n\n"));
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::ostringstream out;
    CLI::detail::format_help(out, sub->get_name(), what, column_width_);
    return out.str();
  }

 private:
  static std::string value_name(const CLI::Option& option) {
    const std::string type = option.get_type_name();
    return type.substr(0, type.find(':'));
  }
};

std::string full_name(const CLI::App& app) {
  std::string name = app.get_name();
  for (const CLI::App* up = app.get_parent(); up != nullptr; up = up->get_parent()) name = up->get_name() + " " + name;
  return name;
}

// CLI11's wording of the errors people meet most, in the house's.
std::string plain_words(std::string what) {
  if (const auto at = what.find(": At Most 1 required but received "); at != std::string::npos) {
    return what.substr(0, at) + ": given more than once; give it once";
  }
  if (what.ends_with(" missing") && what.find(" required ") != std::string::npos) {
    return what.substr(0, what.find(':')) + ": expects a value";
  }
  return what;
}

void refuse_repeated_flags(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_expected_max() == 0 && !option->get_positional()) {
      option->multi_option_policy(CLI::MultiOptionPolicy::Throw);
    }
  }
  for (CLI::App* sub : app.get_subcommands({})) refuse_repeated_flags(*sub);
}

std::string usage_text(std::string_view command, std::string_view why) {
  return std::string(command) + ": " + std::string(why) + "\nRun '" + std::string(command) +
         " --help' for what it takes.\n";
}

}  // namespace

int usage_error(std::string_view command, std::string_view why) {
  std::cerr << usage_text(command, why);
  return 2;
}

std::unique_ptr<CLI::App> command_app(const std::string& name, const std::string& what, const std::string& footer) {
  auto app = std::make_unique<CLI::App>(what, name);
  app->formatter(std::make_shared<HouseFormatter>());
  app->set_help_flag("-h,--help", "print this help and exit");
  app->footer(footer);
  app->failure_message([](const CLI::App* failed, const CLI::Error& e) {
    return usage_text(full_name(chosen_subcommand(*failed)), plain_words(e.what()));
  });
  return app;
}

CLI::Validator whole_number(std::uint64_t least, std::uint64_t most) {
  return CLI::Validator(
      [least, most](std::string& text) -> std::string {
        std::uint64_t n = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (text.empty() || error != std::errc() || end != text.data() + text.size() || n < least || n > most) {
          return "expected a whole number from " + std::to_string(least) + " to " + std::to_string(most) +
                 ", but got '" + text + "'";
        }
        return "";
      },
      "");
}

CLI::Option* add_data_option(CLI::App& app, std::filesystem::path& data, const Config& config) {
  data = config.data_dir;
  auto* option = app.add_option("--data", data, "the store's directory (default: the configuration's data_dir, ./data)")
                     ->option_text("DIR");
  add_config_option(app);
  return option;
}

CLI::Option* add_config_option(CLI::App& app) {
  return app.add_option("--config", "the configuration file (docs/configuration.md); default: built in")
      ->option_text("FILE");
}

CLI::Option* add_json_flag(CLI::App& app, bool& json) {
  return app.add_flag("--json", json, "print one JSON document (docs/cli.md gives its shape)");
}

CLI::Option* add_time_option(CLI::App& app, const std::string& name, std::optional<Timestamp>& time,
                             const std::string& what) {
  return app
      .add_option_function<std::string>(
          name,
          [&time, name](const std::string& text) {
            auto parsed = parse_time(text);
            if (!parsed) throw CLI::ValidationError(name, parsed.error().message);
            time = *parsed;
          },
          what)
      ->option_text("TIME");
}

std::optional<int> parse_command_line(CLI::App& app, const std::vector<std::string>& args, std::ostream& out) {
  // A word where a subcommand goes that names none: said so, with the ones there are.
  const auto subcommands = app.get_subcommands({});
  const auto named = [&args](const CLI::App* sub) { return sub->check_name(args.front()); };
  if (!subcommands.empty() && !args.empty() && !args.front().starts_with("-") &&
      std::none_of(subcommands.begin(), subcommands.end(), named)) {
    std::string names;
    for (const CLI::App* sub : subcommands) names += (names.empty() ? "" : ", ") + sub->get_name();
    return usage_error(app.get_name(), "no subcommand '" + args.front() + "'; there are " + names);
  }
  // CLI11 lets a flag's last occurrence win; refused instead, as an option given twice is.
  refuse_repeated_flags(app);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, std::cerr);
    return 2;
  }
  return std::nullopt;
}

std::string count_of(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

const CLI::App& chosen_subcommand(const CLI::App& app) {
  const CLI::App* chosen = &app;
  while (!chosen->get_subcommands().empty()) chosen = chosen->get_subcommands().front();
  return *chosen;
}

}  // namespace escalator::tools
