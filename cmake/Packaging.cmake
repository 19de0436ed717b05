# Install rules and CPack: `cpack -G DEB` (runtime dependencies as Debian packages) and `cpack -G TGZ`.
# Layout: bin/concbench, bin/concbench-{plot,compare,tour,fleet,history}, share/concbench/scripts/,
# share/concbench/fleet/ (the fleet's Ansible playbook), share/concbench/peers/ (the external models' peers),
# share/doc/concbench/.
# docs/fleet.md explains the package; tests/scripts/test_package.py installs it.
include(GNUInstallDirs)

set(CONCBENCH_SCRIPTS_DIR "${CMAKE_INSTALL_DATADIR}/concbench/scripts")

install(TARGETS concbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The Python scripts find concbench_data, concbench_charts and concbench_history beside themselves.
install(PROGRAMS scripts/plot.py scripts/compare.py scripts/tour.py scripts/fleet scripts/history
        DESTINATION ${CONCBENCH_SCRIPTS_DIR})
install(FILES scripts/script_env.py DESTINATION ${CONCBENCH_SCRIPTS_DIR})  # every script imports it first
install(DIRECTORY scripts/concbench_data scripts/concbench_history DESTINATION ${CONCBENCH_SCRIPTS_DIR}
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY scripts/concbench_charts DESTINATION ${CONCBENCH_SCRIPTS_DIR}  # plot.py's charts and report,
        FILES_MATCHING PATTERN "*.py" PATTERN "*.js" PATTERN "*.css" PATTERN "*.md"  # its page's script and Chart.js
        PATTERN "__pycache__" EXCLUDE)
# The external models' Python peer (docs/models.md, "Finding the peer": <bin>/../share/concbench/peers/).
install(DIRECTORY peers/python DESTINATION ${CMAKE_INSTALL_DATADIR}/concbench/peers
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
# fleet (the wrapper scripts/fleet) runs the Ansible playbook it finds at ../fleet/playbook.yml.
install(FILES fleet/playbook.yml fleet/ansible.cfg fleet/inventory.example.yml DESTINATION ${CMAKE_INSTALL_DATADIR}/concbench/fleet)

# bin/ wrappers, relative to their own location so the .tar.gz works wherever it is unpacked.
foreach(wrapper plot:plot.py:/usr/bin/python3 compare:compare.py:/usr/bin/python3 tour:tour.py:/usr/bin/python3
                fleet:fleet:/usr/bin/python3 history:history:/usr/bin/python3)
  string(REPLACE ":" ";" parts "${wrapper}")
  list(GET parts 0 CONCBENCH_WRAPPER_NAME)
  list(GET parts 1 CONCBENCH_WRAPPER_SCRIPT)
  list(LENGTH parts n)
  set(CONCBENCH_WRAPPER_INTERPRETER "")
  if(n GREATER 2)
    list(GET parts 2 CONCBENCH_WRAPPER_INTERPRETER)
  endif()
  configure_file(${CMAKE_CURRENT_LIST_DIR}/wrapper.sh.in
                 ${CMAKE_BINARY_DIR}/wrappers/concbench-${CONCBENCH_WRAPPER_NAME} @ONLY)
  install(PROGRAMS ${CMAKE_BINARY_DIR}/wrappers/concbench-${CONCBENCH_WRAPPER_NAME} DESTINATION ${CMAKE_INSTALL_BINDIR})
endforeach()

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md" PATTERN "*.png")

set(CPACK_PACKAGE_NAME concbench)
set(CPACK_PACKAGE_VENDOR "concbench")
set(CPACK_PACKAGE_CONTACT "concbench maintainers <concbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "The same concurrency workloads under every execution model, measured")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)  # (the DEB generator installs under /usr by default, the TGZ at its top)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # concbench_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/concbench/concbench")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "ansible-core")  # for concbench-fleet, on the machine that drives the others
# The scripts need Debian's Python stack; the binary's shared libraries come from dpkg-shlibdeps (with
# versions) where it exists, else from this list (Debian 12 names).
set(_cb_python_depends "python3, python3-pandas, python3-matplotlib, python3-scipy, openssh-client")
find_program(CONCBENCH_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(CONCBENCH_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_cb_python_depends}")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libbenchmark1debian, libboost-fiber1.74.0, libboost-context1.74.0, libtbb12, \
libfmt9, ${_cb_python_depends}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/prerm.in ${CMAKE_BINARY_DIR}/debian/prerm @ONLY
               FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/debian/prerm)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/reports/;/\\\\.git/;__pycache__")

# A package is for other machines: refuse to pack a build tuned to this one's CPU.
set(CPACK_CONCBENCH_CXX_FLAGS "${CONCBENCH_CXX_FLAGS} ${CMAKE_CXX_FLAGS}")
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/check_portable.cmake)

include(CPack)
