// The text report people read at a terminal: per target a one-line header,
// then only what needs action (findings that count against compliance, with
// their evidence and what to install) and the target's plan; the rest in one
// line. A fleet ends with per-host totals, the hosts needing action and the
// fleet's plan. Lines fit 100 columns: long facts wrap, never truncated.
// Every value from the evidence is shown with control characters escaped.
#pragma once

#include <string>

#include "report/model.h"
#include "report/scan_report.h"

namespace hfa::report {

struct TextOptions {
  bool colour = false;  // ANSI colours on the status words
  bool all = false;     // every finding, not only those needing action
};

inline constexpr size_t kTextWidth = 100;

// `text` wrapped at kTextWidth: the first line starts with `first`, the next
// ones with `rest` (spaces of the same width, usually). A word longer than a
// line is kept whole.
std::string wrap(std::string_view first, std::string_view rest, std::string_view text);

class TextWriter {
 public:
  TextWriter(Sink sink, TextOptions options);
  void add(const TargetItem& target);
  // The fleet table (more than one target) and the closing count line.
  void finish();

 private:
  Sink sink_;
  TextOptions options_;
  Summary summary_;
};

// The whole text report of a document (a saved scan, a merge): its
// provenance (if any) around the targets, as `scan` writes it.
std::string to_text(const nlohmann::ordered_json& document, TextOptions options);

}  // namespace hfa::report
