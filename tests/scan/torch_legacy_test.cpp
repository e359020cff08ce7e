#include <gtest/gtest.h>

#include "container_test_support.hpp"
#include "hubguard/scan/format_registry.hpp"
#include "hubguard/scan/formats/formats.hpp"

namespace hubguard::scan {
namespace {

using testing::RecordingContext;
using testing::root_artifact;
using testing::text_of;

// What torch.save(..., _use_new_zipfile_serialization=False) writes first, per protocol.
const std::string kMagicP2("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15);
const std::string kMagicP4 =
    std::string("\x80\x04\x95\x0d\x00\x00\x00\x00\x00\x00\x00", 11) + kMagicP2.substr(2);
const std::string kMagicP0 = "L119547037146038801333356L\n.";
const std::string kRest = std::string("\x80\x02M\xe9\x03.", 6) + "\x80\x02}q\x00.";

TEST(TorchLegacy, RecognisesTheMagicPickleInEveryProtocol) {
  for (const auto& magic : {kMagicP2, kMagicP4, kMagicP0}) {
    const std::string file = magic + kRest;
    Artifact a = root_artifact(file);
    ASSERT_EQ(detect_format(a), &torch_legacy_handler()) << "magic of " << magic.size() << " bytes";
    RecordingContext ctx;
    torch_legacy_handler().scan(a, ctx);
    ASSERT_EQ(ctx.children.size(), 1u);
    EXPECT_EQ(text_of(ctx.children[0].bytes), kRest);
    EXPECT_EQ(ctx.children[0].offset_in_parent, magic.size());
    // The child is not claimed by this handler again.
    EXPECT_FALSE(torch_legacy_handler().accepts(ctx.children[0]));
  }
}

TEST(TorchLegacy, OtherLongsAndPicklesAreNotTheLegacyFormat) {
  std::string other = kMagicP2;
  other[6] = 0;
  EXPECT_FALSE(torch_legacy_handler().accepts(root_artifact(other + kRest)));
  EXPECT_FALSE(torch_legacy_handler().accepts(root_artifact(kRest)));
  EXPECT_FALSE(torch_legacy_handler().accepts(root_artifact(kMagicP2.substr(0, 8))));
}

TEST(TorchLegacy, MagicAloneIsUnscannable) {
  RecordingContext ctx;
  torch_legacy_handler().scan(root_artifact(kMagicP2), ctx);
  EXPECT_EQ(ctx.errors.size(), 1u);
}

}  // namespace
}  // namespace hubguard::scan
