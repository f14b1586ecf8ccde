// The one rule for how wide text is on a terminal, and the table built on it.
#include <doctest/doctest.h>

#include <sstream>

#include "text_table.hpp"

using escalator::tools::display_width;
using escalator::tools::pad;
using escalator::tools::TextTable;

TEST_CASE("ChineseAndFullWidthCharactersTakeTwoColumnsAndCombiningMarksNone") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("合计") == 4);
  CHECK(display_width("物业/照明") == 9);
  CHECK(display_width("（满意）") == 8);        // full-width brackets
  CHECK(display_width("小区·物业公司") == 13);  // the middle dot is narrow
  CHECK(display_width("e\xCC\x81") == 1);       // e and a combining acute accent
  CHECK(display_width("\xFF\xFE") == 2);        // not UTF-8: a column a byte
  CHECK(pad("合计", 6) == "合计  ");
  CHECK(pad("toolong", 3) == "toolong");
}

TEST_CASE("ATableLinesUpNumbersOnTheRightAndTextOnTheLeft") {
  TextTable table;
  table.add_row({"group", "received", "rate"});
  table.add_row({"物业公司", "12", "87.5%"});
  table.add_row({"合计", "3", "-"});
  std::ostringstream out;
  table.print(out);
  CHECK(out.str() ==
        "group     received   rate\n"
        "物业公司        12  87.5%\n"
        "合计             3      -\n");
}
