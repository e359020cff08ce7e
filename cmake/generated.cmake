# Sources that are not in the repository:
# - the tree-sitter Python grammar (parser.c, scanner.c), fetched from the npm registry at
#   configure time with `npm pack` (version pinned; ABI 14 matches Debian's libtree-sitter
#   0.20.7) and compiled into a small static library. The tarball is cached in the build tree.

set(HUBGUARD_TS_PYTHON_VERSION 0.23.6)
set(ts_dir ${CMAKE_BINARY_DIR}/_deps/tree-sitter-python-${HUBGUARD_TS_PYTHON_VERSION})
set(ts_tgz ${ts_dir}/tree-sitter-python-${HUBGUARD_TS_PYTHON_VERSION}.tgz)
if(NOT EXISTS ${ts_dir}/package/src/parser.c)
  file(MAKE_DIRECTORY ${ts_dir})
  find_program(NPM_EXECUTABLE npm REQUIRED)
  message(STATUS "Fetching tree-sitter-python@${HUBGUARD_TS_PYTHON_VERSION} from the npm registry")
  execute_process(
    COMMAND ${NPM_EXECUTABLE} pack tree-sitter-python@${HUBGUARD_TS_PYTHON_VERSION} --silent
    WORKING_DIRECTORY ${ts_dir}
    RESULT_VARIABLE npm_rc OUTPUT_QUIET)
  if(NOT npm_rc EQUAL 0 OR NOT EXISTS ${ts_tgz})
    message(FATAL_ERROR "npm pack tree-sitter-python@${HUBGUARD_TS_PYTHON_VERSION} failed (${npm_rc}); "
                        "run scripts/setup and check access to the npm registry")
  endif()
  file(ARCHIVE_EXTRACT INPUT ${ts_tgz} DESTINATION ${ts_dir} PATTERNS package/src)
endif()

add_library(tree_sitter_python STATIC ${ts_dir}/package/src/parser.c ${ts_dir}/package/src/scanner.c)
target_include_directories(tree_sitter_python PRIVATE ${ts_dir}/package/src)
# Generated code: not ours to warn about.
target_compile_options(tree_sitter_python PRIVATE -w)
set_target_properties(tree_sitter_python PROPERTIES POSITION_INDEPENDENT_CODE ON)

# - the built-in YARA rules, embedded as a string (see embedded_rules.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/embedded_rules.cmake)

# - the SavedModel handler's protobuf subset, compiled by protoc (see tf_proto.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/tf_proto.cmake)
