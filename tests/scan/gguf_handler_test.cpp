#include <gtest/gtest.h>

#include "format_test_support.hpp"
#include "hubguard/scan/engine.hpp"
#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/formats/jinja_template_check.hpp"

namespace hubguard::scan {
namespace {

using report::Verdict;
using testing::artifact_of;
using testing::FormatContext;
using testing::GgufBuilder;

const char* kChatML =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] | trim + "
    "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

FormatContext scan(const std::string& file) {
  FormatContext ctx;
  const auto a = artifact_of(file);
  EXPECT_TRUE(gguf_handler().accepts(a));
  gguf_handler().scan(a, ctx);
  return ctx;
}

GgufBuilder llama_like(unsigned version) {
  GgufBuilder b(version);
  b.kv_string("general.architecture", "llama")
      .kv_u32("general.alignment", 32)
      .kv_string_array("tokenizer.ggml.tokens", {"<s>", "</s>", "import", "exec(", "os.system"})
      .tensor("token_embd.weight", {4, 2}, 0, 0)
      .tensor("output.weight", {4}, 1, 32);
  return b;
}

TEST(Gguf, EveryVersionParsesCleanly) {
  for (unsigned v : {1u, 2u, 3u}) {
    auto ctx = scan(llama_like(v).kv_string("tokenizer.chat_template", kChatML).build(64));
    EXPECT_TRUE(ctx.errors.empty()) << "v" << v << " " << ctx.dump();
    EXPECT_TRUE(ctx.findings.empty()) << "v" << v << " " << ctx.dump();
    ASSERT_EQ(ctx.code.size(), 1u);
    EXPECT_EQ(ctx.code[0].kind, CodeKind::chat_template);
    EXPECT_EQ(ctx.code[0].text, kChatML);
  }
}

TEST(Gguf, NestedArraysAndAllScalarTypesAreWalked) {
  // An array of two arrays of u16, then one scalar of each type.
  std::string nested;
  testing::put_le(nested, 9, 4);   // items: arrays
  testing::put_le(nested, 2, 8);
  for (int i = 0; i < 2; ++i) {
    testing::put_le(nested, 2, 4);  // u16
    testing::put_le(nested, 3, 8);
    nested.append(6, '\x01');
  }
  GgufBuilder b(3);
  b.kv_raw("nested", 9, nested);
  for (std::uint32_t t : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 10u, 11u, 12u}) {
    const unsigned size = t <= 1 || t == 7 ? 1 : t <= 3 ? 2 : t <= 6 ? 4 : 8;
    b.kv_raw("scalar." + std::to_string(t), t, std::string(size, '\0'));
  }
  b.kv_string("general.name", "after the arrays");
  auto ctx = scan(b.build());
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
}

TEST(Gguf, BigEndianVersion3IsRead) {
  std::string be = "GGUF";
  be += std::string("\0\0\0\3", 4);
  be += std::string(8, '\0');                   // tensors
  be += std::string("\0\0\0\0\0\0\0\1", 8);     // one kv
  be += std::string("\0\0\0\0\0\0\0\4", 8) + "name" + std::string("\0\0\0\x08", 4);
  be += std::string("\0\0\0\0\0\0\0\2", 8) + "ok";
  auto ctx = scan(be);
  EXPECT_TRUE(ctx.errors.empty()) << ctx.dump();
}

TEST(Gguf, SandboxEscapeInTheChatTemplateIsMalicious) {
  const std::string evil =
      "{% for m in messages %}{{ m['content'] }}{% endfor %}"
      "{{ cycler.__init__.__globals__.os.popen('echo hubguard-fixture').read() }}";
  auto ctx = scan(llama_like(3).kv_string("tokenizer.chat_template", evil).build(64));
  EXPECT_TRUE(ctx.has_rule("gguf.template-sandbox-escape")) << ctx.dump();
  EXPECT_TRUE(ctx.has_rule("gguf.template-command")) << ctx.dump();
  EXPECT_EQ(ctx.worst(), Verdict::malicious);
}

