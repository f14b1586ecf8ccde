// The demo's sample month: what residents of the three sample compounds report,
// through which channel, and what befalls each case. Only the seed decides: the
// draws are taken from std::mt19937 (whose output the standard fixes) by modulo,
// never through std's distributions, whose results differ between libraries.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <map>

#include "demo_plan.hpp"

namespace escalator::tools::demo_parts {
namespace {

using namespace std::chrono;

// What residents report. "{b}" becomes a building and entrance. No topic
// names a person: the demo never invents residents' names or phone numbers.
struct Topic {
  const char* category;
  RequestType type;
  bool collective;
  bool urgent;
  Outcome outcome;
  const char* content;
  const char* answer;
};

// clang-format off
constexpr Topic kTopics[] = {
    {"物业/房屋维修/漏水",     RequestType::kHelp,         false, false, Outcome::kResolved,       "{b}顶楼卫生间漏水，楼下天花板持续渗水", "维修人员已上门重做防水层并修补天花板"},
    {"物业/房屋维修/墙体裂缝", RequestType::kReport,       false, false, Outcome::kResolved,       "{b}外墙出现多条裂缝，担心存在安全隐患", "经检测为非结构性裂缝，已完成修补"},
    {"供热/暖气不热",          RequestType::kComplaint,    false, false, Outcome::kResolved,       "{b}暖气试运行期间暖气不热，室温偏低", "热力公司已清理管道堵塞并排气，室温恢复正常"},
    {"物业/公共设施/楼道灯",   RequestType::kHelp,         false, false, Outcome::kResolved,       "{b}楼道灯不亮，老人夜间上下楼不便", "已更换声控灯具，照明恢复"},
    {"邻里纠纷/噪音",          RequestType::kComplaint,    false, false, Outcome::kResolved,       "楼上住户夜间装修噪音扰民，影响休息", "网格员会同物业上门调解，住户承诺按规定时段施工"},
    {"环境/餐饮油烟",          RequestType::kComplaint,    true,  false, Outcome::kPartlyResolved, "小区底商餐馆油烟直排，居民无法开窗", "已联系综合执法督促商户加装油烟净化设备，整改中"},
    {"停车管理/乱停车",        RequestType::kComplaint,    true,  false, Outcome::kPartlyResolved, "小区内车辆乱停乱放，早晚高峰出行困难", "四方议事会议定划线停车方案，物业已安排专人引导"},
    {"安全/电动车进电梯",      RequestType::kReport,       false, false, Outcome::kResolved,       "{b}有人推电动车进电梯，存在火灾隐患", "物业已加装电梯阻车系统并张贴告知书"},
    {"消防/消防通道堵塞",      RequestType::kReport,       true,  true,  Outcome::kResolved,       "消防通道被私家车长期占用", "物业已联系车主挪车，并设置禁停标识"},
    {"环境/垃圾分类站异味",    RequestType::kComplaint,    true,  false, Outcome::kResolved,       "垃圾分类站清运不及时，异味较大", "清运调整为每日两次，站点已消杀"},
    {"物业/电梯故障",          RequestType::kHelp,         true,  false, Outcome::kResolved,       "{b}电梯频繁停运，老人出行困难", "维保单位已更换故障部件，电梯恢复运行"},
    {"物业/绿化",              RequestType::kSuggestion,   false, false, Outcome::kResolved,       "建议修剪绿化带树木，遮挡低层住户采光", "物业已安排园林工人修剪"},
    {"物业/收费",              RequestType::kConsultation, false, false, Outcome::kResolved,       "咨询物业费收费标准及公共收益公示情况", "已告知收费标准，公共收益明细已在公示栏公示"},
    {"供水/停水",              RequestType::kHelp,         false, true,  Outcome::kResolved,       "{b}突然停水，事先未见通知", "系管道抢修停水，已恢复供水并补发通知"},
    {"安全/飞线充电",          RequestType::kReport,       false, false, Outcome::kResolved,       "{b}有住户从楼上飞线给电动车充电", "已劝导拆除飞线，引导到集中充电桩充电"},
};

// How often each fate comes up in 60 cases, in Fate order; every fate is dealt
// once first, so these weigh only the rest.
constexpr int kFateWeights[kFateCount] = {
    // on_spot property missed missed2 manual returned suspended extension urged unsatisfied no_answer withdrawn merged dragging
       8,      16,      5,     2,      3,     3,       3,        3,        3,    4,          3,        3,        3,     1};
// clang-format on

constexpr const char* kCompounds[] = {"yangguang-garden", "heping-li", "xingfu-court"};

struct Draw {
  std::mt19937& rng;
  unsigned operator()(unsigned n) { return static_cast<unsigned>(rng() % n); }
};

Fate weighted_fate(Draw& draw) {
  int total = 0;
  for (int w : kFateWeights) total += w;
  int pick = static_cast<int>(draw(static_cast<unsigned>(total)));
  for (int f = 0; f < kFateCount; ++f) {
    if ((pick -= kFateWeights[f]) < 0) return static_cast<Fate>(f);
  }
  return Fate::kProperty;
}

// Channels as 12345 platforms see them; walk-ins and door-to-door visits are
// where a case can be answered on the spot.
// A made-up resident for case `index`: a surname and title, a mobile number,
// and for the WeChat channels an openid-like account. Derived from the index
// rather than drawn, so the rest of the month stays as the seed makes it.
Reporter demo_reporter(int index, Channel channel) {
  static constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
  const auto n = static_cast<unsigned>(index);
  Reporter r;
  r.name = std::string(kSurnames[n % std::size(kSurnames)]) + (n % 3 == 0 ? "先生" : "女士");
  char phone[16];
  std::snprintf(phone, sizeof phone, "139%08u", (n * 7919u + 1234567u) % 100000000u);
  r.phone = phone;
  if (channel == Channel::kWeChat || channel == Channel::kMiniProgram) {
    char account[40];
    std::snprintf(account, sizeof account, "oDemo%023u", n * 104729u + 17u);
    r.account = account;
  }
  return r;
}

Channel draw_channel(Draw& draw, Fate fate, const Topic& topic) {
  if (fate == Fate::kOnSpot) return draw(3) == 0 ? Channel::kVisit : Channel::kWalkIn;
  if (std::string_view(topic.category) == "安全/电动车进电梯" && draw(2) == 0) return Channel::kDevice;
  constexpr Channel kMix[] = {Channel::kHotline, Channel::kHotline, Channel::kHotline,  Channel::kHotline,
                              Channel::kHotline, Channel::kWeChat,  Channel::kWeChat,   Channel::kMiniProgram,
                              Channel::kWeCom,   Channel::kWalkIn};
  return kMix[draw(std::size(kMix))];
}

// The external id a channel gives its orders: 工单编号 for the hotline.
const char* id_prefix(Channel c) {
  switch (c) {
    case Channel::kHotline: return "GD";
    case Channel::kWeChat: return "WX";
    case Channel::kWeCom: return "QW";
    case Channel::kMiniProgram: return "XCX";
    case Channel::kWalkIn: return "LF";
    case Channel::kVisit: return "ZF";
    case Channel::kDevice: return "SB";
    case Channel::kOpen311: return "OS";
  }
  return "XX";
}

// Who receives a case first (首问负责): the hotline, the grid's station for
// walk-ins and visits, the compound's property company for chat and devices.
Party first_contact(Channel c, const std::string& compound) {
  if (c == Channel::kHotline) return {"hotline.12345", ""};
  if (c == Channel::kWalkIn || c == Channel::kVisit) {
    return {compound == "xingfu-court" ? "yangguang-2.station" : "yangguang-1.station", ""};
  }
  return {compound + ".property", ""};
}

std::string filled(const char* text, const std::string& building) {
  std::string s = text;
  if (auto at = s.find("{b}"); at != std::string::npos) s.replace(at, 3, building);
  return s;
}

bool can_be_duplicated(Fate f) {
  return f != Fate::kMerged && f != Fate::kWithdrawn && f != Fate::kOnSpot;
}

}  // namespace

std::vector<CasePlan> sample_cases(std::uint32_t seed, int count, const Calendar& calendar) {
  std::mt19937 rng(seed);
  Draw draw{rng};
  std::vector<sys_days> days_open;
  for (sys_days d = 2025y / November / 3; d <= 2025y / November / 28; d += days{1}) {
    if (calendar.is_working_day(d)) days_open.push_back(d);
  }

  std::vector<CasePlan> plans(static_cast<std::size_t>(std::max(count, 0)));
  for (auto& p : plans) {
    const auto minute = static_cast<int>(draw(420));  // 7 working hours, lunch skipped
    p.open_at = Timestamp{days_open[draw(days_open.size())]} - kChinaOffset + hours{9} +
                minutes{minute < 180 ? minute : minute + 60};
  }
  std::stable_sort(plans.begin(), plans.end(),
                   [](const CasePlan& a, const CasePlan& b) { return a.open_at < b.open_at; });

  // Deal every fate once, the rest by weight, and shuffle (Fisher-Yates by modulo).
  std::vector<Fate> deck;
  for (int f = 0; f < kFateCount; ++f) deck.push_back(static_cast<Fate>(f));
  while (deck.size() < plans.size()) deck.push_back(weighted_fate(draw));
  for (std::size_t i = deck.size(); i > 1; --i) std::swap(deck[i - 1], deck[draw(unsigned(i))]);
  deck.resize(plans.size());
  // A dragging case needs the whole month to climb: it opens in the first three
  // working days. A duplicate needs an original opened before it.
  const Timestamp early_end = Timestamp{days_open.at(3)} - kChinaOffset;
  for (std::size_t i = 0; i < deck.size(); ++i) {
    if (deck[i] != Fate::kDragging || plans[i].open_at < early_end) continue;
    for (std::size_t j = 0; j < i && plans[j].open_at < early_end; ++j) {
      if (can_be_duplicated(deck[j])) {
        std::swap(deck[i], deck[j]);
        break;
      }
    }
  }

  std::map<std::string, int> per_day;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    CasePlan& p = plans[i];
    p.index = static_cast<int>(i);
    p.fate = deck[i];
    if (p.fate == Fate::kDragging && p.open_at >= early_end) p.fate = Fate::kProperty;
    const Topic* topic = &kTopics[draw(std::size(kTopics))];
    unsigned compound = draw(3);
    char building[64];
    std::snprintf(building, sizeof building, "%u号楼%u单元", draw(12) + 1, draw(4) + 1);
    std::string where = building;
    std::string content = filled(topic->content, where);

    if (p.fate == Fate::kMerged) {
      for (int j = static_cast<int>(i) - 1; j >= 0 && p.merge_into < 0; --j) {
        if (can_be_duplicated(plans[j].fate)) p.merge_into = j;
      }
      if (p.merge_into < 0) {
        p.fate = Fate::kProperty;
      } else {
        // The same matter reported again, through another channel.
        const auto& original = plans[p.merge_into];
        while (kCompounds[compound] != original.open.location.compound) compound = (compound + 1) % 3;
        where = original.open.location.building;
        for (const Topic& t : kTopics) {
          if (original.open.category == t.category) topic = &t;
        }
        content = original.open.content + "（重复反映）";
      }
    }

    cmd::Open& o = p.open;
    o.request_type = topic->type;
    o.channel = draw_channel(draw, p.fate, *topic);
    o.category = topic->category;
    o.location.district_code = "370811";
    o.location.compound = kCompounds[compound];
    o.location.building = where;
    o.collective = topic->collective;
    o.urgent = topic->urgent;
    o.content = content;
    o.reporter = demo_reporter(p.index, o.channel);
    o.first_contact = first_contact(o.channel, o.location.compound);
    p.outcome = topic->outcome;
    p.answer = topic->answer;
    p.rating = draw(10) < 7 ? Rating::kSatisfied : Rating::kBasicallySatisfied;
    if (p.fate == Fate::kReturned) {
      // The dispatcher's slip: the neighbouring compound's property company.
      p.wrong_unit = std::string(kCompounds[(compound + 1) % 3]) + ".property";
    }

    const year_month_day ymd{floor<days>(p.open_at + kChinaOffset)};
    char day[16], id[40];
    std::snprintf(day, sizeof day, "%04d%02u%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    std::snprintf(id, sizeof id, "%s-%s-%04d", id_prefix(o.channel), day, ++per_day[day]);
    p.external_id = id;
  }
  return plans;
}

}  // namespace escalator::tools::demo_parts
