/*
 * curl-7.81/curl/curl.h - libcurl 7.81 (Ubuntu 22.04's) as src/http.c sees
 * it, for the compile check `build_libcurl_7_81` (tests/CMakeLists.txt):
 * the installed header, with 7.81's version number, nothing marked
 * deprecated (7.81 marked nothing), and the options added in 7.85 made
 * unusable, so that code needing a newer libcurl fails to compile here
 * (the type checks of curl_easy_setopt(), which name every option, off).
 */
#ifndef PG_TEST_CURL_7_81_H
#define PG_TEST_CURL_7_81_H

#define CURL_DISABLE_DEPRECATION 1
#define CURL_DISABLE_TYPECHECK 1
#include_next <curl/curl.h>

#undef LIBCURL_VERSION_NUM
#define LIBCURL_VERSION_NUM 0x075100
#define CURLOPT_PROTOCOLS_STR pg_option_not_in_libcurl_7_81
#define CURLOPT_REDIR_PROTOCOLS_STR pg_option_not_in_libcurl_7_81

#endif
