// The lists a store keeps of its cases, for finding them without reading
// every one (docs/storage.md, "Case lists"): for each field a list may be
// filtered by, which cases have which value, written in the same atomic
// write as the case itself, so a list never disagrees with the cases.
//
// Thread safety: implementations must be safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

// The lists, by name: each holds every case under the value the case has.
//   state, step, level, unit (the lead unit), street, community, grid,
//   compound, channel: the case's own value, when it has one;
//   category: every level of its category ("物业" and "物业/漏水");
//   colour: the warning colour it had when last written (open cases only);
//   overdue: "yes" once a deadline was missed, else "no";
//   opened: every case, value "", in the order opened;
//   inbox: the open cases each unit leads, nearest running deadline first
//          (those with none running last).
// Within a value, cases are in case id order, except opened and inbox.
inline constexpr std::string_view kCaseLists[] = {"state", "step",    "level",    "unit",   "street",
                                                  "community", "grid", "compound", "category", "channel",
                                                  "colour", "overdue", "opened",  "inbox"};

// The entries of the lists that the case is on, as the store writes them.
std::vector<std::string> case_list_entries(const CaseState& k);

class CaseLists {
 public:
  virtual ~CaseLists() = default;

  struct Hit {
    std::string case_id;
    std::string position;  // where it stands in the list; a scan resumes after it
  };
  // The cases on list `list` under `value`, in the list's order, after
  // `after` (a Hit's position; empty: from the start), at most `limit`.
  // kInvalidArgument for a list that is not one of kCaseLists; kDataLoss
  // when the list cannot be read.
  [[nodiscard]] virtual Result<std::vector<Hit>> scan_list(std::string_view list, std::string_view value,
                                                           std::string_view after, std::size_t limit) const = 0;
  // How many cases list `list` holds under `value`, for metrics: reads
  // every entry of that value, not the cases. Errors as scan_list.
  [[nodiscard]] virtual Result<std::uint64_t> count_list(std::string_view list, std::string_view value) const = 0;
};

}  // namespace escalator
