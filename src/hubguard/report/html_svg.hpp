// Inline SVG charts for the HTML reports, drawn as plain markup (no script, no external
// library): stacked bars over a time axis (stars per day: fake, cleared and organic) and a
// raster (one row per account, one tick per event, coloured by category: a lockstep cluster
// shows as accounts hitting the same repositories at the same moments). Labels are escaped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hubguard::report {

struct SvgSeries {
  std::string label;
  std::string colour;  // a CSS colour we choose, never input
};

struct SvgBar {
  double x0 = 0, x1 = 0;       // extent on the x axis (same units as the ticks)
  std::vector<double> parts;   // one value per series, stacked bottom-up
  std::string tooltip;         // shown on hover (escaped here)
};

struct SvgTick {
  double x = 0;
  std::string label;
};

struct SvgPoint {
  double x = 0;
  std::uint32_t row = 0;
  std::uint32_t colour = 0;  // index into the colour list
};

// The i-th colour of a fixed, distinguishable palette (cycles).
std::string palette_colour(std::size_t i);

std::string svg_stacked_bars(std::span<const SvgBar> bars, std::span<const SvgSeries> series,
                             double x_min, double x_max, std::span<const SvgTick> ticks,
                             std::string_view label);

std::string svg_raster(std::span<const SvgPoint> points, std::uint32_t rows, double x_min,
                       double x_max, std::span<const std::string> colours,
                       std::span<const SvgTick> ticks, std::string_view label);

// A row of colour swatches with their (escaped) labels.
std::string svg_legend(std::span<const SvgSeries> series);

}  // namespace hubguard::report
