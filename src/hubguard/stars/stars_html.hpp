// HTML pages for fake-star detection: an index with the summary and the campaign table
// (sortable, linking to one page per flagged repository), and per repository its star timeline
// (stars per day or week: fake, cleared and organic stacked, inline SVG), its months table, each
// lockstep cluster it is in as a raster (accounts by time, repositories coloured) and sample
// fake accounts with the GH Archive hour file of each star. Self-contained pages (the report
// module's shell); logins and repository names are escaped, and page file names are derived
// from repository names only after reducing them to [A-Za-z0-9._-].
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>

#include "hubguard/core/result.hpp"
#include "hubguard/stars/detect.hpp"
#include "hubguard/stars/repo_evidence.hpp"

namespace hubguard::stars {

// One repository's page; `index_href` (may be empty) links back to the index.
void write_repo_page(const RepoStarEvidence& evidence, std::ostream& out,
                     std::string_view index_href = {});

// "repo-<rank>-<owner>__<name>.html" with every other byte replaced by '_'.
std::string repo_page_file_name(std::size_t rank, std::string_view repo);

struct StarsHtmlCounts {
  std::size_t pages = 0;     // repository pages written
  std::size_t flagged = 0;   // repositories flagged (campaigns, confident or reference)
};

// Writes DIR/index.html and one page per flagged repository (campaigns from the confident
// labels, then those only the reference labels call campaigns), most fake stars first, at
// most `max_pages` pages. Creates DIR.
Result<StarsHtmlCounts> write_stars_html(const std::filesystem::path& dir,
                                         const DetectionInput& input, const DetectResult& result,
                                         std::size_t max_pages = 500);

}  // namespace hubguard::stars
