// The Keras H5 handler over the fixtures of tests/fixtures/keras_h5_fixtures.py: detection by
// the HDF5 signature (also behind a user block), the superblock checks made before libhdf5
// sees the bytes, the root attributes read from memory, the Keras config walk over
// model_config and training_config (findings say which attribute), and malformed files as
// `unscannable` with a reason. Also: concurrent scans give the same results (libhdf5 is
// shared process state).
#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <iterator>
#include <thread>

#include "format_test_support.hpp"
#include "hubguard/core/sanitizers.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/hdf5_image.hpp"
#include "hubguard/scan/formats/hdf5_superblock.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using testing::artifact_of;
using testing::FormatContext;

std::string fixture(const std::string& rel) {
  std::ifstream in(std::string(HUBGUARD_FIXTURES) + "/formats/" + rel, std::ios::binary);
  EXPECT_TRUE(in.good()) << rel << ": run /usr/bin/python3 tests/fixtures/make_format_fixtures.py";
  return std::string(std::istreambuf_iterator<char>(in), {});
}

FormatContext scan(const std::string& data) {
  FormatContext ctx;
  const auto a = artifact_of(data, "model.h5");
  EXPECT_TRUE(keras_h5_handler().accepts(a));
  keras_h5_handler().scan(a, ctx);
  return ctx;
}

bool has_format(const FormatContext& ctx, const std::string& f) {
  return std::find(ctx.formats.begin(), ctx.formats.end(), f) != ctx.formats.end();
}

TEST(KerasH5, SignatureIsFoundAtZeroAndAfterAUserBlock) {
  EXPECT_EQ(find_hdf5_signature(as_bytes(fixture("benign/keras_h5/sequential.h5"))), 0u);
  EXPECT_EQ(find_hdf5_signature(as_bytes(fixture("malicious/keras_h5/userblock_pickle.h5"))), 512u);
  std::string late(8192, '\0');
  late.replace(4096, kHdf5Signature.size(), kHdf5Signature);
  EXPECT_EQ(find_hdf5_signature(as_bytes(late)), 4096u);
  late.replace(4096, 8, "........");
  late.replace(3000, kHdf5Signature.size(), kHdf5Signature);  // not a power of two: HDF5 never looks there
  EXPECT_FALSE(find_hdf5_signature(as_bytes(late)));
  EXPECT_FALSE(keras_h5_handler().accepts(artifact_of(fixture("suspicious/keras_h5/pickle_named.h5"))));
  EXPECT_FALSE(keras_h5_handler().accepts(artifact_of(std::string(kHdf5Signature.substr(0, 7)))));
}

TEST(KerasH5, SuperblockChecksRefuseTruncatedAndOddFiles) {
  const std::string good = fixture("benign/keras_h5/sequential.h5");
  auto sb = check_hdf5_superblock(as_bytes(good), 0);
  ASSERT_TRUE(sb) << sb.error().message;
  EXPECT_EQ(sb->version, 0u);  // h5py's default (earliest) format
  EXPECT_EQ(sb->offset_size, 8u);
  EXPECT_EQ(sb->end_of_file, good.size());

  auto truncated = check_hdf5_superblock(as_bytes(std::string_view(good).substr(0, good.size() / 2)), 0);
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos) << truncated.error().message;
  EXPECT_FALSE(check_hdf5_superblock(as_bytes(std::string_view(good).substr(0, 20)), 0));

  std::string bad_version = good;
  bad_version[8] = 7;
  EXPECT_FALSE(check_hdf5_superblock(as_bytes(bad_version), 0));
  std::string bad_width = good;
  bad_width[13] = 3;
  EXPECT_FALSE(check_hdf5_superblock(as_bytes(bad_width), 0));
  std::string driver = good;  // v0: base, free-space, end-of-file, then the driver-info address
  for (int i = 0; i < 8; ++i) driver[24 + 3 * 8 + i] = i == 0 ? 0x60 : 0;
  auto multi = check_hdf5_superblock(as_bytes(driver), 0);
  ASSERT_FALSE(multi);
  EXPECT_NE(multi.error().message.find("driver"), std::string::npos);
}

