# Fuzz targets for every reader of foreign text (docs/testing.md, "Fuzzing"):
# workflows, org directories in JSON and CSV, calendar notices, the
# configuration, scenarios, the records the store reads back, and what access
# control reads (keys files, Authorization, X-Forwarded-For). The modules
# that hold the readers are compiled again by clang, with the fuzzer's coverage
# and AddressSanitizer and UndefinedBehaviorSanitizer, into one archive beside
# the GCC build (docs/decisions.md, "Fuzzing with clang beside GCC"); each
# target is a small harness over it. make test runs each for a bounded time.
set(fuzz_dir "${CMAKE_CURRENT_BINARY_DIR}/fuzz")
set(fuzz_flags -std=c++20 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
  "-fsanitize-ignorelist=${CMAKE_CURRENT_SOURCE_DIR}/fuzz/sanitizer-ignore.txt")
set(fuzz_modules util model codec calendar org workflow)

# Every module's headers, public and private: the archive holds their sources.
get_property(fuzz_reader_includes GLOBAL PROPERTY ESCALATOR_PUBLIC_INCLUDES)
foreach(module IN LISTS fuzz_modules)
  list(APPEND fuzz_reader_includes "${PROJECT_SOURCE_DIR}/engine/${module}/src")
endforeach()
list(APPEND fuzz_reader_includes "${PROJECT_SOURCE_DIR}/engine/engine/include" "${PROJECT_SOURCE_DIR}/tools/lib"
  "${PROJECT_SOURCE_DIR}/adapters/access/include")
list(TRANSFORM fuzz_reader_includes PREPEND "-I")
list(APPEND fuzz_reader_includes "-isystem" "${ESCALATOR_VALIJSON_INCLUDE}")

set(fuzz_reader_sources
  "${PROJECT_SOURCE_DIR}/engine/engine/src/config.cpp"
  "${CMAKE_BINARY_DIR}/engine/engine/config_schema.cpp"
  "${PROJECT_SOURCE_DIR}/tools/lib/scenario_parse.cpp"
  "${PROJECT_SOURCE_DIR}/adapters/access/src/abuse.cpp"
  "${PROJECT_SOURCE_DIR}/adapters/access/src/keys.cpp"
  "${PROJECT_SOURCE_DIR}/adapters/access/src/masking.cpp")
foreach(module IN LISTS fuzz_modules)
  get_target_property(sources escalator_${module} SOURCES)
  get_target_property(source_dir escalator_${module} SOURCE_DIR)
  foreach(source IN LISTS sources)
    if(NOT IS_ABSOLUTE "${source}")
      set(source "${source_dir}/${source}")
    endif()
    list(APPEND fuzz_reader_sources "${source}")
  endforeach()
endforeach()

set(fuzz_reader_objects "")
foreach(source IN LISTS fuzz_reader_sources)
  file(RELATIVE_PATH name "${PROJECT_SOURCE_DIR}" "${source}")
  if(name MATCHES "^\\.\\.")
    file(RELATIVE_PATH name "${CMAKE_BINARY_DIR}" "${source}")
  endif()
  string(REGEX REPLACE "[/.]" "_" name "${name}")
  set(object "${fuzz_dir}/objects/${name}.o")
  add_custom_command(OUTPUT "${object}"
    COMMAND "${ESCALATOR_CLANGXX}" ${fuzz_flags} -fsanitize=fuzzer-no-link ${fuzz_reader_includes}
      -MD -MF "${object}.d" -c "${source}" -o "${object}"
    DEPENDS "${source}"
    DEPFILE "${object}.d"
    COMMENT "Compiling ${name} for the fuzz targets"
    COMMAND_EXPAND_LISTS VERBATIM)
  list(APPEND fuzz_reader_objects "${object}")
endforeach()
set(fuzz_readers_archive "${fuzz_dir}/libescalator_readers_fuzz.a")
add_custom_command(OUTPUT "${fuzz_readers_archive}"
  COMMAND "${CMAKE_COMMAND}" -E rm -f "${fuzz_readers_archive}"
  COMMAND "${CMAKE_AR}" qc "${fuzz_readers_archive}" ${fuzz_reader_objects}
  COMMAND "${CMAKE_RANLIB}" "${fuzz_readers_archive}"
  DEPENDS ${fuzz_reader_objects}
  COMMENT "Archiving the readers compiled for fuzzing"
  VERBATIM)

# escalator_reader_fuzz(NAME SEEDS...): tests/fuzz/NAME_fuzz.cpp over the
# archive, run by ctest for a bounded time from the seed folders (read only;
# what it finds stays in the build tree).
set(fuzz_reader_targets "")
function(escalator_reader_fuzz name)
  set(binary "${fuzz_dir}/${name}_fuzz")
  set(harness "${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${name}_fuzz.cpp")
  add_custom_command(OUTPUT "${binary}"
    COMMAND "${ESCALATOR_CLANGXX}" ${fuzz_flags} -fsanitize=fuzzer ${fuzz_reader_includes}
      "${harness}" "${fuzz_readers_archive}" -lsimdjson "${LIBCSV_LIBRARY}" -lcrypto -lpthread -o "${binary}"
    DEPENDS "${harness}" "${CMAKE_CURRENT_SOURCE_DIR}/fuzz/reader_fuzz.hpp" "${fuzz_readers_archive}"
    COMMENT "Linking the ${name} fuzz target"
    COMMAND_EXPAND_LISTS VERBATIM)
  set(fuzz_reader_targets ${fuzz_reader_targets} "${binary}" PARENT_SCOPE)
  file(MAKE_DIRECTORY "${fuzz_dir}/${name}_corpus")
  add_test(NAME fuzz.${name}
    COMMAND "${binary}" -max_total_time=${ESCALATOR_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048
      -print_final_stats=1 "${fuzz_dir}/${name}_corpus" ${ARGN})
endfunction()

set(ESCALATOR_FUZZ_SECONDS 8 CACHE STRING "How long make test runs each reader's fuzz target")
escalator_reader_fuzz(workflow "${PROJECT_SOURCE_DIR}/workflows" "${CMAKE_CURRENT_SOURCE_DIR}/workflows")
escalator_reader_fuzz(org_json "${PROJECT_SOURCE_DIR}/org")
escalator_reader_fuzz(org_csv "${PROJECT_SOURCE_DIR}/org")
escalator_reader_fuzz(calendar "${PROJECT_SOURCE_DIR}/calendars" "${CMAKE_CURRENT_SOURCE_DIR}/fixtures/calendar-import")
escalator_reader_fuzz(config "${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds/config")
escalator_reader_fuzz(scenario "${CMAKE_CURRENT_SOURCE_DIR}/scenarios/rules" "${CMAKE_CURRENT_SOURCE_DIR}/scenarios/stats")
escalator_reader_fuzz(access "${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds/access")
escalator_reader_fuzz(stored_record "${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds/stored_record")
add_custom_target(escalator_reader_fuzz_targets ALL DEPENDS ${fuzz_reader_targets})
