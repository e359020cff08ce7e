// Pickle VM throughput: (a) a synthetic benign protocol-4 state dict with many small
// tensor-like entries (the shape of a big model's data.pkl), VM alone and VM + analysis;
// (b) a few large BINBYTES payloads, which the VM must skip over as views without copying.
#include <benchmark/benchmark.h>

#include <string>

#include "../tests/scan/pickle_assembler.hpp"
#include "hubguard/scan/pickle/pickle_analysis.hpp"
#include "hubguard/scan/pickle/pickle_vm.hpp"

namespace {

using hubguard::ScanLimits;
using hubguard::scan::pickle::test::PickleAsm;

// OrderedDict of `tensors` entries "layers.N.weight" -> _rebuild_tensor_v2(persistent
// storage, offset, shape, stride, False, OrderedDict()), with memoized globals and SETITEMS
// batches of 1000, as torch.save writes them.
std::string state_dict(int tensors) {
  PickleAsm a;
  a.proto(4).frame(0);
  a.global("collections", "OrderedDict").memoize().empty_tuple().reduce().memoize();  // memo 0, 1
  a.global("torch._utils", "_rebuild_tensor_v2").memoize();                          // memo 2
  a.global("torch", "FloatStorage").memoize();                                       // memo 3
  std::uint32_t memo = 4;
  for (int i = 0; i < tensors; ++i) {
    if (i % 1000 == 0) {
      if (i) a.setitems();
      a.mark();
    }
    a.short_unicode("layers." + std::to_string(i) + ".weight").memoize();
    a.long_binget(2).mark().mark().short_unicode("storage").long_binget(3)
        .short_unicode(std::to_string(i)).short_unicode("cpu").binint(1024).tuple().binpersid()
        .binint1(0).binint2(32).binint2(32).tuple2().binint2(32).binint1(1).tuple2().newfalse()
        .long_binget(0).empty_tuple().reduce().tuple().reduce().memoize();
    memo += 2;
  }
  a.setitems().stop();
  benchmark::DoNotOptimize(memo);
  return a.str();
}

std::string big_binbytes(int payloads, std::size_t size) {
  PickleAsm a;
  a.proto(4).empty_list().mark();
  std::string chunk(size, '\x5a');
  for (int i = 0; i < payloads; ++i) a.binbytes8(chunk);
  a.appends().stop();
  return a.str();
}

void BM_StateDictVm(benchmark::State& state) {
  const std::string data = state_dict(static_cast<int>(state.range(0)));
  ScanLimits limits;
  for (auto _ : state) {
    auto p = hubguard::scan::pickle::run_pickle(hubguard::as_bytes(data), 0, limits);
    benchmark::DoNotOptimize(p.calls.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
  state.counters["pickle_bytes"] = static_cast<double>(data.size());
}
BENCHMARK(BM_StateDictVm)->Arg(1000)->Arg(20000)->Unit(benchmark::kMillisecond);

void BM_StateDictVmAndAnalysis(benchmark::State& state) {
  const std::string data = state_dict(static_cast<int>(state.range(0)));
  ScanLimits limits;
  for (auto _ : state) {
    auto p = hubguard::scan::pickle::run_pickle(hubguard::as_bytes(data), 0, limits);
    auto f = hubguard::scan::pickle::analyze(p);
    benchmark::DoNotOptimize(f.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_StateDictVmAndAnalysis)->Arg(20000)->Unit(benchmark::kMillisecond);

void BM_LargeBinbytes(benchmark::State& state) {
  const std::string data = big_binbytes(static_cast<int>(state.range(0)), 16u << 20);
  ScanLimits limits;
  for (auto _ : state) {
    auto p = hubguard::scan::pickle::run_pickle(hubguard::as_bytes(data), 0, limits);
    benchmark::DoNotOptimize(p.nodes.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_LargeBinbytes)->Arg(16)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