TEST(Gguf, NamedTemplatesAreCheckedToo) {
  auto ctx = scan(llama_like(3)
                      .kv_string("tokenizer.chat_template", kChatML)
                      .kv_string("tokenizer.chat_template.tool_use", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
                      .build(64));
  EXPECT_TRUE(ctx.has_rule("gguf.template-sandbox-escape")) << ctx.dump();
  EXPECT_FALSE(ctx.has_rule("gguf.template-command"));
  EXPECT_EQ(ctx.code.size(), 2u);
}

TEST(Gguf, MetadataStringsWithCodeAreReported) {
  auto ctx = scan(llama_like(3).kv_string("general.description", "__import__('os').system('id')").build(64));
  EXPECT_TRUE(ctx.has_rule("gguf.metadata-code")) << ctx.dump();
}

TEST(Gguf, MalformedFilesAreUnscannable) {
  auto oversized_string = [] {
    std::string s = "GGUF";
    testing::put_le(s, 3, 4);
    testing::put_le(s, 0, 8);
    testing::put_le(s, 1, 8);
    testing::put_le(s, 1ULL << 62, 8);  // key length
    return s + "abc";
  };
  auto huge_counts = [] {
    std::string s = "GGUF";
    testing::put_le(s, 2, 4);
    testing::put_le(s, 1ULL << 40, 8);
    testing::put_le(s, 1ULL << 40, 8);
    return s;
  };
  auto deep_arrays = [] {
    std::string payload;
    for (int i = 0; i < 20; ++i) {
      testing::put_le(payload, 9, 4);
      testing::put_le(payload, 1, 8);
    }
    testing::put_le(payload, 0, 4);
    testing::put_le(payload, 0, 8);
    return GgufBuilder(3).kv_raw("deep", 9, payload).build();
  };
  auto bad_type = [] { return GgufBuilder(3).kv_raw("x", 99, "").build(); };
  auto bad_alignment = [] {
    return GgufBuilder(3).kv_u32("general.alignment", 24).tensor("t", {1}, 0, 0).build();
  };
  auto too_many_dims = [] { return GgufBuilder(3).tensor("t", std::vector<std::uint64_t>(40, 1), 0, 0).build(); };
  auto version_9 = [] {
    std::string s = GgufBuilder(3).build();
    s[4] = 9;
    return s;
  };
  auto data_past_end = [] { return GgufBuilder(3).tensor("t", {1}, 0, 4096).build(32); };
  for (const auto& [name, file] : std::vector<std::pair<std::string, std::string>>{
           {"oversized string", oversized_string()}, {"huge counts", huge_counts()},
           {"deep arrays", deep_arrays()}, {"bad type", bad_type()}, {"bad alignment", bad_alignment()},
           {"too many dims", too_many_dims()}, {"version 9", version_9()}, {"data past end", data_past_end()},
           {"magic only", "GGUF"}}) {
    auto ctx = scan(file);
    EXPECT_FALSE(ctx.errors.empty()) << name << ": " << ctx.dump();
  }
}

TEST(Gguf, EveryTruncationIsUnscannable) {
  // The data section is exactly the two tensors (32 + 8 bytes): every cut truncates something.
  const std::string file = llama_like(3).kv_string("tokenizer.chat_template", kChatML).build(40);
  ASSERT_TRUE(scan(file).errors.empty());
  for (std::size_t cut = 4; cut < file.size(); ++cut) {
    auto ctx = scan(file.substr(0, cut));
    EXPECT_FALSE(ctx.errors.empty()) << "cut at " << cut;
  }
}

TEST(Gguf, IsDetectedByContentThroughTheEngine) {
  const std::string file = llama_like(3).kv_string("tokenizer.chat_template", kChatML).build(64);
  auto r = scan_bytes(as_bytes(file), "model.bin", {});
  EXPECT_EQ(r.format, "gguf");
  EXPECT_EQ(r.verdict, Verdict::clean);
}

// --- the Jinja check on its own ---

TEST(JinjaTemplate, OrdinaryChatTemplatesArePlain) {
  const char* llama2 =
      "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
      "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
      "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
      "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
      "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
      "{% if loop.index0 == 0 and system_message != false %}"
      "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
      "{% else %}{% set content = message['content'] %}{% endif %}"
      "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
      "{% elif message['role'] == 'assistant' %}{{ ' ' + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
  const char* mistral_ns =
      "{%- set ns = namespace(found=false) -%}{%- for message in messages -%}"
      "{%- if message['role'] == 'system' -%}{%- set ns.found = true -%}{%- endif -%}{%- endfor -%}"
      "{{ bos_token }}{% for m in messages %}{{ m.role.upper() ~ ': ' ~ m.content | trim }}"
      "{% if m.tool_calls is defined %}{{ m.tool_calls | tojson }}{% endif %}{% endfor %}"
      "{# __class__ in a comment is not code #}";
  for (const char* t : {kChatML, llama2, mistral_ns}) {
    auto a = assess_jinja_template(t);
    EXPECT_FALSE(a.sandbox_escape) << t << "\n" << (a.reasons.empty() ? "" : a.reasons[0]);
  }
  // Dunder text outside the code blocks is output, not code.
  EXPECT_FALSE(assess_jinja_template("Explain __class__ and os.popen in Python. {{ messages[0].content }}").sandbox_escape);
}

TEST(JinjaTemplate, EscapeSpellingsAreRecognised) {
  for (const char* t : {
           "{{ ''.__class__.__mro__[1].__subclasses__() }}",
           "{{ lipsum.__globals__['os'].popen('id').read() }}",
           "{{ joiner.__init__.__globals__.__builtins__.eval('1') }}",
           "{{ namespace.__init__.__globals__ }}",
           "{{ messages|attr('__class__') }}",
           "{{ messages|attr('_'*2 ~ 'class' ~ '_'*2) }}",
           "{% set a = '__cla' ~ 'ss__' %}{{ messages|attr(a) }}",
           "{{ messages|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
           "{{ ('%c%c'|format(95,95)) }}",
           "{{ self._TemplateReference__context }}",
           "{{ x['__globals__'] }}",
       }) {
    EXPECT_TRUE(assess_jinja_template(t).sandbox_escape) << t;
  }
}

TEST(JinjaTemplate, CommandsReachedThroughAnEscapeAreMalicious) {
  EXPECT_TRUE(assess_jinja_template("{{ lipsum.__globals__['os'].popen('id').read() }}").command);
  EXPECT_TRUE(assess_jinja_template("{{ ''.__class__.__mro__[1].__subclasses__()[40].__init__.__globals__['__builtins__']['eval']('1') }}").command);
  // Without an escape, a name like `system` is just a variable.
  EXPECT_FALSE(assess_jinja_template("{% set system = messages[0] %}{{ system.content }}").command);
}

}  // namespace
}  // namespace hubguard::scan
