# Generates C++ (and gRPC) code for .proto files into the build tree; never into git.
find_program(ETNIK_PROTOC protoc REQUIRED)
find_program(ETNIK_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
set(ETNIK_GOOGLEAPIS_DIR /usr/share/gocode/src/github.com/gogo/googleapis
    CACHE PATH "google.rpc / google.api protos (Debian golang-github-gogo-googleapis-dev)")
set(ETNIK_PROTO_GEN_DIR ${PROJECT_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${ETNIK_PROTO_GEN_DIR})

# etnik_proto_library(<target> ROOT <dir> PROTOS <files relative to ROOT> [GRPC] [DEPS <targets>])
# With GRPC, files named *_service.proto get gRPC stubs (all files when none is so named).
function(etnik_proto_library name)
  cmake_parse_arguments(ARG "GRPC" "ROOT" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${proto})
    set(outs ${ETNIK_PROTO_GEN_DIR}/${base}.pb.cc ${ETNIK_PROTO_GEN_DIR}/${base}.pb.h)
    set(plugin_args)
    # Only files that define a service (named *_service.proto, or any file of a package without
    # that convention) get gRPC code; the rest would compile to empty files.
    if(ARG_GRPC AND (proto MATCHES "_service\\.proto$" OR NOT ARG_PROTOS MATCHES "_service\\.proto"))
      list(APPEND outs ${ETNIK_PROTO_GEN_DIR}/${base}.grpc.pb.cc ${ETNIK_PROTO_GEN_DIR}/${base}.grpc.pb.h)
      set(plugin_args --grpc_out=${ETNIK_PROTO_GEN_DIR} --plugin=protoc-gen-grpc=${ETNIK_GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND ${ETNIK_PROTOC} --cpp_out=${ETNIK_PROTO_GEN_DIR} ${plugin_args}
              -I${ARG_ROOT} -I${PROJECT_SOURCE_DIR}/proto -I${ETNIK_GOOGLEAPIS_DIR} -I/usr/share/grpc-proto -I/usr/include
              ${ARG_ROOT}/${proto}
      DEPENDS ${ARG_ROOT}/${proto} ${ETNIK_PROTOC}
      COMMENT "protoc ${proto}")
    list(APPEND srcs ${outs})
  endforeach()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} SYSTEM PUBLIC ${ETNIK_PROTO_GEN_DIR})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${name} PUBLIC gRPC::grpc++)
  endif()
endfunction()
