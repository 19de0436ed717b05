# Generates the sources behind harness/report/build_info.hpp.
# Static facts (compiler, flags, library versions) are fixed at configure time;
# the git sha is re-read at every build so a report never names a stale commit.
string(TOUPPER "${CMAKE_BUILD_TYPE}" _cb_config)
set(CONCBENCH_CXX_FLAGS "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_cb_config}}")
string(STRIP "${CONCBENCH_CXX_FLAGS}" CONCBENCH_CXX_FLAGS)
set(CONCBENCH_BUILD_TYPE "${CMAKE_BUILD_TYPE}")
set(CONCBENCH_COMPILER "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
set(CONCBENCH_LIB_BENCHMARK "${benchmark_VERSION}")
set(CONCBENCH_LIB_BOOST "${Boost_VERSION_STRING}")
set(CONCBENCH_LIB_TBB "${TBB_VERSION}")
set(CONCBENCH_LIB_FMT "${fmt_VERSION}")
set(CONCBENCH_LIB_CLI11 "${CLI11_VERSION}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/build_info.cpp.in ${CMAKE_BINARY_DIR}/generated/build_info.cpp @ONLY)

add_custom_target(concbench_git_sha
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${CMAKE_BINARY_DIR}/generated/git_sha.cpp
          -P ${CMAKE_CURRENT_LIST_DIR}/git_sha.cmake
  BYPRODUCTS ${CMAKE_BINARY_DIR}/generated/git_sha.cpp
  COMMENT "Reading git sha"
  VERBATIM)
