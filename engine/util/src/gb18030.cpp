#include "gb18030.hpp"

#include <iconv.h>

#include <cerrno>

namespace escalator {

tl::expected<std::string, std::size_t> gb18030_to_utf8(std::string_view text) {
  const iconv_t converter = iconv_open("UTF-8", "GB18030");
  if (converter == reinterpret_cast<iconv_t>(-1)) return tl::unexpected(std::size_t{0});
  std::string out;
  // A GB18030 character is at most four bytes and its UTF-8 form at most four:
  // twice the input is room enough for the characters of two bytes, which take three.
  out.resize(text.size() * 2 + 4);
  char* in = const_cast<char*>(text.data());  // iconv's signature; it does not write the input
  std::size_t in_left = text.size();
  char* to = out.data();
  std::size_t to_left = out.size();
  while (in_left > 0) {
    if (iconv(converter, &in, &in_left, &to, &to_left) != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) {
      const std::size_t written = static_cast<std::size_t>(to - out.data());
      out.resize(out.size() * 2);
      to = out.data() + written;
      to_left = out.size() - written;
      continue;
    }
    iconv_close(converter);
    return tl::unexpected(static_cast<std::size_t>(in - text.data()));  // EILSEQ or EINVAL (cut short)
  }
  iconv_close(converter);
  out.resize(static_cast<std::size_t>(to - out.data()));
  return out;
}

}  // namespace escalator
