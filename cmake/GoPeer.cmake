# The `go` model's peer (docs/models.md, "External models: the peer protocol"): built from peers/go/ into
# concbench-peer-go beside the concbench binary when Go is installed (Debian's golang-go); without Go the
# model's rows are `unsupported` with the reason. Only the standard library: no network (GOPROXY=off), no
# user Go settings (GOENV=off, GOFLAGS empty), the caches under the build tree so any user can build.
find_program(CONCBENCH_GO go)
if(NOT CONCBENCH_GO)
  message(STATUS "go not found: the go model's rows will be unsupported (install golang-go)")
  return()
endif()

set(CONCBENCH_PEER_GO ${CMAKE_BINARY_DIR}/concbench-peer-go)
set(_cb_go_home ${CMAKE_BINARY_DIR}/go-home)
file(GLOB CONCBENCH_PEER_GO_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/peers/go/*.go)
add_custom_command(
  OUTPUT ${CONCBENCH_PEER_GO}
  COMMAND ${CMAKE_COMMAND} -E env HOME=${_cb_go_home} GOPATH=${_cb_go_home}/path GOCACHE=${_cb_go_home}/cache
          GOPROXY=off GOFLAGS= GOENV=off GOWORK=off GOTOOLCHAIN=local GO111MODULE=on CGO_ENABLED=0
          ${CONCBENCH_GO} build -trimpath -o ${CONCBENCH_PEER_GO} .
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/peers/go
  DEPENDS ${CONCBENCH_PEER_GO_SOURCES} ${PROJECT_SOURCE_DIR}/peers/go/go.mod
  COMMENT "Building the Go peer concbench-peer-go"
  VERBATIM)
add_custom_target(concbench_peer_go ALL DEPENDS ${CONCBENCH_PEER_GO})
add_dependencies(concbench concbench_peer_go)  # building concbench builds the peer its go rows need
install(PROGRAMS ${CONCBENCH_PEER_GO} DESTINATION ${CMAKE_INSTALL_BINDIR})
