// The pieces of a scan report page that the single-scan page and the hub page share: verdict
// cards, the behaviour (finding category) and indicator tables, the file table sorted by risk,
// and one file's detail block (each finding with its evidence: the taint flow step by step,
// the recovered pickle program, the indicators). Everything from a scanned file is escaped.
#pragma once

#include <cstddef>
#include <map>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/report/file_report.hpp"

namespace hubguard::report {

// Worst first: verdict, then highest finding severity, then number of findings, then path.
std::vector<std::size_t> files_by_risk(std::span<const FileReport> files);

// Highest severity among the file's findings (info when none).
Severity highest_severity(const FileReport& file);

// Cards "N malicious", "N dangerous", ... for every verdict, worst first (zeros included).
void write_verdict_cards(std::ostream& out, const std::map<std::string, std::size_t>& by_verdict,
                         std::string_view noun);

// The files of a report as pointers, for the summaries below (a hub report's files are spread
// over its repositories).
std::vector<const FileReport*> pointers_to(std::span<const FileReport> files);

// Behaviours: one row per finding category with its finding and file counts, worst first.
void write_behaviour_table(std::ostream& out, std::span<const FileReport* const> files);

// Every distinct indicator (kind, value) with how many findings carry it; nothing when none.
void write_indicator_table(std::ostream& out, std::span<const FileReport* const> files);

// Clean rows listed in one table at most: a mirror holds hundreds of thousands of clean files
// and repositories, and a page a browser can open lists what needs a look (JSON lists all).
inline constexpr std::size_t kMaxCleanRows = 2000;

// A sortable, filterable table of `files` in `order`; rows link to "#<anchor_prefix><index>"
// when the file has a detail block. Rows carry data-filter="`group`". Past kMaxCleanRows clean
// files, the rest are counted, not listed.
void write_file_table(std::ostream& out, std::span<const FileReport> files,
                      std::span<const std::size_t> order, std::string_view group,
                      std::string_view anchor_prefix);

// True when the file gets a detail block (findings, an error or a recovered program).
bool has_details(const FileReport& file);

void write_file_details(std::ostream& out, const FileReport& file, std::string_view anchor,
                        std::string_view group);

}  // namespace hubguard::report