TEST(KerasH5, RootAttributesAreReadFromMemoryFixedAndVariableLength) {
  const std::string data = fixture("benign/keras_h5/sequential.h5");
  constexpr std::array<std::string_view, 3> kWanted{"model_config", "training_config", "absent"};
  auto attrs = read_hdf5_root_attributes(as_bytes(data), kWanted, 1 << 20);
  ASSERT_TRUE(attrs) << attrs.error().message;
  EXPECT_EQ(attrs->names.size(), 4u);
  ASSERT_EQ(attrs->strings.size(), 2u);
  EXPECT_EQ(attrs->strings[0].name, "model_config");  // fixed-length bytes
  EXPECT_TRUE(attrs->strings[0].value.starts_with(R"({"class_name": "Sequential")")) << attrs->strings[0].value.substr(0, 80);
  EXPECT_EQ(attrs->strings[0].value.back(), '}');
  EXPECT_EQ(attrs->strings[1].name, "training_config");  // variable-length str
  EXPECT_TRUE(attrs->strings[1].value.starts_with(R"({"loss": "mse")")) << attrs->strings[1].value.substr(0, 80);

  auto small = read_hdf5_root_attributes(as_bytes(data), std::span(kWanted).first(1), 64);
  ASSERT_FALSE(small);
  EXPECT_NE(small.error().message.find("model_config"), std::string::npos) << small.error().message;
  auto small_vlen = read_hdf5_root_attributes(as_bytes(data), std::span(kWanted).subspan(1, 1), 8);
  ASSERT_FALSE(small_vlen);
  EXPECT_NE(small_vlen.error().message.find("training_config"), std::string::npos) << small_vlen.error().message;
}

TEST(KerasH5, PlainKerasModelsAreClean) {
  for (const char* rel : {"benign/keras_h5/sequential.h5", "benign/keras_h5/functional_wrappers.h5",
                          "benign/keras_h5/weights_only.h5"}) {
    auto ctx = scan(fixture(rel));
    EXPECT_TRUE(has_format(ctx, "keras-h5")) << rel;
    EXPECT_TRUE(ctx.errors.empty()) << rel << "\n" << ctx.dump();
    EXPECT_TRUE(ctx.findings.empty()) << rel << "\n" << ctx.dump();
    EXPECT_TRUE(ctx.code.empty()) << rel;
  }
}

TEST(KerasH5, HdfWithoutKerasAttributesIsPlainData) {
  auto ctx = scan(fixture("benign/keras_h5/plain_data.hdf5"));
  EXPECT_FALSE(has_format(ctx, "keras-h5"));
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
  EXPECT_TRUE(ctx.findings.empty()) << ctx.dump();
}

TEST(KerasH5, LambdaCallingACommandIsDangerousAndSaysWhatItCalls) {
  auto ctx = scan(fixture("malicious/keras_h5/lambda_echo.h5"));
  const auto* lambda = ctx.rule("keras.lambda");
  ASSERT_NE(lambda, nullptr) << ctx.dump();
  EXPECT_EQ(lambda->verdict, Verdict::dangerous) << ctx.dump();
  EXPECT_NE(lambda->message.find("os.system"), std::string::npos) << lambda->message;
  EXPECT_NE(lambda->message.find("HDF5 root attribute model_config"), std::string::npos) << lambda->message;
  EXPECT_NE(lambda->evidence.find("echo hubguard-fixture"), std::string::npos) << lambda->evidence;
  ASSERT_EQ(ctx.code.size(), 1u);
  EXPECT_EQ(ctx.code[0].kind, CodeKind::bytecode);
  EXPECT_NE(ctx.code[0].via.find("Lambda layer 'lambda'"), std::string::npos) << ctx.code[0].via;
  EXPECT_NE(ctx.code[0].via.find("model_config"), std::string::npos) << ctx.code[0].via;
}

TEST(KerasH5, LambdaDoingArithmeticStaysSuspicious) {
  auto ctx = scan(fixture("suspicious/keras_h5/lambda_arithmetic.h5"));
  ASSERT_TRUE(ctx.has_rule("keras.lambda")) << ctx.dump();
  EXPECT_EQ(ctx.worst(), Verdict::suspicious) << ctx.dump();
  ASSERT_EQ(ctx.code.size(), 1u);
  EXPECT_NE(ctx.code[0].text.find("x * 2"), std::string::npos) << ctx.code[0].text;
}

