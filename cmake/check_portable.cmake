# CPack pre-build script (cmake/Packaging.cmake): a package must run on any CPU of its architecture.
if(CPACK_CONCBENCH_CXX_FLAGS MATCHES "-march=native|-mtune=native|-mcpu=native")
  message(FATAL_ERROR "concbench: refusing to package a build with CPU-specific flags (${CPACK_CONCBENCH_CXX_FLAGS}); "
                      "configure a separate build directory without -march=native")
endif()
