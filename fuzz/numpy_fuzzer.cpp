// The .npy header parser (the bounded Python-literal reader of 'descr'/'shape') and the numpy
// handler (object arrays hand their pickle payload on as a child).
#include "fuzz_support.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/numpy_header.hpp"

using namespace hubguard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint64_t sum = 0;
  if (auto header = scan::parse_npy_header(Bytes(data, size))) {
    sum += header->data_offset + fuzz::touch(header->descr);
    if (auto payload = header->payload_size()) sum += *payload;
  }
  sum += fuzz::run_handler(scan::numpy_handler(), data, size);
  fuzz::keep(sum);
  return 0;
}