TEST(KerasH5, LambdaNestedInWrappersIsFound) {
  auto ctx = scan(fixture("malicious/keras_h5/nested_lambda_exec.h5"));
  const auto* lambda = ctx.rule("keras.lambda");
  ASSERT_NE(lambda, nullptr) << ctx.dump();
  EXPECT_GE(lambda->verdict, Verdict::dangerous);
  EXPECT_NE(lambda->message.find("'deep'"), std::string::npos) << lambda->message;
  EXPECT_NE(lambda->message.find("exec"), std::string::npos) << lambda->message;
}

TEST(KerasH5, FunctionReferencesAndTrainingConfigCallablesAreJudged) {
  auto ref = scan(fixture("malicious/keras_h5/lambda_function_ref.h5"));
  EXPECT_TRUE(ref.has_rule("keras.foreign-callable")) << ref.dump();
  EXPECT_EQ(ref.worst(), Verdict::malicious);
  auto training = scan(fixture("malicious/keras_h5/training_config_eval.h5"));
  const auto* eval = training.rule("keras.foreign-callable");
  ASSERT_NE(eval, nullptr) << training.dump();
  EXPECT_EQ(eval->verdict, Verdict::malicious);
  EXPECT_NE(eval->message.find("HDF5 root attribute training_config"), std::string::npos) << eval->message;
  auto custom = scan(fixture("suspicious/keras_h5/custom_object.h5"));
  EXPECT_TRUE(custom.has_rule("keras.custom-object")) << custom.dump();
  EXPECT_EQ(custom.worst(), Verdict::suspicious);
}

TEST(KerasH5, UserBlockIsScannedAsAMember) {
  const std::string data = fixture("malicious/keras_h5/userblock_pickle.h5");
  auto ctx = scan(data);
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
  ASSERT_EQ(ctx.children.size(), 1u) << ctx.dump();
  EXPECT_EQ(ctx.children[0].name, "user-block");
  EXPECT_EQ(ctx.children[0].bytes.size(), 512u);
  // End to end: the pickle in the user block is found and located there.
  const auto r = scan_file(std::string(HUBGUARD_FIXTURES) + "/formats/malicious/keras_h5/userblock_pickle.h5", {});
  EXPECT_EQ(r.format, "keras-h5");
  EXPECT_GE(r.verdict, Verdict::dangerous);  // os.system of a harmless command, as the pickle analysis rates it
  bool located = false;
  for (const auto& f : r.findings)
    located = located || (f.verdict >= Verdict::dangerous && f.rule.starts_with("pickle.") && f.location.member == "user-block");
  EXPECT_TRUE(located);
}

TEST(KerasH5, BytesAfterTheStatedEndAreScannedAsAMember) {
  const std::string data = fixture("benign/keras_h5/sequential.h5") + "cposix\nsystem\n(S'echo hubguard-fixture'\ntR.";
  auto ctx = scan(data);
  ASSERT_EQ(ctx.children.size(), 1u) << ctx.dump();
  EXPECT_EQ(ctx.children[0].name, "trailing-data");
}

TEST(KerasH5, MalformedFilesAreUnscannableWithAReason) {
  for (const char* rel : {"malformed/keras_h5/truncated.h5", "malformed/keras_h5/signature_only.h5",
                          "malformed/keras_h5/corrupt_root.h5", "malformed/keras_h5/model_config_not_json.h5"}) {
    auto ctx = scan(fixture(rel));
    ASSERT_FALSE(ctx.errors.empty()) << rel << "\n" << ctx.dump();
    EXPECT_TRUE(ctx.errors[0].find("hdf5: ") != std::string::npos || ctx.errors[0].find("keras-h5: ") != std::string::npos)
        << ctx.errors[0];
  }
  auto not_json = scan(fixture("malformed/keras_h5/model_config_not_json.h5"));
  ASSERT_FALSE(not_json.errors.empty());
  EXPECT_NE(not_json.errors[0].find("model_config"), std::string::npos) << not_json.errors[0];
}

constexpr std::array<std::string_view, 2> kConfigs{"model_config", "training_config"};

