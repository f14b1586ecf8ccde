// normalise_address: what residents write differently about one place.
#include "escalator/org/address.hpp"

#include <doctest/doctest.h>

namespace escalator {

TEST_CASE("FullWidthSpacesAndSeparatorsDoNotChangeAnAddress") {
  CHECK(normalise_address("任城区 济阳街道，阳光路８号") == "任城区济阳街道阳光路8号");
  CHECK(normalise_address("Ａ区　B座") == "a区b座");
  CHECK(normalise_address("阳光路8—1号") == "阳光路8-1号");
  CHECK(normalise_address("阳光路8－1号") == "阳光路8-1号");
  CHECK(normalise_address("阳光花园·3号楼、2单元") == "阳光花园3栋2单元");
}

TEST_CASE("BuildingWordsAreOneWord") {
  CHECK(normalise_address("金桂苑7号楼") == "金桂苑7栋");
  CHECK(normalise_address("金桂苑7幢") == "金桂苑7栋");
  CHECK(normalise_address("金桂苑7栋") == "金桂苑7栋");
  // 号 alone is a street number and stays.
  CHECK(normalise_address("建设路12号") == "建设路12号");
}

TEST_CASE("ChineseNumeralsBeforeAUnitWordBecomeDigits") {
  CHECK(normalise_address("金桂苑七号楼二单元") == "金桂苑7栋2单元");
  CHECK(normalise_address("十二号楼") == "12栋");
  CHECK(normalise_address("二十号楼") == "20栋");
  CHECK(normalise_address("二十三层") == "23层");
  CHECK(normalise_address("一百零五室") == "105室");
  CHECK(normalise_address("两单元") == "2单元");
  // Written digit by digit, as a room number often is.
  CHECK(normalise_address("五〇二室") == "502室");
  // A numeral that is part of a name is not a number: 三里屯, 十里铺.
  CHECK(normalise_address("三里屯一号楼") == "三里屯1栋");
  CHECK(normalise_address("十里铺") == "十里铺");
}

TEST_CASE("TextThatIsNotUtf8IsLeftAsItIs") {
  const std::string broken = "阳光\xff路";
  CHECK(normalise_address(broken) == broken);
  CHECK(normalise_address("") == "");
}

}  // namespace escalator
