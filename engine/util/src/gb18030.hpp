// Text from Chinese systems that do not write UTF-8: spreadsheets saved as
// plain CSV by a Chinese Excel, hotline platforms that send GBK. GB18030
// holds GBK and GB2312, so one conversion reads all three.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace escalator {

// `text`, read as GB18030, in UTF-8 (glibc's iconv). On failure, the offset of
// the first byte that does not begin a GB18030 character.
tl::expected<std::string, std::size_t> gb18030_to_utf8(std::string_view text);

}  // namespace escalator
