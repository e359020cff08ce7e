#include "hubguard/report/html_svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

#include "hubguard/report/html_escape.hpp"

namespace hubguard::report {
namespace {

constexpr double kWidth = 960, kLeft = 56, kRight = 36, kTop = 10, kBottom = 26;

double scale_x(double x, double x_min, double x_max) {
  const double span = x_max > x_min ? x_max - x_min : 1;
  return kLeft + (x - x_min) / span * (kWidth - kLeft - kRight);
}

void axis(std::string& out, double height, double x_min, double x_max,
          std::span<const SvgTick> ticks) {
  const double y = height - kBottom;
  out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#999\"/>",
                     kLeft, y, kWidth - kRight, y);
  for (const auto& t : ticks) {
    const double x = scale_x(t.x, x_min, x_max);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#999\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
        x, y, y + 4, y + 16, html_escape(t.label));
  }
}

}  // namespace

std::string palette_colour(std::size_t i) {
  static constexpr std::array<std::string_view, 10> kPalette = {
      "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
      "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  return std::string(kPalette[i % kPalette.size()]);
}

std::string svg_stacked_bars(std::span<const SvgBar> bars, std::span<const SvgSeries> series,
                             double x_min, double x_max, std::span<const SvgTick> ticks,
                             std::string_view label) {
  constexpr double kHeight = 240;
  double y_max = 0;
  for (const auto& b : bars) {
    double sum = 0;
    for (double p : b.parts) sum += p;
    y_max = std::max(y_max, sum);
  }
  if (y_max <= 0) y_max = 1;
  const double plot = kHeight - kTop - kBottom;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" role=\"img\" aria-label=\"{}\">",
      kWidth, kHeight, kWidth, kHeight, html_escape(label));
  for (double f : {0.0, 0.5, 1.0}) {
    const double y = kTop + plot * (1 - f);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#eee\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
        kLeft, y, kWidth - kRight, y, kLeft - 6, y + 4, std::llround(y_max * f));
  }
  for (const auto& b : bars) {
    const double x0 = scale_x(b.x0, x_min, x_max);
    const double w = std::max(0.8, scale_x(b.x1, x_min, x_max) - x0);
    out += "<g>";
    if (!b.tooltip.empty()) out += "<title>" + html_escape(b.tooltip) + "</title>";
    double base = 0;
    for (std::size_t s = 0; s < b.parts.size() && s < series.size(); ++s) {
      if (b.parts[s] <= 0) continue;
      const double h = plot * b.parts[s] / y_max;
      const double y = kTop + plot * (1 - (base + b.parts[s]) / y_max);
      out += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" "
                         "fill=\"{}\"/>",
                         x0, y, w, h, series[s].colour);
      base += b.parts[s];
    }
    out += "</g>";
  }
  axis(out, kHeight, x_min, x_max, ticks);
  return out + "</svg>";
}

std::string svg_raster(std::span<const SvgPoint> points, std::uint32_t rows, double x_min,
                       double x_max, std::span<const std::string> colours,
                       std::span<const SvgTick> ticks, std::string_view label) {
  const double row_h = rows > 150 ? 1.5 : rows > 60 ? 3 : 5;
  const double height = kTop + kBottom + row_h * std::max<std::uint32_t>(rows, 1);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {:.1f}\" width=\"{}\" "
      "height=\"{:.1f}\" role=\"img\" aria-label=\"{}\">",
      kWidth, height, kWidth, height, html_escape(label));
  out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", kLeft - 6,
                     kTop + 8, "accounts");
  for (const auto& p : points) {
    const double x = scale_x(p.x, x_min, x_max);
    const double y = kTop + row_h * p.row;
    const std::string colour =
        colours.empty() ? palette_colour(0) : colours[p.colour % colours.size()];
    out += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"2\" height=\"{:.2f}\" fill=\"{}\"/>",
                       x - 1, y, std::max(1.0, row_h - 0.5), colour);
  }
  axis(out, height, x_min, x_max, ticks);
  return out + "</svg>";
}

std::string svg_legend(std::span<const SvgSeries> series) {
  std::string out = "<div class=\"legend\">";
  for (const auto& s : series)
    out += "<span><i style=\"background:" + s.colour + "\"></i>" + html_escape(s.label) + "</span>";
  return out + "</div>\n";
}

}  // namespace hubguard::report
