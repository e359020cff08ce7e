// Scanning a Keras H5 file must cost the same whatever the size of its weights: the handler
// reads the superblock and the root group's attributes from the mapped file and never a
// dataset. This program writes Keras 2 H5 files (root attributes keras_version, backend,
// model_config, training_config; a model_weights group of 16 contiguous float32 datasets) of
// growing size with libhdf5, then times scan::scan_file on each over several runs (median)
// and counts the page faults one scan takes, its forked libhdf5 reader included (pages of
// the file actually touched, plus the heap and the child's copy-on-write pages: a floor of
// some hundreds that does not grow with the weights).
// Usage: keras_h5_bench [DIR] [RUNS] [SIZES_MB...]   (defaults: /tmp/hubguard-h5-bench 9
//        1 100 1000). Files are kept between runs; delete DIR to regenerate.
#include <hdf5.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "hubguard/scan/engine.hpp"

namespace fs = std::filesystem;
using namespace hubguard;

namespace {

constexpr int kDatasets = 16;

const char* kModelConfig =
    R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [)"
    R"({"class_name": "InputLayer", "config": {"batch_input_shape": [null, 1024], "dtype": "float32", "name": "in"}},)"
    R"({"class_name": "Dense", "config": {"name": "dense", "units": 1024, "activation": "relu", "use_bias": true,)"
    R"( "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}}}]},)"
    R"( "keras_version": "2.13.1", "backend": "tensorflow"})";
const char* kTrainingConfig =
    R"({"loss": "mse", "metrics": null, "optimizer_config": {"class_name": "Adam", "config": {"learning_rate": 0.001}}})";

bool string_attribute(hid_t loc, const char* name, const char* value) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, std::char_traits<char>::length(value));
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  const bool ok = attr >= 0 && H5Awrite(attr, type, value) >= 0;
  if (attr >= 0) H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
  return ok;
}

// A Keras 2 H5 file with `megabytes` of float32 weights, written slab by slab.
bool write_model(const fs::path& path, std::uint64_t megabytes) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) return false;
  bool ok = string_attribute(file, "keras_version", "2.13.1") && string_attribute(file, "backend", "tensorflow") &&
            string_attribute(file, "model_config", kModelConfig) &&
            string_attribute(file, "training_config", kTrainingConfig);
  const hid_t group = H5Gcreate2(file, "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t floats = std::max<hsize_t>(1, (megabytes << 20) / sizeof(float) / kDatasets);
  const hsize_t slab = std::min<hsize_t>(floats, 4u << 20);
  std::vector<float> data(slab);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 1000) / 1000.0f;
  for (int d = 0; ok && d < kDatasets; ++d) {
    const hid_t space = H5Screate_simple(1, &floats, nullptr);
    const std::string name = "kernel_" + std::to_string(d);
    const hid_t set = H5Dcreate2(group, name.c_str(), H5T_NATIVE_FLOAT, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    for (hsize_t at = 0; ok && at < floats; at += slab) {
      const hsize_t count = std::min(slab, floats - at);
      const hid_t memory = H5Screate_simple(1, &count, nullptr);
      H5Sselect_hyperslab(space, H5S_SELECT_SET, &at, nullptr, &count, nullptr);
      ok = H5Dwrite(set, H5T_NATIVE_FLOAT, memory, space, H5P_DEFAULT, data.data()) >= 0;
      H5Sclose(memory);
    }
    H5Dclose(set);
    H5Sclose(space);
  }
  H5Gclose(group);
  return H5Fclose(file) >= 0 && ok;
}

// Page faults of this process plus those of the finished libhdf5 reader children (the
// handler reads the file's metadata in a forked child).
long faults() {
  long total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage u{};
    getrusage(who, &u);
    total += u.ru_minflt + u.ru_majflt;
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path dir = argc > 1 ? argv[1] : "/tmp/hubguard-h5-bench";
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 9;
  std::vector<std::uint64_t> sizes;
  for (int i = 3; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  if (sizes.empty()) sizes = {1, 100, 1000};
  fs::create_directories(dir);
  std::printf("%10s %14s %12s %12s %10s %s\n", "weights", "file bytes", "median ms", "min ms", "faults", "verdict");
  for (auto mb : sizes) {
    const fs::path path = dir / ("keras_" + std::to_string(mb) + "mb.h5");
    if (!fs::exists(path) && !write_model(path, mb)) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
    std::vector<double> ms;
    report::FileReport last;
    long touched = 0;
    for (int r = 0; r < runs; ++r) {
      const long before = faults();
      const auto t0 = std::chrono::steady_clock::now();
      last = scan::scan_file(path, {});
      const auto t1 = std::chrono::steady_clock::now();
      touched = faults() - before;
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%7llu MB %14llu %12.3f %12.3f %10ld %s [%s]%s\n", static_cast<unsigned long long>(mb),
                static_cast<unsigned long long>(fs::file_size(path)), ms[ms.size() / 2], ms.front(), touched,
                std::string(to_string(last.verdict)).c_str(), last.format.c_str(),
                last.error.empty() ? "" : (" error: " + last.error).c_str());
  }
  return 0;
}
