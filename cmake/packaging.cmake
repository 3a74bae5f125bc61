# cmake/packaging.cmake - Debian packages with CPack (`cpack -G DEB` in a
# build directory):
#   perfgate               the command and its man page; its library
#                          dependencies (libgit2, jansson, libcurl) found by
#                          dpkg-shlibdeps from the binary itself
#   libperfgate-bench-dev  the micro-benchmark harness: <perfgate/bench.h>,
#                          the static and shared libraries, pkg-config and
#                          CMake package files (libc only: libc6, and
#                          libc6-dev for the static library's libm)
# Installed under /usr.  tests/install/test_deb.sh builds and checks them.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME perfgate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "perfgate maintainers <perfgate@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "performance-regression gate for CI")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL perfgate bench)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PERFGATE_PACKAGE_NAME perfgate)
set(CPACK_DEBIAN_PERFGATE_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PERFGATE_PACKAGE_RECOMMENDS "git")
set(CPACK_DEBIAN_PERFGATE_PACKAGE_SUGGESTS "valgrind, linux-perf")
set(CPACK_COMPONENT_PERFGATE_DESCRIPTION
    "performance-regression gate for CI\n runs benchmarks, keeps their history by git commit and fails CI on regressions.")
set(CPACK_DEBIAN_BENCH_PACKAGE_NAME libperfgate-bench-dev)
set(CPACK_DEBIAN_BENCH_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_BENCH_PACKAGE_DEPENDS "libc6-dev")
set(CPACK_COMPONENT_BENCH_DESCRIPTION
    "perfgate's micro-benchmark harness (development files)\n <perfgate/bench.h>, static and shared libraries, pkg-config and CMake package files.")
include(CPack)
