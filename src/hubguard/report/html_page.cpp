#include "hubguard/report/html_page.hpp"

#include <cstdint>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/hash.hpp"
#include "hubguard/report/html_escape.hpp"

namespace hubguard::report {
namespace {

constexpr std::string_view kStyle = R"CSS(
:root{--bg:#fff;--fg:#1d2330;--muted:#5d6675;--line:#d9dee7;--soft:#f4f6f9;
--malicious:#a3001b;--dangerous:#d4351c;--unscannable:#7a3ea1;--suspicious:#b07800;--clean:#2f7d32;
--fake:#d4351c;--organic:#6c8ebf}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:var(--muted)}
main{padding:16px 24px;max-width:1400px}
h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none}
th.sorted-asc::after{content:" \25B2"}th.sorted-desc::after{content:" \25BC"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.path{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.verdict{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;font-weight:600}
.v-malicious{background:var(--malicious)}.v-dangerous{background:var(--dangerous)}
.v-unscannable{background:var(--unscannable)}.v-suspicious{background:var(--suspicious)}
.v-clean{background:var(--clean)}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:20px}
.filterbar{display:flex;gap:8px;align-items:center;margin:8px 0}
.filterbar input{padding:4px 6px;min-width:260px}
.item{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:10px 0}
.item>h3{margin-top:0}
.finding{border-left:4px solid var(--line);padding:4px 10px;margin:8px 0}
.finding.v-malicious,.finding.v-dangerous,.finding.v-unscannable,.finding.v-suspicious,.finding.v-clean{background:none}
.finding.sv-critical,.finding.sv-high{border-left-color:var(--dangerous)}
.finding.sv-medium{border-left-color:var(--suspicious)}
.meta{color:var(--muted);font-size:12px}
pre{background:var(--soft);border:1px solid var(--line);padding:8px;overflow:auto;max-height:480px;
font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
ol.flow{font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;background:var(--soft);
border:1px solid var(--line);padding:6px 6px 6px 44px;margin:4px 0}
ol.flow li{padding:1px 4px}ol.flow li.source{background:#fff3cd}ol.flow li.sink{background:#fde2dd;font-weight:600}
.ln{color:var(--muted);display:inline-block;min-width:5em}
ul.indicators{margin:4px 0;padding-left:20px;font-family:ui-monospace,Menlo,Consolas,monospace}
svg{max-width:100%;height:auto;background:#fff}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
[hidden]{display:none!important}
)CSS";

// Kept small and dependency-free. Sorting reads data-sort when present (numbers, times),
// else the cell text; "num" columns compare as numbers.
constexpr std::string_view kScript = R"JS(
(function(){
"use strict";
function key(cell,numeric){var v=cell.getAttribute("data-sort");if(v===null)v=cell.textContent.trim();
return numeric?(parseFloat(v)||0):v.toLowerCase();}
function sortTable(table,col,th){
var numeric=th.classList.contains("num")||th.hasAttribute("data-numeric");
var asc=!th.classList.contains("sorted-asc");
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.classList.remove("sorted-asc","sorted-desc");});
th.classList.add(asc?"sorted-asc":"sorted-desc");
var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a.cells[col],numeric),y=key(b.cells[col],numeric);
return (x<y?-1:x>y?1:0)*(asc?1:-1);});
rows.forEach(function(r){body.appendChild(r);});}
Array.prototype.forEach.call(document.querySelectorAll("table.sortable"),function(table){
if(!table.tHead||!table.tBodies.length)return;
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){
th.addEventListener("click",function(){sortTable(table,col,th);});});});
function applyFilter(bar){
var group=bar.getAttribute("data-for");
var text=(bar.querySelector("input").value||"").toLowerCase();
var sel=bar.querySelector("select");var verdict=sel?sel.value:"";
var shown=0;
Array.prototype.forEach.call(document.querySelectorAll('[data-filter="'+group+'"]'),function(el){
var ok=(!verdict||el.getAttribute("data-verdict")===verdict)&&
(!text||el.textContent.toLowerCase().indexOf(text)>=0);
el.hidden=!ok;if(ok&&el.tagName==="TR")shown++;});
var count=bar.querySelector(".shown-count");if(count)count.textContent=shown+" shown";}
Array.prototype.forEach.call(document.querySelectorAll(".filterbar"),function(bar){
bar.querySelector("input").addEventListener("input",function(){applyFilter(bar);});
var sel=bar.querySelector("select");if(sel)sel.addEventListener("change",function(){applyFilter(bar);});
applyFilter(bar);});
document.documentElement.setAttribute("data-hubguard-ready","1");
})();
)JS";

std::string base64_of_hex(std::string_view hex) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto nibble = [](char c) -> unsigned {
    return c <= '9' ? static_cast<unsigned>(c - '0') : static_cast<unsigned>(c - 'a' + 10);
  };
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16 |
                            static_cast<unsigned char>(bytes[i + 1]) << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < bytes.size()) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

std::string_view page_script() { return kScript; }

std::string page_script_csp_source() {
  return "'sha256-" + base64_of_hex(sha256_hex(as_bytes(kScript))) + "'";
}

void write_page_start(std::ostream& out, std::string_view title, std::string_view subtitle) {
  static const std::string csp = page_script_csp_source();
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:; script-src "
      << csp << "\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << html_escape(title) << "</title>\n<style>" << kStyle << "</style>\n"
      << "</head>\n<body>\n<header><h1>" << html_escape(title) << "</h1>";
  if (!subtitle.empty()) out << "<p>" << html_escape(subtitle) << "</p>";
  out << "</header>\n<main>\n";
}

void write_page_end(std::ostream& out) {
  out << "</main>\n<script>" << kScript << "</script>\n</body>\n</html>\n";
}

std::string filter_bar(std::string_view group, bool with_verdicts) {
  const std::string g = html_escape(group);
  std::string out = "<div class=\"filterbar\" data-for=\"" + g +
                    "\"><input type=\"search\" placeholder=\"Filter by text\" aria-label=\"Filter\">";
  if (with_verdicts) {
    out += "<select aria-label=\"Verdict\"><option value=\"\">every verdict</option>";
    for (const char* v : {"malicious", "dangerous", "unscannable", "suspicious", "clean"})
      out += std::string("<option value=\"") + v + "\">" + v + "</option>";
    out += "</select>";
  }
  out += "<span class=\"shown-count meta\"></span></div>\n";
  return out;
}

}  // namespace hubguard::report