TEST(KerasH5, CutAndBentFilesNeverCrashTheScanner) {
  // Every cut of a real file, and the file with a byte flipped every 13 through its metadata:
  // libhdf5 1.10 crashes (corrupt global heap) or loops forever on some of these, which
  // must come back as an error for the file. Read directly with a short stall timeout.
  const std::string good = fixture("malicious/keras_h5/lambda_echo.h5");
  for (std::size_t cut = 0; cut < good.size(); cut += 97) {
    FormatContext ctx;
    const std::string part = good.substr(0, cut);
    const auto a = artifact_of(part);
    if (!keras_h5_handler().accepts(a)) continue;
    keras_h5_handler().scan(a, ctx);
    EXPECT_FALSE(ctx.errors.empty()) << "cut at " << cut;  // every cut is truncated
  }
  std::size_t errors = 0;
  for (std::size_t at = 8; at < 4096 && at < good.size(); at += 13) {
    std::string bent = good;
    bent[at] = static_cast<char>(bent[at] ^ 0x5A);
    const auto bytes = as_bytes(bent);
    if (!check_hdf5_superblock(bytes, 0)) {
      ++errors;
      continue;
    }
    auto r = read_hdf5_root_attributes(bytes, kConfigs, 1 << 20, std::chrono::milliseconds(1500));
    if (!r) ++errors;
  }
  EXPECT_GT(errors, 0u);
}

TEST(KerasH5, CrashesAndStallsOfLibhdf5AreErrors) {
  const std::string good = fixture("malicious/keras_h5/lambda_echo.h5");
  // Found by the test above (Debian's libhdf5 1.10.8): flipping byte 983 makes it fault
  // (SIGSEGV), byte 2712 makes it loop forever. Both happen only in the forked reader.
  std::string crash = good;
  crash[983] = static_cast<char>(crash[983] ^ 0x5A);
  auto crashed = read_hdf5_root_attributes(as_bytes(crash), kConfigs, 1 << 20);
  ASSERT_FALSE(crashed);
  EXPECT_NE(crashed.error().message.find("crashed"), std::string::npos) << crashed.error().message;
  std::string stall = good;
  stall[2712] = static_cast<char>(stall[2712] ^ 0x5A);
  auto stalled = read_hdf5_root_attributes(as_bytes(stall), kConfigs, 1 << 20, std::chrono::milliseconds(500));
  ASSERT_FALSE(stalled);
  EXPECT_NE(stalled.error().message.find("did not finish"), std::string::npos) << stalled.error().message;
}

TEST(KerasH5, TheFuzzersLibhdf5CrashIsContained) {
  // fuzz/known_crashes: libhdf5 dereferences NULL in H5A__close while closing this file.
  std::ifstream in(std::string(HUBGUARD_SOURCE_DIR) + "/fuzz/known_crashes/keras_h5/libhdf5_h5a_close_segv.h5",
                   std::ios::binary);
  if (!in) GTEST_SKIP() << "no known crash input";
  const std::string data(std::istreambuf_iterator<char>(in), {});
  FormatContext ctx;
  const auto a = artifact_of(data);
  ASSERT_TRUE(keras_h5_handler().accepts(a));
  keras_h5_handler().scan(a, ctx);  // still here: the fault happened in the forked reader
  ASSERT_FALSE(ctx.errors.empty()) << ctx.dump();
  EXPECT_NE(ctx.errors[0].find("hdf5: "), std::string::npos) << ctx.errors[0];
}

TEST(KerasH5, ConcurrentScansAgree) {
  if (HUBGUARD_ASAN)
    GTEST_SKIP() << "the ASan allocator is not fork-safe with other threads allocating (see "
                    "hubguard/core/sanitizers.hpp); the ordinary build runs this test";
  const std::array<std::string, 4> files{fixture("malicious/keras_h5/lambda_echo.h5"),
                                         fixture("benign/keras_h5/functional_wrappers.h5"),
                                         fixture("malformed/keras_h5/corrupt_root.h5"),
                                         fixture("malicious/keras_h5/training_config_eval.h5")};
  std::array<std::string, 4> expected;
  for (std::size_t i = 0; i < files.size(); ++i) expected[i] = scan(files[i]).dump();
  std::vector<std::thread> threads;
  std::array<bool, 4> same{};
  same.fill(true);
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        const std::size_t i = (t + static_cast<std::size_t>(round)) % files.size();
        FormatContext ctx;
        keras_h5_handler().scan(artifact_of(files[i]), ctx);
        if (ctx.dump() != expected[i]) same[t] = false;
      }
    });
  for (auto& th : threads) th.join();
  for (bool s : same) EXPECT_TRUE(s);
}

}  // namespace
}  // namespace hubguard::scan
