# The SavedModel handler's protobuf subset (src/hubguard/scan/formats/proto/*.proto) is
# compiled by protoc at build time into build/generated/hubguard/scan/formats/proto/ and
# built as the static library `hubguard_tf_proto`, which the scan module links. Generated
# code is not ours to warn about: its include directory is a SYSTEM one and the library is
# compiled with -w.

find_package(Protobuf REQUIRED)

set(hubguard_proto_src ${CMAKE_CURRENT_LIST_DIR}/../src)
set(hubguard_proto_out ${CMAKE_BINARY_DIR}/generated_proto)
set(hubguard_tf_proto_rel hubguard/scan/formats/proto/tf_saved_model)
file(MAKE_DIRECTORY ${hubguard_proto_out}/hubguard/scan/formats/proto)
add_custom_command(
  OUTPUT ${hubguard_proto_out}/${hubguard_tf_proto_rel}.pb.cc ${hubguard_proto_out}/${hubguard_tf_proto_rel}.pb.h
  COMMAND protobuf::protoc --proto_path=${hubguard_proto_src} --cpp_out=${hubguard_proto_out}
          ${hubguard_proto_src}/${hubguard_tf_proto_rel}.proto
  DEPENDS ${hubguard_proto_src}/${hubguard_tf_proto_rel}.proto protobuf::protoc
  COMMENT "protoc ${hubguard_tf_proto_rel}.proto"
  VERBATIM)

add_library(hubguard_tf_proto STATIC ${hubguard_proto_out}/${hubguard_tf_proto_rel}.pb.cc)
target_include_directories(hubguard_tf_proto SYSTEM PUBLIC ${hubguard_proto_out})
target_link_libraries(hubguard_tf_proto PUBLIC protobuf::libprotobuf)
target_compile_options(hubguard_tf_proto PRIVATE -w)
set_target_properties(hubguard_tf_proto PROPERTIES POSITION_INDEPENDENT_CODE ON)
