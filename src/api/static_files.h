#pragma once
// The dashboard's static files (web/dist, built by Vite), served by `leadline serve` at "/"
// beside the API. Only GET paths that match no API route reach it; /v1 and /healthz are
// never shadowed.
#include <filesystem>

#include "http/router.h"

namespace leadline::api {

// Serves the files under web_dir: hashed files under /assets/ with a year-long immutable
// cache, everything else with no-cache, and index.html for any other path without a file
// extension so the dashboard's own routes load on refresh. Paths with "." or ".." segments
// and files outside web_dir answer 404. An empty or unbuilt web_dir answers 404 with a
// message saying how to build it.
void register_static_files(http::Router& router, std::filesystem::path web_dir);

// web/dist under the working directory, else ../web/dist beside the executable (the layout
// of a source checkout with the binary in build/); empty when neither holds an index.html.
std::filesystem::path default_web_dir();

}  // namespace leadline::api
