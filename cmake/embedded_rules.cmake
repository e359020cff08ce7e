# The built-in YARA rules (src/hubguard/scan/rules/builtin_rules.yar) are compiled into the
# binary: at configure time the .yar file becomes a C++ raw string literal in a generated
# header, and the build directory's `generated/` folder is put on the include path of the
# targets defined after this fragment. Editing the .yar re-runs the configure step.

set(HUBGUARD_RULES_YAR ${CMAKE_CURRENT_LIST_DIR}/../src/hubguard/scan/rules/builtin_rules.yar)
set(HUBGUARD_GENERATED_DIR ${CMAKE_BINARY_DIR}/generated)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${HUBGUARD_RULES_YAR})

file(READ ${HUBGUARD_RULES_YAR} hubguard_rules_text)
string(FIND "${hubguard_rules_text}" ")hubguard_yara\"" hubguard_rules_bad)
if(NOT hubguard_rules_bad EQUAL -1)
  message(FATAL_ERROR "builtin_rules.yar must not contain the raw-string delimiter )hubguard_yara\"")
endif()
set(hubguard_rules_header ${HUBGUARD_GENERATED_DIR}/hubguard/scan/rules/builtin_rules_text.hpp)
file(WRITE ${hubguard_rules_header}.tmp
  "// Generated from src/hubguard/scan/rules/builtin_rules.yar by cmake/embedded_rules.cmake.\n"
  "#pragma once\n"
  "namespace hubguard::scan::rules {\n"
  "inline constexpr const char kBuiltinRulesText[] = R\"hubguard_yara(${hubguard_rules_text})hubguard_yara\";\n"
  "}  // namespace hubguard::scan::rules\n")
# Copy only when the text changed, so an unrelated re-configure does not rebuild the scanner.
configure_file(${hubguard_rules_header}.tmp ${hubguard_rules_header} COPYONLY)
include_directories(${HUBGUARD_GENERATED_DIR})
