// The words of the org directory's CSV form (docs/directory.md, "The CSV
// file"): its columns, the kinds of row and the levels, in Chinese as the
// sheets write them and in English as the directory file does.
#pragma once

#include <array>
#include <utility>
#include <vector>

namespace escalator::org_csv {

enum class Column {
  kKind,
  kId,
  kName,
  kLevel,
  kParent,
  kFallback,
  kRole,
  kPlace,
  kUnit,
  kTitle,
  kAddress,
  kValidFrom,
  kValidTo,
  kNote
};

struct ColumnName {
  Column column;
  const char* chinese;
  const char* english;  // also the key of the directory file's record
};

constexpr std::array<ColumnName, 14> kColumns{{
    {Column::kKind, "类型", "kind"},
    {Column::kId, "编号", "id"},
    {Column::kName, "名称", "name"},
    {Column::kLevel, "层级", "level"},
    {Column::kParent, "上级", "parent"},
    {Column::kFallback, "兜底角色", "fallback"},
    {Column::kRole, "角色", "role"},
    {Column::kPlace, "所在地点", "place"},
    {Column::kUnit, "单位", "unit"},
    {Column::kTitle, "职务", "title"},
    {Column::kAddress, "地址", "address"},
    {Column::kValidFrom, "生效日期", "valid_from"},
    {Column::kValidTo, "截止日期", "valid_to"},
    {Column::kNote, "备注", "note"},
}};

inline const ColumnName& name_of(Column column) {
  return kColumns[static_cast<std::size_t>(column)];
}

enum class Kind { kDirectory, kRole, kPlace, kUnit, kPerson, kAddress };

struct KindRule {
  Kind kind;
  const char* chinese;
  const char* english;
  std::vector<Column> required;
  std::vector<Column> optional;
};

inline const std::vector<KindRule>& kind_rules() {
  using C = Column;
  static const std::vector<KindRule> rules{
      {Kind::kDirectory, "目录", "directory", {C::kName}, {}},
      {Kind::kRole, "角色", "role", {C::kId, C::kName, C::kLevel}, {C::kFallback}},
      {Kind::kPlace,
       "地点",
       "place",
       {C::kId, C::kName, C::kLevel},
       {C::kParent, C::kValidFrom, C::kValidTo}},
      {Kind::kUnit,
       "单位",
       "unit",
       {C::kId, C::kName, C::kRole, C::kPlace},
       {C::kValidFrom, C::kValidTo}},
      {Kind::kPerson,
       "人员",
       "person",
       {C::kId, C::kName, C::kUnit, C::kTitle},
       {C::kValidFrom, C::kValidTo}},
      {Kind::kAddress, "地址", "address", {C::kAddress, C::kPlace}, {C::kValidFrom, C::kValidTo}},
  };
  return rules;
}

constexpr std::array<std::pair<const char*, const char*>, 6> kLevels{{
    {"区", "district"},
    {"街道", "street"},
    {"社区", "community"},
    {"网格", "grid"},
    {"小区", "compound"},
    {"楼栋", "building"},
}};

}  // namespace escalator::org_csv
