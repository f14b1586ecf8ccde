// How personal data reads for a role that does not need it (docs/access.md,
// "Masking"): enough left to tell two residents apart on a list, not enough
// to reach one.
#pragma once

#include <string>
#include <string_view>

namespace escalator::access {

// "13812341234" → "138****1234": the first three digits and the last four;
// a number of seven digits or fewer is starred whole.
std::string mask_phone(std::string_view phone);
// "张三" → "张*", "欧阳娜娜" → "欧***": the first character (the family
// name's first) and a star for each other.
std::string mask_name(std::string_view name);
// A WeChat openid or other account: its first four characters and "****".
std::string mask_account(std::string_view account);
// "3号楼2单元401" → "3号楼2单元***": the digits after the last 楼, 栋 or
// 单元 (the door) starred; an address without them has every digit starred.
std::string mask_address(std::string_view address);
// Free text (诉求内容): "［已遮蔽，N 字］", the length and nothing of the words.
std::string mask_text(std::string_view text);

}  // namespace escalator::access
