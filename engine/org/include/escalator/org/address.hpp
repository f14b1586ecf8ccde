// Addresses as residents write them, brought to one form so that an address
// table can be matched exactly (docs/directory.md, "Addresses"): no fuzzy
// matching, only the differences that never change where a place is.
#pragma once

#include <string>
#include <string_view>

namespace escalator {

// Full-width letters and digits become ASCII, ASCII letters lower case;
// spaces and the separators ，,、·。 go; dashes become '-'; Chinese numerals
// before 号 栋 幢 楼 单元 层 室 become digits (三号楼 → 3号楼); and 号楼, 幢 and
// 栋 are all written 栋. Text that is not UTF-8 is returned unchanged.
std::string normalise_address(std::string_view address);

}  // namespace escalator
